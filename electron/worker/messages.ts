// What the main thread, the core worker and its reader threads say to each other. Every message is
// structured-cloned; results stay the contract's `{ ok, data | error }` values.
import { Worker } from 'node:worker_threads';
import type { Result } from '../../shared/contract';
import type { JobEvent } from '../../shared/jobs';
import { AppError } from '../../shared/errors';

/**
 * How to start a thread running electron/worker/entry.ts: the app gives its bundle
 * (dist-electron/core-worker.cjs); tests and the bench give ts-boot.mjs, which loads the
 * TypeScript entry through tsx. Readers are started the same way as the core.
 */
export interface WorkerScript {
  /** Absolute path of the script the Worker runs. */
  path: string;
  /** For ts-boot.mjs: the file URL of the TypeScript entry. */
  entry?: string;
}

export function startThread(script: WorkerScript, data: Record<string, unknown>): Worker {
  return new Worker(script.path, { workerData: { ...data, script, entry: script.entry } });
}

/** A question one side asks the other (print this HTML, choose a folder) and its answer. */
export type Ask = { t: 'ask'; id: number; op: string; args: unknown };
export type Reply = { t: 'reply'; id: number; ok: true; value: unknown } | { t: 'reply'; id: number; ok: false; message: string };

export type ToCore = { t: 'call'; id: number; channel: unknown; raw: unknown } | Reply | { t: 'close' };
export type FromCore =
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; event: JobEvent }
  | Ask
  | { t: 'closed' }
  /** The core has opened what it opens at start (an unencrypted database), or failed to. */
  | { t: 'ready' }
  | { t: 'failed'; error: ErrorShape };

/** An error as it crosses a thread: AppError keeps its code and issues, SQLite errors their code. */
export interface ErrorShape {
  name: string;
  message: string;
  code?: string;
  issues?: AppError['issues'];
}

export type FromReader = { t: 'step'; step: string; done?: number; total?: number } | Ask | { t: 'done'; value: unknown } | { t: 'error'; error: ErrorShape };

export function errorShape(e: unknown): ErrorShape {
  if (e instanceof AppError) return { name: e.name, message: e.message, code: e.code, issues: e.issues };
  const err = e as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof err?.name === 'string' ? err.name : 'Error',
    message: typeof err?.message === 'string' ? err.message : String(e),
    ...(typeof err?.code === 'string' ? { code: err.code } : {}),
  };
}

export function fromShape(s: ErrorShape): Error {
  if (s.name === 'AppError' && s.code) return new AppError(s.code as AppError['code'], s.message, s.issues ?? []);
  return Object.assign(new Error(s.message), { name: s.name, ...(s.code ? { code: s.code } : {}) });
}

/** The asking side: numbered questions, each settled by its reply. */
export class Asker {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly post: (m: Ask) => void) {}

  ask(op: string, args: unknown = null): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ t: 'ask', id, op, args });
    });
  }

  settle(r: Reply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.ok) p.resolve(r.value);
    else p.reject(new Error(r.message));
  }
}

/** The answering side: runs the named operation and replies, with the error's message on failure. */
export async function answer(m: Ask, ops: Record<string, ((args: unknown) => Promise<unknown>) | undefined>, post: (r: Reply) => void): Promise<void> {
  const op = ops[m.op];
  try {
    if (!op) throw new Error(`${m.op} is not available here`);
    post({ t: 'reply', id: m.id, ok: true, value: await op(m.args) });
  } catch (e) {
    post({ t: 'reply', id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
}
