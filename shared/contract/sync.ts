// Several laptops, one case: device identity, bundles written to and read from a folder (a USB
// stick), conflicts between heads of a record and their resolution, duplicate people and their
// (undoable) merge. Every bundle is one encrypted file; what it carries is verified before anything
// is merged, and the merge is one transaction.
import { z } from 'zod';
import { Id, text } from '../schemas';
import { FilePath, Passphrase } from '../safety';
import { JobId } from '../jobs';

/** A device id: the ULID given to a database when it is first opened. */
export const DeviceId = Id;

/** The kinds of record that travel in bundles and can be in conflict. */
export const SYNC_ENTITIES = ['facility', 'person', 'interview', 'incident', 'staff', 'report', 'office-settings', 'setting', 'export'] as const;
export const SyncEntity = z.enum(SYNC_ENTITIES, 'must be a kind of record that travels in bundles');

/** A version's identity: the device that wrote it and that device's sequence number. */
export const VersionRef = z.object({
  device: DeviceId,
  seq: z.number().int().positive(),
});
export type VersionRef = z.infer<typeof VersionRef>;

export const SyncDevice = z.object({
  id: DeviceId,
  /** The name the user gave it ("Dana's laptop"); null until named. */
  name: z.string().nullable(),
  /** sha256 of the Ed25519 public key, grouped for reading aloud over the phone. */
  fingerprint: z.string(),
  /** This database's own device. */
  local: z.boolean(),
  /** An untrusted device's future bundles are refused whole. */
  trusted: z.boolean(),
  /** When a bundle holding this device's records was last imported here (null: never, or local). */
  lastImportAt: z.string().nullable(),
  /** How many versions of this device's chain this database holds. */
  versions: z.number().int().nonnegative(),
});
export type SyncDevice = z.infer<typeof SyncDevice>;

export const SyncStatus = z.object({
  local: SyncDevice,
  devices: z.array(SyncDevice),
  /** Records with more than one head. */
  openConflicts: z.number().int().nonnegative(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncCounts = z.object({
  devices: z.number().int().nonnegative(),
  versions: z.number().int().nonnegative(),
  auditRows: z.number().int().nonnegative(),
});

export const SyncExportInput = z.object({
  /** The folder to write the bundle into (the USB stick). */
  folder: FilePath,
  /** Only what that device has not yet acknowledged (its last bundle told us what it holds). */
  forDevice: DeviceId.optional(),
  /** The office's bundle passphrase: the bundle is encrypted with it (a lost USB stick shows nothing). */
  passphrase: Passphrase,
  jobId: JobId.optional(),
});
export const SyncExportOutput = z.object({ file: z.string(), counts: SyncCounts });

export const SyncImportInput = z.object({ file: FilePath, passphrase: Passphrase, jobId: JobId.optional() });
export const SyncImportOutput = z.object({
  /** Records this database did not hold before. */
  newRecords: z.number().int().nonnegative(),
  newVersions: z.number().int().nonnegative(),
  /** Records that have more than one head now and did not before. */
  newConflicts: z.number().int().nonnegative(),
  /** The devices whose rows came in (new or not). */
  devices: z.array(z.object({ id: DeviceId, name: z.string().nullable(), fingerprint: z.string(), isNew: z.boolean(), newVersions: z.number().int().nonnegative() })),
});

export const ConflictSummary = z.object({
  entity: SyncEntity,
  id: z.string(),
  /** A line to show: the record's name or title. */
  label: z.string(),
  heads: z.number().int().min(2),
  /** Whether one head deletes the record and another edits it. */
  editVsDelete: z.boolean(),
  lastAt: z.string(),
});
export const ConflictList = z.array(ConflictSummary);

export const ConflictHead = z.object({
  ref: VersionRef,
  /** The record's version number shown in the UI (the current row's version is the chosen head's). */
  version: z.number().int().positive(),
  action: z.string(),
  data: z.record(z.string(), z.unknown()),
  deleted: z.boolean(),
  by: z.string().nullable(),
  device: z.object({ id: DeviceId, name: z.string().nullable() }),
  at: z.string(),
  reason: z.string().nullable(),
});
export const ConflictDetail = z.object({
  entity: SyncEntity,
  id: z.string(),
  label: z.string(),
  heads: z.array(ConflictHead).min(2),
  /** Fields whose values differ between the heads. */
  differences: z.array(z.object({ field: z.string(), values: z.array(z.unknown()) })),
  /** Which head the current row shows until the conflict is resolved (deterministic on every laptop). */
  shown: VersionRef,
});
export type ConflictDetail = z.infer<typeof ConflictDetail>;

const EntityRef = z.object({ entity: SyncEntity, id: z.string().min(1).max(200) });
export const ConflictRefInput = EntityRef;

const Reason = text(500).min(1, 'a reason is required');
export const ResolveInput = EntityRef.extend({
  /** Take one head as it is… */
  pick: VersionRef.optional(),
  /** …or the combined record, field by field (the record's own fields, validated like an edit). */
  data: z.record(z.string(), z.unknown()).optional(),
  reason: Reason,
}).refine((v) => (v.pick === undefined) !== (v.data === undefined), { message: 'give either pick or data', path: ['pick'] });
export const ResolveOutput = z.object({
  entity: SyncEntity,
  id: z.string(),
  /** The new version, naming every former head as its parent. */
  ref: VersionRef,
  version: z.number().int().positive(),
  parents: z.array(VersionRef).min(2),
});

export const DuplicatePerson = z.object({
  id: Id,
  familyName: z.string(),
  givenName: z.string(),
  aNumber: z.string(),
  filingCode: z.string().nullable(),
  interviews: z.number().int().nonnegative(),
  incidents: z.number().int().nonnegative(),
});
export const DuplicateGroup = z.object({
  matchedOn: z.enum(['aNumber', 'name']),
  people: z.array(DuplicatePerson).min(2),
});
export const DuplicateList = z.array(DuplicateGroup);

export const MergePeopleInput = z.object({ from: Id, into: Id, reason: Reason });
export const MergePeopleOutput = z.object({
  /** The merge's id: give it to people:unmerge to undo. */
  mergeId: Id,
  from: Id,
  into: Id,
  movedInterviews: z.number().int().nonnegative(),
  movedIncidents: z.number().int().nonnegative(),
});
export const UnmergePeopleInput = z.object({ mergeId: Id, reason: Reason });

export const syncChannels = {
  'sync:status': {
    summary: 'This laptop (device id, name, key fingerprint), every device seen, and the number of open conflicts',
    input: z.object({}).default({}),
    output: SyncStatus,
  },
  'sync:rename-device': {
    summary: 'Name a device ("Dana\'s laptop"); the local name travels in bundles',
    input: z.object({ id: DeviceId, name: text(100).min(1, 'a name is required') }),
    output: SyncDevice,
    write: true,
  },
  'sync:set-trusted': {
    summary: 'Trust or distrust a device: the bundles of an untrusted device are refused whole',
    input: z.object({ id: DeviceId, trusted: z.boolean() }),
    output: SyncDevice,
    write: true,
  },
  'sync:export': {
    summary: 'Write one encrypted bundle into a folder: every version, audit row, device key and signed chain tip (or only what a device has not acknowledged)',
    input: SyncExportInput,
    output: SyncExportOutput,
  },
  'sync:import': {
    summary: 'Read a bundle: verify every signature and chain first (refused whole if any row is bad), then merge in one transaction',
    input: SyncImportInput,
    output: SyncImportOutput,
    write: true,
  },
  'sync:conflicts': {
    summary: 'Records with more than one head (edit vs delete included)',
    input: z.object({}).default({}),
    output: ConflictList,
  },
  'sync:conflict': {
    summary: 'One conflict: both heads with their data, who wrote each, on which device and when, and the fields that differ',
    input: ConflictRefInput,
    output: ConflictDetail,
  },
  'sync:resolve': {
    summary: 'Resolve a conflict by picking a head or combining fields, with a reason: a new version naming both heads as parents',
    input: ResolveInput,
    output: ResolveOutput,
    write: true,
  },
  'people:duplicates': {
    summary: 'Possible duplicate people (same A-number, or similar names), e.g. entered on two laptops',
    input: z.object({}).default({}),
    output: DuplicateList,
  },
  'people:merge': {
    summary: "Merge one person into another: their interviews and incidents move (a new version of each, with the reason) and the merged person is deleted; undoable",
    input: MergePeopleInput,
    output: MergePeopleOutput,
    write: true,
  },
  'people:unmerge': {
    summary: 'Undo a merge of people: the interviews and incidents move back and the person is restored (new versions, with the reason)',
    input: UnmergePeopleInput,
    output: MergePeopleOutput,
    write: true,
  },
} as const;
