// Evidence survives file faults: backups that cannot be half-written or changed by a look, restores
// that refuse what is not a whole Attest history and ask before giving history up, a passphrase
// change that leaves one passphrase working, the app noticing its file replaced, exports that leave
// nothing misleading, and disk errors in plain words. Real files, real SQLite, the real CLI code.
import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/cli';
import { createSession, openSession, type Session } from '../../electron/core/session';
import { plainFsError } from '../../electron/core/fs-errors';
import { officeSettings } from '../../electron/core/report-export';
import { defaultDefinition } from '../../shared/report/definition';
import { rekeyedCopy, openDatabase } from '../../db/connect';
import { SAMPLE_FACILITY, cleanupTempDirs, contentHash, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

const KEY = 'office passphrase 2026';
const NEXT = 'the next passphrase 2027';

function ticking(start = Date.parse('2026-06-20T10:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function must(s: Session, channel: string, input: unknown) {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.data as Record<string, unknown>;
}

async function withFacilities(file: string, n: number, options: { key?: string; now?: () => Date } = {}) {
  const s = openSession(file, { ...(options.key ? { key: options.key } : {}), ...(options.now ? { now: options.now } : {}) });
  for (let i = 0; i < n; i++) await must(s, 'facilities:create', { ...SAMPLE_FACILITY, name: `Facility ${i}` });
  return s;
}

describe('backups: nothing half-written is listed, a look changes nothing', () => {
  it('lists an empty or interrupted file named like a backup as incomplete, never a dead writer’s temp file, and removes that on the next backup', async () => {
    const dir = tempDir();
    const s = await withFacilities(join(dir, 'attest.sqlite'), 1);
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    writeFileSync(join(backups, 'attest-20260101T000000000Z.sqlite'), '');
    writeFileSync(join(backups, 'attest-20260102T000000000Z.sqlite'), Buffer.alloc(4096));
    writeFileSync(join(backups, 'attest-20260102T000000000Z.sqlite-journal'), Buffer.alloc(512));
    const deadTemp = join(backups, '.attest-20260103T000000000Z.sqlite.999999999.partial');
    writeFileSync(deadTemp, Buffer.alloc(4096));
    const listed = (await must(s, 'backup:list', {})).items as { name: string; complete: boolean; problem: string | null }[];
    expect(listed).toEqual([
      expect.objectContaining({ name: 'attest-20260102T000000000Z.sqlite', complete: false, problem: expect.stringMatching(/interrupted/) }),
      expect.objectContaining({ name: 'attest-20260101T000000000Z.sqlite', complete: false, problem: expect.stringMatching(/empty/) }),
    ]);
    const made = await must(s, 'backup:create', {});
    expect(existsSync(deadTemp)).toBe(false);
    expect(readdirSync(backups).filter((n) => n.includes('partial'))).toEqual([]);
    const again = (await must(s, 'backup:list', {})).items as { name: string; complete: boolean }[];
    expect(again[0]).toMatchObject({ name: made.name, complete: true });
    // An incomplete file is not restored, whatever its name says.
    expect(await s.dispatch('backup:restore', { file: 'attest-20260101T000000000Z.sqlite' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/is not a whole backup: empty/) },
    });
    s.vault.closeQuietly();
  });

  it('attest verify on a 0-byte backup says so and leaves it 0 bytes; on a whole backup it changes no byte and leaves no -wal or -shm', async () => {
    const dir = tempDir();
    const s = await withFacilities(join(dir, 'attest.sqlite'), 2, { key: KEY });
    const b = await must(s, 'backup:create', {});
    s.vault.closeQuietly();
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const r = await cli(['verify', '--db', empty], { ATTEST_PASSPHRASE: KEY });
    expect(r).toMatchObject({ code: 1, err: expect.stringMatching(/is empty \(0 bytes\): it is not an Attest database/) });
    expect(statSync(empty).size).toBe(0);
    const file = b.file as string;
    const before = sha(file);
    const ok = await cli(['verify', '--db', file], { ATTEST_PASSPHRASE: KEY });
    expect(ok).toMatchObject({ code: 0, out: expect.stringMatching(/^verified: 2 audit rows/) });
    expect(sha(file)).toBe(before);
    expect(readdirSync(join(dir, 'backups')).filter((n) => /-(wal|shm|journal)$/.test(n))).toEqual([]);
  });
});

describe('restore: refuses what is not a whole Attest history, asks before losing any', () => {
  it('refuses an empty file, a SQLite file that is not Attest, and one from a newer Attest; the current database is unchanged', async () => {
    const dir = tempDir();
    const s = await withFacilities(join(dir, 'attest.sqlite'), 2);
    const before = contentHash(s.ctx.db);
    const empty = join(dir, 'e.sqlite');
    writeFileSync(empty, '');
    const other = join(dir, 'other.sqlite');
    const o = new Database(other);
    o.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (1)');
    o.close();
    const newer = join(dir, 'newer.sqlite');
    copyFileSync((await must(s, 'backup:create', {})).file as string, newer);
    const n = new Database(newer);
    n.pragma('user_version = 999');
    n.close();
    for (const [file, message] of [
      [empty, /is not a whole backup: empty/],
      [other, /is not an Attest database/],
      [newer, /comes from a newer Attest \(schema version 999/],
    ] as const) {
      const r = await s.dispatch('backup:restore', { file, acceptLoss: true });
      expect(r, file).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } });
    }
    expect(contentHash(s.ctx.db)).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
    s.vault.closeQuietly();
  });

  it('names what a shorter or diverging history would lose and restores only when told acceptLoss', async () => {
    const dir = tempDir();
    const clock = ticking();
    const file = join(dir, 'attest.sqlite');
    const s = await withFacilities(file, 2, { now: clock.now });
    const old = await must(s, 'backup:create', {});
    // A diverging backup: a copy of the database that went on its own way.
    const fork = join(dir, 'fork.sqlite');
    copyFileSync(old.file as string, fork);
    const f = openSession(fork, { create: false, now: clock.now });
    await must(f, 'facilities:create', { ...SAMPLE_FACILITY, name: 'Only in the fork' });
    f.vault.closeQuietly();
    clock.advance(3600_000);
    for (let i = 0; i < 3; i++) await must(s, 'facilities:create', { ...SAMPLE_FACILITY, name: `Later ${i}` });
    const before = contentHash(s.ctx.db);
    const refused = await s.dispatch('backup:restore', { file: old.file });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_CONFIRMATION', message: expect.stringMatching(/would lose 3 history entries \(changes to 3 records, the latest from 2026-06-20 11:00 UTC\)/) },
    });
    const parted = await s.dispatch('backup:restore', { file: fork });
    expect(parted).toMatchObject({ ok: false, error: { code: 'NEEDS_CONFIRMATION', message: expect.stringMatching(/holds 1 entries the current database does not/) } });
    expect(contentHash(s.ctx.db)).toBe(before);
    const done = await s.dispatch('backup:restore', { file: old.file, acceptLoss: true });
    expect(done).toMatchObject({ ok: true, data: { auditRows: 2, lost: { entries: 3, records: 3, backupOnly: 0 } } });
    expect(await s.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 2 } });
    s.vault.closeQuietly();
  });

  it('keeps the current file by a link, so a whole database is at the path throughout; an interrupted swap is recovered on open, never offered first-run setup', async () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const s = await withFacilities(file, 2, { key: KEY });
    const b = await must(s, 'backup:create', {});
    const done = (await must(s, 'backup:restore', { file: b.file })) as { keptAside: string };
    // The aside is the previous file itself (a link to its inode), not a copy made after it moved.
    expect(statSync(done.keptAside).size).toBeGreaterThan(0);
    s.vault.closeQuietly();

    // As an older Attest left it when killed between its two renames: no database, the previous
    // one aside, the checked copy beside it.
    renameSync(file, `${file}.before-restore-20260620T100000000Z`);
    copyFileSync(b.file as string, `${file}.restoring`);
    const next = createSession(file);
    expect(next.vault.status()).toMatchObject({ state: 'locked', notices: [expect.stringMatching(/database from before it .* is back in place/)] });
    expect(existsSync(`${file}.restoring`)).toBe(false);
    expect(await next.dispatch('vault:unlock', { passphrase: KEY })).toMatchObject({ ok: true });
    expect(await next.dispatch('facilities:list', {})).toMatchObject({ ok: true, data: { total: 2 } });
    next.vault.closeQuietly();

    // Killed after the link and before the rename: the copy is dropped, the extra link too.
    linkSync(file, `${file}.before-restore-20260620T110000000Z`);
    copyFileSync(b.file as string, `${file}.restoring`);
    const third = createSession(file);
    expect(third.vault.status().notices).toEqual([expect.stringMatching(/unfinished copy was removed/)]);
    expect(existsSync(`${file}.before-restore-20260620T110000000Z`)).toBe(false);
    expect(existsSync(`${file}.restoring`)).toBe(false);
  });
});

describe('passphrase change: exactly one passphrase opens the database, and the unlock screen says which', () => {
  it('after a change the old passphrase is named as the previous one; an interrupted change leaves the old one working and says so for the new', async () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const s = await withFacilities(file, 2, { key: KEY });
    expect(await s.dispatch('vault:rekey', { current: KEY, next: NEXT })).toMatchObject({ ok: true });
    // A backup was taken first, with the old passphrase.
    const items = (await must(s, 'backup:list', {})).items as { file: string }[];
    expect(items).toHaveLength(1);
    openDatabase(items[0]!.file, { key: KEY, readonly: true }).close();
    s.vault.closeQuietly();
    expect(readdirSync(dir).filter((n) => n.includes('rekeying'))).toEqual([]);

    const locked = createSession(file);
    expect(await locked.dispatch('vault:unlock', { passphrase: KEY })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/^That is the previous passphrase: it was changed on /) },
    });
    expect(await locked.dispatch('vault:unlock', { passphrase: 'something else entirely' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/does not unlock this database/) },
    });
    expect(await locked.dispatch('vault:unlock', { passphrase: NEXT })).toMatchObject({ ok: true });
    expect(await locked.dispatch('audit:verify', { full: true })).toMatchObject({ ok: true, data: { ok: true, auditRows: 2 } });

    // As a change killed before its rename leaves it: the re-keyed copy beside the untouched file.
    rekeyedCopy(locked.ctx.db, NEXT, `${file}.rekeying`, 'a third passphrase 2028');
    locked.vault.closeQuietly();
    const after = createSession(file);
    expect(await after.dispatch('vault:unlock', { passphrase: 'a third passphrase 2028' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/interrupted before it finished: the database still opens with the previous passphrase/) },
    });
    expect(await after.dispatch('vault:unlock', { passphrase: NEXT })).toMatchObject({ ok: true, data: { notices: [expect.stringMatching(/still uses the previous passphrase/)] } });
    expect(existsSync(`${file}.rekeying`)).toBe(false);
    after.vault.closeQuietly();
  });

  it('never rewrites the database in place: its inode changes only by the final rename, and the old file stays whole until then', async () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const s = await withFacilities(file, 3, { key: KEY });
    s.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    s.vault.noteTip(); // this connection wrote the file itself, outside dispatch
    const before = sha(file);
    const ino = statSync(file).ino;
    // Held open across the change: the old inode, readable after the rename through the descriptor.
    const fd = openSync(file, 'r');
    try {
      expect(await s.dispatch('vault:rekey', { current: KEY, next: NEXT })).toMatchObject({ ok: true });
      expect(statSync(file).ino).not.toBe(ino);
      const old = Buffer.alloc(fstatSync(fd).size);
      readSync(fd, old, 0, old.length, 0);
      expect(createHash('sha256').update(old).digest('hex')).toBe(before);
    } finally {
      closeSync(fd);
    }
    s.vault.closeQuietly();
  });
});

describe('file identity: the app stops writing when its file is replaced underneath', () => {
  it('answers FILE_REPLACED once the file is renamed over, and writes nothing more', async () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const s = await withFacilities(file, 2);
    const b = await must(s, 'backup:create', {});
    copyFileSync(b.file as string, join(dir, 'incoming.sqlite'));
    renameSync(join(dir, 'incoming.sqlite'), file);
    const r = await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: 'After the swap' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FILE_REPLACED', message: expect.stringMatching(/was replaced by another file .* stopped writing/) } });
    expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: false, error: { code: 'FILE_REPLACED' } });
    expect(s.vault.status().problem).toMatch(/replaced/);
    s.vault.closeQuietly();
  });

  it('answers FILE_REPLACED from the periodic check on when an older copy is written over the open file (same inode)', async () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const s = await withFacilities(file, 2);
    const b = await must(s, 'backup:create', {});
    for (let i = 0; i < 5; i++) await must(s, 'facilities:create', { ...SAMPLE_FACILITY, name: `Acknowledged ${i}` });
    s.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    s.vault.noteTip();
    expect(await s.dispatch('facilities:list', {})).toMatchObject({ ok: true });
    const ino = statSync(file).ino;
    writeFileSync(file, readFileSync(b.file as string)); // cp over it: same inode, older bytes
    expect(statSync(file).ino).toBe(ino);
    // The periodic check (the header's, every 30 s) reads the tip from the disk, not the page cache.
    expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: false, error: { code: 'FILE_REPLACED', message: expect.stringMatching(/changed underneath Attest/) } });
    const r = await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: 'Would be lost' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FILE_REPLACED' } });
    s.vault.closeQuietly();
  });
});

describe('exports: leftovers of a killed export neither block the next nor pass for an exhibit', () => {
  it('writes past old *.partial files, finishes a logged staged export, removes an unlogged one', async () => {
    const dir = tempDir();
    const out = join(dir, 'exhibits');
    const s = await withFacilities(join(dir, 'attest.sqlite'), 1);
    const fac = (await must(s, 'facilities:list', {})).items as { id: string }[];
    const person = await must(s, 'people:create', { familyName: 'Haddad', givenName: 'Yusuf', aNumber: '012345678', consentGiven: true, consentDate: '2026-06-01' });
    await must(s, 'incidents:create', { personId: person.id, facilityId: fac[0]!.id, occurredOn: '2026-06-18', categories: ['WATER'], summary: 'Water withheld for a day', includeInReport: true });
    const definition = defaultDefinition(officeSettings(s.ctx.db), { from: '2026-06-01', to: '2026-06-30' });
    const first = await s.dispatch('reports:export', { definition, formats: ['csv', 'html'], folder: out, profile: 'sealed' });
    if (!first.ok) throw new Error(first.error.message);
    const names = readdirSync(out).sort();
    expect(names.some((n) => n.endsWith('-manifest.json'))).toBe(true);
    // The old writer's leftovers: every exhibit name with .partial, as a kill before its rename left them.
    for (const n of names) writeFileSync(join(out, `${n.replace(/(\.[a-z]+)$/, '-2$1')}.partial`), 'half');
    const second = await s.dispatch('reports:export', { definition, formats: ['csv', 'html'], folder: out, profile: 'sealed' });
    expect(second).toMatchObject({ ok: true });

    // Killed after the log, before the moves: the files wait in the staging folder of a logged export.
    const logged = (second as { data: { export: { id: string } } }).data.export.id;
    const staged = join(out, `.attest-export-${logged}-999999999.partial`);
    mkdirSync(staged);
    const secondFiles = readdirSync(out).filter((n) => n.includes('-2.') && !n.endsWith('.partial'));
    for (const n of secondFiles) renameSync(join(out, n), join(staged, n));
    // Killed before the log: an export nobody logged.
    const unlogged = join(out, '.attest-export-01JZZZZZZZZZZZZZZZZZZZZZZZ-999999999.partial');
    mkdirSync(unlogged);
    writeFileSync(join(unlogged, 'a-sealed-2026-06-30-SEALED-key.csv'), 'names');
    const third = await s.dispatch('reports:export', { definition, formats: ['csv'], folder: out, profile: 'sealed' });
    expect(third).toMatchObject({ ok: true });
    expect(existsSync(staged)).toBe(false);
    expect(existsSync(unlogged)).toBe(false);
    for (const n of secondFiles) expect(existsSync(join(out, n)), n).toBe(true);
    for (const name of secondFiles) expect(await must(s, 'exports:verify', { exportId: logged, name }), name).toMatchObject({ found: true, matches: true });
    s.vault.closeQuietly();
  });
});

describe('disk errors in plain words', () => {
  it('a real ENOSPC (/dev/full) becomes DISK_FULL with one plain sentence', () => {
    let err: unknown;
    try {
      writeFileSync('/dev/full', 'x');
    } catch (e) {
      err = e;
    }
    expect(plainFsError(err)).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/^the disk is full/) });
    expect(plainFsError({ code: 'SQLITE_FULL', message: 'database or disk is full' })).toMatchObject({ code: 'DISK_FULL' });
    expect(plainFsError({ code: 'EROFS', path: '/media/usb/a.sqlite' })).toMatchObject({ code: 'READ_ONLY', message: expect.stringMatching(/read-only \(\/media\/usb\/a.sqlite\)/) });
    expect(plainFsError({ code: 'EACCES', path: '/x' })).toMatchObject({ code: 'NO_PERMISSION' });
  });
});
