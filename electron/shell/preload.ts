// Exposes exactly the contract's channels to the page, one function each, and a subscription to
// long jobs' progress events; never ipcRenderer itself (bridge.ts builds the API).
import { contextBridge, ipcRenderer } from 'electron';
import { pageApi } from './bridge';

contextBridge.exposeInMainWorld('attest', pageApi(ipcRenderer));
