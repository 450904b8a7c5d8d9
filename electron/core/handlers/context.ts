import type { Db } from '../../../db/driver';
import type { Vault } from '../vault';
import type { Jobs } from '../jobs';
import type { LongReads } from '../long-reads';

/** What every handler is given: the open database and who is acting. */
export interface Context {
  /** The database of the unlocked vault (reading it while locked throws LOCKED). */
  readonly db: Db;
  /** Holds the connection: unlock, passphrase, backups, restore. */
  vault: Vault;
  /** Staff member using the app, when known. */
  user: string | null;
  /** The staff record of that user, when picked from the local list (session:set-user). */
  staffId?: string | null;
  /** The clock, injectable so tests and exports are reproducible. */
  now: () => Date;
  appVersion: string;
  /** Running long jobs: progress events and cancel. */
  jobs: Jobs;
  /** Where long reads run: a reader thread in the app, this thread in the CLI. */
  reads: LongReads;
}

export { AppError } from '../../../shared/errors';

export function writeMeta(ctx: Context, reason?: string | null) {
  return { at: ctx.now().toISOString(), by: ctx.user, reason: reason ?? null };
}
