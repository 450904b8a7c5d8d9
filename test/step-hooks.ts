// Long reads on the test's own thread with a pause after the two steps a cancel can still stop
// last: a sync bundle verified (before its merge) and a passphrase change's copy checked (before
// its rename). The cancel tests hold a step open there, or write meanwhile, to reach that moment.
import { inThreadReads, type LongReads, type Stoppable } from '../electron/core/long-reads';
import type { Vault } from '../electron/core/vault';

export interface StepHooks {
  /** After the bundle was verified, before the handler's last cancel check and the transaction. */
  afterVerify?: (job: Stoppable) => Promise<void> | void;
  /** After the re-keyed copy was written and checked, before the vault's last check and the rename. */
  afterCopy?: (job: Stoppable) => Promise<void> | void;
}

/**
 * A session's `reads` that run each hook when its step ends. The hooks are looked up then, not
 * when the session opens: a test sets or removes one between calls.
 */
export function readsWithHooks(hooks: StepHooks): (vault: Vault) => LongReads {
  return (vault) => {
    const r = inThreadReads(() => vault.db(), () => vault.readerOpen());
    return {
      ...r,
      verifyBundle: async (req, job, onStep) => {
        const v = await r.verifyBundle(req, job, onStep);
        await hooks.afterVerify?.(job);
        return v;
      },
      rekeyCopy: async (req, job, onStep) => {
        const t = await r.rekeyCopy(req, job, onStep);
        await hooks.afterCopy?.(job);
        return t;
      },
    };
  };
}

/** Until the job is cancelled (or a minute has gone by): the step still running when Cancel is clicked. */
export function heldOpen(job: Stoppable): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 60_000);
    job.signal.addEventListener('abort', () => (clearTimeout(t), resolve()));
  });
}
