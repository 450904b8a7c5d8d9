// The two ends of IPC as plain functions over the parts of Electron they use, so the unit tests
// run them in Node: what the preload exposes to the page, and how main answers a channel call.
// preload.ts and ipc.ts only hand Electron's objects in.
import type { Result } from '../../shared/contract';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { CORE_RESTARTED, JOB_EVENTS } from '../../shared/job-events';
import { isTrustedSender } from './security';

/** The part of ipcRenderer the page's API uses. */
export interface RendererIpc {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/**
 * window.attest: one function per contract channel, each invoking that channel alone, and a
 * subscription to long jobs' progress events and one to the core's restarts (each returns the
 * unsubscribe); never ipcRenderer itself.
 */
export function pageApi(ipc: RendererIpc): Readonly<Record<string, unknown>> {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    api[channel] = (input: unknown) => ipc.invoke(channel, input);
  }
  api.onProgress = (listener: (event: unknown) => void) => {
    const forward = (_e: unknown, event: unknown) => listener(event);
    ipc.on(JOB_EVENTS, forward);
    return () => {
      ipc.removeListener(JOB_EVENTS, forward);
    };
  };
  api.onCoreRestart = (listener: () => void) => {
    const forward = () => listener();
    ipc.on(CORE_RESTARTED, forward);
    return () => {
      ipc.removeListener(CORE_RESTARTED, forward);
    };
  };
  return Object.freeze(api);
}

/** The core's one entry point, in the worker: (channel, raw) in, a result value out. */
export type Forward = (channel: string, raw: unknown) => Promise<Result<unknown>>;

/** The part of an IpcMainInvokeEvent the sender check reads. */
export interface InvokeEvent {
  senderFrame: { url: string } | null | undefined;
  sender: { mainFrame: unknown };
}

/** Answers one channel call: only from the app's own main frame, and only while the core is up. */
export async function answerIpc(channel: string, event: InvokeEvent, raw: unknown, getDispatch: () => Forward | undefined): Promise<Result<unknown>> {
  const frame = event.senderFrame;
  if (!frame || !isTrustedSender(frame.url, frame === event.sender.mainFrame)) {
    return { ok: false, error: { code: 'INTERNAL', message: 'refused: untrusted sender', issues: [] } };
  }
  const dispatch = getDispatch();
  if (!dispatch) {
    return { ok: false, error: { code: 'DATABASE', message: 'the database is not open', issues: [] } };
  }
  return dispatch(channel, raw);
}
