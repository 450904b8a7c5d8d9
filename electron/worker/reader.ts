// A reader thread: one long read on its own read-only connection, then it ends. The core starts
// one per job and terminates it to cancel; having written nothing, it leaves nothing behind.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/connect';
import { verifyRecords } from '../../db/history/verify';
import type { AuditTip } from '../../db/history/audit';
import { buildExport, type BuildRequest } from '../core/report-export';
import type { ExhibitPdfOptions } from '../../shared/report/pdf-options';
import { Asker, errorShape, type FromReader, type Reply } from './messages';

export type ReaderJob = { kind: 'verify'; since: AuditTip | undefined } | { kind: 'export'; req: BuildRequest; pdf: boolean };

export interface ReaderData {
  role: 'reader';
  open: { file: string; key: string | null; nativeBinding?: string };
  job: ReaderJob;
}

export async function runReader(): Promise<void> {
  const port = parentPort!;
  const { open, job } = workerData as ReaderData;
  const post = (m: FromReader, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const asker = new Asker(post);
  port.on('message', (m: Reply) => asker.settle(m));
  try {
    const db = openDatabase(open.file, {
      readonly: true,
      create: false,
      check: 'none',
      key: open.key,
      ...(open.nativeBinding ? { nativeBinding: open.nativeBinding } : {}),
    });
    try {
      if (job.kind === 'verify') {
        post({ t: 'done', value: verifyRecords(db, job.since) });
      } else {
        const printer = job.pdf ? { print: async (html: string, options: ExhibitPdfOptions) => (await asker.ask('print', { html, options })) as Uint8Array } : null;
        const built = await buildExport(db, job.req, printer, (step) => post({ t: 'step', step }));
        // The file bytes move to the core rather than being copied.
        const buffers = built.files.map((f) => f.bytes.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
        post({ t: 'done', value: built }, [...new Set(buffers)]);
      }
    } finally {
      db.close();
    }
  } catch (e) {
    post({ t: 'error', error: errorShape(e) });
  }
  port.close();
}
