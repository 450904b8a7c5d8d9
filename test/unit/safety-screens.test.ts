// The safety screens' core: lock now (the key dropped, data channels refused until unlock, drafts
// kept), the idle lock setting, what a backup holds (device, counts), restoring a backup made with
// another passphrase under the current one, and the CLI's warnings and backup passphrase.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../../electron/core/session';
import { runCli } from '../../electron/cli/cli';
import { opensWithKey } from '../../db/connect';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, tempDir } from '../helpers';
import { startCore, type CoreHost } from '../../electron/worker/host';
import { tsWorkerScript } from '../../electron/worker/ts-script';

const hosts: CoreHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  cleanupTempDirs();
});

const A = 'office passphrase 2026';
const B = 'the next passphrase 2027';

describe('lock now', () => {
  it('drops the key: data channels answer LOCKED until unlock, and a draft kept before the lock is there after it', async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const s = openSession(file, { key: A, user: 'tester' });
    expect(await s.dispatch('facilities:create', SAMPLE_FACILITY)).toMatchObject({ ok: true });
    expect(await s.dispatch('drafts:save', { key: 'interview:new', kind: 'interview', data: { v: 1, note: 'half-typed' } })).toMatchObject({ ok: true });

    expect(await s.dispatch('vault:lock', {})).toMatchObject({ ok: true, data: { state: 'locked', encrypted: true } });
    // The passphrase is no longer held by the vault, and the connection is closed.
    expect((s.vault as unknown as { key: string | null }).key).toBeNull();
    expect(s.vault.isOpen).toBe(false);
    for (const channel of ['facilities:list', 'drafts:get', 'people:list', 'backup:list', 'session:idle-lock']) {
      expect(await s.dispatch(channel, channel === 'drafts:get' ? { key: 'interview:new' } : {}), channel).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    }
    // Locking again is harmless; a wrong passphrase does not unlock.
    expect(await s.dispatch('vault:lock', {})).toMatchObject({ ok: true, data: { state: 'locked' } });
    expect(await s.dispatch('vault:unlock', { passphrase: B })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });

    expect(await s.dispatch('vault:unlock', { passphrase: A })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await s.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 1 } });
    expect(await s.dispatch('drafts:get', { key: 'interview:new' })).toMatchObject({ ok: true, data: { data: { note: 'half-typed' } } });
    expect(await s.dispatch('audit:verify', { full: true })).toMatchObject({ ok: true, data: { ok: true } });
    s.close();
  });

  it('refuses to lock an unencrypted database (nothing would ask for a passphrase)', async () => {
    const s = openSession(join(tempDir(), 'plain.sqlite'));
    expect(await s.dispatch('vault:lock', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/not encrypted/) } });
    expect(await s.dispatch('facilities:list', {})).toMatchObject({ ok: true });
    s.close();
  });

  it('keeps the idle lock in the settings: 15 minutes until set, 0 for never, bounded', async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const s = openSession(file, { key: A });
    expect(await s.dispatch('session:idle-lock', {})).toEqual({ ok: true, data: { minutes: 15 } });
    expect(await s.dispatch('session:configure-idle-lock', { minutes: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['minutes'] }] } });
    expect(await s.dispatch('session:configure-idle-lock', { minutes: 5 })).toEqual({ ok: true, data: { minutes: 5 } });
    s.close();
    const again = openSession(file, { key: A });
    expect(await again.dispatch('session:idle-lock', {})).toEqual({ ok: true, data: { minutes: 5 } });
    expect(await again.dispatch('audit:verify', { full: true })).toMatchObject({ ok: true, data: { ok: true } });
    again.close();
  });
});

describe('backups: what each holds, and one made with another passphrase', () => {
  it('names the laptop and counts of a backup, read from the backup, beside the current database', async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const s = openSession(file, { key: A });
    const status = await s.dispatch('sync:status', {});
    const me = (status as { ok: true; data: { local: { id: string } } }).data.local.id;
    expect(await s.dispatch('sync:rename-device', { id: me, name: "Dana's laptop" })).toMatchObject({ ok: true });
    expect(await s.dispatch('facilities:create', SAMPLE_FACILITY)).toMatchObject({ ok: true });
    const b = await s.dispatch('backup:create', {});
    expect(b.ok).toBe(true);
    const name = (b as { ok: true; data: { name: string } }).data.name;
    expect(await s.dispatch('people:create', SAMPLE_PERSON)).toMatchObject({ ok: true });

    const d = await s.dispatch('backup:describe', { file: name, withCurrent: true });
    expect(d).toMatchObject({
      ok: true,
      data: {
        name,
        needsPassphrase: false,
        problem: null,
        summary: { device: { name: "Dana's laptop" }, counts: { people: 0, facilities: 1, incidents: 0, interviews: 0 } },
        current: { counts: { people: 1, facilities: 1 } },
      },
    });
    expect(await s.dispatch('backup:describe', { file: 'attest-nothing.sqlite' })).toMatchObject({ ok: true, data: { summary: null, problem: expect.stringMatching(/no backup file/) } });
    s.close();
  });

  it('asks for the passphrase of a backup made before a change, then restores it under the current passphrase', async () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const s = openSession(file, { key: A });
    expect(await s.dispatch('facilities:create', SAMPLE_FACILITY)).toMatchObject({ ok: true });
    const b = (await s.dispatch('backup:create', {})) as { ok: true; data: { file: string } };
    expect(await s.dispatch('vault:rekey', { current: A, next: B })).toMatchObject({ ok: true });
    expect(await s.dispatch('people:create', SAMPLE_PERSON)).toMatchObject({ ok: true });

    // Listed as needing its passphrase; a wrong one is named as such.
    expect(await s.dispatch('backup:describe', { file: b.data.file })).toMatchObject({ ok: true, data: { summary: null, needsPassphrase: true } });
    expect(await s.dispatch('backup:describe', { file: b.data.file, passphrase: 'not it either' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', issues: [{ path: ['passphrase'] }] },
    });
    expect(await s.dispatch('backup:describe', { file: b.data.file, passphrase: A })).toMatchObject({ ok: true, data: { summary: { counts: { facilities: 1, people: 0 } } } });

    const without = await s.dispatch('backup:restore', { file: b.data.file, acceptLoss: true });
    expect(without).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/made with another passphrase.*Enter that backup's passphrase/), issues: [{ path: ['passphrase'] }] },
    });
    expect(readdirSync(dir).filter((n) => n.includes('.restoring'))).toEqual([]);

    expect(await s.dispatch('backup:restore', { file: b.data.file, passphrase: A, acceptLoss: true })).toMatchObject({ ok: true });
    expect(await s.dispatch('people:list', {})).toMatchObject({ ok: true, data: { total: 0 } });
    expect(await s.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 1 } });
    expect(readdirSync(dir).filter((n) => n.includes('.restoring'))).toEqual([]);
    s.close();
    // The database kept the current passphrase: B opens it, the backup's A does not.
    expect(opensWithKey(file, B)).toBe(true);
    expect(opensWithKey(file, A)).toBe(false);
    const again = openSession(file, { key: B });
    expect(await again.dispatch('audit:verify', { full: true })).toMatchObject({ ok: true, data: { ok: true } });
    again.close();
  });

  it('restores an encrypted backup into an unencrypted database unencrypted, and the reverse encrypted', async () => {
    // Encrypted backup → plain database: the backup's passphrase is asked for, the result is plain.
    const dir = tempDir();
    const enc = join(dir, 'enc.sqlite');
    const e = openSession(enc, { key: A });
    expect(await e.dispatch('facilities:create', SAMPLE_FACILITY)).toMatchObject({ ok: true });
    const eb = (await e.dispatch('backup:create', { folder: dir })) as { ok: true; data: { file: string } };
    e.close();
    const plain = join(dir, 'plain.sqlite');
    const p = openSession(plain);
    expect(await p.dispatch('backup:restore', { file: eb.data.file, acceptLoss: true })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(await p.dispatch('backup:restore', { file: eb.data.file, passphrase: A, acceptLoss: true })).toMatchObject({ ok: true });
    expect(await p.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 1 } });
    const pb = (await p.dispatch('backup:create', { folder: dir })) as { ok: true; data: { file: string } };
    p.close();
    expect(opensWithKey(plain, null)).toBe(true);

    // Plain backup → encrypted database: no passphrase needed, the result is encrypted with the current one.
    const other = join(tempDir(), 'other.sqlite');
    const o = openSession(other, { key: B });
    expect(await o.dispatch('backup:restore', { file: pb.data.file, acceptLoss: true })).toMatchObject({ ok: true });
    expect(await o.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 1 } });
    o.close();
    expect(opensWithKey(other, null)).toBe(false);
    expect(opensWithKey(other, B)).toBe(true);
  });
});

describe('in the worker thread, as the app runs the core', () => {
  it('reads a backup summary in a reader thread, and locks and unlocks the core', { timeout: 180_000 }, async () => {
    const file = join(tempDir(), 'attest.sqlite');
    const h = startCore({ script: tsWorkerScript(), file, user: 'worker', check: 'quick' });
    hosts.push(h);
    expect(await h.call('vault:setup', { passphrase: A })).toMatchObject({ ok: true });
    expect(await h.call('facilities:create', SAMPLE_FACILITY)).toMatchObject({ ok: true });
    const b = (await h.call('backup:create', {})) as { ok: true; data: { file: string } };
    expect(await h.call('backup:describe', { file: b.data.file, withCurrent: true })).toMatchObject({
      ok: true,
      data: { summary: { counts: { facilities: 1 } }, current: { counts: { facilities: 1 } } },
    });
    expect(await h.call('backup:describe', { file: b.data.file, passphrase: B })).toMatchObject({ ok: true, data: { summary: { counts: { facilities: 1 } } } }); // cached
    expect(await h.call('vault:lock', {})).toMatchObject({ ok: true, data: { state: 'locked' } });
    expect(await h.call('facilities:list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await h.call('vault:unlock', { passphrase: A })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await h.call('facilities:list', {})).toMatchObject({ ok: true, data: { total: 1 } });
  });
});

describe('the CLI', () => {
  async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (x) => out.push(x), err: (x) => err.push(x) }, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('attest seed warns, as attest init does, when the database is not encrypted (and not when it is)', async () => {
    const dir = tempDir();
    const plain = await cli(['seed', '--people', '2', '--incidents', '1', '--db', join(dir, 'plain.sqlite')]);
    expect(plain.code).toBe(0);
    expect(plain.err).toMatch(/warning: the database is NOT encrypted/);
    const enc = await cli(['seed', '--people', '2', '--incidents', '1', '--db', join(dir, 'enc.sqlite')], { ATTEST_PASSPHRASE: A });
    expect(enc.code).toBe(0);
    expect(enc.err).not.toMatch(/NOT encrypted/);
  });

  it('attest restore takes the backup passphrase from --backup-passphrase-file and keeps the database on its own', async () => {
    const dir = tempDir();
    const db = join(dir, 'attest.sqlite');
    expect((await cli(['init', '--db', db], { ATTEST_PASSPHRASE: A })).code).toBe(0);
    expect((await cli(['call', 'facilities:create', JSON.stringify(SAMPLE_FACILITY), '--db', db], { ATTEST_PASSPHRASE: A })).code).toBe(0);
    const backup = await cli(['backup', '--db', db], { ATTEST_PASSPHRASE: A });
    const from = /backed up to (\S+)/.exec(backup.out)![1]!;
    expect((await cli(['call', 'vault:rekey', JSON.stringify({ current: A, next: B }), '--db', db], { ATTEST_PASSPHRASE: A })).code).toBe(0);

    const refused = await cli(['restore', '--db', db, '--from', from], { ATTEST_PASSPHRASE: B });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/made with another passphrase.*--backup-passphrase-file/);
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'old'), `${A}\n`);
    const ok = await cli(['restore', '--db', db, '--from', from, '--backup-passphrase-file', join(dir, 'keys', 'old')], { ATTEST_PASSPHRASE: B });
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(opensWithKey(db, B)).toBe(true);
  });
});
