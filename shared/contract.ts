import { z } from 'zod';
import type { ChannelName } from './channels';
import {
  BulkIncidentsInput,
  BulkIncidentsOutput,
  CategoryCode,
  Draft,
  DraftKey,
  DraftSaveInput,
  Facility,
  FacilityInput,
  FacilityUpdate,
  GetById,
  GuardInput,
  HistoryOutput,
  Incident,
  IncidentInput,
  IncidentList,
  IncidentUpdate,
  Interview,
  InterviewInput,
  InterviewRow,
  InterviewUpdate,
  ListFacilitiesInput,
  ListIncidentsInput,
  ListInterviewsInput,
  ListPeopleInput,
  Person,
  PersonIdInput,
  PersonInput,
  PersonUpdate,
  SearchIncidentsInput,
  SessionUser,
  SimilarPeopleInput,
  SimilarPeopleOutput,
  Staff,
  StaffInput,
  TimelineOutput,
  listOf,
  Id,
} from './schemas';
import { reportChannels } from './report/channels';
import {
  BackupConfigureInput,
  BackupCreateInput,
  BackupFile,
  BackupList,
  BackupRestoreInput,
  BackupRestoreOutput,
  BackupSettings,
  VaultRekeyInput,
  VaultSetupInput,
  VaultStatus,
  VaultUnlockInput,
  VerifyReport,
} from './safety';
import { JobId, JobsCancelInput, JobsCancelOutput } from './jobs';

// The only definition of Attest's API: every channel with its zod input and output.
// IPC, the CLI and the test bridge all reach these through one dispatch.
export const contract = {
  'app:info': {
    summary: 'Version of the app and of the database schema',
    input: z.object({}).default({}),
    output: z.object({ appVersion: z.string(), schemaVersion: z.number().int() }),
  },
  'vocab:categories': {
    summary: 'The incident category vocabulary',
    input: z.object({}).default({}),
    output: z.array(
      z.object({ code: CategoryCode, label: z.string(), description: z.string(), standard: z.string() }),
    ),
  },
  'facilities:create': {
    summary: 'Add a detention facility',
    input: FacilityInput,
    output: Facility,
  },
  'facilities:list': {
    summary: 'List facilities by name',
    input: ListFacilitiesInput,
    output: listOf(Facility),
  },
  'facilities:get': {
    summary: 'One facility by id (a deleted one too, with deletedAt set)',
    input: GetById,
    output: Facility,
  },
  'facilities:update': {
    summary: 'Edit a facility: the full new record, the version it was read at, and why',
    input: FacilityUpdate,
    output: Facility,
  },
  'facilities:delete': {
    summary: 'Delete a facility (a tombstone: kept in history, restorable)',
    input: GuardInput,
    output: Facility,
  },
  'facilities:restore': {
    summary: 'Restore a deleted facility',
    input: GuardInput,
    output: Facility,
  },
  'facilities:history': {
    summary: "Every version of a facility: who, when, why, and each changed field's old and new value",
    input: GetById,
    output: HistoryOutput,
  },
  'people:create': {
    summary: 'Add a detained client or class member (a filing code CM-### is allocated)',
    input: PersonInput,
    output: Person,
  },
  'people:list': {
    summary: 'List people, sorted and filtered',
    input: ListPeopleInput,
    output: listOf(Person),
  },
  'people:get': {
    summary: 'One person by id (a deleted one too, with deletedAt set)',
    input: GetById,
    output: Person,
  },
  'people:update': {
    summary: 'Edit a person: the full new record, the version it was read at, and why',
    input: PersonUpdate,
    output: Person,
  },
  'people:delete': {
    summary: 'Delete a person (a tombstone: kept in history, restorable; the filing code is never reused)',
    input: GuardInput,
    output: Person,
  },
  'people:restore': {
    summary: 'Restore a deleted person',
    input: GuardInput,
    output: Person,
  },
  'people:history': {
    summary: "Every version of a person: who, when, why, and each changed field's old and new value",
    input: GetById,
    output: HistoryOutput,
  },
  'people:similar': {
    summary: 'Before saving a person: who already holds the A-number, and who has a similar name',
    input: SimilarPeopleInput,
    output: SimilarPeopleOutput,
  },
  'people:timeline': {
    summary: "A person's interviews and incidents, in date order",
    input: PersonIdInput,
    output: TimelineOutput,
  },
  'interviews:create': {
    summary: 'Start an interview with a person',
    input: InterviewInput,
    output: Interview,
  },
  'interviews:list': {
    summary: 'List interviews, newest first',
    input: ListInterviewsInput,
    output: listOf(InterviewRow),
  },
  'interviews:get': {
    summary: 'One interview by id (a deleted one too, with deletedAt set)',
    input: GetById,
    output: Interview,
  },
  'interviews:update': {
    summary: 'Edit an interview: the full new record, the version it was read at, and why',
    input: InterviewUpdate,
    output: Interview,
  },
  'interviews:delete': {
    summary: 'Delete an interview (a tombstone: kept in history, restorable)',
    input: GuardInput,
    output: Interview,
  },
  'interviews:restore': {
    summary: 'Restore a deleted interview',
    input: GuardInput,
    output: Interview,
  },
  'interviews:history': {
    summary: "Every version of an interview: who, when, why, and each changed field's old and new value",
    input: GetById,
    output: HistoryOutput,
  },
  'incidents:create': {
    summary: 'Log an incident a person reported',
    input: IncidentInput,
    output: Incident,
  },
  'incidents:bulk-create': {
    summary: 'Log many incidents in one transaction (all or nothing), each validated and versioned',
    input: BulkIncidentsInput,
    output: BulkIncidentsOutput,
  },
  'incidents:list': {
    summary: 'List incidents with person and facility names, filtered and sorted',
    input: ListIncidentsInput,
    output: IncidentList,
  },
  'incidents:search': {
    summary: 'Full-text search over summaries and own words (any script), with the list filters; newest entered first',
    input: SearchIncidentsInput,
    output: IncidentList,
  },
  'incidents:get': {
    summary: 'One incident by id (a deleted one too, with deletedAt set)',
    input: GetById,
    output: Incident,
  },
  'incidents:update': {
    summary: 'Edit an incident: the full new record, the version it was read at, and why',
    input: IncidentUpdate,
    output: Incident,
  },
  'incidents:delete': {
    summary: 'Delete an incident (a tombstone: kept in history, restorable)',
    input: GuardInput,
    output: Incident,
  },
  'incidents:restore': {
    summary: 'Restore a deleted incident',
    input: GuardInput,
    output: Incident,
  },
  'incidents:history': {
    summary: "Every version of an incident: who, when, why, and each changed field's old and new value",
    input: GetById,
    output: HistoryOutput,
  },
  'staff:list': {
    summary: 'The local list of staff who may use this database',
    input: z.object({}).default({}),
    output: listOf(Staff),
  },
  'staff:create': {
    summary: 'Add a staff member to the local list',
    input: StaffInput,
    output: Staff,
  },
  'session:set-user': {
    summary: 'Pick who is acting (a staff member); recorded in the history of every write',
    input: z.object({ staffId: Id }),
    output: SessionUser,
  },
  'session:get-user': {
    summary: 'Who is acting now',
    input: z.object({}).default({}),
    output: SessionUser,
  },
  'drafts:save': {
    summary: 'Keep an unsaved form in the database, so a crash or a closed window loses nothing',
    input: DraftSaveInput,
    output: Draft,
  },
  'drafts:get': {
    summary: 'The draft kept under a key, or null',
    input: z.object({ key: DraftKey }),
    output: Draft.nullable(),
  },
  'drafts:list': {
    summary: 'Every kept draft, newest first',
    input: z.object({}).default({}),
    output: z.object({ items: z.array(Draft) }),
  },
  'drafts:discard': {
    summary: 'Drop the draft kept under a key (after saving the record, or on cancel)',
    input: z.object({ key: DraftKey }),
    output: z.object({ discarded: z.boolean() }),
  },
  ...reportChannels,
  // Evidence safety: these vault channels answer before the database is unlocked; every other
  // channel answers LOCKED until then.
  'vault:status': {
    summary: 'Whether the database is new, locked or unlocked, and whether it is encrypted',
    input: z.object({}).default({}),
    output: VaultStatus,
  },
  'vault:setup': {
    summary: 'First run: create the database encrypted with a passphrase, or explicitly unencrypted',
    input: VaultSetupInput,
    output: VaultStatus,
  },
  'vault:unlock': {
    summary: 'Open the encrypted database with its passphrase',
    input: VaultUnlockInput,
    output: VaultStatus,
  },
  'vault:rekey': {
    summary: 'Change the passphrase (or encrypt an unencrypted database)',
    input: VaultRekeyInput,
    output: VaultStatus,
  },
  'audit:verify': {
    summary:
      'Recompute the audit chain and every record version hash, compare every current row with its last version; name the first broken row. Reads only what came after the last intact check unless full, or another connection wrote to the file',
    input: z.object({ full: z.boolean().default(false), jobId: JobId.optional() }).default({ full: false }),
    output: VerifyReport,
  },
  'backup:create': {
    summary: 'Back up the database now (encrypted when it is)',
    input: BackupCreateInput,
    output: BackupFile,
  },
  'backup:list': {
    summary: 'Backups in the backup folder, newest first',
    input: z.object({}).default({}),
    output: BackupList,
  },
  'backup:restore': {
    summary: 'Restore a backup after verifying it; the current file is kept aside',
    input: BackupRestoreInput,
    output: BackupRestoreOutput,
  },
  'backup:settings': {
    summary: 'The backup plan: folder, every N writes or minutes, how many to keep',
    input: z.object({}).default({}),
    output: BackupSettings,
  },
  'backup:configure': {
    summary: 'Change the backup plan',
    input: BackupConfigureInput,
    output: BackupSettings,
  },
  'jobs:cancel': {
    summary: 'Cancel a running long job by its jobId, when it is only reading (never halfway through a write)',
    input: JobsCancelInput,
    output: JobsCancelOutput,
  },
} as const satisfies Record<ChannelName, { summary: string; input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type Channel = keyof Contract;

// Compile-time check that shared/channels.ts lists exactly the contract's channels.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelsAgree: Same<Channel, ChannelName> = true;
void channelsAgree;

/** What a caller may send (before defaults and normalisation). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after parsing). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'DATABASE',
  'INTERNAL',
  /** The database is encrypted and not unlocked yet: only vault:* channels answer. */
  'LOCKED',
  'WRONG_PASSPHRASE',
  /** A long job stopped by jobs:cancel before it wrote anything. */
  'CANCELLED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface Issue {
  /** Field path, e.g. ["aNumber"] or ["categories", 0]. */
  path: (string | number)[];
  message: string;
}

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  issues: Issue[];
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape };

/** The shape every transport gives the renderer as `window.attest`: one function per channel. */
export type AttestApi = {
  [C in Channel]: (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
};

/** Turns zod issues into field-named issues and one readable sentence. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { message: string; issues: Issue[] } {
  const out: Issue[] = issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
  const message = out
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  return { message: message || 'invalid input', issues: out };
}
