import { execFileSync, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { runCli } from '../../electron/cli/cli';
import { loadMigrations } from '../../db/migrate';
import { SAMPLE_FACILITY, cleanupTempDirs, tempDbFile, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('attest CLI', () => {
  it('lists every channel with its input and output as JSON Schema', async () => {
    const r = await cli(['channels']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { channel: string; input: { type?: string }; output: unknown }[];
    expect(list.map((c) => c.channel)).toEqual([...CHANNEL_NAMES]);
    const person = list.find((c) => c.channel === 'people:create')!;
    expect(person.input).toMatchObject({ type: 'object', required: expect.arrayContaining(['familyName', 'aNumber']) });
  });

  it('creates a database, writes through call, and reads it back', async () => {
    const db = tempDbFile();
    expect((await cli(['init', '--db', db, '--no-encryption'])).code).toBe(0);
    const created = await cli(['call', 'facilities:create', JSON.stringify(SAMPLE_FACILITY), '--db', db]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ ok: true, data: { name: SAMPLE_FACILITY.name } });
    const listed = await cli(['call', 'facilities:list', '{}', '--db', db]);
    expect(JSON.parse(listed.out)).toMatchObject({ ok: true, data: { total: 1 } });
  });

  it('exits non-zero with the field named on bad input', async () => {
    const db = tempDbFile();
    await cli(['init', '--db', db, '--no-encryption']);
    const r = await cli(['call', 'people:create', '{"familyName":"A","givenName":"B","aNumber":"A12X"}', '--db', db]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['aNumber'] }] } });
  });

  it('answers a missing file, a directory, a non-database and bad JSON with one clear line', async () => {
    const dir = tempDir();
    const missing = await cli(['call', 'app:info', '{}', '--db', join(dir, 'nope.sqlite')]);
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/^attest: no database at /) });
    mkdirSync(join(dir, 'folder'));
    const folder = await cli(['call', 'app:info', '{}', '--db', join(dir, 'folder')]);
    expect(folder).toMatchObject({ code: 1, err: expect.stringMatching(/is a directory/) });
    writeFileSync(join(dir, 'text.sqlite'), 'hello, this is plainly not an SQLite database file at all.....');
    const text = await cli(['call', 'app:info', '{}', '--db', join(dir, 'text.sqlite')]);
    expect(text.code).toBe(1);
    expect(text.err.split('\n')).toHaveLength(1);
    expect(text.err).toMatch(/not a database/);
    const db = tempDbFile();
    await cli(['init', '--db', db, '--no-encryption']);
    const badJson = await cli(['call', 'app:info', '{oops', '--db', db]);
    expect(badJson).toMatchObject({ code: 2, err: expect.stringMatching(/not valid JSON/) });
  });

  it('runs as the installed attest command', () => {
    const db = tempDbFile();
    execFileSync(process.execPath, ['scripts/attest.mjs', 'init', '--db', db, '--no-encryption']);
    const out = execFileSync(process.execPath, ['scripts/attest.mjs', 'call', 'app:info', '{}', '--db', db], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ ok: true, data: { schemaVersion: loadMigrations().length } });
    const bad = spawnSync(process.execPath, ['scripts/attest.mjs', 'call', 'people:get', '{"id":"x"}', '--db', db], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
  });

  it('finishes quietly when the reader closes the pipe early (attest channels | head)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" scripts/attest.mjs channels | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('attest seed and search', () => {
  it('seeds a deterministic data set and finds incidents by English and Arabic words', async () => {
    const db = tempDbFile();
    const r = await cli(['seed', '--people', '30', '--incidents', '60', '--seed', '5', '--db', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, data: { people: 30, incidents: 60, facilities: expect.any(Number) } });
    const en = await cli(['search', 'reports', '--limit', '3', '--db', db]);
    expect(en.code).toBe(0);
    expect(en.out.split('\n')[0]).toMatch(/^60 incidents match/);
    expect(en.out.split('\n')).toHaveLength(4);
    const ar = await cli(['search', 'الحارس', '--db', db]);
    expect(ar.code).toBe(0);
    expect(ar.out).toMatch(/incidents match/);
  });

  it('refuses bad counts with exit 2 and an empty search with a message', async () => {
    const db = tempDbFile();
    expect(await cli(['seed', '--people', 'many', '--incidents', '1', '--db', db])).toMatchObject({ code: 2, err: expect.stringMatching(/--people must be a whole number/) });
    expect(await cli(['seed', '--incidents', '1', '--db', db])).toMatchObject({ code: 2, err: expect.stringMatching(/--people is required/) });
    await cli(['init', '--db', db, '--no-encryption']);
    expect(await cli(['search', '--db', db])).toMatchObject({ code: 2, err: expect.stringMatching(/needs words/) });
    const punct = await cli(['search', '!!', '--db', db]);
    expect(punct.code).toBe(1);
    expect(JSON.parse(punct.out)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['text'] }] } });
  });
});

describe('attest CLI: passphrase, verify, backup, restore, hostile files', () => {
  const KEY = 'cli office passphrase';

  async function cliEnv(args: string[], env: NodeJS.ProcessEnv) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('refuses to init without a passphrase unless told --no-encryption, and warns when it is', async () => {
    const db = tempDbFile();
    expect(await cli(['init', '--db', db])).toMatchObject({ code: 2, err: expect.stringMatching(/needs a passphrase/) });
    const plain = await cli(['init', '--db', db, '--no-encryption']);
    expect(plain).toMatchObject({ code: 0, err: expect.stringMatching(/NOT encrypted/) });
  });

  it('creates and opens an encrypted database with ATTEST_PASSPHRASE or --passphrase-file', async () => {
    const dir = tempDir();
    const db = join(dir, 'office.sqlite');
    expect((await cliEnv(['init', '--db', db], { ATTEST_PASSPHRASE: KEY })).code).toBe(0);
    expect(readFileSync(db).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    const withEnv = await cliEnv(['call', 'facilities:create', JSON.stringify(SAMPLE_FACILITY), '--db', db], { ATTEST_PASSPHRASE: KEY });
    expect(withEnv.code).toBe(0);
    writeFileSync(join(dir, 'pass.txt'), `${KEY}\n`);
    const withFile = await cli(['call', 'facilities:list', '{}', '--db', db, '--passphrase-file', join(dir, 'pass.txt')]);
    expect(JSON.parse(withFile.out)).toMatchObject({ ok: true, data: { total: 1 } });
    const none = await cli(['call', 'facilities:list', '{}', '--db', db]);
    expect(none.code).toBe(1);
    expect(none.err.split('\n')).toHaveLength(1);
    expect(none.err).toMatch(/encrypted and needs its passphrase/);
    const wrong = await cliEnv(['call', 'facilities:list', '{}', '--db', db], { ATTEST_PASSPHRASE: 'wrong wrong wrong' });
    expect(wrong).toMatchObject({ code: 1, err: expect.stringMatching(/^attest: .*passphrase is wrong/) });
    expect(wrong.err.split('\n')).toHaveLength(1);
  });

  it('verifies an intact database and names the first broken row of a tampered one', async () => {
    const db = tempDbFile();
    await cli(['init', '--db', db, '--no-encryption']);
    await cli(['call', 'facilities:create', JSON.stringify(SAMPLE_FACILITY), '--db', db]);
    await cli(['call', 'facilities:create', JSON.stringify({ ...SAMPLE_FACILITY, name: 'Second' }), '--db', db]);
    expect(await cli(['verify', '--db', db])).toMatchObject({ code: 0, out: expect.stringMatching(/^verified: 2 audit rows and 2 record versions/) });
    const raw = new Database(db);
    raw.exec(`UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2`);
    raw.close();
    expect(await cli(['verify', '--db', db])).toMatchObject({ code: 1, out: expect.stringMatching(/^BROKEN at audit row 2: /) });
  });

  it('backs up to --out and restores with --from, keeping the current file aside', async () => {
    const dir = tempDir();
    const db = join(dir, 'office.sqlite');
    const env = { ATTEST_PASSPHRASE: KEY };
    await cliEnv(['init', '--db', db], env);
    await cliEnv(['call', 'facilities:create', JSON.stringify(SAMPLE_FACILITY), '--db', db], env);
    const b = await cliEnv(['backup', '--db', db, '--out', join(dir, 'usb', 'attest')], env);
    expect(b).toMatchObject({ code: 0, out: expect.stringMatching(/^backed up to .*attest-\d{8}T\d{9}Z\.sqlite$/) });
    const backupFile = b.out.replace('backed up to ', '');
    await cliEnv(['call', 'facilities:create', JSON.stringify({ ...SAMPLE_FACILITY, name: 'Later' }), '--db', db], env);
    const refused = await cliEnv(['restore', '--db', db, '--from', backupFile], env);
    expect(refused).toMatchObject({ code: 1, err: expect.stringMatching(/^attest: Restoring this backup would lose 1 history entry .* run again with --accept-loss/) });
    const r = await cliEnv(['restore', '--db', db, '--from', backupFile, '--accept-loss'], env);
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/^restored .* \(1 audit rows verified; 1 history entries of the previous database are not in it\); the previous database is kept at .*before-restore/) });
    const listed = await cliEnv(['call', 'facilities:list', '{}', '--db', db], env);
    expect(JSON.parse(listed.out)).toMatchObject({ ok: true, data: { total: 1 } });
    const missing = await cliEnv(['restore', '--db', db, '--from', join(dir, 'nope.sqlite')], env);
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/^attest: no backup file at /) });
  });

  it('answers a truncated database and one from a newer version with one clear line and exit 1', async () => {
    const dir = tempDir();
    const db = join(dir, 'full.sqlite');
    await cli(['init', '--db', db, '--no-encryption']);
    for (let i = 0; i < 30; i++) await cli(['call', 'facilities:create', JSON.stringify({ ...SAMPLE_FACILITY, name: `F${i}`.padEnd(150, 'x') }), '--db', db]);
    const bytes = readFileSync(db);
    expect(bytes.length).toBeGreaterThan(8192);
    const truncated = join(dir, 'truncated.sqlite');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const t = await cli(['call', 'facilities:list', '{}', '--db', truncated]);
    expect(t.code).toBe(1);
    expect(t.err.split('\n')).toHaveLength(1);
    expect(t.err).toMatch(/^attest: .*(malformed|integrity|not a database)/);

    const future = join(dir, 'future.sqlite');
    await cli(['init', '--db', future, '--no-encryption']);
    const raw = new Database(future);
    raw.pragma('user_version = 9999');
    raw.close();
    const f = await cli(['call', 'app:info', '{}', '--db', future]);
    expect(f.code).toBe(1);
    expect(f.err.split('\n')).toHaveLength(1);
    expect(f.err).toMatch(/^attest: .*newer than this Attest knows/);
    const v = await cli(['verify', '--db', future]);
    expect(v).toMatchObject({ code: 1, err: expect.stringMatching(/newer than this Attest knows/) });
  });
});
