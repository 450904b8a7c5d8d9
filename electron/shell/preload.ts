// Exposes exactly the contract's channels to the page, one function each, and a subscription to
// long jobs' progress events; never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { CORE_RESTARTED, JOB_EVENTS } from '../../shared/job-events';

const api: Record<string, unknown> = {};
for (const channel of CHANNEL_NAMES) {
  api[channel] = (input: unknown) => ipcRenderer.invoke(channel, input);
}
/** Calls `listener` with each job event; returns the unsubscribe. */
api.onProgress = (listener: (event: unknown) => void) => {
  const forward = (_e: IpcRendererEvent, event: unknown) => listener(event);
  ipcRenderer.on(JOB_EVENTS, forward);
  return () => {
    ipcRenderer.removeListener(JOB_EVENTS, forward);
  };
};
/** Calls `listener` each time the core was started again after it died; returns the unsubscribe. */
api.onCoreRestart = (listener: () => void) => {
  const forward = () => listener();
  ipcRenderer.on(CORE_RESTARTED, forward);
  return () => {
    ipcRenderer.removeListener(CORE_RESTARTED, forward);
  };
};
contextBridge.exposeInMainWorld('attest', Object.freeze(api));
