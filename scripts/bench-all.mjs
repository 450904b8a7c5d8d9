// npm run bench [-- --scale]: the intake, report, core-worker, roster-import dashboard and sync benchmarks, each printing its
// own table with ratios against baselines measured in the same run.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const tsx = 'node_modules/.bin/tsx';
let failed = false;
for (const [script, forward] of [
  ['scripts/bench.ts', args],
  ['scripts/bench-reports.ts', []],
  ['scripts/bench-worker.ts', []],
  ['scripts/bench-import.ts', []],
  ['scripts/bench-dashboard.ts', args.includes('--scale') ? ['--million'] : []],
  ['scripts/bench-sync.ts', []],
]) {
  console.log(`\n### ${script} ${forward.join(' ')}`);
  const r = spawnSync(tsx, [script, ...forward], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
