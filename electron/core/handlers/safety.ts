import { verifyRecords } from '../../../db/history/verify';
import type { HandlersFor } from './types';

// The vault, the audit check and backups all go through the vault, which owns the connection.
// The long ones run as jobs (progress events); only the whole history check only reads, and it
// alone can be cancelled.
export const vaultHandlers: HandlersFor<'vault:'> = {
  'vault:status': (_input, ctx) => ctx.vault.status(),
  'vault:setup': (input, ctx) => ctx.vault.setup('passphrase' in input ? input.passphrase : null),
  'vault:unlock': ({ passphrase }, ctx) => ctx.vault.unlock(passphrase),
  'vault:rekey': ({ current, next, jobId }, ctx) =>
    // On this thread from start to end: the copy must hold every write, so nothing is answered
    // in between. Its steps are pushed as they start; it cannot be cancelled.
    ctx.jobs.run('vault:rekey', jobId, (job) => {
      job.writing();
      return ctx.vault.rekey(current, next, (step, done, total) => job.progress(step, done, total));
    }),
};

export const auditHandlers: HandlersFor<'audit:'> = {
  'audit:verify': ({ full, against, jobId }, ctx) =>
    ctx.vault.verifyWith({ full, ...(against ? { against } : {}) }, (since) =>
      // What came after the last intact check is quick; the whole history is a long read.
      since
        ? Promise.resolve(verifyRecords(ctx.db, since))
        : ctx.jobs.run('audit:verify', jobId, (job) => {
            job.progress('reading the whole history', 0, 1);
            return ctx.reads.verify(undefined, job);
          }),
    ),
};

export const backupHandlers: HandlersFor<'backup:'> = {
  'backup:create': ({ folder, jobId }, ctx) =>
    ctx.jobs.run('backup:create', jobId, (job) => {
      // Written where the long reads run (VACUUM INTO on a read-only connection): calls are
      // answered meanwhile. Not cancellable: a copy stopped halfway would be left beside the others.
      job.writing();
      job.progress('copying the database', 0, 1);
      return ctx.vault.backupWith(folder, (f, now, keep) => ctx.reads.backup(f, now, keep, job));
    }),
  'backup:list': (_input, ctx) => ctx.vault.listBackups(),
  'backup:restore': ({ file, passphrase, acceptLoss, jobId }, ctx) =>
    ctx.jobs.run('backup:restore', jobId, (job) => {
      // The backup is checked (integrity, history) and copied where the long reads run: calls are
      // answered meanwhile, and a cancel stops it (only the copy beside the database was written).
      job.progress('checking the backup', 0, 3);
      return ctx.vault.restoreWith(file, passphrase, acceptLoss ?? false, ctx.user, async (from, key) => {
        const checked = await ctx.reads.checkBackup(from, key, job);
        job.check();
        job.writing();
        // Readers of the file about to be replaced stop first.
        job.progress('stopping other jobs', 1, 3);
        ctx.jobs.cancelAll();
        await ctx.vault.backupsSettled();
        await ctx.reads.stopAll();
        job.progress('putting the backup in place', 2, 3);
        return checked;
      });
    }),
  'backup:settings': (_input, ctx) => ctx.vault.backupSettings(),
  'backup:configure': (input, ctx) => {
    const change = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    return ctx.vault.configureBackups(change, ctx.user);
  },
};
