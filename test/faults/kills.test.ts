// Fault injection: the real CLI is killed by strace at fixed, spread-out system calls (page writes,
// fsyncs, renames, unlinks, truncates, opens) during each operation that replaces or adds a file.
// After every kill the database must open with one of the passphrases, pass integrity_check and
// `attest verify`, hold every acknowledged write (and, for a restore, lose nothing from before),
// list no half-written backup or export, and a later run of the same operation must succeed.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers';
import { generateRoster, rosterCsv } from '../roster-fixtures';
import type { Db } from '../../db/connect';
import { rekeyRestoreCopy } from '../../db/backup';
import {
  SKIP_FAULTS,
  SKIP_NOTE,
  DB,
  PASSPHRASES,
  buildCli,
  buildTemplate,
  chooseKillPoints,
  differences,
  inLanes,
  killWrap,
  listingProblems,
  openAsApp,
  openWhole,
  runCli,
  sha256File,
  snapshot,
  traceOperation,
  unlistedExhibitFiles,
  type KillPoint,
  type Snapshot,
} from './fault-kit';

const TARGET_KILLS = 34; // at least 30 must land: a point past the end of a run lands nowhere
const LANES = 2;
const [A, B, C] = PASSPHRASES;

let cli = '';
let cliDir = '';
let template = '';
let backupName = '';
let before: Snapshot; // the database before the operation: seed plus every acknowledged write
let backedUp: Snapshot; // what the template's backup holds (a restore puts this in place)
let trusted = new Map<string, string>(); // the template's backup, checked whole once: name to SHA-256
let bundleName = ''; // a sync bundle written by another laptop, in the template's bundles/
let merged: Snapshot; // the database once that bundle is imported

/** One operation under test. `args` run in a copy of the template; sync joins here once it exists. */
interface Operation {
  name: string;
  args: () => string[];
  /** Passphrases the database may open with after a kill. */
  opensWith: string[];
  /** States the database may be in after a kill. */
  states: () => Snapshot[];
  /** The later run's arguments, given the passphrase the database opened with after the kill. */
  again: (opened: string) => string[];
  /**
   * A state whose new rows cannot be known ahead (ids, times): what is wrong with the database when
   * it is in none of `states`, or nothing when it is in that other acceptable state.
   */
  otherwise?: (db: Db) => string[];
}

// The roster import: 60 people, written all at once or not at all.
const ROSTER = generateRoster(60);

/** The import committed: before's records unchanged, plus exactly the roster's people, no other row. */
function importedWhole(db: Db): string[] {
  const diffs = differences(db, before);
  const unexpected = diffs.filter((d) => !/^people \S+ not expected$/.test(d));
  if (unexpected.length) return unexpected.slice(0, 4);
  const added = new Set(diffs.map((d) => d.split(' ')[1]));
  const aNumbers = (db.prepare('SELECT id, a_number FROM people').all() as { id: string; a_number: string }[]).filter((p) => added.has(p.id)).map((p) => p.a_number).sort();
  const expected = [...ROSTER.valid.keys()].sort();
  return JSON.stringify(aNumbers) === JSON.stringify(expected) ? [] : [`${aNumbers.length} people added, not the roster's ${expected.length}`];
}

const OPERATIONS: Operation[] = [
  {
    name: 'rekey',
    args: () => ['call', 'vault:rekey', JSON.stringify({ current: A, next: B }), '--db', DB],
    opensWith: [A, B],
    states: () => [before],
    again: (opened) => ['call', 'vault:rekey', JSON.stringify({ current: opened, next: C }), '--db', DB],
  },
  {
    name: 'backup',
    args: () => ['backup', '--db', DB],
    opensWith: [A],
    states: () => [before],
    again: () => ['backup', '--db', DB],
  },
  {
    name: 'restore',
    args: () => ['restore', '--db', DB, '--from', join('backups', backupName), '--accept-loss'],
    opensWith: [A],
    states: () => [before, backedUp],
    again: () => ['restore', '--db', DB, '--from', join('backups', backupName), '--accept-loss'],
  },
  {
    // A backup made before a passphrase change: given its own passphrase, it is restored under the
    // database's (its checked copy re-keyed before the swap), so the database opens with A alone.
    name: 'restore older key',
    args: () => ['restore', '--db', DB, '--from', join('older-key', backupName), '--accept-loss', '--backup-passphrase-file', 'older-key.txt'],
    opensWith: [A],
    states: () => [before, backedUp],
    again: () => ['restore', '--db', DB, '--from', join('older-key', backupName), '--accept-loss', '--backup-passphrase-file', 'older-key.txt'],
  },
  {
    name: 'export',
    args: () => ['export', '--db', DB, '--out', 'exports', '--format', 'html,csv', '--profile', 'public'],
    opensWith: [A],
    states: () => [before],
    again: () => ['export', '--db', DB, '--out', 'exports', '--format', 'html,csv', '--profile', 'public'],
  },
  {
    name: 'import',
    args: () => ['import', '--db', DB, '--file', 'roster.csv'],
    opensWith: [A],
    states: () => [before],
    otherwise: importedWhole,
    again: () => ['import', '--db', DB, '--file', 'roster.csv'],
  },
  {
    name: 'sync import',
    args: () => ['sync', 'import', '--db', DB, '--from', join('bundles', bundleName)],
    opensWith: [A],
    states: () => [before, merged],
    again: () => ['sync', 'import', '--db', DB, '--from', join('bundles', bundleName)],
  },
];
// Not yet in Attest; each gets an entry in OPERATIONS when it lands (args, states, later run).
const PENDING: string[] = [];

beforeAll(async () => {
  if (SKIP_FAULTS) return;
  // Inside the repository, so the bundle finds node_modules (the native driver).
  cliDir = join(process.cwd(), 'test-results', 'faults', `cli-kills-${process.pid}`);
  cli = buildCli(cliDir);
  template = join(tempDir('attest-faults-'), 'template');
  const t = await buildTemplate(cli, template, A);
  ({ backupName, before, backedUp } = t);
  trusted = new Map([[backupName, sha256File(join(template, 'backups', backupName))]]);
  // The same backup under another passphrase (B), outside the backup folder, and B in a file.
  mkdirSync(join(template, 'older-key'));
  copyFileSync(join(template, 'backups', backupName), join(template, 'older-key', backupName));
  rekeyRestoreCopy(join(template, 'older-key', backupName), A, B);
  writeFileSync(join(template, 'older-key.txt'), `${B}\n`);
  writeFileSync(join(template, 'roster.csv'), rosterCsv(ROSTER));
  // Another laptop (same office passphrase): its records in one bundle, and the state once merged.
  const other = async (args: string[]) => {
    const r = await runCli(cli, [...args, '--db', 'other.sqlite'], { cwd: join(template, 'other-laptop'), passphrase: A });
    if (r.code !== 0) throw new Error(`attest ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r;
  };
  mkdirSync(join(template, 'other-laptop'));
  await other(['init']);
  await other(['seed', '--people', '4', '--incidents', '30', '--seed', '7']);
  const exported = await other(['sync', 'export', '--out', join(template, 'bundles')]);
  bundleName = /wrote .*[/\\]([^/\\:]+):/.exec(exported.stdout)?.[1] ?? '';
  rmSync(join(template, 'other-laptop'), { recursive: true, force: true });
  const probe = join(tempDir('attest-faults-merged-'), 'probe');
  cpSync(template, probe, { recursive: true });
  const imported = await runCli(cli, ['sync', 'import', '--db', DB, '--from', join('bundles', bundleName)], { cwd: probe, passphrase: A });
  if (imported.code !== 0) throw new Error(`the untouched import failed: ${imported.stderr}${imported.stdout}`);
  const m = openWhole(join(probe, DB), [A]);
  if ('error' in m) throw new Error(m.error);
  merged = snapshot(m.db);
  m.db.close();
}, 300_000);
afterAll(() => {
  cleanupTempDirs();
  if (cliDir) rmSync(cliDir, { recursive: true, force: true });
});

/** Every file under a folder with its size, for a failure report. */
function listing(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} (${s.size} B)`);
    }
  };
  walk(dir);
  return out.join(', ');
}

interface Outcome {
  point: KillPoint;
  killed: boolean;
  problems: string[];
  openedWith: string | null;
  leftovers: string;
}

/**
 * Everything that must hold after a kill (or a run the kill point missed). The database is first
 * opened as the app opens it (its own repair of leftovers included), then by `attest verify`.
 */
async function checkAfter(op: Operation, dir: string, exhibitNames: string[]): Promise<{ problems: string[]; openedWith: string | null }> {
  const problems: string[] = [];
  // 1. It opens with one of the passphrases: whole, and exactly one state the database was in.
  const app = openAsApp(join(dir, DB), op.opensWith);
  if ('error' in app) return { problems: [`does not open with any passphrase: ${app.error}`], openedWith: null };
  const openedWith = app.passphrase;
  try {
    const db = app.session.ctx.db;
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const diffs = op.states().map((s) => differences(db, s));
    const other = diffs.some((d) => d.length === 0) ? [] : op.otherwise?.(db);
    if (!diffs.some((d) => d.length === 0) && (!other || other.length)) problems.push(`records differ from before: ${(other ?? diffs[0]!).slice(0, 4).join('; ')}`);
    // A restore that went through keeps the previous database aside: nothing from before is lost.
    if (op.name.startsWith('restore') && diffs[0]!.length > 0 && diffs.slice(1).some((d) => d.length === 0) && !keptAside(dir)) {
      problems.push('restored, but no file kept aside holds the records from before the restore');
    }
    // 2. Nothing half-written is listed; no finished-looking exhibit without a listed export.
    const listed = await listingProblems(app.session, [A, B, C], [before, backedUp], { cwd: dir, trusted, otherwise: op.otherwise });
    problems.push(...listed.problems);
    for (const name of unlistedExhibitFiles(join(dir, 'exports'), exhibitNames, listed.exports)) problems.push(`unlisted exhibit file ${name}`);
  } finally {
    app.session.vault.closeQuietly();
  }
  // 3. `attest verify` agrees, with the same passphrase.
  const v = await runCli(cli, ['verify', '--db', DB], { cwd: dir, passphrase: openedWith });
  if (v.code !== 0 || !v.stdout.startsWith('verified:')) problems.push(`attest verify: ${(v.stdout + v.stderr).trim().split('\n')[0]}`);
  return { problems, openedWith };
}

/** A file beside the database (not a listed backup) that opens and holds every record from before. */
function keptAside(dir: string): boolean {
  for (const name of readdirSync(dir)) {
    if (name === DB || /-(wal|shm)$/.test(name) || statSync(join(dir, name)).isDirectory()) continue;
    const o = openWhole(join(dir, name), [A]);
    if ('error' in o) continue;
    const same = differences(o.db, before).length === 0;
    o.db.close();
    if (same) return true;
  }
  return false;
}

/**
 * The same operation run again over whatever the kill left: it must succeed (leftovers do not block
 * it). Checked lightly (its answer, the files it names), since the kill's state was checked whole.
 */
async function laterRun(op: Operation, dir: string, openedWith: string): Promise<string[]> {
  const r = await runCli(cli, op.again(openedWith), { cwd: dir, passphrase: openedWith });
  if (r.code !== 0) return [`the later ${op.name} failed (${r.code}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`];
  const named: string[] = [];
  if (op.name === 'backup') named.push(/backed up to (.*)$/m.exec(r.stdout)?.[1] ?? '(no file named)');
  if (op.name === 'export') {
    const x = (JSON.parse(r.stdout) as { data: { export: { folder: string; files: { name: string }[] } } }).data.export;
    named.push(...x.files.map((f) => join(x.folder, f.name)));
  }
  return named.filter((f) => !existsSync(resolve(dir, f))).map((f) => `the later ${op.name} names ${f}, which is not there`);
}

async function killRun(op: Operation, point: KillPoint, root: string, exhibitNames: string[]): Promise<Outcome> {
  const dir = join(root, `${op.name}-${point.call}-${point.when}`);
  cpSync(template, dir, { recursive: true });
  const run = await runCli(cli, op.args(), { cwd: dir, passphrase: A, wrap: killWrap(point) });
  if (!run.killed && run.code !== 0) {
    return { point, killed: false, openedWith: null, leftovers: listing(dir), problems: [`not killed, yet failed (${run.code}): ${run.stderr.trim()}`] };
  }
  const checked = await checkAfter(op, dir, exhibitNames);
  const leftovers = listing(dir);
  const problems = [...checked.problems];
  if (checked.openedWith) problems.push(...(await laterRun(op, dir, checked.openedWith)));
  if (problems.length === 0) rmSync(dir, { recursive: true, force: true });
  return { point, killed: run.killed, problems, openedWith: checked.openedWith, leftovers };
}

describe.skipIf(SKIP_FAULTS)(`fault injection: the CLI killed at system calls${SKIP_NOTE}`, () => {
  for (const op of OPERATIONS) {
    it(`${op.name}: killed at ${TARGET_KILLS} spread-out system calls, the database opens whole with every acknowledged write, nothing half-written is listed, and the ${op.name} runs again${SKIP_NOTE}`, async () => {
      const root = tempDir(`attest-faults-${op.name}-`);
      // An untouched run, traced, to count the calls the kills are spread over.
      const counted = join(root, 'counted');
      cpSync(template, counted, { recursive: true });
      const { run, counts } = await traceOperation(cli, op.args(), { cwd: counted, passphrase: A }, DB);
      expect(run.code, `the untouched ${op.name}: ${run.stderr}`).toBe(0);
      const exported = op.name === 'export' ? (JSON.parse(run.stdout) as { data: { export: { folder: string; files: { name: string }[] } } }).data.export : null;
      const exhibitNames = exported?.files.map((f) => f.name) ?? [];
      if (exported && !isAbsolute(exported.folder)) console.log(`note: the export log records the folder as "${exported.folder}", relative to the CLI's working directory`);
      const points = chooseKillPoints(counts, TARGET_KILLS);
      const outcomes = await inLanes(points, LANES, (p) => killRun(op, p, root, exhibitNames));

      const kills = outcomes.filter((o) => o.killed);
      const failed = outcomes.filter((o) => o.problems.length > 0);
      const byCall = new Map<string, number>();
      for (const o of kills) byCall.set(o.point.call, (byCall.get(o.point.call) ?? 0) + 1);
      const calls = [...byCall].map(([c, n]) => `${c} ${n}`).join(', ');
      const counted_ = Object.entries(counts.total).map(([c, n]) => `${c} ${n}`).join(', ');
      const newKey = op.opensWith.length > 1 ? `; opened with the new passphrase after ${outcomes.filter((o) => o.openedWith === B).length}` : '';
      console.log(
        `fault injection: ${op.name} ${kills.length} kills (${calls}), ${kills.length - failed.filter((o) => o.killed).length} recovered, ` +
          `${failed.length} failed${newKey}; ${outcomes.length - kills.length} points past the end; calls in an untouched run: ${counted_}`,
      );
      for (const o of failed) {
        console.log(`  FAILED ${op.name} at ${o.point.call} #${o.point.when}${o.killed ? '' : ' (not killed)'}: ${o.problems.join(' | ')}\n    left on disk: ${o.leftovers}`);
      }
      expect(kills.length).toBeGreaterThanOrEqual(30);
      expect(failed.map((o) => `${o.point.call}#${o.point.when}: ${o.problems[0]}`)).toEqual([]);
    }, 1_500_000); // a bound, not a timing: each kill is checked however slow the machine
  }
  for (const name of PENDING) it.todo(`${name}: killed at spread-out system calls (add it to OPERATIONS when it exists)`);
});
