import { verifyRecords } from '../../../db/history/verify';
import type { HandlersFor } from './types';

// The vault, the audit check and backups all go through the vault, which owns the connection.
// The long ones run as jobs (progress events); the whole history check, a passphrase change (until
// its rename) and a restore (until its swap) can be cancelled.
export const vaultHandlers: HandlersFor<'vault:'> = {
  'vault:status': (_input, ctx) => ctx.vault.status(),
  'vault:setup': (input, ctx) => ctx.vault.setup('passphrase' in input ? input.passphrase : null),
  'vault:unlock': ({ passphrase }, ctx) => ctx.vault.unlock(passphrase),
  // Long reads (reader threads hold the passphrase for their job) stop before the connection closes.
  'vault:lock': async (_input, ctx) => {
    if (!ctx.vault.isOpen) return ctx.vault.status();
    if (ctx.vault.encrypted === false) return ctx.vault.lock(); // refused: CONFLICT, nothing stopped
    ctx.jobs.cancelAll();
    // A backup being written by a reader thread finishes first (it is whole or not there).
    await ctx.vault.backupsSettled();
    await ctx.reads.stopAll();
    return ctx.vault.lock();
  },
  'vault:rekey': ({ current, next, jobId }, ctx) =>
    // The backup and the re-keyed copy are written where the long reads run: calls are answered
    // meanwhile, and a cancel before the rename removes the copy (the vault checks that the copy
    // still holds every write before renaming it into place).
    ctx.jobs.run('vault:rekey', jobId, (job) => {
      const onStep = (step: string, done: number, total: number) => job.progress(step, done, total);
      return ctx.vault.rekey(current, next, {
        job,
        onStep,
        copy: (req) => ctx.reads.rekeyCopy(req, job, onStep),
        ...(ctx.reads.offThread ? { backup: () => ctx.vault.backupWith(undefined, (folder, now, keep) => ctx.reads.backup(folder, now, keep, null)) } : {}),
      });
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
  // Reading a backup derives its key (slow on purpose): a long read, off the core's thread in the app.
  'backup:describe': ({ file, passphrase, withCurrent }, ctx) =>
    ctx.vault.describeBackup(file, passphrase, withCurrent ?? false, (req) => ctx.jobs.run('backup:describe', undefined, (job) => ctx.reads.summary(req, job))),
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
