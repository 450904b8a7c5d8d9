import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import type { Result } from '../../shared/contract';
import { isTrustedSender } from './security';

/** The core's one entry point, in the worker: (channel, raw) in, a result value out. */
export type Forward = (channel: string, raw: unknown) => Promise<Result<unknown>>;

/** Registers one IPC handler per contract channel, each answering only the app's main frame. */
export function registerIpc(getDispatch: () => Forward | undefined): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, raw: unknown) => {
      const frame = event.senderFrame;
      if (!frame || !isTrustedSender(frame.url, frame === event.sender.mainFrame)) {
        return { ok: false, error: { code: 'INTERNAL', message: 'refused: untrusted sender', issues: [] } };
      }
      const dispatch = getDispatch();
      if (!dispatch) {
        return { ok: false, error: { code: 'DATABASE', message: 'the database is not open', issues: [] } };
      }
      return dispatch(channel, raw);
    });
  }
}
