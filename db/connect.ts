// Opens the database: key, pragmas, integrity check, migrations. The driver itself is reached only
// through db/driver.ts.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';
import { fsyncFile, renameDurably } from './durable';

import { openDriver, type Db } from './driver';

export type { Db, Statement } from './driver';

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
  /** Passphrase of an encrypted database (or of a new one to create encrypted); null or absent: plain. */
  key?: string | null;
  /** FULL unless a benchmark compares against NORMAL. */
  synchronous?: 'FULL' | 'NORMAL';
}

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

/** The file is encrypted (or not a database at all) and no passphrase was given. */
export class PassphraseRequiredError extends DatabaseOpenError {
  override name = 'PassphraseRequiredError';
}

/** A passphrase was given and it does not open the file. */
export class WrongPassphraseError extends DatabaseOpenError {
  override name = 'WrongPassphraseError';
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** What is on disk, judged from the first 16 bytes: a plain SQLite file has a readable header. */
export function fileKind(file: string): 'missing' | 'empty' | 'plain' | 'encrypted' | 'directory' {
  if (!existsSync(file)) return 'missing';
  const st = statSync(file);
  if (st.isDirectory()) return 'directory';
  if (st.size === 0) return 'empty';
  const buf = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return buf.toString('latin1') === SQLITE_HEADER ? 'plain' : 'encrypted';
}

function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Selects SQLCipher 4's format and sets the key; must come before anything reads the file. */
export function applyKey(db: Db, key: string): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = ${quote(key)}`);
}

/** Creates an empty file readable by the owner only (and its folder, owner only) before SQLite does. */
export function createPrivateFile(file: string): void {
  const dir = dirname(file);
  // Stryker disable next-line ConditionalExpression: `true` is equivalent (a recursive mkdir of a folder that is there does nothing)
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'wx', 0o600));
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  // Stryker disable next-line StringLiteral: any check other than 'full' and 'none' is the quick one, so '' is 'quick'
  const { readonly = false, create = true, check = 'quick' } = options;
  const key = options.key ?? null;
  let db: Db;
  try {
    if (!readonly && create && !existsSync(file)) createPrivateFile(file);
    db = openDriver(file, {
      readonly,
      fileMustExist: readonly || !create,
      // Stryker disable next-line ConditionalExpression: `true` is equivalent (the driver reads an undefined nativeBinding as none)
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (e) {
    throw new DatabaseOpenError(`cannot open database ${file}: ${(e as Error).message}`);
  }
  try {
    if (key !== null) applyKey(db, key);
    // Reading the schema is the first thing that fails on a file that is not a database, or on
    // an encrypted one without (or with the wrong) key.
    try {
      db.pragma('schema_version');
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_NOTADB') throw e;
      if (key !== null) {
        throw new WrongPassphraseError(`cannot open database ${file}: the passphrase is wrong (or it is not a database)`);
      }
      throw new PassphraseRequiredError(
        `cannot open database ${file}: it is not a database, or it is encrypted and needs its passphrase`,
      );
    }
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Writers wait for each other (every write transaction starts IMMEDIATE, so the wait applies)
    // rather than failing at once.
    db.pragma('busy_timeout = 10000');
    // FULL: a commit is on the disk (WAL fsynced) before it is acknowledged; NORMAL could lose the
    // last writes to a power cut.
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    // 64 MB of page cache: list pages and index walks over a million incidents stay in memory.
    db.pragma('cache_size = -65536');
    // Temporary tables (a roster import's staged rows and plan, verify's term lists) stay in memory:
    // a temporary file would hold record text outside the encrypted database.
    db.pragma('temp_store = MEMORY');
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

/**
 * Writes a copy of the open database to `target` (a new file) encrypted with `newKey`: VACUUM INTO
 * copies it with its current key, then PRAGMA rekey changes the key of the copy alone, so the
 * database itself is never rewritten in place. The copy is fsynced; the caller checks and renames it.
 */
export function rekeyedCopy(db: Db, currentKey: string | null, target: string, newKey: string): void {
  vacuumInto(db, target);
  let copy: Db | undefined;
  try {
    copy = openDriver(target, { readonly: false, fileMustExist: true });
    if (currentKey !== null) applyKey(copy, currentKey);
    copy.pragma('schema_version');
    copy.pragma('journal_mode = DELETE');
    copy.pragma(`cipher = 'sqlcipher'`);
    copy.pragma('legacy = 4');
    const r = copy.pragma(`rekey = ${quote(newKey)}`) as unknown;
    const first = Array.isArray(r) && r[0] ? Object.values(r[0] as object)[0] : 'ok';
    if (first !== 'ok') throw new DatabaseOpenError(`changing the passphrase failed: ${String(first)}`);
    copy.close();
    copy = undefined;
    fsyncFile(target);
  } catch (e) {
    copy?.close();
    for (const f of [target, `${target}-journal`]) rmSync(f, { force: true });
    throw e;
  }
}

/**
 * Copies the database into a new file with VACUUM INTO, which keeps the encryption and key of the
 * source (the online backup API refuses encrypted databases). The copy is created owner-only and
 * fsynced before this returns.
 */
export function vacuumInto(db: Db, target: string): void {
  createPrivateFile(target);
  try {
    db.prepare('VACUUM INTO ?').run(target);
    chmodSync(target, 0o600);
    fsyncFile(target);
  } catch (e) {
    for (const f of [target, `${target}-journal`]) rmSync(f, { force: true });
    throw e;
  }
}

/** Whether `key` (null: none) opens the file; reads only its first page, writes nothing. */
export function opensWithKey(file: string, key: string | null, nativeBinding?: string): boolean {
  let db: Db | undefined;
  try {
    db = openDriver(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    if (key !== null) applyKey(db, key);
    db.pragma('schema_version');
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/**
 * What a file holds, read-only and before any migration could add tables to it: its schema version
 * and whether it has an Attest history. Throws the named open errors.
 */
export function peekDatabase(file: string, key: string | null, nativeBinding?: string): { userVersion: number; hasHistory: boolean } {
  let db: Db;
  try {
    db = openDriver(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (e) {
    throw new DatabaseOpenError(`cannot open ${file}: ${(e as Error).message}`);
  }
  try {
    if (key !== null) applyKey(db, key);
    try {
      db.pragma('schema_version');
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_NOTADB') throw e;
      if (key !== null) throw new WrongPassphraseError(`cannot open ${file}: the passphrase is wrong (or it is not a database)`);
      throw new PassphraseRequiredError(`cannot open ${file}: it is not a database, or it is encrypted and needs its passphrase`);
    }
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const hasHistory = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name IN ('audit_log', 'record_versions')`).all().length === 2;
    return { userVersion, hasHistory };
  } finally {
    db.close();
  }
}

/** A tiny database encrypted with `key`: lets the unlock screen recognise a previous passphrase. */
export function writeKeyCheckFile(file: string, key: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  for (const f of [tmp, `${tmp}-journal`]) rmSync(f, { force: true });
  createPrivateFile(tmp);
  const db = openDriver(tmp, { readonly: false, fileMustExist: true });
  try {
    applyKey(db, key);
    db.exec('CREATE TABLE key_check (x INTEGER)');
  } finally {
    db.close();
  }
  fsyncFile(tmp);
  renameDurably(tmp, file);
}
