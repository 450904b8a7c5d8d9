import { ipcMain } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { answerIpc, type Forward } from './bridge';

export type { Forward } from './bridge';

/** Registers one IPC handler per contract channel, each answering only the app's main frame (bridge.ts). */
export function registerIpc(getDispatch: () => Forward | undefined): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, raw: unknown) => answerIpc(channel, event, raw, getDispatch));
  }
}
