import { type OpenOptions } from '../../db/connect';
import { createDispatch, type Dispatch } from './dispatch';
import type { Context } from './handlers/context';
import { Vault } from './vault';
import { Jobs } from './jobs';
import { inThreadReads, type LongReads } from './long-reads';
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
    reads: reads ? reads(vault) : inThreadReads(() => vault.db()),
  };
  const inner = createDispatch(ctx);
  const dispatch: Dispatch = async (channel, raw) => {
    const r = await inner(channel, raw);
    if (r.ok && channel !== 'backup:create' && channel !== 'backup:restore') vault.maybeAutoBackup();
    return r;
  };
  return { ctx, vault, dispatch, close: () => vault.close(), stop: () => ctx.reads.stopAll() };
}

/** Opens a database now (with its key, when encrypted) and wires it: tests and the CLI. */
export function openSession(file: string, options: SessionOptions = {}): Session {
  const s = createSession(file, options);
  s.vault.open(options.key ?? null);
  return s;
}
