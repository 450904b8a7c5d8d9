// Opening the database, function by function, on small real files: one migrated plain database and
// one encrypted one are made once and copied for each test, so few tests pay for migrations or a key
// derivation (a third of a second each). `npm run mutate -- db/connect.ts` runs only this file (the
// app's vault tests, which reach openDatabase from everywhere, take minutes a pass).
import Database from 'better-sqlite3-multiple-ciphers';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DatabaseOpenError,
  IntegrityError,
  PassphraseRequiredError,
  WrongPassphraseError,
  createPrivateFile,
  fileKind,
  openDatabase,
  opensWithKey,
  peekDatabase,
  rekeyedCopy,
  vacuumInto,
  writeKeyCheckFile,
  type Db,
} from './connect';
import { loadMigrations, migrate } from './migrate';
import { descriptorsOn, watchFs } from '../test/fs-watch';
import { cleanupTempDirs, tempDir } from '../test/temp-dirs';

const KEY = "o'Brien's office key";
const LATEST = loadMigrations().length;
let templates: { plain: string; encrypted: string };
let templateDir: string;

// The templates, and the connections a test needs only as material, are made with the driver and
// migrate() alone: a mutant of this file then runs only the tests that call what it changed.
beforeAll(() => {
  const dir = (templateDir = mkdtempSync(join(tmpdir(), 'attest-connect-templates-')));
  for (const [kind, key] of [['plain', null], ['encrypted', KEY]] as const) {
    const db = new Database(join(dir, `${kind}.sqlite`));
    if (key !== null) keyed(db, key);
    migrate(db);
    db.exec(`INSERT INTO settings (key, value) VALUES ('marker', '${kind} template')`);
    db.close();
  }
  templates = { plain: join(dir, 'plain.sqlite'), encrypted: join(dir, 'encrypted.sqlite') };
});

afterEach(cleanupTempDirs);
afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

/** A fresh copy of a template in a folder of its own. */
function copyOf(kind: 'plain' | 'encrypted', name = 'attest.sqlite'): string {
  const file = join(tempDir(), name);
  copyFileSync(templates[kind], file);
  return file;
}

/** A plain SQLite file written with the driver alone (no Attest schema), by `sql`. */
function rawFile(sql: string, name = 'raw.sqlite'): string {
  const file = join(tempDir(), name);
  const db = new Database(file);
  db.exec(sql);
  db.close();
  return file;
}

/** Keys a raw connection as SQLCipher 4 with the key quoted here, independently of applyKey. */
function keyed(db: Db, key: string): Db {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = '${key.split("'").join("''")}'`);
  return db;
}

/** Opens a file read-only as SQLCipher 4, independently of openDatabase. */
function rawEncrypted(file: string, key: string): Db {
  return keyed(new Database(file, { readonly: true, fileMustExist: true }), key);
}

/** A connection to a file, keyed when `key` is given, independently of openDatabase. */
function rawOpen(file: string, key: string | null = null, readonly = false): Db {
  const db = new Database(file, { readonly, fileMustExist: true });
  return key === null ? db : keyed(db, key);
}

const marker = (db: Db) => db.prepare(`SELECT value FROM settings WHERE key = 'marker'`).pluck().get();

/** A WAL database whose -wal name is taken by a folder: reading it fails at once (SQLITE_CANTOPEN). */
function unreadableWal(): string {
  const file = rawFile(`PRAGMA journal_mode = WAL; CREATE TABLE t (a)`);
  mkdirSync(`${file}-wal`);
  return file;
}

/** A folder with no migrations, so a raw file is opened without getting the Attest schema. */
function noMigrations(): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  return dir;
}

describe('fileKind', () => {
  it('tells missing, folder, empty, plain and encrypted apart, and closes what it read', () => {
    const dir = tempDir();
    expect(fileKind(join(dir, 'missing'))).toBe('missing');
    expect(fileKind(dir)).toBe('directory');
    writeFileSync(join(dir, 'empty'), '');
    expect(fileKind(join(dir, 'empty'))).toBe('empty');
    const plain = copyOf('plain');
    const { result, log } = watchFs(() => fileKind(plain)) as { result: string; log: { open: string[] } };
    expect(result).toBe('plain');
    expect(log.open).toEqual([]);
    expect(fileKind(copyOf('encrypted'))).toBe('encrypted');
    writeFileSync(join(dir, 'short'), 'SQLite format');
    expect(fileKind(join(dir, 'short'))).toBe('encrypted');
  });
});

describe('createPrivateFile', () => {
  it('creates missing folders owner-only and an empty owner-only file', () => {
    const dir = tempDir();
    const file = join(dir, 'a', 'b', 'attest.sqlite');
    createPrivateFile(file);
    expect(statSync(file).size).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700);
  });

  it('never takes over a file that is there', () => {
    const file = join(tempDir(), 'attest.sqlite');
    writeFileSync(file, 'keep');
    expect(() => createPrivateFile(file)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });
});

describe('openDatabase', () => {
  it('creates a new database owner-only, migrated, with its pragmas', () => {
    const file = join(tempDir(), 'office', 'attest.sqlite');
    const db = openDatabase(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(10000);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    db.close();
  });

  it('synchronous NORMAL when asked (for a benchmark)', () => {
    const db = openDatabase(copyOf('plain'), { synchronous: 'NORMAL' });
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    db.close();
  });

  it('opens an existing database again, as it is', () => {
    const file = copyOf('plain');
    const db = openDatabase(file);
    expect(marker(db)).toBe('plain template');
    db.close();
  });

  it('create: false refuses a missing file and creates nothing', () => {
    const file = join(tempDir(), 'typo.sqlite');
    expect(() => openDatabase(file, { create: false })).toThrow(new DatabaseOpenError(`cannot open database ${file}: unable to open database file`));
    expect(existsSync(file)).toBe(false);
  });

  it('readonly refuses a missing file and creates nothing', () => {
    const file = join(tempDir(), 'missing.sqlite');
    expect(() => openDatabase(file, { readonly: true })).toThrow(DatabaseOpenError);
    expect(existsSync(file)).toBe(false);
  });

  it('readonly reads a rollback-journal copy without changing it, and never migrates', () => {
    const file = copyOf('plain');
    const db = rawOpen(file);
    db.pragma('journal_mode = WAL');
    const copy = join(tempDir(), 'copy.sqlite');
    vacuumInto(db, copy);
    db.close();
    const before = readFileSync(copy);
    expect(before[18]).toBe(1); // the header's read and write versions: 1 is a rollback journal, 2 WAL
    const ro = openDatabase(copy, { readonly: true });
    expect(marker(ro)).toBe('plain template');
    expect(() => ro.exec(`DELETE FROM settings`)).toThrow(/readonly/);
    ro.close();
    expect(readFileSync(copy).equals(before)).toBe(true);

    const old = rawFile('CREATE TABLE t (a)');
    expect(() => openDatabase(old, { readonly: true })).toThrow(`database needs migration to version ${LATEST}; open it writable once`);
  });

  it('takes the migrations of the folder it is given', () => {
    const dir = noMigrations();
    writeFileSync(join(dir, '0001_only.sql'), 'CREATE TABLE only_this (a);');
    const db = openDatabase(join(tempDir(), 'attest.sqlite'), { migrationsDir: dir });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all()).toEqual(['only_this']);
    db.close();
  });

  it('a native module that cannot be loaded is an open error', () => {
    const file = copyOf('plain');
    expect(() => openDatabase(file, { nativeBinding: join(tempDir(), 'none.node') })).toThrow(/^cannot open database .*: Cannot find module/);
  });

  describe('the integrity check', () => {
    // An index that no longer matches its table: integrity_check sees it, quick_check does not.
    function badIndex(): string {
      const file = rawFile(`CREATE TABLE t (a, b); CREATE INDEX ti ON t (b); INSERT INTO t VALUES (1, 'x'), (2, 'y');`);
      const db = new Database(file);
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      db.exec(`UPDATE sqlite_schema SET sql = 'CREATE INDEX ti ON t (a)' WHERE name = 'ti'`);
      db.close();
      return file;
    }

    it("'full' runs integrity_check, 'quick' (the default) quick_check", () => {
      const file = badIndex();
      const migrationsDir = noMigrations();
      expect(() => openDatabase(file, { check: 'full', migrationsDir })).toThrow(new IntegrityError(`database ${file} failed its integrity check: row 1 missing from index ti`));
      openDatabase(file, { check: 'quick', migrationsDir }).close();
      openDatabase(file, { migrationsDir }).close();
    });

    it("a NULL where the schema forbids it fails the quick check; 'none' opens it anyway", () => {
      const file = rawFile(`CREATE TABLE n (a); INSERT INTO n VALUES (NULL);`);
      const db = new Database(file);
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      db.exec(`UPDATE sqlite_schema SET sql = 'CREATE TABLE n (a NOT NULL)' WHERE name = 'n'`);
      db.close();
      const migrationsDir = noMigrations();
      let error: unknown;
      try {
        openDatabase(file, { migrationsDir });
      } catch (e) {
        error = e;
      }
      // Thrown as it is, not wrapped as an open error; and the connection is closed.
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as Error).name).toBe('IntegrityError');
      expect((error as Error).message).toBe(`database ${file} failed its integrity check: NULL value in n.a`);
      expect(descriptorsOn(file)).toBe(0);
      openDatabase(file, { check: 'none', migrationsDir }).close();
    });
  });

  it('a file the driver cannot read is an open error (the driver error wrapped), not a passphrase question', () => {
    const file = unreadableWal();
    let error: unknown;
    try {
      openDatabase(file, { migrationsDir: noMigrations() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error).not.toBeInstanceOf(PassphraseRequiredError);
    expect((error as Error).name).toBe('DatabaseOpenError');
    expect((error as Error).message).toBe(`cannot open database ${file}: unable to open database file`);
  });

  it('pages that are not a database ask for a passphrase', () => {
    const file = join(tempDir(), 'noise.sqlite');
    writeFileSync(file, Buffer.alloc(4096, 7));
    expect(() => openDatabase(file)).toThrow(
      new PassphraseRequiredError(`cannot open database ${file}: it is not a database, or it is encrypted and needs its passphrase`),
    );
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ name: 'PassphraseRequiredError' }));
  });

  it('encrypted: needs its passphrase, refuses a wrong one, opens with the right one', () => {
    const file = copyOf('encrypted');
    expect(() => openDatabase(file)).toThrow(PassphraseRequiredError);
    let error: unknown;
    try {
      openDatabase(file, { key: 'not the key' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WrongPassphraseError);
    expect((error as Error).name).toBe('WrongPassphraseError');
    expect((error as Error).message).toBe(`cannot open database ${file}: the passphrase is wrong (or it is not a database)`);
    const db = openDatabase(file, { key: KEY });
    expect(marker(db)).toBe('encrypted template');
    db.close();
  });

  it('a new database with a passphrase is SQLCipher 4, keyed with the passphrase as given (quotes too)', () => {
    const file = join(tempDir(), 'attest.sqlite');
    openDatabase(file, { key: KEY }).close();
    expect(fileKind(file)).toBe('encrypted');
    const raw = rawEncrypted(file, KEY);
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST);
    raw.close();
  });
});

describe('vacuumInto', () => {
  it('writes a whole owner-only copy and fsyncs it', () => {
    const db = rawOpen(copyOf('plain'));
    const copy = join(tempDir(), 'copy.sqlite');
    const { log } = watchFs(() => vacuumInto(db, copy));
    db.close();
    expect(log.calls).toContain(`fsync ${copy}`);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    const again = rawOpen(copy, null, true);
    expect(marker(again)).toBe('plain template');
    again.close();
  });

  it('never writes over a file that is there', () => {
    const db = rawOpen(copyOf('plain'));
    const copy = join(tempDir(), 'copy.sqlite');
    writeFileSync(copy, 'keep');
    expect(() => vacuumInto(db, copy)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    db.close();
    expect(readFileSync(copy, 'utf8')).toBe('keep');
  });

  it('a failure after the copy began removes the copy and its journal, and is thrown', () => {
    const db = rawOpen(copyOf('plain'));
    const copy = join(tempDir(), 'copy.sqlite');
    const r = watchFs(() => vacuumInto(db, copy), { call: 'chmodSync', code: 'EPERM', before: () => writeFileSync(`${copy}-journal`, 'x') });
    db.close();
    expect('error' in r && (r.error as NodeJS.ErrnoException).code).toBe('EPERM');
    expect(existsSync(copy)).toBe(false);
    expect(existsSync(`${copy}-journal`)).toBe(false);
    // With no journal to remove, the failure itself is what is thrown.
    const db2 = rawOpen(copyOf('plain'));
    const r2 = watchFs(() => vacuumInto(db2, copy), { call: 'chmodSync', code: 'EPERM' });
    db2.close();
    expect('error' in r2 && (r2.error as NodeJS.ErrnoException).code).toBe('EPERM');
    expect(existsSync(copy)).toBe(false);
  });
});

describe('rekeyedCopy', () => {
  it('a plain database: the copy is encrypted with the new passphrase, fsynced; the database is unchanged', () => {
    const file = copyOf('plain');
    const db = rawOpen(file);
    const target = join(tempDir(), 'rekeyed.sqlite');
    const { log } = watchFs(() => rekeyedCopy(db, null, target, KEY));
    db.close();
    expect(log.calls.filter((c) => c === `fsync ${target}`).length).toBe(2); // the VACUUM INTO copy, then the re-keyed one
    expect(log.calls.at(-1)).toBe(`close ${target}`);
    expect(fileKind(file)).toBe('plain');
    expect(fileKind(target)).toBe('encrypted');
    const raw = rawEncrypted(target, KEY);
    expect(marker(raw)).toBe('plain template');
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    raw.close();
  });

  it('an encrypted database: the copy opens with the new passphrase only', () => {
    const db = rawOpen(copyOf('encrypted'), KEY);
    const target = join(tempDir(), 'rekeyed.sqlite');
    rekeyedCopy(db, KEY, target, "the next 'passphrase'");
    db.close();
    expect(opensWithKey(target, KEY)).toBe(false);
    const raw = rawEncrypted(target, "the next 'passphrase'");
    expect(marker(raw)).toBe('encrypted template');
    raw.close();
  });

  it('a wrong current passphrase: nothing is left at the target, the error is thrown', () => {
    const db = rawOpen(copyOf('encrypted'), KEY);
    const dir = tempDir();
    const target = join(dir, 'rekeyed.sqlite');
    expect(() => rekeyedCopy(db, 'not the key', target, 'next passphrase')).toThrow(expect.objectContaining({ code: 'SQLITE_NOTADB' }));
    db.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failed fsync of the copy: the copy is removed and the failure thrown as it is', () => {
    const db = rawOpen(copyOf('plain'));
    const dir = tempDir();
    const target = join(dir, 'rekeyed.sqlite');
    // The first fsync of the target is vacuumInto's; the second, after the rekey, fails.
    const r = watchFs(() => rekeyedCopy(db, null, target, KEY), { call: 'fsyncSync', path: target, nth: 2, code: 'EIO' });
    db.close();
    expect('error' in r && (r.error as NodeJS.ErrnoException).code).toBe('EIO');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('opensWithKey', () => {
  it('answers whether the key opens the file, and leaves no connection open', () => {
    const plain = copyOf('plain');
    const encrypted = copyOf('encrypted');
    expect(opensWithKey(plain, null)).toBe(true);
    expect(opensWithKey(encrypted, KEY)).toBe(true);
    expect(opensWithKey(encrypted, 'not the key')).toBe(false);
    expect(opensWithKey(encrypted, null)).toBe(false);
    expect(opensWithKey(join(tempDir(), 'missing.sqlite'), null)).toBe(false);
    expect(opensWithKey(plain, null, join(tempDir(), 'none.node'))).toBe(false);
    expect(descriptorsOn(plain)).toBe(0);
    expect(descriptorsOn(encrypted)).toBe(0);
  });
});

describe('peekDatabase', () => {
  it('reads the schema version and whether the Attest history is there, read-only', () => {
    const file = copyOf('plain');
    const before = readFileSync(file);
    expect(peekDatabase(file, null)).toEqual({ userVersion: LATEST, hasHistory: true });
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(descriptorsOn(file)).toBe(0);
    expect(peekDatabase(rawFile('CREATE TABLE audit_log (a); PRAGMA user_version = 4'), null)).toEqual({ userVersion: 4, hasHistory: false });
    expect(peekDatabase(rawFile('CREATE TABLE record_versions (a); CREATE TABLE other (a)'), null)).toEqual({ userVersion: 0, hasHistory: false });
    expect(peekDatabase(rawFile('CREATE TABLE record_versions (a); CREATE TABLE audit_log (a)'), null)).toEqual({ userVersion: 0, hasHistory: true });
  });

  it('encrypted: with its key, and the named errors without it', () => {
    const file = copyOf('encrypted');
    expect(peekDatabase(file, KEY)).toEqual({ userVersion: LATEST, hasHistory: true });
    expect(() => peekDatabase(file, null)).toThrow(new PassphraseRequiredError(`cannot open ${file}: it is not a database, or it is encrypted and needs its passphrase`));
    expect(() => peekDatabase(file, 'not the key')).toThrow(new WrongPassphraseError(`cannot open ${file}: the passphrase is wrong (or it is not a database)`));
    expect(descriptorsOn(file)).toBe(0);
  });

  it('a missing file or an unloadable native module is an open error; an unreadable one the driver error', () => {
    const missing = join(tempDir(), 'missing.sqlite');
    expect(() => peekDatabase(missing, null)).toThrow(new DatabaseOpenError(`cannot open ${missing}: unable to open database file`));
    expect(() => peekDatabase(copyOf('plain'), null, join(tempDir(), 'none.node'))).toThrow(/^cannot open .*: Cannot find module/);
    expect(() => peekDatabase(unreadableWal(), null)).toThrow(expect.objectContaining({ name: 'SqliteError', code: 'SQLITE_CANTOPEN' }));
  });
});

describe('writeKeyCheckFile', () => {
  it('with nothing left from before, writes the file and leaves no connection open', () => {
    const dir = tempDir();
    const file = join(dir, 'key-check');
    writeKeyCheckFile(file, KEY);
    expect(readdirSync(dir)).toEqual(['key-check']);
    expect(descriptorsOn(file)).toBe(0);
    expect(descriptorsOn(`${file}.tmp-${process.pid}`)).toBe(0);
  });

  it('writes a small file that opens with the key only, by a fsynced temporary renamed into place', () => {
    const dir = tempDir();
    const file = join(dir, 'key-check');
    const tmp = `${file}.tmp-${process.pid}`;
    // What a killed earlier attempt left.
    writeFileSync(tmp, 'half');
    writeFileSync(`${tmp}-journal`, 'half');
    const { log } = watchFs(() => writeKeyCheckFile(file, KEY));
    expect(readdirSync(dir)).toEqual(['key-check']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(log.calls.indexOf(`fsync ${tmp}`)).toBeGreaterThan(-1);
    expect(log.calls.indexOf(`fsync ${tmp}`)).toBeLessThan(log.calls.indexOf(`rename ${tmp} -> ${file}`));
    expect(opensWithKey(file, 'another key')).toBe(false);
    const raw = rawEncrypted(file, KEY);
    expect(raw.prepare(`SELECT name FROM sqlite_schema`).pluck().all()).toEqual(['key_check']);
    raw.close();
  });
});
