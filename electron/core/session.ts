import { type OpenOptions } from '../../db/connect';
import { createDispatch, type Dispatch } from './dispatch';
import { isWriteChannel } from '../../shared/contract';
import { isChannelName } from '../../shared/contract/names';
import type { Context } from './handlers/context';
import { Vault } from './vault';
import { Jobs } from './jobs';
import { inThreadReads, type LongReads } from './long-reads';
import type { AppError } from '../../shared/errors';
import pkg from '../../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;

export interface Session {
  ctx: Context;
  vault: Vault;
  dispatch: Dispatch;
  /** Closes the database, with the on-close backup when the plan asks for one. */
  close: () => void;
  /** Stops long reads still running (before close). */
  stop: () => Promise<void>;
}

export type SessionOptions = OpenOptions & {
  user?: string | null;
  now?: () => Date;
  /** Where long reads run; by default on this thread, over the session's own connection. */
  reads?: (vault: Vault) => LongReads;
};

/**
 * Wires a (possibly still locked) vault to the handler table: what every transport starts from.
 * While locked, only the vault:* channels answer; the rest answer LOCKED.
 */
export function createSession(file: string, options: SessionOptions = {}): Session {
  const { user, now, reads, key: _key, ...open } = options;
  const clock = now ?? (() => new Date());
  const vault = new Vault(file, { ...open, now: clock });
  const ctx: Context = {
    get db() {
      return vault.db();
    },
    vault,
    user: user ?? null,
    now: clock,
    appVersion: APP_VERSION,
    jobs: new Jobs(),
    reads: reads ? reads(vault) : inThreadReads(() => vault.db(), () => vault.readerOpen()),
  };
  const inner = createDispatch(ctx);
  const dispatch: Dispatch = async (channel, raw) => {
    // Before anything reads or writes: is the open file still the one opened, its history intact at
    // the end this connection saw? Else nothing more is written (FILE_REPLACED).
    if (channel !== 'vault:status') {
      try {
        vault.checkFile();
      } catch (e) {
        const err = e as AppError;
        return { ok: false, error: { code: err.code, message: err.message, issues: err.issues } };
      }
    }
    const r = await inner(channel, raw);
    vault.noteTip();
    // A backup may follow a write (or an export, which logs itself, or a sync import, which opens
    // its own transaction after verifying), never a read. Where long reads
    // run on another thread, so does the backup's VACUUM INTO, and the call is answered at once;
    // here (the CLI, tests) it is written before the answer. Time-based backups run on a timer.
    if (r.ok && isChannelName(channel) && (isWriteChannel(channel) || channel === 'reports:export' || channel === 'reports:bundle' || channel === 'sync:import')) void autoBackup(session);
    return r;
  };
  const session: Session = {
    ctx,
    vault,
    dispatch,
    close: () => vault.close(),
    // A backup being written elsewhere finishes first; then the readers stop.
    stop: () => vault.backupsSettled().then(() => ctx.reads.stopAll()),
  };
  return session;
}

/** The automatic backup, if one is due: on the long reads' thread when that is another one. */
export function autoBackup(s: Pick<Session, 'ctx' | 'vault'>): Promise<void> {
  const reads = s.ctx.reads;
  return s.vault.maybeAutoBackup(reads.offThread ? (folder, now, keep) => reads.backup(folder, now, keep, null) : undefined);
}

/** Opens a database now (with its key, when encrypted) and wires it: tests and the CLI. */
export function openSession(file: string, options: SessionOptions = {}): Session {
  const s = createSession(file, options);
  s.vault.open(options.key ?? null);
  return s;
}
