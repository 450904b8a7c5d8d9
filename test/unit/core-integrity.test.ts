// The checks that stand between a damaged or foreign file and the evidence: the integrity check when
// a database is opened and when a backup is restored, the schema version a file may have, and the
// current passphrase a change of passphrase needs. Each test names the bug it was seen to catch.
import Database from 'better-sqlite3-multiple-ciphers';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IntegrityError, openDatabase } from '../../db/connect';
import { DatabaseFromFutureError, loadMigrations } from '../../db/migrate';
import { openSession } from '../../electron/core/session';
import { SAMPLE_FACILITY, cleanupTempDirs, contentHash, tempDir, tempDbFile } from '../helpers';

afterEach(cleanupTempDirs);

/** A table Attest never reads, so damage to it is found by the integrity check and nothing else. */
function addFiller(file: string, key?: string): void {
  const raw = new Database(file);
  if (key) raw.pragma(`key = '${key}'`);
  raw.exec('CREATE TABLE filler (a INTEGER, b TEXT); CREATE INDEX filler_a ON filler (a)');
  const ins = raw.prepare('INSERT INTO filler VALUES (?, ?)');
  for (let i = 0; i < 400; i++) ins.run(i, 'x'.repeat(200));
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}

/**
 * Damage that only PRAGMA integrity_check finds (quick_check does not look inside indexes): the
 * index is declared over another column than the one its entries were built from.
 */
function breakIndex(file: string): void {
  const raw = new Database(file);
  raw.unsafeMode(true);
  raw.pragma('writable_schema = ON');
  raw.prepare(`UPDATE sqlite_schema SET sql = 'CREATE INDEX filler_a ON filler (b)' WHERE name = 'filler_a'`).run();
  raw.close();
}

/** Damage that quick_check finds too: a NULL where the table's declaration says NOT NULL. */
function breakNotNull(file: string): void {
  const raw = new Database(file);
  raw.prepare('INSERT INTO filler VALUES (NULL, ?)').run('no a');
  raw.unsafeMode(true);
  raw.pragma('writable_schema = ON');
  raw.prepare(`UPDATE sqlite_schema SET sql = 'CREATE TABLE filler (a INTEGER NOT NULL, b TEXT)' WHERE name = 'filler'`).run();
  raw.close();
}

function attestFile(): string {
  const file = tempDbFile();
  openDatabase(file).close();
  addFiller(file);
  return file;
}

describe('opening a database checks it whole', () => {
  // Catches: openDatabase without its integrity check (the `check` default, or the check skipped).
  it('refuses a database that breaks its own NOT NULL declaration, by default; with check none the same file opens', () => {
    const file = attestFile();
    breakNotNull(file);
    expect(() => openDatabase(file, { create: false })).toThrow(IntegrityError);
    expect(() => openDatabase(file, { create: false })).toThrow(/failed its integrity check: NULL value in filler\.a/);
    openDatabase(file, { create: false, check: 'none' }).close();
  });

  // Catches: check 'full' running quick_check (or nothing) instead of integrity_check.
  it("check 'full' finds an index that disagrees with its table, which the quick check does not", () => {
    const file = attestFile();
    breakIndex(file);
    openDatabase(file, { create: false }).close();
    expect(() => openDatabase(file, { create: false, check: 'full' })).toThrow(/failed its integrity check: row \d+ missing from index filler_a/);
  });
});

describe('a database from a newer Attest', () => {
  // Catches: the version test letting latest + 1 through (`>` made `> latest + 1`, or `>=` dropped to
  // `>` against latest + 1): only 999 was tried before.
  it('is refused at exactly one version past the latest, and the latest itself opens', () => {
    const latest = loadMigrations().length;
    const file = attestFile();
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(latest);
    raw.pragma(`user_version = ${latest + 1}`);
    raw.close();
    let thrown: unknown;
    try {
      openDatabase(file, { create: false }).close();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DatabaseFromFutureError);
    expect(thrown).toMatchObject({ fileVersion: latest + 1, knownVersion: latest });
    const back = new Database(file);
    back.pragma(`user_version = ${latest}`);
    back.close();
    openDatabase(file, { create: false }).close();
  });
});

describe('restoring a backup checks it whole', () => {
  // Catches: checkBackupCopy opening the backup's copy with check 'quick' or 'none' instead of 'full'.
  it('refuses a backup with a broken index and leaves the current database as it was', async () => {
    const dir = tempDir();
    const s = openSession(join(dir, 'attest.sqlite'));
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    const b = await s.dispatch('backup:create', {});
    if (!b.ok) throw new Error(b.error.message);
    const backupFile = (b.data as { file: string }).file;
    addFiller(backupFile);
    breakIndex(backupFile);
    await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: 'Second' });
    const before = contentHash(s.ctx.db);
    const r = await s.dispatch('backup:restore', { file: backupFile, acceptLoss: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/cannot be restored: .*integrity check: row \d+ missing from index filler_a/) } });
    expect(contentHash(s.ctx.db)).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
    s.vault.closeQuietly();
  });
});

describe('changing the passphrase of an encrypted database', () => {
  const KEY = 'the office passphrase';

  // Catches: vault.rekey accepting a missing current passphrase (the check only comparing one that
  // was given, `current !== undefined && current !== key`, or left out).
  it('needs the current passphrase: none given, or a wrong one, is refused and the old one still opens it', async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const s = openSession(file, { key: KEY });
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    for (const input of [{ next: 'a new passphrase' }, { current: 'not it at all', next: 'a new passphrase' }]) {
      const r = await s.dispatch('vault:rekey', input);
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE', issues: [{ path: ['current'] }] } });
    }
    expect(await s.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 1 } });
    s.vault.closeQuietly();
    openDatabase(file, { create: false, key: KEY }).close();
    const ok = openSession(file, { key: KEY, create: false });
    expect(await ok.dispatch('vault:rekey', { current: KEY, next: 'a new passphrase' })).toMatchObject({ ok: true, data: { encrypted: true } });
    ok.vault.closeQuietly();
    openDatabase(file, { create: false, key: 'a new passphrase' }).close();
  });
});
