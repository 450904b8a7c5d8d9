// Exposes exactly the contract's channels to the page, one function each; never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract/names';

const api: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const channel of CHANNEL_NAMES) {
  api[channel] = (input: unknown) => ipcRenderer.invoke(channel, input);
}
contextBridge.exposeInMainWorld('attest', Object.freeze(api));
