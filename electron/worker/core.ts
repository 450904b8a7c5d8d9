// The core thread: the session (vault, dispatch, the database connection) lives here. Main sends
// (channel, raw) and gets the result back; printing a PDF and choosing a folder are asked of main,
// which owns the windows and dialogs; job progress events are pushed to main as they happen.
import { parentPort, workerData } from 'node:worker_threads';
import { autoBackup, createSession } from '../core/session';
import { setReportHost } from '../core/report-host';
import type { DialogPurpose } from '../../shared/contract/dialogs';
import type { ExhibitPdfOptions } from '../../shared/report/pdf-options';
import { Asker, errorShape, type FromCore, type ToCore, type WorkerScript } from './messages';
import { threadReads } from './thread-reads';

export interface CoreData {
  role: 'core';
  script: WorkerScript;
  file: string;
  user: string | null;
  check: 'full' | 'quick' | 'none';
  nativeBinding?: string;
  /** What main can do for exports: print HTML to PDF, ask the user for a folder. */
  canPrint: boolean;
  canChooseFolder: boolean;
  canChooseFile?: boolean;
  /** Whether main answers the other open dialogs (a sync bundle's folder or file). */
  canChoose: boolean;
}

export function runCore(): void {
  const port = parentPort!;
  const d = workerData as CoreData;
  const post = (m: FromCore) => port.postMessage(m);
  const asker = new Asker(post);
  let session: ReturnType<typeof createSession>;
  try {
    session = start(d, post, asker);
  } catch (e) {
    // Main shows a start-up failure and ends the app (a driver built for another runtime, a newer
    // database, a failed integrity check, a file it cannot open).
    post({ t: 'failed', error: errorShape(e) });
    return;
  }
  // Time-based backups also happen while nobody is calling anything.
  const timer = setInterval(() => void autoBackup(session), 60_000);
  timer.unref();

  port.on('message', (m: ToCore) => {
    if (m.t === 'call') void session.dispatch(m.channel, m.raw).then((result) => post({ t: 'result', id: m.id, result }));
    else if (m.t === 'reply') asker.settle(m);
    else if (m.t === 'close') {
      clearInterval(timer);
      void session.stop().finally(() => {
        session.close();
        post({ t: 'closed' });
        port.close();
      });
    }
  });
  try {
    // An unencrypted database needs no passphrase: open it now (after the listener, so calls queue).
    session.vault.openIfPlain();
    post({ t: 'ready' });
  } catch (e) {
    post({ t: 'failed', error: errorShape(e) });
  }
}

function start(d: CoreData, post: (m: FromCore) => void, asker: Asker) {
  const session = createSession(d.file, {
    check: d.check,
    user: d.user,
    ...(d.nativeBinding ? { nativeBinding: d.nativeBinding } : {}),
    reads: (vault) => threadReads(vault, d.script),
  });
  setReportHost(session.ctx, {
    pdf: () =>
      Promise.resolve(
        d.canPrint
          ? { print: async (html: string, options: ExhibitPdfOptions) => (await asker.ask('print', { html, options })) as Uint8Array }
          : { unavailable: 'this app has no PDF printer' },
      ),
    ...(d.canChooseFolder ? { chooseFolder: async () => (await asker.ask('choose-folder')) as string | null } : {}),
    ...(d.canChooseFile ? { chooseFile: async () => (await asker.ask('choose-file')) as string | null } : {}),
    ...(d.canChoose ? { choose: async (purpose: DialogPurpose) => (await asker.ask('choose', purpose)) as string | null } : {}),
  });
  session.ctx.jobs.subscribe((event) => post({ t: 'event', event }));
  return session;
}
