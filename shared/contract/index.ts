import { z } from 'zod';
import { reportChannels } from '../report/channels';
import { appChannels, sessionChannels } from './app';
import { dashboardChannels } from './dashboard';
import { importChannels } from './import';
import { dialogChannels } from './dialogs';
import { jobChannels } from './jobs';
import type { ChannelName } from './names';
import { facilityChannels, incidentChannels, interviewChannels, peopleChannels } from './records';
import type { ChannelSpec } from './spec';
import { syncChannels } from './sync';
import { vaultChannels } from './vault';

export type { ChannelSpec } from './spec';

// The only definition of Attest's API: every channel with its zod input and output, one fragment
// per domain. IPC, the CLI, the worker and the test bridge all reach these through one dispatch.
// shared/contract/names.ts is generated from it (npm run gen:channels) for the preload bundle.
export const contract = {
  ...appChannels,
  ...facilityChannels,
  ...peopleChannels,
  ...interviewChannels,
  ...incidentChannels,
  ...sessionChannels,
  ...reportChannels,
  ...vaultChannels,
  ...jobChannels,
  ...importChannels,
  ...syncChannels,
  ...dialogChannels,
  ...dashboardChannels,
};

const everySpec: Record<string, ChannelSpec> = contract;
void everySpec;

/** Whether a channel is a plain synchronous write (dispatch runs it in an IMMEDIATE transaction). */
export function isWriteChannel(channel: Channel): boolean {
  return (contract[channel] as ChannelSpec).write === true;
}

export type Contract = typeof contract;
export type Channel = keyof Contract;

// Compile-time check that the generated names.ts lists exactly the contract's channels.
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
  /** The operation would lose history (a restore of a shorter one): repeat it with the confirmation. */
  'NEEDS_CONFIRMATION',
  /** The database file was replaced or rolled back underneath the open app: it stopped writing. */
  'FILE_REPLACED',
  /** No space left on the disk (ENOSPC, SQLITE_FULL): nothing half-written was kept. */
  'DISK_FULL',
  /** The file or its folder is read-only (EROFS, SQLITE_READONLY). */
  'READ_ONLY',
  /** The operating system refused access (EACCES, EPERM). */
  'NO_PERMISSION',
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
