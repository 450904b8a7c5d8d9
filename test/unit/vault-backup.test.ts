import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { createSession, openSession } from '../../electron/core/session';
import { SAMPLE_FACILITY, cleanupTempDirs, contentHash, fixedClock, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

const KEY = 'office passphrase 2026';

function ticking(start = Date.parse('2026-06-20T10:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('the vault: first run, unlock, LOCKED', () => {
  it('answers only vault channels before unlock; every other channel of the contract answers LOCKED', async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const s = createSession(file);
    expect(await s.dispatch('vault:status', {})).toEqual({ ok: true, data: { state: 'new', encrypted: null, file, notices: [], problem: null } });
    for (const channel of CHANNEL_NAMES.filter((c) => !c.startsWith('vault:'))) {
      const r = await s.dispatch(channel, {});
      expect(r, channel).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    }
    expect(existsSync(file)).toBe(false);
  });

  it('sets up encrypted, locks on restart, refuses a wrong passphrase plainly, unlocks with the right one', async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const first = createSession(file, { now: fixedClock() });
    const short = await first.dispatch('vault:setup', { passphrase: 'short' });
    expect(short).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['passphrase'] }] } });
    expect(await first.dispatch('vault:setup', { passphrase: KEY })).toMatchObject({ ok: true, data: { state: 'unlocked', encrypted: true } });
    expect(await first.dispatch('facilities:create', SAMPLE_FACILITY)).toMatchObject({ ok: true });
    first.vault.closeQuietly();

    const next = createSession(file);
    next.vault.openIfPlain();
    expect(await next.dispatch('vault:status', {})).toMatchObject({ ok: true, data: { state: 'locked', encrypted: true } });
    expect(await next.dispatch('facilities:list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    const wrong = await next.dispatch('vault:unlock', { passphrase: 'not the passphrase' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/does not unlock/) } });
    expect(await next.dispatch('vault:setup', { passphrase: 'another passphrase' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await next.dispatch('vault:unlock', { passphrase: KEY })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await next.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 1 } });
    next.vault.closeQuietly();
  });

  it('sets up unencrypted only when asked explicitly, and then opens without a passphrase', async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const s = createSession(file);
    expect(await s.dispatch('vault:setup', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await s.dispatch('vault:setup', { noEncryption: true })).toMatchObject({ ok: true, data: { state: 'unlocked', encrypted: false } });
    s.vault.closeQuietly();
    expect(readFileSync(file).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
    const again = createSession(file);
    again.vault.openIfPlain();
    expect(again.vault.status().state).toBe('unlocked');
    again.vault.closeQuietly();
  });

  it('changes the passphrase only with the current one', async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const s = openSession(file, { key: KEY });
    expect(await s.dispatch('vault:rekey', { current: 'not it at all', next: 'the next passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', issues: [{ path: ['current'] }] },
    });
    expect(await s.dispatch('vault:rekey', { current: KEY, next: 'the next passphrase' })).toMatchObject({ ok: true });
    s.vault.closeQuietly();
    const again = createSession(file);
    expect(await again.dispatch('vault:unlock', { passphrase: KEY })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(await again.dispatch('vault:unlock', { passphrase: 'the next passphrase' })).toMatchObject({ ok: true });
    again.vault.closeQuietly();
  });
});

describe('backups', () => {
  it('backs up an encrypted database into an owner-only, still encrypted file that verifies', async () => {
    const dir = tempDir();
    const s = openSession(join(dir, 'attest.sqlite'), { key: KEY });
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    const b = await s.dispatch('backup:create', {});
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    const file = (b.data as { file: string }).file;
    expect(file.startsWith(join(dir, 'backups'))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'backups')).mode & 0o777).toBe(0o700);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(bytes.includes(Buffer.from(SAMPLE_FACILITY.name))).toBe(false);
    const copy = openSession(file, { key: KEY, create: false });
    expect(await copy.dispatch('audit:verify', {})).toMatchObject({ ok: true, data: { ok: true, auditRows: 1 } });
    copy.vault.closeQuietly();
    s.vault.closeQuietly();
  });

  it('backs up automatically every N writes and on close, keeping the last K', async () => {
    const dir = tempDir();
    const clock = ticking();
    const s = openSession(join(dir, 'attest.sqlite'), { now: clock.now });
    expect(await s.dispatch('backup:configure', { everyWrites: 2, everyMinutes: 0, keep: 3 })).toMatchObject({
      ok: true,
      data: { everyWrites: 2, keep: 3, folderInUse: join(dir, 'backups') },
    });
    const backups = () => (existsSync(join(dir, 'backups')) ? readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.sqlite')).sort() : []);
    // The plan itself is a chained write: the first facility makes two.
    for (let i = 1; i <= 8; i++) {
      clock.advance(1000);
      await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: `Facility ${i}` });
      expect(backups()).toHaveLength(Math.min(3, Math.floor((i + 1) / 2)));
    }
    clock.advance(1000);
    s.close(); // the ninth write is not backed up yet: closing does it
    const list = backups();
    expect(list).toHaveLength(3);
    const newest = openSession(join(dir, 'backups', list[2]!), { create: false });
    expect(await newest.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 8 } });
    newest.vault.closeQuietly();
  });

  it('backs up after M minutes when something was written, from the timer, never behind a read', async () => {
    const dir = tempDir();
    const clock = ticking();
    const s = openSession(join(dir, 'attest.sqlite'), { now: clock.now });
    await s.dispatch('backup:configure', { everyWrites: 0, everyMinutes: 10 });
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    expect(existsSync(join(dir, 'backups'))).toBe(false);
    clock.advance(11 * 60_000);
    await s.dispatch('facilities:list', {});
    expect(existsSync(join(dir, 'backups'))).toBe(false);
    s.vault.maybeAutoBackup(); // what the app's minute timer calls
    expect(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
    s.vault.closeQuietly();
  });

  it('restores a backup after verifying it, keeping the current file aside', async () => {
    const dir = tempDir();
    const clock = ticking();
    const dbFile = join(dir, 'attest.sqlite');
    const s = openSession(dbFile, { key: KEY, now: clock.now });
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    const b = await s.dispatch('backup:create', {});
    if (!b.ok) throw new Error(b.error.message);
    clock.advance(1000);
    await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: 'Written after the backup' });
    const name = (b.data as { name: string }).name;
    const refused = await s.dispatch('backup:restore', { file: name });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_CONFIRMATION', message: expect.stringMatching(/would lose 1 history entry \(changes to 1 record, the latest from 2026-06-20 10:00 UTC\)/), issues: [{ path: ['acceptLoss'] }] },
    });
    expect(await s.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 2 } });
    const r = await s.dispatch('backup:restore', { file: name, acceptLoss: true });
    expect(r).toMatchObject({ ok: true, data: { auditRows: 1, lost: { entries: 1, records: 1, backupOnly: 0 } } });
    if (!r.ok) return;
    expect(await s.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 1 } });
    const aside = (r.data as { keptAside: string }).keptAside;
    const old = openSession(aside, { key: KEY, create: false });
    expect(await old.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 2 } });
    old.vault.closeQuietly();
    s.vault.closeQuietly();
  });

  it('refuses a backup whose history was tampered with and leaves the current database untouched', async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'attest.sqlite');
    const s = openSession(dbFile);
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    const b = await s.dispatch('backup:create', {});
    if (!b.ok) throw new Error(b.error.message);
    const backupFile = (b.data as { file: string }).file;
    const raw = new Database(backupFile);
    raw.exec(`UPDATE record_versions SET data = '{"name":"rewritten"}'`);
    raw.close();
    await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: 'Second' });
    const before = contentHash(s.ctx.db);
    const r = await s.dispatch('backup:restore', { file: backupFile });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/does not verify/) } });
    expect(contentHash(s.ctx.db)).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
    s.vault.closeQuietly();
  });

  it('refuses a backup folder that does not exist', async () => {
    const dir = tempDir();
    const s = openSession(join(dir, 'attest.sqlite'));
    const r = await s.dispatch('backup:configure', { folder: join(dir, 'nope') });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['folder'] }] } });
    mkdirSync(join(dir, 'usb'));
    expect(await s.dispatch('backup:configure', { folder: join(dir, 'usb') })).toMatchObject({ ok: true, data: { folderInUse: join(dir, 'usb') } });
    s.vault.closeQuietly();
  });
});
