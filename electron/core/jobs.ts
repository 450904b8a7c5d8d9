// Running long jobs: each reports progress as events (pushed to the renderer by the transport) and
// may be cancelled while it only reads. Cancelling aborts the job's signal; the part doing the
// reading (a reader thread, see electron/worker/) stops and nothing has been written.
import type { JobEvent } from '../../shared/jobs';
import { AppError } from '../../shared/errors';

export interface Job {
  readonly id: string;
  readonly signal: AbortSignal;
  /** One step further: `done` of `total`. */
  progress: (step: string, done: number, total: number) => void;
  /** From here on the job writes: jobs:cancel answers that it cannot stop now. */
  writing: () => void;
  /** Throws CANCELLED when the job was cancelled; call between steps. */
  check: () => void;
}

interface Running {
  event: JobEvent;
  abort: AbortController;
}

let counter = 0;

export class Jobs {
  private readonly running = new Map<string, Running>();
  /** The last event of jobs that ended, for a while, for callers that poll (reports:progress). */
  private readonly ended = new Map<string, JobEvent>();
  private readonly listeners = new Set<(e: JobEvent) => void>();

  /** Subscribes to every job event; returns the unsubscribe. */
  subscribe(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `work` as a job; its events start with 'running' and end with done, failed or cancelled. */
  async run<T>(channel: string, jobId: string | undefined, work: (job: Job) => Promise<T> | T): Promise<T> {
    const id = jobId || `${channel}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
    if (this.running.has(id)) throw new AppError('CONFLICT', `a job with id ${id} is running already`, [{ path: ['jobId'], message: 'in use' }]);
    const abort = new AbortController();
    const r: Running = { abort, event: { jobId: id, channel, step: 'starting', done: 0, total: 1, state: 'running', cancellable: true } };
    this.running.set(id, r);
    this.ended.delete(id);
    const emit = (change: Partial<JobEvent>) => {
      r.event = { ...r.event, ...change };
      for (const l of this.listeners) l(r.event);
    };
    const job: Job = {
      id,
      signal: abort.signal,
      progress: (step, done, total) => emit({ step, done, total }),
      writing: () => emit({ cancellable: false }),
      check: () => {
        if (abort.signal.aborted) throw cancelled();
      },
    };
    emit({});
    try {
      const out = await work(job);
      emit({ state: 'done', step: 'done', done: r.event.total, cancellable: false });
      return out;
    } catch (e) {
      const wasCancelled = e instanceof AppError && e.code === 'CANCELLED';
      emit({ state: wasCancelled ? 'cancelled' : 'failed', cancellable: false });
      throw e;
    } finally {
      this.running.delete(id);
      this.ended.set(id, r.event);
      // Kept a minute for callers that poll, then forgotten.
      setTimeout(() => this.ended.get(id) === r.event && this.ended.delete(id), 60_000).unref?.();
    }
  }

  /**
   * Runs synchronous work as a job (a write channel's, inside dispatch's transaction): its progress
   * events are pushed while it runs (Jobs.run calls the work before its first await) and it is
   * never cancellable: nothing else runs on this thread meanwhile, and it writes.
   */
  runSync<T>(channel: string, jobId: string | undefined, work: (job: Job) => T): T {
    let out: { value: T } | { error: unknown } | null = null;
    this.run(channel, jobId, (job) => {
      job.writing();
      try {
        const value = work(job);
        out = { value };
        return value;
      } catch (error) {
        out = { error };
        throw error;
      }
    }).catch((e: unknown) => {
      out ??= { error: e };
    });
    const o = out as { value: T } | { error: unknown } | null;
    if (!o) throw new AppError('CONFLICT', `jobId: a job with id ${jobId} is running already`, [{ path: ['jobId'], message: 'in use' }]);
    if ('error' in o) throw o.error;
    return o.value;
  }

  cancel(jobId: string): { cancelled: boolean; reason: string | null } {
    const r = this.running.get(jobId);
    if (!r) return { cancelled: false, reason: `no running job with id ${jobId}` };
    if (!r.event.cancellable) return { cancelled: false, reason: `${r.event.channel} is writing now and will finish` };
    r.abort.abort();
    return { cancelled: true, reason: null };
  }

  /** The latest event of a running or recently ended job. */
  get(jobId: string): JobEvent | undefined {
    return this.running.get(jobId)?.event ?? this.ended.get(jobId);
  }

  /** The ids of the jobs running now. */
  runningIds(): string[] {
    return [...this.running.keys()];
  }

  /** Cancels every job that can be (closing the database, restoring over it). */
  cancelAll(): void {
    for (const id of this.running.keys()) this.cancel(id);
  }
}

export function cancelled(): AppError {
  return new AppError('CANCELLED', 'cancelled: nothing was written');
}
