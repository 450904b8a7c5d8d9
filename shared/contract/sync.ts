// Several laptops, one case: device identity, bundles written to and read from a folder (a USB
// stick), conflicts between heads of a record and their resolution, duplicate people, facilities
// and staff and their (undoable) merge, filing codes given twice and their resolution. Every bundle
// is one encrypted file; what it carries is verified before anything is merged, and the merge is
// one transaction.
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
  /** Everything left to settle on the Sync page: records with more than one head plus filing codes given twice. */
  openConflicts: z.number().int().nonnegative(),
  /** Of those, filing codes held by two people (listed apart from the records, under "Filing codes given twice"). */
  codeClashes: z.number().int().nonnegative(),
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
  /**
   * …or fields combined: the shown head's record with these fields set (each taken from a head, or
   * typed). Only the record's own fields are accepted.
   */
  fields: z
    .array(
      z.object({
        field: z.string().min(1).max(100),
        value: z.union([z.string().max(20_000), z.number(), z.boolean(), z.null(), z.array(z.string().max(2_000)).max(200)]),
      }),
    )
    .min(1)
    .max(100)
    .optional(),
  reason: Reason,
}).refine((v) => (v.pick === undefined) !== (v.fields === undefined), { message: 'give either pick or fields', path: ['pick'] });
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

/** Facilities or staff members that look like one entered twice (folded name; facilities: and city, state). */
export const DuplicateRecordGroup = z.object({
  matchedOn: z.enum(['name']),
  records: z
    .array(
      z.object({
        id: Id,
        name: z.string(),
        /** Facilities: "city, state"; staff: the role. */
        detail: z.string(),
        /** Live records that refer to it, by kind ("incidents", "people", "interviews"). */
        references: z.record(z.string(), z.number().int().nonnegative()),
      }),
    )
    .min(2),
});
export const DuplicateRecordList = z.array(DuplicateRecordGroup);
export const MergeRecordsInput = z.object({ from: Id, into: Id, reason: Reason });
export const MergeRecordsOutput = z.object({
  /** The merge's id: give it to the unmerge channel to undo. */
  mergeId: Id,
  from: Id,
  into: Id,
  /** How many records moved, by kind ("incidents", "people", "interviews"). */
  moved: z.record(z.string(), z.number().int().nonnegative()),
});

/** One filing code held by two or more live people (given on two laptops that had not synced). */
export const CodeClash = z.object({
  code: z.string(),
  people: z
    .array(
      z.object({
        id: Id,
        familyName: z.string(),
        givenName: z.string(),
        createdAt: z.string(),
        /** Appeared in a logged export: the code is cited there and never changes. */
        exported: z.boolean(),
        /** Keeps the code on resolution; the others get new codes. */
        keeps: z.boolean(),
      }),
    )
    .min(2),
});
export const CodeClashList = z.array(CodeClash);
export const ResolveCodeClashInput = z.object({ code: z.string().max(16).regex(/^CM-\d{3,}$/, 'must be a filing code such as CM-012'), reason: Reason });
export const ResolveCodeClashOutput = z.object({
  code: z.string(),
  kept: z.array(Id),
  renumbered: z.array(z.object({ id: Id, from: z.string(), to: z.string() })),
  /** Two or more holders appeared in exports: all keep the code, and the clash is recorded as kept. */
  keptByAll: z.boolean(),
});

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
    summary:
      'Read a bundle: verify every signature and chain first, writing nothing (refused whole if any row is bad; cancellable with jobs:cancel), then merge in one transaction',
    input: SyncImportInput,
    output: SyncImportOutput,
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
  'facilities:duplicates': {
    summary: 'Possible duplicate facilities (same folded name, city and state), e.g. entered on two laptops',
    input: z.object({}).default({}),
    output: DuplicateRecordList,
  },
  'facilities:merge': {
    summary: 'Merge one facility into another: its people and incidents move (a new version of each, with the reason) and the merged facility is deleted; undoable',
    input: MergeRecordsInput,
    output: MergeRecordsOutput,
    write: true,
  },
  'facilities:unmerge': {
    summary: 'Undo a merge of facilities: the people and incidents move back and the facility is restored (new versions, with the reason)',
    input: UnmergePeopleInput,
    output: MergeRecordsOutput,
    write: true,
  },
  'staff:duplicates': {
    summary: 'Possible duplicate staff members (same folded name), e.g. entered on two laptops',
    input: z.object({}).default({}),
    output: DuplicateRecordList,
  },
  'staff:merge': {
    summary: 'Merge one staff member into another: interviews naming them as interviewer name the one kept (new versions, with the reason) and the merged one is deleted; undoable',
    input: MergeRecordsInput,
    output: MergeRecordsOutput,
    write: true,
  },
  'staff:unmerge': {
    summary: 'Undo a merge of staff members: the interviews move back and the staff member is restored (new versions, with the reason)',
    input: UnmergePeopleInput,
    output: MergeRecordsOutput,
    write: true,
  },
  'sync:code-clashes': {
    summary: 'Filing codes held by two or more people (given on laptops that had not synced): who keeps the code (appeared in an export, else entered first) and who gets a new one',
    input: z.object({}).default({}),
    output: CodeClashList,
  },
  'sync:resolve-code-clash': {
    summary: 'Resolve a filing code clash with a reason: each holder whose code never appeared in a logged export gets a new code (a new version); several exported holders all keep it, recorded as kept',
    input: ResolveCodeClashInput,
    output: ResolveCodeClashOutput,
    write: true,
  },
  'people:unmerge': {
    summary: 'Undo a merge of people: the interviews and incidents move back and the person is restored (new versions, with the reason)',
    input: UnmergePeopleInput,
    output: MergePeopleOutput,
    write: true,
  },
} as const;
