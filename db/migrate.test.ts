import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbFile, tempDir } from '../test/helpers';
import { DatabaseFromFutureError, loadMigrations, migrate, schemaVersion } from './migrate';
import { openDatabase } from './connect';
import { verifyAudit } from './history/audit';

afterEach(cleanupTempDirs);

describe('migrations', () => {
  // Foreign keys are not asserted here: the driver turns them on by default, so the assert could not
  // fail; db/repo/repositories.test.ts checks that a missing facility is refused.
  it('brings a fresh file to the latest version with WAL', () => {
    const db = openDatabase(tempDbFile());
    expect(schemaVersion(db)).toBe(loadMigrations().length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
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

  it('refuses a database one version newer than this Attest, not only a far newer one', () => {
    const file = tempDbFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${loadMigrations().length + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseFromFutureError);
  });

  it('chains the versions written before the audit log (migration 4), oldest first, into a history that verifies', () => {
    const file = tempDbFile();
    const db = openDatabase(file, { migrationsDir: tempDir() });
    migrate(db, { to: 3 });
    const add = db.prepare(`INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    add.run('facility', 'F1', 2, '{"name":"B"}', '2026-01-03T00:00:00.000Z', 'Dana', 'renamed');
    add.run('facility', 'F1', 1, '{"name":"A"}', '2026-01-01T00:00:00.000Z', null, null);
    add.run('person', 'P1', 1, '{"familyName":"Haddad"}', '2026-01-02T00:00:00.000Z', 'Dana', null);
    migrate(db, { to: 5 });
    const rows = db.prepare(`SELECT seq, entity, id, version, action FROM audit_log ORDER BY seq`).all();
    expect(rows).toEqual([
      { seq: 1, entity: 'facility', id: 'F1', version: 1, action: 'create' },
      { seq: 2, entity: 'person', id: 'P1', version: 1, action: 'create' },
      { seq: 3, entity: 'facility', id: 'F1', version: 2, action: 'edit' },
    ]);
    // Today's verifier accepts the frozen step's hashes: old histories stay checkable forever.
    expect(verifyAudit(db)).toMatchObject({ ok: true, auditRows: 3, recordVersions: 3 });
    db.prepare(`UPDATE record_versions SET data = '{"name":"Z"}' WHERE id = 'F1' AND version = 1`).run();
    expect(verifyAudit(db).firstBroken).toMatchObject({ seq: 1, table: 'record_versions' });
    db.close();
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
