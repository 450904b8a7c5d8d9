// The vault's own steps, each on a small database: passphrase checks, the passphrase change, backups,
// restore and the history check. Fast enough to run for every mutant of vault.ts (npm run mutate):
// the databases are copied from a template made once (no migrations per test), and the encrypted
// ones use a raw 256-bit key (`x'…'`), which SQLCipher takes as the key itself, skipping its key
// derivation (a third of a second per open); the passphrases a user types take the same code path in
// the vault, only SQLCipher derives the key from them first.
import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBackupCopy, readBackupSummary } from '../../db/backup';
import { fileKind, openDatabase, opensWithKey, rekeyedCopy } from '../../db/connect';
import { writeSetting } from '../../db/history/chained';
import { defaultMigrationsDir, loadMigrations } from '../../db/migrate';
import { headTip } from '../../db/history/anchors';
import type { BundleStep } from '../../db/sync/bundle';
import { AppError } from '../../shared/errors';
import { cleanupTempDirs, tempDir } from '../../test/helpers';
import { checkBackup, writeBackup, writeRekeyedCopy } from './long-reads';
import { Vault, describeLoss } from './vault';

/** A raw key: SQLCipher uses it as the key itself, without deriving one (the slow part of an open). */
const raw = (c: string) => `x'${c.repeat(64)}'`;
const K1 = raw('a');
const K2 = raw('b');
const K3 = raw('c');

let templates: string;
const PLAIN = () => join(templates, 'plain.sqlite');
const ENCRYPTED = () => join(templates, 'encrypted.sqlite');

beforeAll(() => {
  templates = mkdtempSync(join(tmpdir(), 'attest-vault-templates-'));
  openDatabase(PLAIN()).close();
  openDatabase(ENCRYPTED(), { key: K1 }).close();
});
afterAll(() => rmSync(templates, { recursive: true, force: true }));
afterEach(cleanupTempDirs);

function ticking(start = Date.parse('2026-06-20T10:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

/** A migrated, empty database in a folder of its own, plain or encrypted with K1. */
function fresh(encrypted = false): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'attest.sqlite');
  copyFileSync(encrypted ? ENCRYPTED() : PLAIN(), file);
  return { dir, file };
}

function opened(encrypted = false, options: ConstructorParameters<typeof Vault>[1] = {}) {
  const { dir, file } = fresh(encrypted);
  const clock = ticking();
  const v = new Vault(file, { now: clock.now, ...options });
  v.open(encrypted ? K1 : null);
  return { dir, file, v, clock };
}

let n = 0;
/** One chained write (a setting), as any handler makes: one more history entry. */
function write(v: Vault, times = 1): void {
  for (let i = 0; i < times; i++) writeSetting(v.db(), `test-${++n}`, 'x', { at: '2026-06-20T10:00:00.000Z', by: null });
  v.noteTip();
}

const readText = (file: string) => readFileSync(file, 'utf8');

const seq = (v: Vault) => headTip(v.db()).seq;

function caught(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('did not throw');
}

/**
 * A passphrase change run on this thread, as the CLI runs it: the copy written and checked by the
 * long reads' own steps; `onStep` sees every step.
 */
function rekey(v: Vault, current: string | undefined, next: string, onStep: BundleStep = () => undefined, migrationsDir?: string) {
  const job = { signal: new AbortController().signal, check: () => undefined, writing: () => undefined };
  const open = { file: v.file, key: v.encrypted ? (current ?? null) : null, ...(migrationsDir ? { migrationsDir } : {}) };
  return v.rekey(current, next, { job, onStep, copy: (req) => writeRekeyedCopy(v.db(), open, req, onStep) });
}

async function rejected(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('did not reject');
}

const backupsIn = (folder: string) => (existsSync(folder) ? readdirSync(folder).filter((f) => /^attest-.*\.sqlite$/.test(f)).sort() : []);

describe('state and status', () => {
  it('is new while the file is missing or empty, locked when it exists, unlocked once open; encrypted as the file says', () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const v = new Vault(file);
    expect(v.status()).toEqual({ state: 'new', encrypted: null, file, notices: [], problem: null });
    expect(v.isOpen).toBe(false);
    writeFileSync(file, '');
    expect(v.status()).toMatchObject({ state: 'new', encrypted: null });
    copyFileSync(ENCRYPTED(), file);
    expect(v.status()).toMatchObject({ state: 'locked', encrypted: true });
    copyFileSync(PLAIN(), file);
    expect(v.status()).toMatchObject({ state: 'locked', encrypted: false });
    expect(v.rekeyingFile).toBe(`${file}.rekeying`);
    expect(v.previousKeyFile).toBe(`${file}.previous-passphrase`);
  });

  it('answers LOCKED until opened; encrypted follows the key in use once open', () => {
    const { file } = fresh(true);
    const v = new Vault(file);
    expect(caught(() => v.db())).toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/locked: unlock it/) });
    const db = v.open(K1);
    expect(v.isOpen).toBe(true);
    expect(v.open(K2)).toBe(db); // already open: the same connection, the key is not tried
    expect(v.db()).toBe(db);
    expect(v.status()).toMatchObject({ state: 'unlocked', encrypted: true });
    // Once open, the key in use says it, whatever is at the path now (here: nothing).
    rmSync(file);
    expect(v.encrypted).toBe(true);
    const plain = opened();
    copyFileSync(ENCRYPTED(), plain.file);
    expect(plain.v.encrypted).toBe(false);
    v.closeQuietly();
    plain.v.closeQuietly();
  });

  it('hands back a copy of its notices, and the repairs found before opening', () => {
    const { file } = fresh();
    writeFileSync(`${file}.restoring`, 'half a copy');
    const v = new Vault(file);
    expect(v.recovered).toEqual([expect.stringMatching(/unfinished copy was removed/)]);
    expect(existsSync(`${file}.restoring`)).toBe(false);
    const s = v.status();
    s.notices.push('changed by the caller');
    expect(v.status().notices).toHaveLength(1);
  });

  it('a read-only vault repairs nothing before opening', () => {
    const { file } = fresh();
    writeFileSync(`${file}.restoring`, 'half a copy');
    const v = new Vault(file, { readonly: true });
    expect(v.recovered).toEqual([]);
    expect(existsSync(`${file}.restoring`)).toBe(true);
  });

  it('uses the real clock when given none', () => {
    const { file } = fresh();
    const v = new Vault(file);
    v.open(null);
    const before = Date.now();
    const list = v.listBackups();
    expect(Date.parse(list.lastBackupAt!)).toBeGreaterThanOrEqual(before - 5_000);
    expect(Date.parse(list.lastBackupAt!)).toBeLessThanOrEqual(Date.now());
    v.closeQuietly();
  });
});

describe('setup, unlock, lock', () => {
  it('sets up a new database, encrypted or not, and refuses to set up one that exists', () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const v = new Vault(file);
    expect(v.setup(K1)).toMatchObject({ state: 'unlocked', encrypted: true });
    expect(fileKind(file)).toBe('encrypted');
    v.closeQuietly();
    expect(caught(() => v.setup(K2))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already set up/) });
    const p = new Vault(join(dir, 'plain.sqlite'));
    expect(p.setup(null)).toMatchObject({ state: 'unlocked', encrypted: false });
    p.closeQuietly();
  });

  it('openIfPlain opens a plain database and leaves an encrypted one locked', () => {
    const plain = new Vault(fresh().file);
    plain.openIfPlain();
    expect(plain.isOpen).toBe(true);
    plain.closeQuietly();
    const enc = new Vault(fresh(true).file);
    enc.openIfPlain();
    expect(enc.isOpen).toBe(false);
  });

  it('unlocks with the right passphrase, refuses a wrong one naming the field, and a missing or empty file', () => {
    const { file } = fresh(true);
    const v = new Vault(file);
    const wrong = caught(() => v.unlock(K2));
    expect(wrong).toBeInstanceOf(AppError);
    expect(wrong).toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: 'That passphrase does not unlock this database. Check it and try again.',
      issues: [{ path: ['passphrase'], message: 'wrong passphrase' }],
    });
    expect(v.isOpen).toBe(false);
    expect(v.unlock(K1)).toMatchObject({ state: 'unlocked', encrypted: true });
    expect(v.unlock(K2)).toMatchObject({ state: 'unlocked' }); // already open
    v.closeQuietly();
    const dir = tempDir();
    const missing = new Vault(join(dir, 'none.sqlite'));
    expect(caught(() => missing.unlock(K1))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/set one up first/) });
    writeFileSync(join(dir, 'empty.sqlite'), '');
    expect(caught(() => new Vault(join(dir, 'empty.sqlite')).unlock(K1))).toMatchObject({ code: 'NOT_FOUND' });
    expect(existsSync(join(dir, 'none.sqlite'))).toBe(false);
  });

  it('a file that is not a database, given a passphrase, is a wrong passphrase; a damaged database is DATABASE', () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    writeFileSync(file, Buffer.alloc(8192, 7));
    expect(caught(() => new Vault(file).unlock(K1))).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    // A database from a newer Attest: opening it fails with the driver's own reason.
    const future = fresh(true).file;
    const db = openDatabase(future, { key: K1, create: false });
    db.pragma('user_version = 999');
    db.close();
    const e = caught(() => new Vault(future).unlock(K1));
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/newer/) });
  });

  it('a read-only database file opened for writing is READ_ONLY in one sentence', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const { dir, file } = fresh(true);
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    const target = join(ro, 'attest.sqlite');
    copyFileSync(file, target);
    chmodSync(target, 0o400);
    chmodSync(ro, 0o500);
    try {
      const e = caught(() => new Vault(target).unlock(K1));
      expect(e).toBeInstanceOf(AppError);
      expect(['READ_ONLY', 'NO_PERMISSION']).toContain(e.code);
    } finally {
      chmodSync(ro, 0o700);
    }
  });

  it('locks an encrypted database: closed, key forgotten, tip recorded; a plain one cannot be locked', () => {
    const { dir, v } = opened(true);
    mkdirSync(join(dir, 'backups'));
    write(v, 2);
    expect(v.lock()).toMatchObject({ state: 'locked', encrypted: true });
    expect(v.isOpen).toBe(false);
    expect(caught(() => v.db())).toMatchObject({ code: 'LOCKED' });
    expect(JSON.parse(readText(join(dir, 'backups', 'attest-tip.json')))).toMatchObject({ seq: 2 });
    expect(v.lock()).toMatchObject({ state: 'locked' }); // already locked
    const p = opened();
    expect(caught(() => p.v.lock())).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/not encrypted/) });
    expect(p.v.isOpen).toBe(true);
    p.v.closeQuietly();
  });

  it('after a lock, the writes made before it still count towards the next automatic backup', () => {
    const { dir, v } = opened(true);
    v.configureBackups({ everyWrites: 3, everyMinutes: 0 });
    write(v, 1); // two writes with the plan
    v.lock();
    v.unlock(K1);
    write(v, 1);
    void v.maybeAutoBackup();
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(1);
    v.closeQuietly();
    // Closed (not locked) with writes since the backup: reopened, the count starts again.
    v.open(K1);
    write(v, 2);
    v.closeQuietly();
    v.open(K1);
    write(v, 2);
    void v.maybeAutoBackup();
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(1);
    v.closeQuietly();
  });
});

describe('the file under the open connection', () => {
  it('says nothing while the file is the one opened, and nothing when closed', () => {
    const { v } = opened();
    write(v);
    v.checkFile();
    v.checkFile({ deep: true });
    v.closeQuietly();
    v.checkFile();
  });

  it('stops when the file is renamed over (another inode), and stays stopped', () => {
    const { dir, file, v } = opened();
    write(v);
    copyFileSync(file, join(dir, 'other.sqlite'));
    renameSync(join(dir, 'other.sqlite'), file);
    const e = caught(() => v.checkFile());
    expect(e).toMatchObject({ code: 'FILE_REPLACED', message: `the database file ${file} was replaced by another file while Attest had it open. Attest stopped writing to it. Close Attest, check the file (attest verify) and open it again.` });
    expect(caught(() => v.checkFile())).toMatchObject({ code: 'FILE_REPLACED', message: e.message });
    expect(caught(() => v.db())).toMatchObject({ code: 'FILE_REPLACED', message: e.message });
    expect(v.status().problem).toBe(e.message);
    v.closeQuietly();
  });

  it('stops when the file is deleted', () => {
    const { file, v } = opened();
    rmSync(file);
    expect(caught(() => v.checkFile())).toMatchObject({ code: 'FILE_REPLACED', message: expect.stringMatching(/^the database file .* was moved or deleted while Attest had it open\. Attest stopped/) });
    v.closeQuietly();
  });

  it('stops when an older copy is written over the file (same inode): the last entry seen is gone', () => {
    const { dir, file, v } = opened();
    write(v, 2);
    v.db().pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(file, join(dir, 'older.sqlite'));
    write(v, 1);
    v.db().pragma('wal_checkpoint(TRUNCATE)');
    // Over the open file, the same inode: the cached pages still hold entry 3 until the deep check.
    const older = readFileSync(join(dir, 'older.sqlite'));
    writeFileSync(file, older);
    const e = caught(() => v.checkFile({ deep: true }));
    expect(e).toMatchObject({ code: 'FILE_REPLACED', message: expect.stringMatching(/^the database file .* was changed underneath Attest: its history no longer holds entry 3, the last one Attest saw \(an older copy put over it\?\)\. Attest stopped/) });
    v.closeQuietly();
  });

  it('stops when the file no longer reads as a database', () => {
    const { file, v } = opened();
    write(v);
    v.db().pragma('wal_checkpoint(TRUNCATE)');
    writeFileSync(file, Buffer.alloc(statSync(file).size, 9));
    expect(caught(() => v.checkFile({ deep: true }))).toMatchObject({ code: 'FILE_REPLACED', message: expect.stringMatching(/was changed underneath Attest and no longer reads as a database \(/) });
    v.closeQuietly();
  });

  it('a tip the connection has not noted yet is not checked; an empty history holds nothing to miss', () => {
    const { dir, file, v } = opened();
    v.checkFile({ deep: true });
    write(v);
    v.db().pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(file, join(dir, 'one.sqlite'));
    write(v);
    v.db().pragma('wal_checkpoint(TRUNCATE)');
    writeFileSync(file, readFileSync(join(dir, 'one.sqlite')));
    expect(caught(() => v.checkFile({ deep: true }))).toMatchObject({ code: 'FILE_REPLACED' });
    // noteTip does nothing once stopped
    v.noteTip();
    v.closeQuietly();
  });

  it('a reopen after FILE_REPLACED starts again', () => {
    const { file, v } = opened();
    rmSync(file);
    expect(() => v.checkFile()).toThrow();
    v.closeQuietly();
    copyFileSync(PLAIN(), file);
    v.open(null);
    expect(v.status().problem).toBeNull();
    v.checkFile({ deep: true });
    v.closeQuietly();
  });
});

describe('changing the passphrase', () => {
  it('needs the current passphrase: none or a wrong one is refused and nothing changes', async () => {
    const { dir, file, v } = opened(true);
    write(v);
    for (const current of [undefined, K2]) {
      const e = await rejected(rekey(v, current, K3));
      expect(e).toMatchObject({ code: 'WRONG_PASSPHRASE', message: 'the current passphrase is wrong; the passphrase was not changed', issues: [{ path: ['current'], message: 'wrong passphrase' }] });
    }
    expect(backupsIn(join(dir, 'backups'))).toEqual([]);
    v.closeQuietly();
    expect(opensWithKey(file, K1)).toBe(true);
  });

  it('backs up first, writes, checks and renames a re-keyed copy, in four steps; the old passphrase is kept to be recognised', async () => {
    const { dir, file, v } = opened(true);
    write(v, 2);
    const ino = statSync(file).ino;
    const steps: [string, number, number][] = [];
    expect(await rekey(v, K1, K2, (s, d, t) => steps.push([s, d, t]))).toMatchObject({ state: 'unlocked', encrypted: true });
    expect(steps).toEqual([
      ['backing up the database first', 0, 4],
      ['writing a copy under the new passphrase', 1, 4],
      ['checking the copy (integrity, history)', 2, 4],
      ['putting the copy in place', 3, 4],
    ]);
    expect(statSync(file).ino).not.toBe(ino);
    const backups = backupsIn(join(dir, 'backups'));
    expect(backups).toHaveLength(1);
    expect(opensWithKey(join(dir, 'backups', backups[0]!), K1)).toBe(true);
    expect(seq(v)).toBe(2);
    expect(readdirSync(dir).filter((f) => f.includes('rekeying') || f.endsWith('-wal') || f.endsWith('-shm'))).toEqual(['attest.sqlite-shm', 'attest.sqlite-wal']);
    expect(opensWithKey(v.previousKeyFile, K1)).toBe(true);
    v.closeQuietly();
    expect(opensWithKey(file, K2)).toBe(true);
    expect(opensWithKey(file, K1)).toBe(false);
    // Unlocking with the previous one names it, with the time of the change.
    utimesSync(`${file}.previous-passphrase`, new Date('2026-06-21T08:30:00Z'), new Date('2026-06-21T08:30:00Z'));
    const locked = new Vault(file);
    const e = caught(() => locked.unlock(K1));
    expect(e).toMatchObject({ code: 'WRONG_PASSPHRASE', message: 'That is the previous passphrase: it was changed on 2026-06-21 08:30 UTC. Unlock with the new one.', issues: [{ path: ['passphrase'], message: e.message }] });
    expect(caught(() => locked.unlock(K3)).message).toMatch(/does not unlock this database/);
    locked.unlock(K2);
    expect(locked.recovered).toEqual([]);
    expect(existsSync(locked.previousKeyFile)).toBe(true);
    locked.closeQuietly();
  });

  it('encrypts a plain database without a current passphrase, and leaves no previous-passphrase file', async () => {
    const first = opened();
    write(first.v);
    expect(await rekey(first.v, undefined, K2)).toMatchObject({ encrypted: true }); // none there to remove
    first.v.closeQuietly();
    const { file, v } = opened();
    write(v);
    writeFileSync(v.previousKeyFile, 'left from before');
    expect(await rekey(v, undefined, K2)).toMatchObject({ encrypted: true });
    expect(existsSync(v.previousKeyFile)).toBe(false);
    v.closeQuietly();
    expect(fileKind(file)).toBe('encrypted');
    expect(opensWithKey(file, K2)).toBe(true);
  });

  it('removes the leftovers of an earlier attempt before writing its copy', async () => {
    const { file, v } = opened(true);
    write(v);
    for (const ext of ['', '-journal', '-wal', '-shm']) writeFileSync(`${file}.rekeying${ext}`, 'stale');
    await rekey(v, K1, K2);
    expect(readdirSync(v.file.replace(/attest\.sqlite$/, '')).filter((f) => f.includes('rekeying'))).toEqual([]);
    v.closeQuietly();
  });

  it('refuses, changing nothing, while another connection has the file open', async () => {
    const { file, v } = opened(true);
    write(v);
    const other = openDatabase(file, { key: K1, create: false });
    try {
      expect(await rejected(rekey(v, K1, K2))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/another program .* has this database open; close it and change the passphrase again\. Nothing was changed\./) });
      expect(existsSync(v.rekeyingFile)).toBe(false);
      expect(v.isOpen).toBe(true);
      expect(v.encrypted).toBe(true);
      expect(seq(v)).toBe(1);
    } finally {
      other.close();
    }
    v.closeQuietly();
    expect(opensWithKey(file, K1)).toBe(true);
    expect(opensWithKey(file, K2)).toBe(false);
  });

  it('writes the copy again, keeping the write, when the database was written while the copy was made', async () => {
    const { file, v } = opened(true);
    write(v, 2);
    const steps: string[] = [];
    const status = await rekey(v, K1, K2, (step, done) => {
      steps.push(step);
      if (done !== 2 || steps.filter((s) => s === step).length > 1) return;
      const other = openDatabase(file, { key: K1, create: false });
      writeSetting(other, 'in between', 'x', { at: '2026-06-20T10:00:00.000Z', by: null });
      other.close();
    });
    expect(status).toMatchObject({ state: 'unlocked', encrypted: true });
    expect(steps).toContain('writing the copy again: the database changed meanwhile');
    expect(existsSync(v.rekeyingFile)).toBe(false);
    expect(seq(v)).toBe(3);
    v.closeQuietly();
    expect(opensWithKey(file, K2)).toBe(true);
  });

  it('refuses a copy whose history does not verify, and removes it', async () => {
    const { file, v } = opened(true);
    write(v, 2);
    // Broken under the open connection: a record's content changed without a new entry.
    const raw = openDatabase(file, { key: K1, create: false, check: 'none' });
    raw.prepare(`UPDATE record_versions SET data = '{"value":"changed"}' WHERE (entity, id) = (SELECT entity, id FROM audit_log WHERE seq = 1)`).run();
    raw.close();
    const e = await rejected(rekey(v, K1, K2));
    expect(e).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/^the re-keyed copy does not verify \(.+\); the passphrase was not changed$/) });
    expect(existsSync(v.rekeyingFile)).toBe(false);
    expect(existsSync(v.previousKeyFile)).toBe(false);
    v.closeQuietly();
    expect(opensWithKey(file, K1)).toBe(true);
  });

  it('the copy is checked with the new passphrase, read-only, whole', async () => {
    const { dir, v } = opened(true);
    write(v);
    await rekey(v, K1, K2);
    // The copy was opened read-only: no migration or WAL left beside the renamed file's old name.
    expect(readdirSync(dir).filter((f) => f.startsWith('attest.sqlite.rekeying'))).toEqual([]);
    expect(v.verify({ full: true })).toMatchObject({ ok: true, auditRows: 1 });
    v.closeQuietly();
  });

  it('an interrupted change (copy left beside the file) is dropped on open, with a notice, and its new passphrase is recognised', () => {
    const { file, v } = opened(true);
    write(v);
    rekeyedCopy(v.db(), K1, v.rekeyingFile, K2);
    writeFileSync(v.previousKeyFile, 'written by the same attempt');
    v.closeQuietly();
    const locked = new Vault(file);
    const e = caught(() => locked.unlock(K2));
    expect(e).toMatchObject({ code: 'WRONG_PASSPHRASE', message: 'That is the new passphrase of a change that was interrupted before it finished: the database still opens with the previous passphrase.' });
    for (const ext of ['-journal', '-wal', '-shm']) writeFileSync(`${locked.rekeyingFile}${ext}`, 'x');
    expect(locked.unlock(K1).notices).toEqual(['A passphrase change was interrupted before it finished: the database still uses the previous passphrase. Change it again if you want to.']);
    expect(readdirSync(join(file, '..')).filter((f) => f.includes('rekeying') || f.includes('previous'))).toEqual([]);
    locked.closeQuietly();
    // Opened read-only, nothing is dropped.
    rekeyedCopy(openDatabase(file, { key: K1, create: false }), K1, `${file}.rekeying`, K2);
  });

  it('a read-only open leaves an interrupted change alone', () => {
    const { file, v } = opened(true);
    write(v);
    rekeyedCopy(v.db(), K1, v.rekeyingFile, K2);
    v.closeQuietly();
    const ro = new Vault(file, { readonly: true });
    ro.open(K1);
    expect(ro.recovered).toEqual([]);
    expect(existsSync(ro.rekeyingFile)).toBe(true);
    ro.closeQuietly();
  });
});

describe('the history check', () => {
  it('checks the whole history, records the tip and the time; then reads only what came after', () => {
    const { dir, v, clock } = opened();
    mkdirSync(join(dir, 'backups'));
    write(v, 2);
    const first = v.verify();
    expect(first).toMatchObject({ ok: true, auditRows: 2, firstBroken: null, recordedTips: { checked: 0, superseded: 0 }, checkedAt: '2026-06-20T10:00:00.000Z', wholeHistoryCheckedAt: '2026-06-20T10:00:00.000Z' });
    expect(JSON.parse(readText(join(dir, 'backups', 'attest-tip.json')))).toMatchObject({ seq: 2 });
    clock.advance(60_000);
    write(v, 1);
    const next = v.verify();
    expect(next).toMatchObject({ ok: true, checkedAt: '2026-06-20T10:01:00.000Z', wholeHistoryCheckedAt: '2026-06-20T10:00:00.000Z' });
    expect(JSON.parse(readText(join(dir, 'backups', 'attest-tip.json')))).toMatchObject({ seq: 3 });
    // Only what came after the last check was read: damage before it, made through this same
    // connection, is found by the whole check alone.
    v.db().prepare(`UPDATE record_versions SET data = '{"value":"changed"}' WHERE (entity, id) = (SELECT entity, id FROM audit_log WHERE seq = 1)`).run();
    write(v, 1);
    expect(v.verify()).toMatchObject({ ok: true });
    const tipBefore = readText(join(dir, 'backups', 'attest-tip.json'));
    expect(JSON.parse(tipBefore)).toMatchObject({ seq: 4 });
    write(v, 1);
    clock.advance(60_000);
    expect(v.verify({ full: true })).toMatchObject({ ok: false, firstBroken: { seq: 1 }, wholeHistoryCheckedAt: '2026-06-20T10:02:00.000Z' });
    // A broken history is not recorded as a tip.
    expect(readText(join(dir, 'backups', 'attest-tip.json'))).toBe(tipBefore);
    v.closeQuietly();
  });

  it('reads it whole again when another connection wrote since', () => {
    const { file, v, clock } = opened();
    write(v, 2);
    v.verify();
    const other = openDatabase(file, { create: false });
    writeSetting(other, 'other', 'y', { at: '2026-06-20T10:00:00.000Z', by: null });
    other.close();
    clock.advance(60_000);
    expect(v.verify()).toMatchObject({ ok: true, auditRows: 3, wholeHistoryCheckedAt: '2026-06-20T10:01:00.000Z' });
    v.closeQuietly();
  });

  it('a broken history stays reported as found until checked whole or written by another connection', () => {
    const { file, v, clock } = opened();
    write(v, 2);
    const other = openDatabase(file, { create: false, check: 'none' });
    other.prepare(`UPDATE record_versions SET data = '{"value":"changed"}' WHERE (entity, id) = (SELECT entity, id FROM audit_log WHERE seq = 1)`).run();
    const broken = v.verify({ full: true });
    expect(broken).toMatchObject({ ok: false, firstBroken: { seq: 1 } });
    expect(broken.recordedTips).toBeUndefined();
    clock.advance(60_000);
    expect(v.verify()).toBe(broken); // the same report, not read again
    write(v, 1);
    expect(v.verify()).toBe(broken); // the app's own writes do not mend it
    other.prepare(`UPDATE record_versions SET data = '{"value":"y"}' WHERE (entity, id) = (SELECT entity, id FROM audit_log WHERE seq = 1)`).run();
    other.close();
    const again = v.verify();
    expect(again).not.toBe(broken);
    expect(again).toMatchObject({ ok: false, checkedAt: '2026-06-20T10:01:00.000Z' });
    clock.advance(60_000);
    expect(v.verify({ full: true })).toMatchObject({ ok: false, checkedAt: '2026-06-20T10:02:00.000Z' });
    v.closeQuietly();
  });

  it('after a broken check is mended by another connection, the next check reads it whole again', () => {
    const { file, v } = opened();
    write(v, 2);
    const original = openDatabase(file, { create: false, check: 'none' });
    const data = original.prepare('SELECT data FROM record_versions WHERE (entity, id) = (SELECT entity, id FROM audit_log WHERE seq = 1)').pluck().get() as string;
    original.prepare(`UPDATE record_versions SET data = '{"value":"changed"}' WHERE (entity, id) = (SELECT entity, id FROM audit_log WHERE seq = 1)`).run();
    expect(v.verify()).toMatchObject({ ok: false });
    original.prepare('UPDATE record_versions SET data = ? WHERE (entity, id) = (SELECT entity, id FROM audit_log WHERE seq = 1)').run(data);
    original.close();
    expect(v.verify()).toMatchObject({ ok: true, auditRows: 2 });
    v.closeQuietly();
  });

  it('a tip recorded in the backup folder that the history no longer reaches breaks the check', () => {
    const { dir, v } = opened();
    write(v, 3);
    v.backupNow();
    const tipFile = join(dir, 'backups', 'attest-tip.json');
    const tip = JSON.parse(readText(tipFile)) as { seq: number; hash: string };
    writeFileSync(tipFile, JSON.stringify({ ...tip, seq: 9 }));
    const r = v.verify({ full: true });
    expect(r).toMatchObject({ ok: false, recordedTips: { checked: 2 }, firstBroken: { table: 'recorded-tip' } });
    // A named tip (attest verify --against) is compared too.
    writeFileSync(tipFile, JSON.stringify(tip));
    const named = join(dir, 'named-tip.json');
    writeFileSync(named, JSON.stringify({ ...tip, seq: 7 }));
    expect(v.verify({ full: true, against: [named] })).toMatchObject({ ok: false, recordedTips: { checked: 3 } });
    expect(v.checkRecordedTips([named])).toMatchObject({ checked: 3, problem: { seq: 7 } });
    v.closeQuietly();
  });

  it('the tips of the default folder count when the plan names another one', () => {
    const { dir, v } = opened();
    write(v, 2);
    v.backupNow();
    mkdirSync(join(dir, 'usb'));
    v.configureBackups({ folder: join(dir, 'usb') });
    v.backupNow();
    expect(v.checkRecordedTips()).toMatchObject({ checked: 4, problem: null });
    v.closeQuietly();
  });

  it('verifyWith hands the reader the tip to read from, and records what it found', async () => {
    const { v, clock } = opened();
    write(v, 2);
    const asked: unknown[] = [];
    const { verifyRecords } = await import('../../db/history/verify');
    const read = (since: Parameters<typeof verifyRecords>[1]) => {
      asked.push(since);
      return Promise.resolve(verifyRecords(v.db(), since));
    };
    expect(await v.verifyWith({}, read)).toMatchObject({ ok: true, auditRows: 2 });
    clock.advance(1000);
    write(v, 1);
    expect(await v.verifyWith({}, read)).toMatchObject({ ok: true, wholeHistoryCheckedAt: '2026-06-20T10:00:00.000Z' });
    expect(asked).toEqual([undefined, { seq: 2, hash: expect.any(String) }]);
    v.closeQuietly();
    expect(caught(() => v.verify())).toMatchObject({ code: 'LOCKED' });
  });

  it('the check stops first when the file was replaced', () => {
    const { file, v } = opened();
    write(v);
    rmSync(file);
    expect(caught(() => v.verify())).toMatchObject({ code: 'FILE_REPLACED' });
    v.closeQuietly();
  });

  it('a second connection after a reopen is checked whole', () => {
    const { v, clock } = opened();
    write(v, 2);
    v.verify();
    v.closeQuietly();
    v.open(null);
    clock.advance(60_000);
    expect(v.verify()).toMatchObject({ ok: true, auditRows: 2, wholeHistoryCheckedAt: '2026-06-20T10:01:00.000Z' });
    v.closeQuietly();
  });

  it('locking forgets the last checks, found intact or broken', () => {
    const { v, clock } = opened(true);
    write(v, 2);
    v.verify();
    v.lock();
    v.unlock(K1);
    clock.advance(60_000);
    expect(v.verify()).toMatchObject({ ok: true, auditRows: 2, wholeHistoryCheckedAt: '2026-06-20T10:01:00.000Z' });
    v.db().prepare(`UPDATE record_versions SET data = '{"value":"changed"}' WHERE (entity, id) = (SELECT entity, id FROM audit_log WHERE seq = 1)`).run();
    const broken = v.verify({ full: true });
    expect(broken.ok).toBe(false);
    v.lock();
    v.unlock(K1);
    expect(v.verify()).not.toBe(broken);
    v.closeQuietly();
  });

  it('readerOpen names the file and key for a reader thread', () => {
    const { file, v } = opened(true);
    expect(v.readerOpen()).toStrictEqual({ file, key: K1 });
    const nb = new Vault(file, { nativeBinding: '/nowhere/better_sqlite3.node' });
    expect(caught(() => nb.readerOpen())).toMatchObject({ code: 'LOCKED' });
    v.closeQuietly();
  });
});

describe('backups', () => {
  it('backs up now into the plan folder, recording its tip; refuses a folder that does not exist', () => {
    const { dir, v, clock } = opened(true);
    write(v, 2);
    clock.advance(5000);
    const b = v.backupNow();
    expect(b).toMatchObject({ name: 'attest-20260620T100005000Z.sqlite', createdAt: '2026-06-20T10:00:05.000Z', complete: true });
    expect(opensWithKey(b.file, K1)).toBe(true);
    expect(existsSync(`${b.file.replace(/\.sqlite$/, '')}.tip.json`) || readdirSync(join(dir, 'backups')).some((f) => f.endsWith('.tip.json'))).toBe(true);
    const list = v.listBackups();
    expect(list).toMatchObject({ folder: join(dir, 'backups'), lastBackupAt: '2026-06-20T10:00:05.000Z', lastError: null });
    expect(list.items.map((i) => i.name)).toEqual(['attest-20260620T100005000Z.sqlite']);
    expect(caught(() => v.backupNow(join(dir, 'nope')))).toMatchObject({ code: 'INVALID_INPUT', message: `folder: ${join(dir, 'nope')} is not an existing folder`, issues: [{ path: ['folder'], message: 'not an existing folder' }] });
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(caught(() => v.backupNow(join(dir, 'a-file')))).toMatchObject({ code: 'INVALID_INPUT' });
    mkdirSync(join(dir, 'usb'));
    v.backupNow(join(dir, 'usb'));
    expect(backupsIn(join(dir, 'usb'))).toHaveLength(1);
    v.closeQuietly();
  });

  it('a folder asked for is not pruned; the plan folder keeps its last K', () => {
    const { dir, v, clock } = opened();
    v.configureBackups({ keep: 1 });
    mkdirSync(join(dir, 'usb'));
    for (let i = 0; i < 2; i++) {
      clock.advance(1000);
      v.backupNow();
      v.backupNow(join(dir, 'usb'));
    }
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(1);
    expect(backupsIn(join(dir, 'usb'))).toHaveLength(2);
    v.closeQuietly();
  });

  it('configures the plan (chained), refusing a folder that does not exist or is a file', () => {
    const { dir, v } = opened();
    expect(v.backupSettings()).toEqual({ folder: null, everyWrites: 50, everyMinutes: 15, keep: 10, onClose: true, folderInUse: join(dir, 'backups') });
    expect(caught(() => v.configureBackups({ folder: join(dir, 'nope') }))).toMatchObject({ code: 'INVALID_INPUT', message: `folder: ${join(dir, 'nope')} is not an existing folder`, issues: [{ path: ['folder'], message: 'not an existing folder' }] });
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(caught(() => v.configureBackups({ folder: join(dir, 'a-file') }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(seq(v)).toBe(0);
    mkdirSync(join(dir, 'usb'));
    expect(v.configureBackups({ folder: join(dir, 'usb'), keep: 3 }, 'ana')).toEqual({ folder: join(dir, 'usb'), everyWrites: 50, everyMinutes: 15, keep: 3, onClose: true, folderInUse: join(dir, 'usb') });
    expect(v.configureBackups({ everyWrites: 5 })).toMatchObject({ folder: join(dir, 'usb'), keep: 3, everyWrites: 5 });
    expect(v.db().prepare('SELECT user FROM audit_log ORDER BY seq').pluck().all()).toEqual(['ana', null]);
    v.closeQuietly();
  });

  it('backupWith writes through the given copier, one at a time, and records the tip', async () => {
    const { dir, v } = opened();
    write(v, 2);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const copy = async (folder: string, now: Date, keep: number | undefined) => {
      order.push(`start ${keep}`);
      await gate;
      const b = writeBackup(v.db(), { file: v.file, key: null }, folder, now, keep);
      order.push('end');
      return b;
    };
    const one = v.backupWith(undefined, copy);
    mkdirSync(join(dir, 'usb'));
    const two = v.backupWith(join(dir, 'usb'), copy);
    await Promise.resolve();
    expect(order).toEqual(['start 10']);
    release();
    await Promise.all([one, two]);
    expect(order).toEqual(['start 10', 'end', 'start undefined', 'end']);
    await v.backupsSettled();
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(1);
    expect(v.listBackups()).toMatchObject({ lastError: null, lastBackupAt: '2026-06-20T10:00:00.000Z' });
    expect(readdirSync(join(dir, 'usb')).filter((f) => f.endsWith('.tip.json'))).toHaveLength(1);
    // A failed one does not stop the next.
    const failing = v.backupWith(undefined, () => Promise.reject(new Error('disk gone')));
    const after = v.backupWith(undefined, copy);
    await expect(failing).rejects.toThrow('disk gone');
    await after;
    await v.backupsSettled();
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(2);
    v.closeQuietly();
  });

  it('backupsSettled waits for a running backup', async () => {
    const { v } = opened();
    let done = false;
    void v.backupWith(undefined, async (folder, now, keep) => {
      await new Promise((r) => setTimeout(r, 20));
      done = true;
      return writeBackup(v.db(), { file: v.file, key: null }, folder, now, keep);
    });
    await v.backupsSettled();
    expect(done).toBe(true);
    v.closeQuietly();
  });

  it('a backup finished after the vault closed records nothing', async () => {
    const { v } = opened();
    write(v);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const file = v.file;
    const p = v.backupWith(undefined, async (folder, now) => {
      await gate;
      const db = openDatabase(file, { create: false });
      try {
        return writeBackup(db, { file, key: null }, folder, now, undefined);
      } finally {
        db.close();
      }
    });
    v.closeQuietly();
    release();
    await p;
    expect(v.isOpen).toBe(false);
  });

  it('backs up automatically after N writes, or M minutes with a write; never with nothing written', () => {
    const { dir, v, clock } = opened();
    v.configureBackups({ everyWrites: 3, everyMinutes: 0 });
    const folder = join(dir, 'backups');
    void v.maybeAutoBackup();
    expect(backupsIn(folder)).toHaveLength(0); // 1 write
    write(v);
    void v.maybeAutoBackup();
    expect(backupsIn(folder)).toHaveLength(0); // 2 writes
    write(v);
    clock.advance(1000);
    void v.maybeAutoBackup();
    expect(backupsIn(folder)).toHaveLength(1); // 3 writes
    void v.maybeAutoBackup();
    expect(backupsIn(folder)).toHaveLength(1);
    v.configureBackups({ everyWrites: 0, everyMinutes: 10 });
    clock.advance(9 * 60_000);
    void v.maybeAutoBackup();
    expect(backupsIn(folder)).toHaveLength(1);
    clock.advance(60_000);
    void v.maybeAutoBackup();
    expect(backupsIn(folder)).toHaveLength(2);
    clock.advance(60 * 60_000);
    void v.maybeAutoBackup(); // nothing written since
    expect(backupsIn(folder)).toHaveLength(2);
    v.configureBackups({ everyWrites: 0, everyMinutes: 0 });
    clock.advance(60 * 60_000);
    write(v, 5);
    void v.maybeAutoBackup();
    expect(backupsIn(folder)).toHaveLength(2);
    v.closeQuietly();
    void v.maybeAutoBackup(); // closed: nothing
  });

  it('the automatic backup through a copier: not while one runs; a failure is reported, never thrown', async () => {
    const { dir, v, clock } = opened();
    v.configureBackups({ everyWrites: 1, everyMinutes: 0 });
    clock.advance(1000);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const copy = async (folder: string, now: Date, keep: number | undefined) => {
      calls++;
      await gate;
      return writeBackup(v.db(), { file: v.file, key: null }, folder, now, keep);
    };
    const first = v.maybeAutoBackup(copy);
    write(v);
    await v.maybeAutoBackup(copy);
    expect(calls).toBe(1);
    release();
    await first;
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(1);
    write(v);
    await v.maybeAutoBackup(() => Promise.reject(new Error('the USB stick was pulled')));
    expect(v.listBackups().lastError).toBe('automatic backup failed: the USB stick was pulled');
    // A backup that works clears the error.
    v.backupNow();
    expect(v.listBackups().lastError).toBeNull();
    // Without a copier, a failure (the folder removed and a file in its place) is recorded too.
    rmSync(join(dir, 'backups'), { recursive: true });
    writeFileSync(join(dir, 'backups'), 'not a folder');
    write(v);
    await expect(v.maybeAutoBackup()).resolves.toBeUndefined();
    expect(v.listBackups().lastError).toMatch(/^automatic backup failed: /);
    v.closeQuietly();
  });

  it('the automatic backup stops at a replaced file, and says why', async () => {
    const { file, v } = opened();
    v.configureBackups({ everyWrites: 1 });
    write(v);
    rmSync(file);
    await v.maybeAutoBackup();
    expect(v.listBackups).toBeDefined();
    v.closeQuietly();
    copyFileSync(PLAIN(), file);
    v.open(null);
    v.closeQuietly();
  });

  it('backs up on close when something was written and the plan says so', () => {
    const { dir, file, v } = opened();
    v.close(); // nothing written
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(0);
    v.open(null);
    write(v);
    v.close();
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(1);
    expect(v.isOpen).toBe(false);
    const off = new Vault(file, { now: () => new Date('2026-06-20T11:00:00Z') });
    off.open(null);
    off.configureBackups({ onClose: false });
    write(off);
    off.close();
    expect(backupsIn(join(dir, 'backups'))).toHaveLength(1);
    v.close(); // closed already
    v.closeQuietly();
    expect(v.isOpen).toBe(false);
  });

  it('a failed backup on close is recorded and the vault still closes, with the tip recorded', () => {
    const { dir, v } = opened(true);
    write(v);
    mkdirSync(join(dir, 'usb'));
    v.configureBackups({ folder: join(dir, 'usb') });
    rmSync(join(dir, 'usb'), { recursive: true });
    writeFileSync(join(dir, 'usb'), 'not a folder');
    v.close();
    expect(v.isOpen).toBe(false);
    expect(v.encrypted).toBe(true);
    v.open(K1);
    expect(v.listBackups().lastError).toMatch(/^backup on close failed: /);
    v.closeQuietly();
  });

  it('the tip file is recorded on close; a failure to record it is reported', () => {
    const { dir, v } = opened();
    mkdirSync(join(dir, 'backups'));
    write(v, 2);
    v.configureBackups({ onClose: false });
    v.close();
    expect(JSON.parse(readText(join(dir, 'backups', 'attest-tip.json')))).toMatchObject({ seq: 3 });
    v.open(null);
    write(v);
    rmSync(join(dir, 'backups', 'attest-tip.json'));
    mkdirSync(join(dir, 'backups', 'attest-tip.json'));
    v.recordTip();
    expect(v.listBackups().lastError).toMatch(/^the chain tip could not be recorded in the backup folder: /);
    rmSync(join(dir, 'backups', 'attest-tip.json'), { recursive: true });
    v.recordTip();
    expect(v.listBackups().lastError).toBeNull();
    v.closeQuietly();
  });

  it('a read-only vault records no tip', () => {
    const { dir, file, v } = opened();
    write(v);
    v.closeQuietly();
    mkdirSync(join(dir, 'backups'));
    const ro = new Vault(file, { readonly: true });
    ro.open(null);
    ro.recordTip();
    expect(existsSync(join(dir, 'backups', 'attest-tip.json'))).toBe(false);
    ro.closeQuietly();
  });
});

describe('restore', () => {
  function withBackup(encrypted = false) {
    const o = opened(encrypted);
    write(o.v, 2);
    o.clock.advance(1000);
    const b = o.v.backupNow();
    o.clock.advance(1000);
    return { ...o, b };
  }

  it('restores a backup of the same history: nothing lost, the current file kept aside, not chained', () => {
    const { dir, file, v, b } = withBackup(true);
    const r = v.restore(b.name);
    expect(r).toEqual({ restoredFrom: b.file, keptAside: `${file}.before-restore-20260620T100002000Z`, auditRows: 2, lost: null, entriesSetAside: 0 });
    expect(v.isOpen).toBe(true);
    expect(seq(v)).toBe(2);
    expect(v.encrypted).toBe(true);
    expect(opensWithKey(r.keptAside, K1)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('restoring'))).toEqual([]);
    v.closeQuietly();
  });

  it('refuses to lose history without acceptLoss, naming what would be lost; with it, restores and chains the restore', () => {
    const { dir, file, v, b } = withBackup();
    write(v, 3);
    const tip = headTip(v.db());
    const e = caught(() => v.restore(b.file));
    expect(e).toMatchObject({ code: 'NEEDS_CONFIRMATION', message: expect.stringMatching(/^Restoring this backup would lose 3 history entries \(changes to 3 records, the latest from 2026-06-20 10:00 UTC\)/), issues: [{ path: ['acceptLoss'], message: e.message }] });
    expect(seq(v)).toBe(5);
    expect(readdirSync(dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
    const r = v.restore(b.file, undefined, true, 'ana');
    expect(r).toMatchObject({ restoredFrom: b.file, auditRows: 2, lost: { entries: 3, records: 3, backupOnly: 0 }, entriesSetAside: 3 });
    // The restore is chained, naming what it set aside.
    expect(seq(v)).toBe(3);
    const entry = v.db().prepare(`SELECT data FROM record_versions WHERE entity = 'restore'`).pluck().get() as string;
    expect(JSON.parse(entry)).toMatchObject({ restoredFrom: b.file, setAside: tip, at: '2026-06-20T10:00:02.000Z' });
    expect(v.db().prepare('SELECT user FROM audit_log WHERE seq = 3').pluck().get()).toBe('ana');
    expect(v.verify({ full: true })).toMatchObject({ ok: true });
    // The tip file follows the restored history.
    expect(JSON.parse(readText(join(dir, 'backups', 'attest-tip.json')))).toMatchObject({ seq: 3 });
    v.closeQuietly();
    expect(statSync(file).size).toBeGreaterThan(0);
  });

  it('counts the entries set aside from the highest tip recorded, when it is past the current one', () => {
    const { dir, v, b } = withBackup();
    write(v, 1);
    // A tip file from a history 6 entries long, which this one no longer reaches.
    const tipFile = join(dir, 'backups', 'attest-tip.json');
    const t = JSON.parse(readText(tipFile)) as Record<string, unknown>;
    writeFileSync(tipFile, JSON.stringify({ ...t, seq: 6, hash: 'f'.repeat(64) }));
    const r = v.restore(b.file, undefined, true);
    expect(r.entriesSetAside).toBe(4);
    v.closeQuietly();
  });

  it('restores a backup made with another passphrase, given it, and stores it under the current one', () => {
    const { dir, file, v } = opened(true);
    write(v, 2);
    // A backup under K2 (as before a change of passphrase).
    const other = join(dir, 'other.sqlite');
    rekeyedCopy(v.db(), K1, other, K2);
    mkdirSync(join(dir, 'old'));
    const name = 'attest-20260101T000000000Z.sqlite';
    renameSync(other, join(dir, 'old', name));
    const from = join(dir, 'old', name);
    const none = caught(() => v.restore(from));
    expect(none).toMatchObject({ code: 'WRONG_PASSPHRASE', message: `The backup ${name} was made with another passphrase (the database's passphrase was changed since). Enter that backup's passphrase to restore it; it is then stored under the current passphrase.`, issues: [{ path: ['passphrase'], message: none.message }] });
    const wrong = caught(() => v.restore(from, K3));
    expect(wrong).toMatchObject({ code: 'WRONG_PASSPHRASE', message: `That passphrase does not open the backup ${name} either. Enter the passphrase the database had when the backup was made.` });
    expect(v.restore(from, K2)).toMatchObject({ auditRows: 2, lost: null });
    v.closeQuietly();
    expect(opensWithKey(file, K1)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('restoring'))).toEqual([]);
  });

  it('restores a plain backup into an encrypted database without asking for a passphrase, and the reverse', () => {
    const { dir, file, v } = opened(true);
    write(v, 2);
    const plainCopy = join(dir, 'attest-20260101T000000000Z.sqlite');
    rekeyedCopy(v.db(), K1, join(dir, 'tmp.sqlite'), K2);
    // Made plain from the K2 copy.
    const db = new Database(join(dir, 'tmp.sqlite'));
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = "${K2}"`);
    db.pragma(`rekey = ''`);
    db.close();
    renameSync(join(dir, 'tmp.sqlite'), plainCopy);
    expect(fileKind(plainCopy)).toBe('plain');
    expect(v.restore(plainCopy, K3)).toMatchObject({ auditRows: 2 });
    v.closeQuietly();
    expect(fileKind(file)).toBe('encrypted');
    expect(opensWithKey(file, K1)).toBe(true);
  });

  it('refuses what is not a whole Attest backup, naming the file field, and changes nothing', () => {
    const { dir, v } = withBackup();
    const before = seq(v);
    const e = caught(() => v.restore(join(dir, 'none.sqlite')));
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: `no backup file at ${join(dir, 'none.sqlite')}`, issues: [{ path: ['file'], message: e.message }] });
    writeFileSync(join(dir, 'backups', 'attest-20260101T000000000Z.sqlite'), '');
    expect(caught(() => v.restore('attest-20260101T000000000Z.sqlite'))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(seq(v)).toBe(before);
    v.closeQuietly();
  });

  it('refuses a backup cut or rewritten since it was written (its tip beside it no longer matches)', () => {
    const { dir, v, b } = withBackup();
    // Cut: the tip recorded beside it when it was written is past the end of its history now.
    const sidecar = `${b.file}.tip.json`;
    writeFileSync(sidecar, JSON.stringify({ ...(JSON.parse(readText(sidecar)) as object), seq: 5 }));
    const e = caught(() => v.restore(b.file));
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(new RegExp(`^the backup ${b.name} is refused: `)), issues: [{ path: ['file'] }] });
    expect(readdirSync(dir).filter((f) => f.includes('restoring'))).toEqual([]);
    v.closeQuietly();
  });

  it('refuses, changing nothing, while another connection has the database open', () => {
    const { dir, file, v, b } = withBackup();
    write(v, 1);
    const other = openDatabase(file, { create: false });
    try {
      expect(caught(() => v.restore(b.file, undefined, true))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/close it and restore again\. Nothing was changed\./) });
      expect(v.isOpen).toBe(true);
      expect(seq(v)).toBe(3);
      expect(readdirSync(dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
    } finally {
      other.close();
    }
    v.closeQuietly();
  });

  it('restoreWith checks through the given checker; a failed check removes its copy and names the field', async () => {
    const { dir, file, v, b } = withBackup(true);
    write(v, 1);
    const open = { file, key: K1 };
    const keys: (string | null)[] = [];
    const check = (from: string, key: string | null) => {
      keys.push(key);
      return Promise.resolve(checkBackup(open, from, key));
    };
    const loss = await rejected(v.restoreWith(b.name, undefined, false, null, check));
    expect(loss).toMatchObject({ code: 'NEEDS_CONFIRMATION' });
    expect(readdirSync(dir).filter((f) => f.includes('restoring'))).toEqual([]);
    expect(await v.restoreWith(b.name, undefined, true, null, check)).toMatchObject({ auditRows: 2, lost: { entries: 1 } });
    expect(keys).toEqual([K1, K1]);
    // A checker that fails halfway (cancelled): its copy goes.
    const cancelled = await rejected(
      v.restoreWith(b.name, undefined, true, null, () => {
        writeFileSync(`${file}.restoring`, 'half');
        return Promise.reject(new Error('cancelled'));
      }),
    );
    // Handed on as it came: not turned into a refusal of the backup.
    expect(cancelled).not.toBeInstanceOf(AppError);
    expect(cancelled.message).toBe('cancelled');
    expect(existsSync(`${file}.restoring`)).toBe(false);
    // A checker's BackupCheckError (as a reader thread sends it: by name) becomes the named field.
    const refused = await rejected(
      v.restoreWith(b.name, K3, true, null, () => {
        const e = new Error('the backup cannot be restored: the passphrase is wrong');
        e.name = 'BackupCheckError';
        return Promise.reject(e);
      }),
    );
    expect(refused).toMatchObject({ code: 'WRONG_PASSPHRASE', issues: [{ path: ['passphrase'] }] });
    const other = await rejected(
      v.restoreWith(b.name, undefined, true, null, () => {
        const e = new Error('not an Attest database');
        e.name = 'BackupCheckError';
        return Promise.reject(e);
      }),
    );
    expect(other).toMatchObject({ code: 'INVALID_INPUT', message: 'not an Attest database', issues: [{ path: ['file'], message: 'not an Attest database' }] });
    v.closeQuietly();
  });

  it('a copy that cannot be re-encrypted or opened is removed, nothing changed', () => {
    const { dir, file, v, b } = withBackup(true);
    const checked = checkBackupCopy(b.file, file, { key: K1 });
    // A checked copy that vanished before it could be re-keyed or opened.
    rmSync(checked.copy);
    const e = caught(() => (v as unknown as { finishRestore: (...a: unknown[]) => unknown }).finishRestore(b.file, K2, checked, true, null));
    expect(e).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/^the backup could not be re-encrypted with this database's passphrase; nothing changed: /) });
    const again = checkBackupCopy(b.file, file, { key: K1 });
    rmSync(again.copy);
    const e2 = caught(() => (v as unknown as { finishRestore: (...a: unknown[]) => unknown }).finishRestore(b.file, K1, again, true, null));
    expect(e2).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/^the backup's copy could not be opened; nothing changed: /) });
    expect(readdirSync(dir).filter((f) => f.includes('restoring'))).toEqual([]);
    expect(v.isOpen).toBe(true);
    v.closeQuietly();
  });

  it('a restore that cannot be chained into the copy changes nothing', () => {
    const { dir, v, b } = withBackup();
    write(v, 1);
    // A backup whose history refuses another entry (a trigger put in it after it was written).
    const db = new Database(b.file);
    db.exec(`CREATE TRIGGER no_more BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no more entries'); END`);
    db.close();
    rmSync(`${b.file}.tip.json`, { force: true });
    const e = caught(() => v.restore(b.file, undefined, true));
    expect(e).toMatchObject({ code: 'DATABASE', message: "the restore could not be recorded in the backup's copy; nothing changed: no more entries" });
    expect(seq(v)).toBe(3);
    expect(readdirSync(dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
    v.closeQuietly();
  });

  it('refuses while locked', () => {
    const { v, b } = withBackup(true);
    v.lock();
    expect(caught(() => v.restore(b.file))).toMatchObject({ code: 'LOCKED' });
  });
});

describe('describing a backup', () => {
  const read = (req: { file: string; key: string | null }) => Promise.resolve(readBackupSummary(req.file, req.key));

  it('reads what a backup holds, with the current database when asked, and caches it by file, size and time', async () => {
    const { v, b } = (() => {
      const o = opened(true);
      write(o.v, 2);
      return { ...o, b: o.v.backupNow() };
    })();
    let reads = 0;
    const counted = (req: { file: string; key: string | null }) => {
      reads++;
      return read(req);
    };
    const d = await v.describeBackup(b.name, undefined, true, counted);
    expect(d).toMatchObject({ file: b.file, name: b.name, summary: { auditRows: 2 }, needsPassphrase: false, problem: null, current: { auditRows: 2 } });
    expect(await v.describeBackup(b.file, undefined, false, counted)).toMatchObject({ summary: { auditRows: 2 }, current: null, problem: null, needsPassphrase: false });
    expect(reads).toBe(1);
    utimesSync(b.file, new Date('2026-07-01T00:00:00Z'), new Date('2026-07-01T00:00:00Z'));
    await v.describeBackup(b.file, undefined, false, counted);
    expect(reads).toBe(2);
    v.closeQuietly();
  });

  it('a backup under another passphrase needs it; a wrong one given is refused; a missing or empty file is a problem', async () => {
    const { dir, v } = opened(true);
    write(v);
    const other = join(dir, 'attest-20260101T000000000Z.sqlite');
    rekeyedCopy(v.db(), K1, other, K2);
    expect(await v.describeBackup(other, undefined, false, read)).toMatchObject({ summary: null, needsPassphrase: true, problem: null });
    expect(await rejected(v.describeBackup(other, K3, false, read))).toMatchObject({ code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/^That passphrase does not open the backup attest-20260101T000000000Z\.sqlite either/) });
    expect(await v.describeBackup(other, K2, false, read)).toMatchObject({ summary: { auditRows: 1 }, needsPassphrase: false });
    expect(await v.describeBackup(join(dir, 'none.sqlite'), undefined, false, read)).toEqual({ file: join(dir, 'none.sqlite'), name: 'none.sqlite', current: null, summary: null, needsPassphrase: false, problem: `no backup file at ${join(dir, 'none.sqlite')}` });
    writeFileSync(join(dir, 'attest-20260102T000000000Z.sqlite'), '');
    expect(await v.describeBackup(join(dir, 'attest-20260102T000000000Z.sqlite'), undefined, false, read)).toMatchObject({ summary: null, needsPassphrase: false, problem: expect.any(String) });
    // A plain SQLite file that is not Attest: the reader's problem is handed on.
    const foreign = join(dir, 'foreign.sqlite');
    new Database(foreign).exec('CREATE TABLE t (x)');
    expect(await v.describeBackup(foreign, undefined, false, (req) => {
      expect(req.key).toBeNull();
      return read(req);
    })).toMatchObject({ summary: null, needsPassphrase: false, problem: expect.stringMatching(/not an Attest database/) });
    v.closeQuietly();
  });

  it('passes the native binding to the reader when the vault has one', async () => {
    const { file } = fresh();
    const v = new Vault(file, { nativeBinding: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node') });
    v.open(null);
    const b = v.backupNow();
    const seen: unknown[] = [];
    await v.describeBackup(b.file, undefined, false, (req) => {
      seen.push(req);
      return read(req);
    });
    expect(seen).toEqual([{ file: b.file, key: null, nativeBinding: expect.stringMatching(/better_sqlite3\.node$/) }]);
    expect(v.readerOpen()).toMatchObject({ nativeBinding: expect.stringMatching(/better_sqlite3\.node$/) });
    v.closeQuietly();
  });
});

describe('a migrations folder of its own', () => {
  it('opens its backups and the re-keyed copy with the migrations it was given', async () => {
    const { dir, file } = fresh(true);
    const migrations = join(dir, 'migrations');
    mkdirSync(migrations);
    for (const f of readdirSync(defaultMigrationsDir()).filter((f) => f.endsWith('.sql'))) copyFileSync(join(defaultMigrationsDir(), f), join(migrations, f));
    const next = loadMigrations().length + 1;
    writeFileSync(join(migrations, `${String(next).padStart(4, '0')}_extra.sql`), 'CREATE TABLE extra (x INTEGER);');
    const v = new Vault(file, { migrationsDir: migrations, now: ticking().now });
    v.open(K1);
    expect(v.db().pragma('user_version', { simple: true })).toBe(next);
    write(v);
    expect(v.backupNow().complete).toBe(true);
    expect(await rekey(v, K1, K2, undefined, migrations)).toMatchObject({ state: 'unlocked', encrypted: true });
    v.closeQuietly();
  });
});

describe('describeLoss', () => {
  it('says what a restore would give up, in one sentence', () => {
    expect(describeLoss({ entries: 1, records: 1, latestAt: '2026-06-20T10:00:59.123Z', backupOnly: 0 })).toBe(
      'Restoring this backup would lose 1 history entry (changes to 1 record, the latest from 2026-06-20 10:00 UTC) that the current database holds and the backup does not. Confirm to restore anyway; the current database is kept aside.',
    );
    expect(describeLoss({ entries: 2, records: 3, latestAt: null, backupOnly: 4 })).toBe(
      "Restoring this backup would lose 2 history entries (changes to 3 records) that the current database holds and the backup does not. The backup's history also parts from the current one: it holds 4 entries the current database does not. Confirm to restore anyway; the current database is kept aside.",
    );
  });
});
