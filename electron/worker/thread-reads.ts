// Long reads in a reader thread (electron/worker/reader.ts): the core thread only waits for the
// answer, so it keeps answering calls. One reader is kept warm between jobs (starting a thread
// loads the whole core, a burst of CPU a 2-core laptop feels); a cancel terminates it at once.
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { cancelled } from '../core/jobs';
import type { CheckedBackup, LongReads, Stoppable, VerifyResult, WrittenBackup } from '../core/long-reads';
import type { ExportResult, VerifiedBundle } from '../../db/sync/bundle';
import type { AuditTip } from '../../db/history/audit';
import type { SummaryRead } from '../../db/backup';
import type { StagedExport } from '../core/report-export';
import type { PdfPrinter } from '../core/report-host';
import type { Vault } from '../core/vault';
import { answer, fromShape, startThread, type FromReader, type WorkerScript } from './messages';
import type { ReaderJob, ToReader } from './reader';

export function threadReads(vault: Vault, script: WorkerScript): LongReads {
  const busy = new Set<Worker>();
  let idle: Worker | undefined;
  const forgetIdle = () => {
    idle = undefined;
  };

  const take = (): Worker => {
    // A reader's error is answered by the job it runs; an idle one's is only noted by its exit.
    const w = idle ?? startThread(script, { role: 'reader' }).on('error', () => undefined);
    idle = undefined;
    w.off('exit', forgetIdle);
    w.ref();
    return w;
  };
  const giveBack = (w: Worker) => {
    if (idle) return void w.terminate();
    // A warm reader waiting for work never keeps the core from ending.
    w.unref();
    w.once('exit', forgetIdle);
    idle = w;
  };

  function read<T>(work: ReaderJob, job: Stoppable | null, onStep: (step: string, done?: number, total?: number) => void, pdf: PdfPrinter | null): Promise<T> {
    job?.check();
    const open = vault.readerOpen();
    const w = take();
    busy.add(w);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (settle: () => void, keep: boolean) => {
        if (settled) return;
        settled = true;
        busy.delete(w);
        job?.signal.removeEventListener('abort', onAbort);
        w.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (keep) {
          settle();
          giveBack(w);
        } else {
          // Settled once the thread has stopped: what it was writing (a temporary file) can then
          // be removed by the caller without the thread writing it again.
          void w.terminate().finally(settle);
        }
      };
      const onAbort = () => finish(() => reject(cancelled()), false);
      const onMessage = (m: FromReader) => {
        if (m.t === 'step') onStep(m.step, m.done, m.total);
        else if (m.t === 'ask') void answer(m, { print: pdf ? (a) => printWith(pdf, a) : undefined }, (r) => w.postMessage(r));
        else if (m.t === 'done') finish(() => resolve(m.value as T), true);
        else if (m.t === 'error') finish(() => reject(fromShape(m.error)), true);
      };
      const onError = (e: Error) => finish(() => reject(e), false);
      const onExit = (code: number) => finish(() => reject(new AppError('INTERNAL', `the reader thread stopped (exit code ${code}) before answering`)), false);
      job?.signal.addEventListener('abort', onAbort);
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      w.postMessage({ t: 'job', open, job: work } satisfies ToReader);
    });
  }

  return {
    offThread: true,
    verify: (since, job) => read<VerifyResult>({ kind: 'verify', since }, job, () => undefined, null),
    buildExport: (req, stage, pdf, job, onStep) => read<StagedExport>({ kind: 'export', req, stage, pdf: pdf !== null }, job, onStep, pdf),
    // File steps at an export's end: no connection opened for them, nothing to stop halfway.
    stageManifest: (folder, id, name, bytes) => read<void>({ kind: 'export-manifest', folder, id, name, bytes }, null, () => undefined, null),
    finishExport: (folder, id) => read<void>({ kind: 'export-finish', folder, id }, null, () => undefined, null),
    writeTip: (file, text, seq) => read<void>({ kind: 'tip-write', file, text, seq }, null, () => undefined, null),
    backup: (folder, now, keep, job) => read<WrittenBackup>({ kind: 'backup', folder, now: now.toISOString(), keep }, job, () => undefined, null),
    checkBackup: (backup, key, job) => read<CheckedBackup>({ kind: 'check-backup', backup, key }, job, () => undefined, null),
    writeBundle: (opts, job, onStep) => read<ExportResult>({ kind: 'bundle', opts }, job, (step, done, total) => onStep(step, done ?? 0, total ?? 1), null),
    summary: (req, job) => read<SummaryRead>({ kind: 'summary', req }, job, () => undefined, null),
    verifyBundle: (req, job, onStep) => read<VerifiedBundle>({ kind: 'verify-bundle', req }, job, (step, done, total) => onStep(step, done ?? 0, total ?? 1), null),
    rekeyCopy: (req, job, onStep) => read<AuditTip>({ kind: 'rekey', req }, job, (step, done, total) => onStep(step, done ?? 0, total ?? 1), null),
    stopAll: async () => {
      const all = [...busy, ...(idle ? [idle] : [])];
      idle = undefined;
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

function printWith(pdf: PdfPrinter, args: unknown): Promise<Uint8Array> {
  const { html, options } = args as { html: string; options: Parameters<PdfPrinter['print']>[1] };
  return pdf.print(html, options);
}
