// Long reads (the whole history check, an export's records, model and files, a backup's copy, a
// restore's check of the backup) behind one interface: in the app they run in a reader thread on
// their own read-only connection (electron/worker/), so the core answers other calls meanwhile; the
// CLI and the in-process test bridge run them here.
import type { AuditTip } from '../../db/history/audit';
import { verifyRecords } from '../../db/history/verify';
import { checkBackupCopy, createBackup, holdsTip, readBackupSummary, type BackupFile, type SummaryRead } from '../../db/backup';
import type { Db } from '../../db/driver';
import { exportBundle, verifyBundle, type BundleStep, type ExportResult, type VerifiedBundle } from '../../db/sync/bundle';
import { openDatabase, rekeyedCopy, type OpenOptions } from '../../db/connect';
import { headTip, writeTipFile } from '../../db/history/anchors';
import { AppError } from '../../shared/errors';
import type { Job } from './jobs';
import { buildAndStageExport, finishExport, stageManifest, type BuildRequest, type ExportFileSteps, type StagedExport } from './report-export';
import type { PdfPrinter } from './report-host';

/** Where an export's files are staged, and the log id that names the staging folder. */
export interface ExportStage {
  folder: string;
  id: string;
}

export type VerifyResult = ReturnType<typeof verifyRecords>;

/** A backup written and checked, with the end of the history it holds. */
export type WrittenBackup = BackupFile & { tip: AuditTip };

/** A backup checked and copied beside the database (`<file>.restoring`), not yet in place. */
export type CheckedBackup = Omit<ReturnType<typeof checkBackupCopy>, 'loss'>;

/** What a long read can be stopped by: a job's signal (none for the automatic backups). */
export type Stoppable = Pick<Job, 'signal' | 'check'>;

/** How a connection of its own opens this database (file, key, driver). */
export type ReaderOpen = Pick<OpenOptions, 'key' | 'nativeBinding' | 'migrationsDir'> & { file: string; key: string | null };

/** A backup to read a summary of, and the key to try. */
export interface SummaryRequest {
  file: string;
  key: string | null;
  nativeBinding?: string;
}

export interface LongReads extends ExportFileSteps {
  /** True when the reads run on another thread (the caller's thread stays free meanwhile). */
  readonly offThread: boolean;
  /** The history check: whole, or only what came after `since`. */
  verify: (since: AuditTip | undefined, job: Job) => Promise<VerifyResult>;
  /** The backup folder's tip file, read and planned on the writing connection, written here (anchors.ts writeTipFile). */
  writeTip: (file: string, text: string, seq: number) => Promise<void>;
  /**
   * The reading part of an export, and the staging of its files (file writes, none in the
   * database) in `stage.folder` under the log id `stage.id`; `onStep` is called at each step.
   */
  buildExport: (req: BuildRequest, stage: ExportStage, pdf: PdfPrinter | null, job: Job, onStep: (step: string) => void) => Promise<StagedExport>;
  /**
   * A backup (VACUUM INTO a hidden name, checked, renamed into `folder`, pruned to `keep`): it
   * writes files only, none in the database, so a read-only connection does it.
   */
  backup: (folder: string, now: Date, keep: number | undefined, job: Stoppable | null) => Promise<WrittenBackup>;
  /** A restore's check of a backup (integrity, history) and its copy beside the database, opened with `key`. */
  checkBackup: (backup: string, key: string | null, job: Stoppable) => Promise<CheckedBackup>;
  /**
   * A sync bundle written from a read-only connection (the local tip signed before, on the
   * connection that writes), under the temporary name `opts.tmpId` gives until it is renamed.
   */
  writeBundle: (opts: BundleRequest, job: Stoppable, onStep: BundleStep) => Promise<ExportResult>;
  /**
   * A sync bundle opened and verified against the database (nothing written): the merge then runs
   * in one write transaction on the connection that writes (db/sync/bundle.ts mergeVerified).
   */
  verifyBundle: (req: { file: string; passphrase: string }, job: Stoppable, onStep: BundleStep) => Promise<VerifiedBundle>;
  /**
   * A passphrase change's copy: the database copied to `tmp` under the `next` passphrase, then
   * opened with it and checked (integrity, history, the same tip). Stopped, the caller removes `tmp`.
   */
  rekeyCopy: (req: RekeyRequest, job: Stoppable, onStep: BundleStep) => Promise<AuditTip>;
  /** What a backup holds (device, counts), read with `key` from the backup file itself; never throws for a wrong key. */
  summary: (req: SummaryRequest, job: Stoppable) => Promise<SummaryRead>;
  /** Stops every running reader (the file is about to be swapped or closed). */
  stopAll: () => Promise<void>;
}

/** A sync bundle to write (the time as ISO text: it crosses a thread). */
export interface BundleRequest {
  folder: string;
  passphrase: string;
  forDevice?: string | undefined;
  now: string;
  tmpId: string;
}

/** A passphrase change's copy to write: where, and under which passphrase. */
export interface RekeyRequest {
  tmp: string;
  next: string;
}

/**
 * Writes the re-keyed copy of the database `db` (opened as `open` says) to `req.tmp` and checks it
 * with the new passphrase: integrity, every record's history, and every entry `db` had before it
 * was copied. `between` runs between the steps (a cancel throws from it). Returns the copy's last entry.
 */
export async function writeRekeyedCopy(db: Db, open: ReaderOpen, req: RekeyRequest, onStep: BundleStep, between: () => Promise<void> | void = () => undefined): Promise<AuditTip> {
  onStep('writing a copy under the new passphrase', 1, 4);
  const before = copyRekeyed(db, open, req);
  await between();
  onStep('checking the copy (integrity, history)', 2, 4);
  const tip = checkRekeyed(open, req, before);
  await between();
  return tip;
}

/** The copy, under the new passphrase; returns the last entry before it was made (VACUUM INTO cannot run inside a transaction). */
export function copyRekeyed(db: Db, open: ReaderOpen, req: RekeyRequest): AuditTip {
  const before = headTip(db);
  rekeyedCopy(db, open.key, req.tmp, req.next);
  return before;
}

/** The copy opened with the new passphrase and checked (integrity, history, holding `before`); its last entry. */
export function checkRekeyed(open: ReaderOpen, req: RekeyRequest, before: AuditTip): AuditTip {
  const copy = openDatabase(req.tmp, { ...keyOf(open), key: req.next, readonly: true, create: false, check: 'full' });
  try {
    const report = verifyRecords(copy);
    if (!report.ok) throw new AppError('DATABASE', `the re-keyed copy does not verify (${report.firstBroken?.problem ?? ''}); the passphrase was not changed`);
    if (!holdsTip(copy, before)) throw new AppError('DATABASE', 'the re-keyed copy does not hold the whole history; the passphrase was not changed');
    return headTip(copy);
  } finally {
    copy.close();
  }
}

/** What a reader does for a backup, on the connection it opened. */
export function writeBackup(db: Db, open: ReaderOpen, folder: string, now: Date, keep: number | undefined): WrittenBackup {
  return createBackup(db, folder, now, keyOf(open), keep);
}

/** What a reader does for a restore's check: the backup opened with `key`, copied beside `open.file`. */
export function checkBackup(open: ReaderOpen, backup: string, key: string | null): CheckedBackup {
  // What the restore would lose is worked out where it is decided (the history may grow meanwhile).
  const { loss: _loss, ...checked } = checkBackupCopy(backup, open.file, { ...keyOf(open), key });
  return checked;
}

function keyOf(open: ReaderOpen): Pick<OpenOptions, 'key' | 'nativeBinding' | 'migrationsDir'> {
  return {
    key: open.key,
    ...(open.nativeBinding ? { nativeBinding: open.nativeBinding } : {}),
    ...(open.migrationsDir ? { migrationsDir: open.migrationsDir } : {}),
  };
}

/** On the caller's own connection and thread; a cancel takes effect between steps. */
export function inThreadReads(db: () => Db, open: () => ReaderOpen): LongReads {
  return {
    offThread: false,
    verify: (since, job) => {
      job.check();
      return Promise.resolve(verifyRecords(db(), since));
    },
    buildExport: async (req, stage, pdf, job, onStep) => {
      job.check();
      return buildAndStageExport(db(), req, stage.folder, stage.id, pdf, (step) => {
        job.check();
        onStep(step);
      });
    },
    stageManifest: (folder, id, name, bytes) => Promise.resolve(stageManifest(folder, id, name, bytes)),
    finishExport: (folder, id) => Promise.resolve(finishExport(folder, id)),
    writeTip: (file, text, seq) => Promise.resolve(writeTipFile(file, text, seq)),
    backup: (folder, now, keep, job) => {
      job?.check();
      return Promise.resolve(writeBackup(db(), open(), folder, now, keep));
    },
    checkBackup: (backup, key, job) => {
      job.check();
      return Promise.resolve(checkBackup(open(), backup, key));
    },
    writeBundle: (opts, job, onStep) => {
      job.check();
      return Promise.resolve(exportBundle(db(), { ...opts, now: new Date(opts.now) }, onStep));
    },
    verifyBundle: async (req, job, onStep) => {
      // A turn of the event loop between the steps: a cancel (Ctrl+C in the CLI) is seen there.
      await turn(job);
      return verifyBundle(db(), req, onStep, () => job.check());
    },
    rekeyCopy: async (req, job, onStep) => {
      await turn(job);
      return writeRekeyedCopy(db(), open(), req, onStep, () => turn(job));
    },
    summary: (req, job) => {
      job.check();
      return Promise.resolve(readBackupSummary(req.file, req.key, req.nativeBinding));
    },
    stopAll: () => Promise.resolve(),
  };
}

/** Lets the event loop run (a signal handler, a jobs:cancel), then throws CANCELLED if it cancelled the job. */
async function turn(job: Stoppable): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  job.check();
}
