import type { Db } from '../../../db/driver';
import type { Vault } from '../vault';

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
}

export { AppError } from '../../../shared/errors';

export function writeMeta(ctx: Context, reason?: string | null) {
  return { at: ctx.now().toISOString(), by: ctx.user, reason: reason ?? null };
}
