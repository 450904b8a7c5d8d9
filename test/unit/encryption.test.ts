import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PassphraseRequiredError, WrongPassphraseError, openDatabase, rekeyedCopy } from '../../db/connect';
import { openSession } from '../../electron/core/session';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, fixedClock, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

const KEY = 'correct horse battery staple';
const SECRET = 'Yusuf-Haddad-unique-marker-7731';

async function encryptedDbWithRecord(): Promise<string> {
  const file = join(tempDir(), 'office', 'attest.sqlite');
  const s = openSession(file, { key: KEY, user: 'a', now: fixedClock() });
  const r = await s.dispatch('people:create', { ...SAMPLE_PERSON, givenName: SECRET });
  expect(r.ok).toBe(true);
  // Full-text search over the encrypted file (FTS5 lives in the same pages).
  s.ctx.db.exec(`CREATE VIRTUAL TABLE notes_fts USING fts5(body)`);
  s.ctx.db.prepare(`INSERT INTO notes_fts (body) VALUES (?)`).run(`guards withheld water ${SECRET}`);
  s.vault.closeQuietly();
  return file;
}

describe('encryption at rest', () => {
  it('leaves no SQLite header and no plaintext of a record on disk', async () => {
    const file = await encryptedDbWithRecord();
    for (const f of [file, `${file}-wal`]) {
      if (!existsSync(f)) continue;
      const bytes = readFileSync(f);
      expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
      expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
      expect(bytes.includes(Buffer.from('Haddad'))).toBe(false);
    }
  });

  it('refuses to open without a key, or with a wrong one, with named errors and no crash', async () => {
    const file = await encryptedDbWithRecord();
    expect(() => openDatabase(file, { create: false })).toThrow(PassphraseRequiredError);
    expect(() => openDatabase(file, { create: false, key: 'wrong passphrase!' })).toThrow(WrongPassphraseError);
    expect(() => openDatabase(file, { create: false, key: 'wrong passphrase!' })).toThrow(/passphrase is wrong/);
  });

  it('reads everything back with the key, full-text search included', async () => {
    const file = await encryptedDbWithRecord();
    const s = openSession(file, { key: KEY, create: false });
    const people = await s.dispatch('people:list', {});
    expect(people).toMatchObject({ ok: true, data: { total: 1, items: [{ givenName: SECRET, nameOriginal: SAMPLE_PERSON.nameOriginal }] } });
    const hits = s.ctx.db.prepare(`SELECT body FROM notes_fts WHERE notes_fts MATCH 'withheld'`).pluck().all();
    expect(hits).toEqual([`guards withheld water ${SECRET}`]);
    expect(s.vault.verify()).toMatchObject({ ok: true, auditRows: 1 });
    s.vault.closeQuietly();
  });

  it('re-keys a copy, never the file itself: the copy opens only with the new passphrase, the file still with the old', async () => {
    const file = await encryptedDbWithRecord();
    const db = openDatabase(file, { key: KEY });
    const copy = `${file}.rekeying`;
    rekeyedCopy(db, KEY, copy, 'a brand new passphrase');
    db.close();
    openDatabase(file, { key: KEY }).close();
    expect(() => openDatabase(copy, { key: KEY })).toThrow(WrongPassphraseError);
    const again = openDatabase(copy, { key: 'a brand new passphrase' });
    expect(again.prepare('SELECT given_name FROM people').pluck().get()).toBe(SECRET);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    again.close();
  });

  it('encrypts a plain database in place when given its first passphrase', async () => {
    const file = join(tempDir(), 'plain.sqlite');
    const s = openSession(file);
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    const r = await s.dispatch('vault:rekey', { next: KEY });
    expect(r).toMatchObject({ ok: true, data: { state: 'unlocked', encrypted: true } });
    s.vault.closeQuietly();
    expect(readFileSync(file).includes(Buffer.from(SAMPLE_FACILITY.name))).toBe(false);
    expect(() => openDatabase(file)).toThrow(PassphraseRequiredError);
    const db = openDatabase(file, { key: KEY });
    expect(db.prepare('SELECT name FROM facilities').pluck().get()).toBe(SAMPLE_FACILITY.name);
    db.close();
  });

  it('creates the database, its WAL and its folder readable by the owner only', async () => {
    const file = await encryptedDbWithRecord();
    const s = openSession(file, { key: KEY });
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    s.vault.closeQuietly();
  });
});
