import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbFile, tempDir } from '../test/helpers';
import { DatabaseFromFutureError, loadMigrations, migrate, schemaVersion } from './migrate';
import { openDatabase } from './connect';

afterEach(cleanupTempDirs);

describe('migrations', () => {
  it('brings a fresh file to the latest version with WAL and foreign keys on', () => {
    const db = openDatabase(tempDbFile());
    expect(schemaVersion(db)).toBe(loadMigrations().length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['facilities', 'people', 'incidents', 'record_versions']));
    db.close();
  });

  it('refuses a database from a newer version with a named error, and leaves it alone', () => {
    const file = tempDbFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseFromFutureError);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(999);
    again.close();
  });

  it('numbers migrations without gaps, each opening with a comment saying why', () => {
    const ms = loadMigrations();
    ms.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.sql.trimStart().startsWith('--')).toBe(true);
    });
  });

  it('refuses a folder whose numbering has a gap', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', '0001_a.sql'), '-- a\nCREATE TABLE a (x);');
    writeFileSync(join(dir, 'm', '0003_c.sql'), '-- c\nCREATE TABLE c (x);');
    expect(() => loadMigrations(join(dir, 'm'))).toThrow(/numbering/);
  });

  it('rolls back a failing migration whole, keeping the earlier version', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '0001_a.sql'), '-- a\nCREATE TABLE a (x);');
    writeFileSync(join(dir, '0002_bad.sql'), '-- bad\nCREATE TABLE b (x); INSERT INTO nowhere VALUES (1);');
    const db = new Database(':memory:');
    expect(() => migrate(db, { dir })).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'b'`).pluck().get()).toBe(0);
    db.close();
  });

  it('answers a file that is not a database with a plain error', () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'this is not a database, just some text that is long enough to look like a header');
    expect(() => openDatabase(file, { create: false })).toThrow(/cannot open database .*not a database/);
  });
});
