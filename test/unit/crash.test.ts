// Crash proof: a writer process over dispatch prints an ack after each committed write; we SIGKILL
// it at random moments, again and again, and after each kill the file must open, pass
// PRAGMA integrity_check, verify its audit chain, and hold every acknowledged write.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRecords } from '../../db/history/verify';
import { defaultMigrationsDir } from '../../db/migrate';
import { openDatabase } from '../../db/connect';
import { cleanupTempDirs, tempDir } from '../helpers';

const KILLS = 200;
const LANES = 2; // one writer per core, each on its own database file
const WRITER = join(process.cwd(), 'test-results', 'crash', `writer-${process.pid}.mjs`);

beforeAll(async () => {
  mkdirSync(join(process.cwd(), 'test-results', 'crash'), { recursive: true });
  // Bundled once, so each of the hundreds of writer starts costs a plain `node` start.
  await build({
    entryPoints: ['test/crash/writer.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: WRITER,
    external: ['better-sqlite3-multiple-ciphers'],
    minify: true,
    banner: { js: "import { createRequire as attestCreateRequire } from 'node:module'; const require = attestCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
});
afterAll(() => {
  cleanupTempDirs();
  rmSync(WRITER, { force: true });
});

const TABLE: Record<string, string> = { facility: 'facilities', person: 'people', incident: 'incidents' };

interface RunResult {
  acks: { entity: string; id: string }[];
  killedAfterReady: boolean;
}

interface Writer {
  /** Tells the loaded writer to open the database and write; resolves when it has been killed. */
  go: () => Promise<RunResult>;
}

/** Starts a writer process that loads and waits; `go` lets it write, then SIGKILLs it at a random moment. */
function spawnWriter(file: string, key: string | null): Writer {
  const child = spawn(process.execPath, [WRITER, file, defaultMigrationsDir()], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: key ? { ...process.env, ATTEST_CRASH_KEY: key } : process.env,
  });
  const acks: RunResult['acks'] = [];
  let buffered = '';
  let ready = false;
  let stderr = '';
  let onReady: (() => void) | undefined;
  let onAck: ((n: number) => void) | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? ''; // a line cut by the kill is not an acknowledgement
    for (const line of lines) {
      if (line === 'ready' && !ready) {
        ready = true;
        onReady?.();
      }
      const m = /^ack (\w+) (\w+)$/.exec(line);
      if (m) {
        acks.push({ entity: m[1]!, id: m[2]! });
        onAck?.(acks.length);
      }
    }
  });
  child.stderr.on('data', (d) => (stderr += String(d)));
  return {
    go: async () => {
      const kill = () => child.kill('SIGKILL');
      // One kill in five lands while the writer opens the database; the rest a few milliseconds
      // after a random acknowledgement (0 to 8), so they fall inside the following write. Counting
      // acks rather than time keeps the kills among the writes however loaded the machine is.
      const duringOpen = Math.random() < 0.2;
      let timer: NodeJS.Timeout | undefined;
      const killSoon = () => (timer ??= setTimeout(kill, Math.random() * 4));
      if (duringOpen) timer = setTimeout(kill, Math.random() * 30);
      else {
        const afterAcks = Math.floor(Math.random() * 9);
        if (afterAcks === 0) onReady = killSoon;
        else onAck = (n) => n === afterAcks && killSoon();
      }
      child.stdin.write('go\n');
      const { code, signal } = await exited;
      clearTimeout(timer);
      if (signal !== 'SIGKILL') throw new Error(`writer exited by itself (${code}): ${stderr}`);
      return { acks, killedAfterReady: ready };
    },
  };
}

async function lane(file: string, kills: number, key: string | null = null) {
  const acknowledged: RunResult['acks'] = [];
  let survived = 0;
  let midWrite = 0;
  openDatabase(file, { key }).close(); // the database exists before the first kill
  let next = spawnWriter(file, key);
  for (let k = 0; k < kills; k++) {
    const current = next;
    const run = await current.go();
    // The next writer loads while this kill is checked; it touches the file only after "go".
    if (k + 1 < kills) next = spawnWriter(file, key);
    acknowledged.push(...run.acks);
    if (run.killedAfterReady) midWrite++;
    const db = openDatabase(file, { create: false, check: 'full', key }); // throws unless integrity_check is ok
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const report = verifyRecords(db);
      expect(report, `audit chain after kill ${k + 1}`).toMatchObject({ ok: true });
      for (const a of run.acks) {
        const found = db.prepare(`SELECT count(*) FROM ${TABLE[a.entity]} WHERE id = ?`).pluck().get(a.id);
        expect(found, `acknowledged ${a.entity} ${a.id} after kill ${k + 1}`).toBe(1);
      }
    } finally {
      db.close();
    }
    survived++;
  }
  // Every write acknowledged in any run is still there at the end, with its audit row.
  const db = openDatabase(file, { create: false, check: 'full', key });
  const audited = db.prepare(`SELECT count(*) FROM audit_log WHERE entity = ? AND id = ?`).pluck();
  for (const a of acknowledged) expect(audited.get(a.entity, a.id)).toBe(1);
  const rows = verifyRecords(db).auditRows;
  db.close();
  return { survived, midWrite, acknowledged: acknowledged.length, rows };
}

describe('crash proof', () => {
  it(`survives ${KILLS} SIGKILLs of a writer: opens, integrity ok, chain verifies, every acknowledged write present`, async () => {
    const results = await Promise.all(
      Array.from({ length: LANES }, () => lane(join(tempDir('attest-crash-'), 'attest.sqlite'), KILLS / LANES)),
    );
    const survived = results.reduce((n, r) => n + r.survived, 0);
    const midWrite = results.reduce((n, r) => n + r.midWrite, 0);
    const acknowledged = results.reduce((n, r) => n + r.acknowledged, 0);
    const rows = results.reduce((n, r) => n + r.rows, 0);
    console.log(
      `crash test: ${survived} SIGKILLs survived (${midWrite} while writing, ${survived - midWrite} during start-up); ` +
        `${acknowledged} acknowledged writes all present; ${rows} audit rows verified`,
    );
    expect(survived).toBe(KILLS);
    expect(midWrite).toBeGreaterThan(KILLS / 2);
    expect(acknowledged).toBeGreaterThan(KILLS);
  }, 600_000);

  // The product runs encrypted: a shorter run on an encrypted file (each open derives the key, which
  // is slow on purpose, so fewer kills keep the suite's time).
  it('survives 20 SIGKILLs of a writer on an encrypted database, with the same checks', async () => {
    const r = await lane(join(tempDir('attest-crash-'), 'attest.sqlite'), 20, 'crash test passphrase');
    console.log(`crash test (encrypted): ${r.survived} SIGKILLs survived; ${r.acknowledged} acknowledged writes all present`);
    expect(r.survived).toBe(20);
    expect(r.acknowledged).toBeGreaterThan(20);
  }, 600_000);
});
