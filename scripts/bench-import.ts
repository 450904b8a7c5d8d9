// npm run bench (or tsx scripts/bench-import.ts [--rows N,...]): a roster import of 1,444 rows and
// of 100,000 rows, through dispatch (read, check every row, write in one transaction), against a
// bare read and parse of the same file in the same run. Prints the times, the ratio and the peak
// heap seen (sampled between the steps, every 50 ms while they await, and at each progress event
// of the check and the write, every 500 rows), the process's peak resident memory (which counts
// SQLite's, where the import keeps its staged rows and plan), the CPU time of the import beside its
// wall-clock time, and the machine's load average while it ran.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openSession } from '../electron/core/session';
import { readRoster } from '../electron/core/roster/read';
import { generateRoster, rosterCsv } from '../test/roster-fixtures';

const { values } = parseArgs({ options: { rows: { type: 'string' } } });
const SIZES = (values.rows ?? '1444,100000').split(',').map(Number);
const GOALS: Record<number, number> = { 1444: 2, 100000: 60 };

// The heap in use counts garbage not yet collected; the live heap (after a forced collection, at
// every 20th progress event) is what the import keeps.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const dir = mkdtempSync(join(tmpdir(), 'attest-bench-import-'));
const table: Record<string, string | number>[] = [];
try {
  // A first small import loads every module (parsers, schemas) outside the timed runs.
  for (const n of [20, ...SIZES]) {
    const file = join(dir, `roster-${n}.csv`);
    writeFileSync(file, rosterCsv(generateRoster(n, { facility: 'Otero County Processing Center' })));
    const session = openSession(join(dir, `bench-${n}.sqlite`), { user: 'bench' });
    const d = session.dispatch;
    const off = await d('backup:configure', { everyWrites: 0, everyMinutes: 0, onClose: false });
    if (!off.ok) throw new Error(off.error.message);
    const f = await d('facilities:create', { name: 'Otero County Processing Center', city: 'Chaparral', state: 'NM', operator: 'PRIVATE', standard: 'PBNDS_2011' });
    if (!f.ok) throw new Error(f.error.message);

    let peak = 0;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().heapUsed));
    const timer = setInterval(sample, 50);
    // The write runs synchronously (one transaction): its progress events are where it is seen.
    let live = 0;
    let events = 0;
    const unsubscribe = session.ctx.jobs.subscribe(() => {
      sample();
      if (++events % 20 === 0) {
        gc();
        live = Math.max(live, process.memoryUsage().heapUsed);
      }
    });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;

    let t = performance.now();
    await readRoster(file);
    const parse = (performance.now() - t) / 1000;
    sample();

    t = performance.now();
    const cpu = process.cpuUsage();
    const read = await d('import:read', { path: file });
    if (!read.ok) throw new Error(read.error.message);
    const info = read.data as { guess: Record<string, string>; sha256: string };
    sample();
    const input = { path: file, mapping: info.guess, dateOrders: {} };
    const check = await d('import:check', input);
    if (!check.ok) throw new Error(check.error.message);
    sample();
    const run = await d('import:run', { ...input, sha256: info.sha256 });
    if (!run.ok) throw new Error(run.error.message);
    sample();
    const total = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const created = (run.data as { counts: { create: number } }).counts.create;
    if (created !== n) throw new Error(`bench: ${created} of ${n} rows created`);

    t = performance.now();
    const again = await d('import:check', input);
    if (!again.ok) throw new Error(again.error.message);
    const recheck = (performance.now() - t) / 1000;
    clearInterval(timer);
    unsubscribe();
    session.close();
    if (n === 20) continue;
    table.push({
      rows: n,
      'bare parse (s)': +parse.toFixed(2),
      'read + check + write (s)': +total.toFixed(2),
      'ratio to parse': +(total / parse).toFixed(1),
      // On a shared machine the wall clock also counts waiting for a core; CPU time does not.
      'CPU (s)': +cpuSeconds.toFixed(2),
      goal: GOALS[n] ? `≤ ${GOALS[n]} s` : '',
      met: GOALS[n] ? (total <= GOALS[n]! ? 'yes' : 'NO') : '',
      're-check, nothing to do (s)': +recheck.toFixed(2),
      'peak heap (MB)': Math.round(peak / 1e6),
      'heap before (MB)': Math.round(heapBefore / 1e6),
      // Fewer than 20 progress events (a small file): no forced collection was made.
      'peak live heap (MB)': live ? Math.round(live / 1e6) : '—',
      'peak RSS (MB)': Math.round(process.resourceUsage().maxRSS / 1e3),
      load: loadavg()[0]!.toFixed(1),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(table);
