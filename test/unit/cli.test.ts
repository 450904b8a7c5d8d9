import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/channels';
import { runCli } from '../../electron/cli';
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
    expect((await cli(['init', '--db', db])).code).toBe(0);
    const created = await cli(['call', 'facilities:create', JSON.stringify(SAMPLE_FACILITY), '--db', db]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ ok: true, data: { name: SAMPLE_FACILITY.name } });
    const listed = await cli(['call', 'facilities:list', '{}', '--db', db]);
    expect(JSON.parse(listed.out)).toMatchObject({ ok: true, data: { total: 1 } });
  });

  it('exits non-zero with the field named on bad input', async () => {
    const db = tempDbFile();
    await cli(['init', '--db', db]);
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
    await cli(['init', '--db', db]);
    const badJson = await cli(['call', 'app:info', '{oops', '--db', db]);
    expect(badJson).toMatchObject({ code: 2, err: expect.stringMatching(/not valid JSON/) });
  });

  it('runs as the installed attest command', () => {
    const db = tempDbFile();
    execFileSync(process.execPath, ['scripts/attest.mjs', 'init', '--db', db]);
    const out = execFileSync(process.execPath, ['scripts/attest.mjs', 'call', 'app:info', '{}', '--db', db], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ ok: true, data: { schemaVersion: loadMigrations().length } });
    const bad = spawnSync(process.execPath, ['scripts/attest.mjs', 'call', 'people:get', '{"id":"x"}', '--db', db], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
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
    await cli(['init', '--db', db]);
    expect(await cli(['search', '--db', db])).toMatchObject({ code: 2, err: expect.stringMatching(/needs words/) });
    const punct = await cli(['search', '!!', '--db', db]);
    expect(punct.code).toBe(1);
    expect(JSON.parse(punct.out)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['text'] }] } });
  });
});
