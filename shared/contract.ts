import { z } from 'zod';
import type { ChannelName } from './channels';
import {
  Facility,
  FacilityInput,
  GetById,
  Incident,
  IncidentInput,
  IncidentRow,
  ListFacilitiesInput,
  ListIncidentsInput,
  ListPeopleInput,
  Person,
  PersonInput,
  listOf,
  CategoryCode,
} from './schemas';
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
    summary: 'One facility by id',
    input: GetById,
    output: Facility,
  },
  'people:create': {
    summary: 'Add a detained client or class member',
    input: PersonInput,
    output: Person,
  },
  'people:list': {
    summary: 'List people by family name',
    input: ListPeopleInput,
    output: listOf(Person),
  },
  'people:get': {
    summary: 'One person by id',
    input: GetById,
    output: Person,
  },
  'incidents:create': {
    summary: 'Log an incident a person reported',
    input: IncidentInput,
    output: Incident,
  },
  'incidents:list': {
    summary: 'List incidents, newest first, with person and facility names',
    input: ListIncidentsInput,
    output: listOf(IncidentRow),
  },
  'incidents:get': {
    summary: 'One incident by id',
    input: GetById,
    output: Incident,
  },
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
    summary: 'Recompute the audit chain and every record version hash; name the first broken row',
    input: z.object({}).default({}),
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
