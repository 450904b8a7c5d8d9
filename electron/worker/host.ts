// Main's side of the core worker, plain Node so the tests and the bench run exactly what the app
// runs: start the worker, forward (channel, raw), hand job events on, answer its questions.
import type { Worker } from 'node:worker_threads';
import type { Result } from '../../shared/contract';
import type { JobEvent } from '../../shared/jobs';
import { DIALOG_PURPOSES, type DialogPurpose } from '../../shared/contract/dialogs';
import type { ExhibitPdfOptions } from '../../shared/report/pdf-options';
import type { CoreData } from './core';
import { answer, fromShape, startThread, type FromCore, type ToCore, type WorkerScript } from './messages';

export interface CoreOptions {
  script: WorkerScript;
  file: string;
  user?: string | null;
  check?: 'full' | 'quick' | 'none';
  nativeBinding?: string;
  onEvent?: (event: JobEvent) => void;
  print?: (html: string, options: ExhibitPdfOptions) => Promise<Uint8Array>;
  chooseFolder?: () => Promise<string | null>;
  chooseFile?: () => Promise<string | null>;
  /** The OS dialog for a sync bundle's folder or file (null when cancelled). */
  choose?: (purpose: DialogPurpose) => Promise<string | null>;
  /** The worker ended on its own (a crash): every later call answers INTERNAL. */
  onExit?: (code: number) => void;
}

export interface CoreHost {
  call: (channel: unknown, raw: unknown) => Promise<Result<unknown>>;
  /**
   * Settles once the core has started: opened an unencrypted database (an encrypted one waits
   * locked for its passphrase), or failed to, with the error as thrown in the core (its name kept).
   */
  ready: Promise<void>;
  /** Stops long reads, closes the database (with the on-close backup) and ends the worker. */
  close: () => Promise<void>;
  readonly worker: Worker;
}

function stopped(message: string): Result<never> {
  return { ok: false, error: { code: 'INTERNAL', message, issues: [] } };
}

export function startCore(o: CoreOptions): CoreHost {
  const data: CoreData = {
    role: 'core',
    script: o.script,
    file: o.file,
    user: o.user ?? null,
    check: o.check ?? 'quick',
    ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}),
    canPrint: !!o.print,
    canChooseFolder: !!o.chooseFolder,
    canChooseFile: !!o.chooseFile,
    canChoose: !!o.choose,
  };
  const worker = startThread(o.script, data as unknown as Record<string, unknown>);
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let next = 1;
  let ended: string | null = null;
  let closing: Promise<void> | null = null;
  let onClosed: (() => void) | null = null;
  const post = (m: ToCore) => worker.postMessage(m);
  let started: { resolve: () => void; reject: (e: Error) => void } | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    started = { resolve, reject };
  });
  // Nobody need wait for it (tests, the bench): a failed start also ends every call.
  ready.catch(() => undefined);
  const settleStart = (e?: Error) => {
    const s = started;
    started = null;
    if (s && e) s.reject(e);
    else s?.resolve();
  };

  worker.on('message', (m: FromCore) => {
    if (m.t === 'result') {
      pending.get(m.id)?.(m.result);
      pending.delete(m.id);
    } else if (m.t === 'event') o.onEvent?.(m.event);
    else if (m.t === 'ask') void answer(m, { print: o.print ? (a) => printWith(o, a) : undefined, 'choose-folder': o.chooseFolder, 'choose-file': o.chooseFile, choose: o.choose ? (a) => chooseWith(o, a) : undefined }, post);
    else if (m.t === 'closed') onClosed?.();
    else if (m.t === 'ready') settleStart();
    else if (m.t === 'failed') {
      const e = fromShape(m.error);
      settleStart(e);
      end(`the core could not start: ${e.message}`);
      void worker.terminate();
    }
  });
  const end = (why: string) => {
    ended ??= why;
    settleStart(new Error(why));
    for (const resolve of pending.values()) resolve(stopped(why));
    pending.clear();
    onClosed?.();
  };
  worker.on('error', (e) => {
    // Thrown as the core loaded (a driver built for another runtime): the start fails with it.
    settleStart(e);
    end(`the core stopped: ${e.message}`);
  });
  worker.on('exit', (code) => {
    end(`the core stopped (exit code ${code})`);
    if (!closing) o.onExit?.(code);
  });

  return {
    worker,
    ready,
    call(channel, raw) {
      if (ended || closing) return Promise.resolve(stopped(ended ?? 'the app is closing'));
      const id = next++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        try {
          post({ t: 'call', id, channel, raw });
        } catch (e) {
          // An input that cannot be cloned (a function, a symbol) never reaches the core.
          pending.delete(id);
          resolve({ ok: false, error: { code: 'INVALID_INPUT', message: `input: ${(e as Error).message}`, issues: [] } });
        }
      });
    },
    close() {
      closing ??= ended
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            onClosed = resolve;
            post({ t: 'close' });
          }).then(() => worker.terminate().then(() => undefined));
      return closing;
    },
  };
}

/** Only a purpose the contract names reaches main's dialog. */
function chooseWith(o: CoreOptions, args: unknown): Promise<string | null> {
  if (!(DIALOG_PURPOSES as readonly unknown[]).includes(args)) return Promise.reject(new Error(`no dialog for ${String(args)}`));
  return o.choose!(args as DialogPurpose);
}

function printWith(o: CoreOptions, args: unknown): Promise<Uint8Array> {
  const { html, options } = args as { html: string; options: ExhibitPdfOptions };
  return o.print!(html, options);
}
