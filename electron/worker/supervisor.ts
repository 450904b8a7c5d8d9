// Keeps a core worker running: when it dies (a crash in the driver, an out-of-memory, a bug that
// ends the thread), a new one is started on the same file and options, and `onRestart` tells the
// shell, which tells the window to ask for the passphrase again (a new core starts locked). Calls
// that were waiting on the dead core answer INTERNAL; later calls go to the new one. Plain Node, so
// the tests run exactly what the app's main process runs.
import type { Result } from '../../shared/contract';
import { startCore, type CoreHost, type CoreOptions } from './host';

export interface RestartInfo {
  /** The dead worker's exit code. */
  code: number;
  /** Restarts so far, this one included. */
  restarts: number;
}

export interface SupervisorOptions extends Omit<CoreOptions, 'onExit'> {
  onRestart?: (info: RestartInfo) => void;
  /** The core died too often: `maxRestarts` within `windowMs`; nothing more is started. */
  onGiveUp?: (info: RestartInfo) => void;
  maxRestarts?: number;
  windowMs?: number;
  /** How the core is started (the host's startCore; a test may wrap it). */
  start?: (o: CoreOptions) => CoreHost;
}

export interface SupervisedCore {
  call: (channel: unknown, raw: unknown) => Promise<Result<unknown>>;
  /** The first core's start (later starts are reported through onRestart). */
  ready: Promise<void>;
  close: () => Promise<void>;
  /** The core running now. */
  readonly current: CoreHost;
  readonly restarts: number;
}

export function superviseCore(o: SupervisorOptions): SupervisedCore {
  const start = o.start ?? startCore;
  const maxRestarts = o.maxRestarts ?? 5;
  const windowMs = o.windowMs ?? 60_000;
  const deaths: number[] = [];
  let restarts = 0;
  let closed = false;
  let gaveUp = false;

  const launch = (check: 'full' | 'quick' | 'none'): CoreHost => {
    // Only a core that had started is started again: one that cannot open the file (a newer
    // database, a failed check) would fail the same way, and its start reports that.
    let started = false;
    const host = start({
      ...o,
      check,
      onExit: (code) => {
        if (closed || !started) {
          if (!closed && restarts > 0) {
            gaveUp = true;
            o.onGiveUp?.({ code, restarts });
          }
          return;
        }
        const now = Date.now();
        deaths.push(now);
        while (deaths.length && deaths[0]! < now - windowMs) deaths.shift();
        const info = { code, restarts: restarts + 1 };
        if (deaths.length > maxRestarts) {
          gaveUp = true;
          o.onGiveUp?.(info);
          return;
        }
        restarts++;
        // The file was checked in full at the first start; a restart checks it quickly.
        current = launch(o.check === 'none' ? 'none' : 'quick');
        current.ready.then(
          () => o.onRestart?.(info),
          () => undefined,
        );
      },
    });
    host.ready.then(
      () => {
        started = true;
      },
      () => undefined,
    );
    return host;
  };

  let current = launch(o.check ?? 'quick');
  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    ready: current.ready,
    call: (channel, raw) =>
      gaveUp
        ? Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'the core stopped too often and was not started again: restart Attest', issues: [] } })
        : current.call(channel, raw),
    close: () => {
      closed = true;
      return current.close();
    },
  };
}
