// Long reads in reader threads (electron/worker/reader.ts): the core thread only waits for their
// answer, so it keeps answering calls, and a cancel terminates the reader at once.
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { cancelled, type Job } from '../core/jobs';
import type { LongReads, VerifyResult } from '../core/long-reads';
import type { BuiltExport } from '../core/report-export';
import type { PdfPrinter } from '../core/report-host';
import type { Vault } from '../core/vault';
import { answer, fromShape, startThread, type FromReader, type WorkerScript } from './messages';
import type { ReaderData, ReaderJob } from './reader';

export function threadReads(vault: Vault, script: WorkerScript): LongReads {
  const live = new Set<Worker>();

  function read<T>(work: ReaderJob, job: Job, onStep: (step: string) => void, pdf: PdfPrinter | null): Promise<T> {
    job.check();
    const data: ReaderData = { role: 'reader', open: vault.readerOpen(), job: work };
    const w = startThread(script, data as unknown as Record<string, unknown>);
    live.add(w);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        live.delete(w);
        job.signal.removeEventListener('abort', onAbort);
        settle();
        void w.terminate();
      };
      const onAbort = () => finish(() => reject(cancelled()));
      job.signal.addEventListener('abort', onAbort);
      w.on('message', (m: FromReader) => {
        if (m.t === 'step') onStep(m.step);
        else if (m.t === 'ask') void answer(m, { print: pdf ? (a) => printWith(pdf, a) : undefined }, (r) => w.postMessage(r));
        else if (m.t === 'done') finish(() => resolve(m.value as T));
        else if (m.t === 'error') finish(() => reject(fromShape(m.error)));
      });
      w.on('error', (e) => finish(() => reject(e)));
      w.on('exit', (code) => finish(() => reject(new AppError('INTERNAL', `the reader thread stopped (exit code ${code}) before answering`))));
    });
  }

  return {
    verify: (since, job) => read<VerifyResult>({ kind: 'verify', since }, job, () => undefined, null),
    buildExport: (req, pdf, job, onStep) => read<BuiltExport>({ kind: 'export', req, pdf: pdf !== null }, job, onStep, pdf),
    stopAll: async () => {
      await Promise.all([...live].map((w) => w.terminate()));
    },
  };
}

function printWith(pdf: PdfPrinter, args: unknown): Promise<Uint8Array> {
  const { html, options } = args as { html: string; options: Parameters<PdfPrinter['print']>[1] };
  return pdf.print(html, options);
}
