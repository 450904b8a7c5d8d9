// Three processes write to one database at once, through dispatch, for a minute each: none is
// refused ("database is locked"), every acknowledged write is there, and the chain verifies. Write
// transactions start IMMEDIATE, so each waits its turn under the busy timeout instead of failing
// when its read snapshot is stale.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRecords } from '../../db/history/verify';
import { defaultMigrationsDir } from '../../db/migrate';
import { openDatabase } from '../../db/connect';
import { cleanupTempDirs, tempDir } from '../helpers';

const WRITERS = 3;
const SECONDS = 60;
const WRITER = join(process.cwd(), 'test-results', 'concurrency', `writer-${process.pid}.mjs`);
const TABLE: Record<string, string> = { facility: 'facilities', person: 'people', incident: 'incidents' };

beforeAll(async () => {
  mkdirSync(join(process.cwd(), 'test-results', 'concurrency'), { recursive: true });
  await build({
    entryPoints: ['test/concurrency/writer.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: WRITER,
    external: ['better-sqlite3-multiple-ciphers'],
    banner: { js: "import { createRequire as attestCreateRequire } from 'node:module'; const require = attestCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
});
afterAll(() => {
  cleanupTempDirs();
  rmSync(WRITER, { force: true });
});

function runWriter(file: string): Promise<{ code: number | null; acks: { entity: string; id: string }[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, file, defaultMigrationsDir(), String(SECONDS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: { entity: string; id: string }[] = [];
    let buffered = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ack (\w+) (\w+)$/.exec(line);
        if (m) acks.push({ entity: m[1]!, id: m[2]! });
      }
    });
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, acks, stderr }));
  });
}

describe('concurrent writers', () => {
  it(`${WRITERS} processes writing at once for ${SECONDS} s: nothing refused, nothing lost, the chain verifies`, async () => {
    const file = join(tempDir('attest-concurrent-'), 'attest.sqlite');
    openDatabase(file).close();
    const runs = await Promise.all(Array.from({ length: WRITERS }, () => runWriter(file)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const db = openDatabase(file, { create: false, check: 'full' });
    try {
      const acks = runs.flatMap((r) => r.acks);
      for (const a of acks) {
        expect(db.prepare(`SELECT count(*) FROM ${TABLE[a.entity]} WHERE id = ?`).pluck().get(a.id), `${a.entity} ${a.id}`).toBe(1);
      }
      const report = verifyRecords(db);
      expect(report).toMatchObject({ ok: true, auditRows: acks.length });
      console.log(`concurrent writers: ${WRITERS} processes × ${SECONDS} s, ${acks.length} acknowledged writes (${runs.map((r) => r.acks.length).join(' + ')}), none refused, all present; ${report.auditRows} audit rows verified`);
    } finally {
      db.close();
    }
  }, 300_000);
});
