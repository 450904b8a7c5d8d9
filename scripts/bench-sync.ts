// npm run bench (or tsx scripts/bench-sync.ts [--incidents N]): several laptops. Laptop A is seeded
// with 1,444 people and 30,000 incidents (what `attest seed` does, timed: the baseline), laptop B
// with as many others; A's whole bundle is written and imported into B through dispatch (verify
// every row, merge in one transaction), then the same bundle is imported again (nothing new). Each
// import starts with the bundle key not yet derived, as a fresh `attest sync import` does. Goals:
// the import ≤ 2× the seed; the repeated import ≤ 0.1× the first. Prints wall-clock and CPU seconds.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seed } from '../db/seed';
import { forgetBundleKeys } from '../db/sync/bundle';
import { openSession, type Session } from '../electron/core/session';

const { values } = parseArgs({ options: { incidents: { type: 'string' }, people: { type: 'string' } } });
const INCIDENTS = Number(values.incidents ?? 30_000);
const PEOPLE = Number(values.people ?? 1_444);
const PASS = 'office bundle passphrase for the bench';
const NO_BACKUPS = { everyWrites: 0, everyMinutes: 0, onClose: false };

const dir = mkdtempSync(join(tmpdir(), 'attest-bench-sync-'));

function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const wall = (performance.now() - t) / 1000;
  const used = process.cpuUsage(c);
  return { value, wall, cpu: (used.user + used.system) / 1e6 };
}

async function timedAsync<T>(f: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const wall = (performance.now() - t) / 1000;
  const used = process.cpuUsage(c);
  return { value, wall, cpu: (used.user + used.system) / 1e6 };
}

function laptop(name: string, seedValue: number): { session: Session; seeded: { wall: number; cpu: number } } {
  const session = openSession(join(dir, `${name}.sqlite`), { user: 'bench' });
  session.vault.configureBackups(NO_BACKUPS, 'bench');
  const seeded = timed(() => seed(session.ctx.db, { people: PEOPLE, incidents: INCIDENTS, seed: seedValue }));
  return { session, seeded };
}

const must = <T>(r: { ok: true; data: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
};

try {
  const folder = join(dir, 'usb');
  mkdirSync(folder);
  const a = laptop('a', 2);
  const exported = await timedAsync(async () => must(await a.session.dispatch('sync:export', { folder, passphrase: PASS })) as { file: string; counts: { versions: number } });
  a.session.close();
  const b = laptop('b', 1);
  const d = b.session.dispatch;
  forgetBundleKeys();
  const first = await timedAsync(async () => must(await d('sync:import', { file: exported.value.file, passphrase: PASS })) as { newVersions: number });
  if (first.value.newVersions !== exported.value.counts.versions) throw new Error(`bench: ${first.value.newVersions} of ${exported.value.counts.versions} versions came in`);
  forgetBundleKeys();
  const again = await timedAsync(async () => must(await d('sync:import', { file: exported.value.file, passphrase: PASS })) as { newVersions: number });
  if (again.value.newVersions !== 0) throw new Error(`bench: the repeated import brought ${again.value.newVersions} versions`);
  const verified = await timedAsync(async () => must(await d('audit:verify', { full: true })) as { ok: boolean });
  if (!verified.value.ok) throw new Error('bench: the merged database does not verify');
  b.session.close();

  const seedWall = a.seeded.wall;
  const row = (step: string, t: { wall: number; cpu: number }, against: string, base: number, goal: number | null) => ({
    step,
    'wall (s)': +t.wall.toFixed(2),
    'CPU (s)': +t.cpu.toFixed(2),
    against,
    ratio: +(t.wall / base).toFixed(3),
    goal: goal === null ? '' : `≤ ${goal}×`,
    met: goal === null ? '' : t.wall / base <= goal ? 'yes' : 'NO',
  });
  console.log(`bundle: ${exported.value.counts.versions} versions, ${(statSync(exported.value.file).size / 1e6).toFixed(1)} MB`);
  console.table([
    row(`seed A (${PEOPLE} people, ${INCIDENTS} incidents)`, a.seeded, 'seed A', seedWall, null),
    row('seed B (as many others)', b.seeded, 'seed A', seedWall, null),
    row("export A's bundle", exported, 'seed A', seedWall, null),
    row('import into B', first, 'seed A', seedWall, 2),
    row('import again (nothing new)', again, 'import into B', first.wall, 0.1),
    row('verify B after', verified, 'seed A', seedWall, null),
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
