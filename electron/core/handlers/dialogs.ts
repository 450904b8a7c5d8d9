// The open dialogs: main owns them (the desktop app attaches them to the host); elsewhere none.
import { reportHostOf } from '../report-host';
import type { Handlers } from './types';

export const dialogHandlers: Pick<Handlers, 'dialogs:choose'> = {
  'dialogs:choose': async ({ purpose, probe }, ctx) => {
    const host = reportHostOf(ctx);
    if (!host?.choose) return { available: false, path: null };
    return { available: true, path: probe ? null : await host.choose(purpose) };
  },
};
