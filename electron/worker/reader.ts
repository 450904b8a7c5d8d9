// A reader thread: long reads, one at a time, each on its own read-only connection opened for the
// job and closed after it. The core keeps one reader warm between jobs and terminates it to cancel
// one; having written nothing, it leaves nothing behind.
import { parentPort } from 'node:worker_threads';
import { openDatabase } from '../../db/connect';
import { verifyRecords } from '../../db/history/verify';
import type { AuditTip } from '../../db/history/audit';
import { buildAndStageExport, finishExport, stageManifest, type BuildRequest } from '../core/report-export';
import { checkBackup, writeBackup, writeRekeyedCopy, type BundleRequest, type ExportStage, type ReaderOpen, type RekeyRequest, type SummaryRequest } from '../core/long-reads';
import { readBackupSummary } from '../../db/backup';
import { writeTipFile } from '../../db/history/anchors';
import { exportBundle, verifyBundle } from '../../db/sync/bundle';
import type { ExhibitPdfOptions } from '../../shared/report/pdf-options';
import { Asker, errorShape, type FromReader, type Reply } from './messages';

export type ReaderJob =
  | { kind: 'verify'; since: AuditTip | undefined }
  | { kind: 'export'; req: BuildRequest; stage: ExportStage; pdf: boolean }
  | { kind: 'backup'; folder: string; now: string; keep: number | undefined }
  | { kind: 'check-backup'; backup: string; key: string | null }
  | { kind: 'bundle'; opts: BundleRequest }
  | { kind: 'summary'; req: SummaryRequest }
  | { kind: 'verify-bundle'; req: { file: string; passphrase: string } }
  | { kind: 'rekey'; req: RekeyRequest }
  | { kind: 'export-manifest'; folder: string; id: string; name: string; bytes: Uint8Array }
  | { kind: 'export-finish'; folder: string; id: string }
  | { kind: 'tip-write'; file: string; text: string; seq: number };

export type ToReader = { t: 'job'; open: ReaderOpen; job: ReaderJob } | Reply;

export function runReader(): void {
  const port = parentPort!;
  const post = (m: FromReader, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const asker = new Asker(post);
  port.on('message', (m: ToReader) => {
    if (m.t === 'reply') asker.settle(m);
    else void read(m.open, m.job, asker, post);
  });
}

async function read(open: ReaderOpen, job: ReaderJob, asker: Asker, post: (m: FromReader, transfer?: ArrayBuffer[]) => void): Promise<void> {
  // A backup's summary opens the backup alone, not the database.
  if (job.kind === 'summary') {
    post({ t: 'done', value: readBackupSummary(job.req.file, job.req.key, job.req.nativeBinding) });
    return;
  }
  try {
    // An export's last file steps touch its folder only.
    if (job.kind === 'export-manifest') return post({ t: 'done', value: stageManifest(job.folder, job.id, job.name, job.bytes) });
    if (job.kind === 'export-finish') return post({ t: 'done', value: finishExport(job.folder, job.id) });
    // The backup folder's tip file, planned on the core's connection: the file alone.
    if (job.kind === 'tip-write') return post({ t: 'done', value: writeTipFile(job.file, job.text, job.seq) });
    // A restore's check opens the backup (and its copy), not the database.
    if (job.kind === 'check-backup') return post({ t: 'done', value: checkBackup(open, job.backup, job.key) });
    const db = openDatabase(open.file, {
      readonly: true,
      create: false,
      check: 'none',
      key: open.key,
      ...(open.nativeBinding ? { nativeBinding: open.nativeBinding } : {}),
      ...(open.migrationsDir ? { migrationsDir: open.migrationsDir } : {}),
    });
    try {
      if (job.kind === 'verify') {
        post({ t: 'done', value: verifyRecords(db, job.since) });
      } else if (job.kind === 'bundle') {
        // The local tip was signed on the writing connection; this one only reads it.
        // One read transaction: the rows, holdings and tips of one moment.
        const write = db.transaction(() => exportBundle(db, { ...job.opts, now: new Date(job.opts.now) }, (step, done, total) => post({ t: 'step', step, done, total })));
        post({ t: 'done', value: write() });
      } else if (job.kind === 'verify-bundle') {
        // Nothing is written: the merge runs on the core's connection, which checks that what was
        // verified here still holds. One read transaction: the holdings of one moment.
        const verify = db.transaction(() => verifyBundle(db, job.req, (step, done, total) => post({ t: 'step', step, done, total })));
        post({ t: 'done', value: verify() });
      } else if (job.kind === 'rekey') {
        post({ t: 'done', value: await writeRekeyedCopy(db, open, job.req, (step, done, total) => post({ t: 'step', step, done, total })) });
      } else if (job.kind === 'backup') {
        // VACUUM INTO reads a consistent snapshot through this read-only connection; the copy is
        // checked and renamed into place here, so the core only records its tip.
        post({ t: 'done', value: writeBackup(db, open, job.folder, new Date(job.now), job.keep) });
      } else {
        const printer = job.pdf ? { print: async (html: string, options: ExhibitPdfOptions) => (await asker.ask('print', { html, options })) as Uint8Array } : null;
        // The files are written, fsynced and hashed here as they are rendered: the core only logs
        // the export and moves them into place, so it never waits on the disk for them.
        post({ t: 'done', value: await buildAndStageExport(db, job.req, job.stage.folder, job.stage.id, printer, (step) => post({ t: 'step', step })) });
      }
    } finally {
      db.close();
    }
  } catch (e) {
    post({ t: 'error', error: errorShape(e) });
  }
}
