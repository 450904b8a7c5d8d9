// The only file that imports the SQLite driver, so it can be swapped (or given a native binding
// built for Electron) in one place. The driver is the SQLite3MultipleCiphers build: with a key the
// file is encrypted with SQLCipher 4's format; without one it is a plain SQLite file.
import Database from 'better-sqlite3-multiple-ciphers';

export type Db = Database.Database;
export type Statement = Database.Statement<unknown[], unknown>;

export interface DriverOptions {
  readonly: boolean;
  fileMustExist: boolean;
  /** Path of a better-sqlite3 native module built for another runtime (Electron). */
  nativeBinding?: string;
}

/** A raw connection: no key, no pragmas, no migrations (db/connect.ts adds those). */
export function openDriver(file: string, options: DriverOptions): Db {
  return new Database(file, {
    readonly: options.readonly,
    fileMustExist: options.fileMustExist,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
}
