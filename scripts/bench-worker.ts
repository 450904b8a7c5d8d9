// npm run bench:worker: does a long job block the app? While a full history check (30,000
// incidents) and, separately, a 2,000-row export run, app:info is asked every 10 ms and its round
// trip timed: through the core worker (worker messages, as the app does), and through an
// in-thread dispatch (the app before the worker) for comparison. A request that arrives while the
// thread is busy waits for it: its time counts from when it was due, not from when it could be sent.
// Options: --incidents N (history check; default 30,000), --runs R (default 3), --only history|export|backup|heap,
// --formats csv,xlsx,… (the heap rows; default csv,html,xlsx,docx,csv+html).
// Also: the peak memory of an export of every incident, per format, each in a process of its own:
// peak RSS, and the JS heap's peak against the heap before the export (flat: a small ratio), and
// what stayed after a full collection (held: what the export holds, its garbage aside).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seed } from '../db/seed';
import { openSession } from '../electron/core/session';
import { startCore } from '../electron/worker/host';
import { tsWorkerScript } from '../electron/worker/ts-script';
import type { Result } from '../shared/contract';

const { values } = parseArgs({ options: { incidents: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' }, formats: { type: 'string' } } });
const INCIDENTS = Number(values.incidents ?? 30_000);
const RUNS = Number(values.runs ?? 3);
const EVERY_MS = 10;

type Call = (channel: string, raw: unknown) => Promise<Result<unknown>>;

const dir = mkdtempSync(join(tmpdir(), 'attest-bench-worker-'));
const NO_BACKUPS = { everyWrites: 0, everyMinutes: 0, onClose: false };

function seeded(name: string, people: number, incidents: number): string {
  const file = join(dir, name);
  const s = openSession(file, { user: 'bench' });
  seed(s.ctx.db, { people, incidents, seed: 2026 });
  // Through the vault: settings are in the history chain, so a raw INSERT would break it.
  s.vault.configureBackups(NO_BACKUPS, 'bench');
  s.vault.closeQuietly();
  return file;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Round trips of app:info due every EVERY_MS while `long` runs; and how long `long` took. */
async function duringJob(call: Call, long: () => Promise<Result<unknown>>): Promise<{ samples: number[]; jobMs: number }> {
  const samples: number[] = [];
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  let done = false;
  let jobMs = 0;
  // The job starts on the next turn, as a request from the window would.
  const job = sleep(0)
    .then(long)
    .then((r) => {
      if (!r.ok) throw new Error(`bench: the long job failed: ${r.error.message}`);
      jobMs = performance.now() - t0;
    })
    .finally(() => {
      done = true;
    });
  for (let k = 0; ; ) {
    const now = performance.now();
    for (; t0 + k * EVERY_MS <= now; k++) {
      const due = t0 + k * EVERY_MS;
      pending.push(call('app:info', {}).then(() => void samples.push(performance.now() - due)));
    }
    if (done) break;
    await sleep(2);
  }
  await job;
  await Promise.all(pending);
  return { samples, jobMs };
}

async function idle(call: Call, n = 200): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call('app:info', {});
    out.push(performance.now() - t);
  }
  return out;
}

interface Row {
  name: string;
  samples: number[];
  jobMs?: number;
  goal?: string;
}

const q = (s: number[], p: number) => {
  const a = [...s].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor(p * a.length))] ?? NaN;
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

const EXPORT = {
  definition: {
    name: 'Bench',
    caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Bench v. Bench', caseNumber: 'No. 1' },
    title: 'Status report',
    exhibitLabel: 'Exhibit A',
    periodFrom: '2000-01-01',
    periodTo: '2030-12-31',
    filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
  },
  formats: ['csv', 'html', 'xlsx', 'docx'],
  includeKey: false,
};

// The app's own bundle of the worker (npm run build:electron), else the sources through tsx.
const built = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { stdio: 'inherit' }).status === 0;
const script = built ? { path: resolve('dist-electron/core-worker.cjs') } : tsWorkerScript();
console.log(`worker: ${built ? 'dist-electron/core-worker.cjs' : 'TypeScript sources through tsx (the build failed)'}`);

try {
  let t = performance.now();
  const big = values.only === 'export' ? '' : seeded('verify.sqlite', 1_444, INCIDENTS);
  const small = values.only === 'history' || values.only === 'backup' ? '' : seeded('export.sqlite', 400, 2_000);
  console.log(`seeded in ${fmt(performance.now() - t)}`);

  const rows: Row[] = [];
  let out = 0;
  const exportJob = (call: Call) => () => call('reports:export', { ...EXPORT, folder: join(dir, `out-${out++}`) });
  const verifyJob = (call: Call) => () => call('audit:verify', { full: true });
  let bk = 0;
  const backupJob = (call: Call) => () => {
    const folder = join(dir, `backup-${bk++}`);
    mkdirSync(folder);
    return call('backup:create', { folder });
  };

  for (const [label, short, file, job] of [
    [`full history check, ${INCIDENTS.toLocaleString('en-US')} incidents`, 'history', big, verifyJob],
    ['2,000-row export (CSV, HTML, XLSX, DOCX)', 'export', small, exportJob],
    [`backup (VACUUM INTO), ${INCIDENTS.toLocaleString('en-US')} incidents`, 'backup', big, backupJob],
  ] as const) {
    if (values.only && values.only !== short) continue;
    // Through the worker, as the app's main process does.
    const core = startCore({ script, file, user: 'bench', check: 'none' });
    const viaWorker: Call = (c, r) => core.call(c, r);
    t = performance.now();
    await viaWorker('app:info', {});
    const startup = performance.now() - t;
    await job(viaWorker)(); // warm: statements, the reader thread's first start
    const idleSamples = await idle(viaWorker);
    const w: number[] = [];
    const wJob: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await duringJob(viaWorker, job(viaWorker));
      w.push(...r.samples);
      wJob.push(r.jobMs);
    }
    await core.close();
    // In this thread, as main did before the worker.
    const s = openSession(file, { user: 'bench', check: 'none' });
    const inThread: Call = (c, r) => s.dispatch(c, r);
    await job(inThread)();
    const m: number[] = [];
    const mJob: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await duringJob(inThread, job(inThread));
      m.push(...r.samples);
      mJob.push(r.jobMs);
    }
    s.vault.closeQuietly();
    console.log(`${label}: core worker ready in ${fmt(startup)}`);
    rows.push({ name: `app:info via the worker, idle (${short} database)`, samples: idleSamples });
    rows.push({ name: `app:info via the worker, during ${label}`, samples: w, jobMs: q(wJob, 0.5), goal: '≤ 50 ms p95' });
    rows.push({ name: `app:info in-thread dispatch, during ${label}`, samples: m, jobMs: q(mJob, 0.5), goal: 'before the worker' });
  }

  // Memory of a whole-database export, each format alone and CSV + HTML together, each in a
  // process of its own so its peak is its own.
  if (!values.only || values.only === 'heap') {
    const file = big || seeded('heap.sqlite', 1_444, INCIDENTS);
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const formats = (values.formats ?? 'csv,html,xlsx,docx,csv+html').split(',');
    console.log(`\nexport of every incident (${INCIDENTS.toLocaleString('en-US')} rows), one process per row:`);
    console.log(
      `${'formats'.padEnd(10)}  ${'time'.padStart(8)}  ${'peak RSS'.padStart(9)}  ${'RSS before'.padStart(10)}  ${'heap before'.padStart(11)}  ${'heap peak'.padStart(9)}  ${'peak/before'.padStart(11)}  ${'live peak'.padStart(9)}  ${'held'.padStart(6)}`,
    );
    for (const f of formats) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-export-heap.ts', file, join(dir, `heap-out-${f}`), f.replace('+', ',')], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`bench: the export-heap run failed: ${child.stderr}`);
      const m = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { ms: number; rssBeforeKb: number; maxRssKb: number; heapBeforeBytes: number; heapPeakBytes: number; liveAfterGcBytes: number; liveAfterFullGcBytes: number };
      console.log(
        `${f.padEnd(10)}  ${fmt(m.ms).padStart(8)}  ${mb(m.maxRssKb * 1024).padStart(9)}  ${mb(m.rssBeforeKb * 1024).padStart(10)}  ${mb(m.heapBeforeBytes).padStart(11)}  ${mb(m.heapPeakBytes).padStart(9)}  ${`${(m.heapPeakBytes / m.heapBeforeBytes).toFixed(1)}×`.padStart(11)}  ${mb(m.liveAfterGcBytes).padStart(9)}  ${(m.liveAfterFullGcBytes ? mb(m.liveAfterFullGcBytes) : '–').padStart(6)}`,
      );
    }
  }

  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`\n${'core worker'.padEnd(width)}  ${'n'.padStart(4)}  ${'median'.padStart(9)}  ${'p95'.padStart(9)}  ${'job'.padStart(8)}  goal`);
  for (const r of rows) {
    const p95 = q(r.samples, 0.95);
    const verdict = r.goal?.startsWith('≤') ? (p95 <= 50 ? 'ok' : 'MISSED') : '';
    console.log(
      `${r.name.padEnd(width)}  ${String(r.samples.length).padStart(4)}  ${fmt(q(r.samples, 0.5)).padStart(9)}  ${fmt(p95).padStart(9)}  ${(r.jobMs ? fmt(r.jobMs) : '').padStart(8)}  ${r.goal ?? ''}${verdict ? `  ${verdict}` : ''}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
