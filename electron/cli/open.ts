// What every CLI verb shares: where it writes, and opening a database that must already exist.
import { existsSync, statSync } from 'node:fs';
import { openSession } from '../core/session';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Opens a database that must already exist, answering a bad path with one clear line. */
export function openExisting(dbFile: string, user: string | null, io: CliIo, key: string | null = null) {
  if (!existsSync(dbFile)) {
    io.err(`attest: no database at ${dbFile} (create one with: attest init --db ${dbFile})`);
    return undefined;
  }
  if (statSync(dbFile).isDirectory()) {
    io.err(`attest: ${dbFile} is a directory, not a database file`);
    return undefined;
  }
  try {
    return openSession(dbFile, { create: false, user, key });
  } catch (e) {
    io.err(`attest: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}
