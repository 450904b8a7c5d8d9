import { fillDerivedColumns } from '../db/derived';
import { openDatabase, type OpenOptions } from '../db/open';
import { createDispatch, type Dispatch } from './dispatch';
import type { Context } from './handlers/context';
import pkg from '../package.json' with { type: 'json' };

export const APP_VERSION: string = pkg.version;

export interface Session {
  ctx: Context;
  dispatch: Dispatch;
  close: () => void;
}

/** Opens a database and wires it to the handler table: what every transport starts from. */
export function openSession(file: string, options: OpenOptions & { user?: string | null; now?: () => Date } = {}): Session {
  const db = openDatabase(file, options);
  fillDerivedColumns(db);
  const ctx: Context = {
    db,
    user: options.user ?? null,
    now: options.now ?? (() => new Date()),
    appVersion: APP_VERSION,
  };
  return { ctx, dispatch: createDispatch(ctx), close: () => db.close() };
}
