// The one file that imports the SQLite driver, so it can be swapped (or given a native binding
// built for Electron) in one place.
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from './migrate';

export type Db = Database.Database;
export type Statement = Database.Statement<unknown[], unknown>;

export interface OpenOptions {
  /** Open read-only; no migrations are run. */
  readonly?: boolean;
  /** Create the file if missing (default true). The CLI passes false so a typo is not a new database. */
  create?: boolean;
  /** 'full' runs PRAGMA integrity_check, 'quick' PRAGMA quick_check. */
  check?: 'full' | 'quick' | 'none';
  /** Path of a better-sqlite3 native module built for another runtime (Electron). */
  nativeBinding?: string;
  /** Folder of NNNN_purpose.sql files; defaults to db/migrations beside this module. */
  migrationsDir?: string;
}

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const { readonly = false, create = true, check = 'quick' } = options;
  let db: Db;
  try {
    db = new Database(file, {
      readonly,
      fileMustExist: readonly || !create,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (e) {
    throw new DatabaseOpenError(`cannot open database ${file}: ${(e as Error).message}`);
  }
  try {
    // Reading the schema is the first thing that fails on a file that is not a database.
    db.pragma('schema_version');
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // 64 MB of page cache: list pages and index walks over a million incidents stay in memory.
    db.pragma('cache_size = -65536');
    if (check !== 'none') {
      const rows = db.pragma(check === 'full' ? 'integrity_check' : 'quick_check') as { [k: string]: string }[];
      const first = rows[0] ? Object.values(rows[0])[0] : 'ok';
      if (first !== 'ok') throw new IntegrityError(`database ${file} failed its integrity check: ${first}`);
    }
    migrate(db, { readonly, ...(options.migrationsDir ? { dir: options.migrationsDir } : {}) });
    return db;
  } catch (e) {
    db.close();
    if (e instanceof Error && e.name !== 'SqliteError') throw e;
    throw new DatabaseOpenError(`cannot open database ${file}: ${(e as Error).message}`);
  }
}
