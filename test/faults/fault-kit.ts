// Tools for the fault-injection suites: the real CLI bundled once, run as a child process, killed by
// strace at a chosen system call (`-e inject=CALL:signal=KILL:when=N`), and the checks every kill
// must pass: the database opens, is whole, verifies, holds what was acknowledged, and nothing
// half-written is listed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../../db/connect';
import { verifyRecords } from '../../db/history/verify';
import { openSession, type Session } from '../../electron/core/session';

/** strace runs here; in CI (`CI` set) its absence is a failure, not a skip. */
export const HAS_STRACE = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
export const SKIP_FAULTS = !HAS_STRACE && !process.env.CI;
export const SKIP_NOTE = SKIP_FAULTS ? ' (SKIPPED: strace is not installed; apt-get install strace)' : '';

/** Bundles the CLI with scripts/build-cli.mjs into `outDir`; returns the bundle's path. */
export function buildCli(outDir: string): string {
  const r = spawnSync(process.execPath, ['scripts/build-cli.mjs', outDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the CLI failed: ${r.stderr}`);
  return join(outDir, 'attest.cjs');
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The process died of SIGKILL (our injection), not by itself. */
  killed: boolean;
}

export interface RunOptions {
  cwd: string;
  passphrase?: string | null;
  /** Prefix that starts the CLI (strace, or bash setting a limit). */
  wrap?: string[];
}

/** Runs `node CLI args…` (optionally wrapped) and collects its output. */
export function runCli(cli: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ATTEST_USER: 'fault-tester' };
  delete env.ATTEST_PASSPHRASE;
  delete env.ATTEST_DB;
  if (opts.passphrase) env.ATTEST_PASSPHRASE = opts.passphrase;
  const argv = [...(opts.wrap ?? []), process.execPath, cli, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      // strace re-raises the tracee's fatal signal on itself; 128+9 when it cannot.
      resolve({ code, signal, stdout, stderr, killed: signal === 'SIGKILL' || code === 137 }),
    );
  });
}

/** The system calls a kill may land on; `rare` ones are each tried at every occurrence (capped). */
export const RARE_CALLS = ['fsync', 'fdatasync', 'rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'ftruncate', 'link', 'linkat'];
export const COMMON_CALLS = ['pwrite64', 'write', 'openat'];
const ALL_CALLS = [...RARE_CALLS, ...COMMON_CALLS];

export interface KillPoint {
  call: string;
  when: number;
}

export interface CallCounts {
  /** Per call, the ordinals (1-based, in the main thread) that come after the operation started. */
  inOperation: Record<string, number[]>;
  /** Per call, every occurrence in the main thread. */
  total: Record<string, number>;
}

/**
 * Counts the calls of an uninjected run, from strace's log. strace counts `when=N` per thread, so
 * only the main thread (the first pid in the log, where SQLite and the sync fs calls run) is
 * counted, and ordinals that another thread also reaches are dropped: a kill there could land in
 * that thread first. The operation starts at the first call naming `marker` (the database file).
 */
export function countCalls(log: string, marker: string): CallCounts {
  const lines = log.split('\n').filter((l) => /^\d+ /.test(l));
  const mainPid = lines[0]?.split(' ')[0];
  const seen: Record<string, Map<string, number>> = {};
  const inOperation: Record<string, number[]> = {};
  const total: Record<string, number> = {};
  const otherMax: Record<string, number> = {};
  let started = false;
  for (const line of lines) {
    const m = /^(\d+) +([a-z0-9_]+)\(/.exec(line);
    if (!m) continue; // "<... resumed>", exits, signals
    const [, pid, call] = m as unknown as [string, string, string];
    const perPid = (seen[call] ??= new Map());
    const n = (perPid.get(pid) ?? 0) + 1;
    perPid.set(pid, n);
    if (pid !== mainPid) {
      otherMax[call] = Math.max(otherMax[call] ?? 0, n);
      continue;
    }
    total[call] = n;
    if (!started && line.includes(marker)) started = true;
    if (started) (inOperation[call] ??= []).push(n);
  }
  for (const call of Object.keys(inOperation)) inOperation[call] = inOperation[call]!.filter((n) => n > (otherMax[call] ?? 0));
  return { inOperation, total };
}

/** Runs the operation once under strace, untouched, and counts its calls. */
export async function traceOperation(cli: string, args: string[], opts: RunOptions, marker: string): Promise<{ run: RunResult; counts: CallCounts }> {
  const log = join(opts.cwd, 'strace.log');
  const run = await runCli(cli, args, { ...opts, wrap: ['strace', '-f', '-qq', '-y', '-o', log, '-e', `trace=${ALL_CALLS.join(',')}`] });
  const counts = countCalls(readFileSync(log, 'utf8'), marker);
  return { run, counts };
}

/** `k` ordinals spread evenly over a list (all of it when it is shorter). */
function spread(list: number[], k: number): number[] {
  if (list.length <= k) return [...list];
  return Array.from({ length: k }, (_, i) => list[Math.round(((i + 0.5) * list.length) / k - 0.5)]!);
}

/**
 * Fixed kill points over an operation: every rare call (fsync, rename, unlink…) at up to `rareCap`
 * of its occurrences, then the rest of `target` spread over page writes, file writes and opens.
 */
export function chooseKillPoints(counts: CallCounts, target: number, rareCap = 6): KillPoint[] {
  const points: KillPoint[] = [];
  for (const call of RARE_CALLS) for (const when of spread(counts.inOperation[call] ?? [], rareCap)) points.push({ call, when });
  const common = COMMON_CALLS.filter((c) => (counts.inOperation[c]?.length ?? 0) > 0);
  // Page writes carry most of the work: twice the share of file writes and opens. A call with
  // fewer occurrences than its share gives the rest to the others.
  const weight: Record<string, number> = { pwrite64: 2, write: 1, openat: 1 };
  const take: Record<string, number> = Object.fromEntries(common.map((c) => [c, 0]));
  let left = Math.max(target - points.length, 8); // page writes and opens are always among the kills
  while (left > 0) {
    const open = common.filter((c) => take[c]! < counts.inOperation[c]!.length);
    if (open.length === 0) break;
    const total = open.reduce((a, c) => a + weight[c]!, 0);
    let given = 0;
    for (const c of open) {
      const k = Math.min(Math.max(1, Math.floor((left * weight[c]!) / total)), counts.inOperation[c]!.length - take[c]!, left - given);
      take[c]! += k;
      given += k;
    }
    left -= given;
  }
  for (const c of common) for (const when of spread(counts.inOperation[c]!, take[c]!)) points.push({ call: c, when });
  return points;
}

/** strace arguments that kill the CLI at the `when`-th `call`, tracing nothing else. */
export function killWrap(p: KillPoint): string[] {
  // Not --seccomp-bpf: with it strace 6.1 does not inject.
  return ['strace', '-f', '-qq', '-o', '/dev/null', '-e', `trace=${p.call}`, '-e', `inject=${p.call}:signal=KILL:when=${p.when}`];
}

// ---- what a database holds -------------------------------------------------------------------

export const RECORD_TABLES = ['facilities', 'people', 'interviews', 'incidents', 'staff'] as const;

/** Every record row, by table and id, as JSON: two equal snapshots hold exactly the same records. */
export interface Snapshot {
  tables: Record<(typeof RECORD_TABLES)[number], Map<string, string>>;
  /** The last audit row: a later state keeps it, unchanged. */
  tip: { seq: number; hash: string } | null;
}

export function snapshot(db: Db): Snapshot {
  const rowsOf = (t: string) => {
    const rows = db.prepare(`SELECT * FROM ${t} ORDER BY id`).all() as { id: string }[];
    return new Map(rows.map((r) => [r.id, JSON.stringify(r)]));
  };
  const tables = Object.fromEntries(RECORD_TABLES.map((t) => [t, rowsOf(t)])) as Snapshot['tables'];
  const tip = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as Snapshot['tip'] | undefined;
  return { tables, tip: tip ?? null };
}

/** What differs from the expected records (missing, changed or extra rows), and whether the expected history is still there. */
export function differences(db: Db, expected: Snapshot): string[] {
  const out: string[] = [];
  const now = snapshot(db);
  for (const t of RECORD_TABLES) {
    for (const [id, row] of expected.tables[t]) {
      const found = now.tables[t].get(id);
      if (found === undefined) out.push(`${t} ${id} missing`);
      else if (found !== row) out.push(`${t} ${id} changed`);
    }
    for (const id of now.tables[t].keys()) if (!expected.tables[t].has(id)) out.push(`${t} ${id} not expected`);
  }
  if (expected.tip) {
    const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(expected.tip.seq) as string | undefined;
    if (row !== expected.tip.hash) out.push(`audit row ${expected.tip.seq} ${row === undefined ? 'missing' : 'changed'}`);
  }
  return out;
}

/** Opens a file read-only with the first passphrase that works and checks it whole: integrity_check and the chain. */
export function openWhole(file: string, passphrases: (string | null)[]): { db: Db; passphrase: string | null } | { error: string } {
  let last = '';
  for (const key of passphrases) {
    let db: Db | undefined;
    try {
      db = openDatabase(file, { readonly: true, create: false, check: 'full', key });
      const report = verifyRecords(db);
      if (!report.ok) {
        db.close();
        return { error: `history does not verify: ${report.firstBroken?.problem ?? ''}` };
      }
      return { db, passphrase: key };
    } catch (e) {
      db?.close();
      last = (e as Error).message;
    }
  }
  return { error: last };
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Opens the database as the app does (its own recovery included) with the first passphrase that works. */
export function openAsApp(file: string, passphrases: string[]): { session: Session; passphrase: string } | { error: string } {
  let last = '';
  for (const key of passphrases) {
    try {
      return { session: openSession(file, { create: false, key, user: 'fault-checker' }), passphrase: key };
    } catch (e) {
      last = (e as Error).message;
    }
  }
  return { error: last };
}

interface ListedBackup {
  file: string;
  name: string;
  /** False: listed as incomplete (not offered as a backup), which is allowed. */
  complete?: boolean;
}
interface ListedExport {
  id: string;
  folder: string;
  files: { name: string; sha256: string }[];
}

/** Problems with what the app lists: a backup listed as complete that is not a whole database, a listed export whose files are missing or differ. */
export async function listingProblems(
  session: Session,
  backupKeys: (string | null)[],
  wholeStates: Snapshot[],
  /** `otherwise`: a state whose rows cannot be known ahead (an import's): its problems, none when the backup is in it. */
  opts: { cwd: string; trusted?: Map<string, string>; otherwise?: ((db: Db) => string[]) | undefined },
): Promise<{ problems: string[]; backups: number; exports: ListedExport[] }> {
  const problems: string[] = [];
  const b = await session.dispatch('backup:list', {});
  if (!b.ok) return { problems: [`backup:list failed: ${b.error.message}`], backups: 0, exports: [] };
  const items = (b.data as { items: ListedBackup[] }).items;
  for (const item of items) {
    if (item.complete === false) continue;
    // A backup the test made before the operation, byte for byte as it was, was checked then.
    if (opts.trusted?.get(item.name) === sha256File(item.file)) continue;
    const opened = openWhole(item.file, backupKeys);
    if ('error' in opened) {
      problems.push(`listed backup ${item.name} is not whole: ${opened.error}`);
      continue;
    }
    // A backup holds one whole state the database was in, never a mix.
    const diffs = wholeStates.map((s) => differences(opened.db, s));
    const other = diffs.some((d) => d.length === 0) ? [] : opts.otherwise?.(opened.db);
    opened.db.close();
    if (!diffs.some((d) => d.length === 0) && (!other || other.length)) problems.push(`listed backup ${item.name} holds no state the database was in: ${diffs[0]!.slice(0, 3).join('; ')}`);
  }
  const e = await session.dispatch('exports:list', {});
  if (!e.ok) return { problems: [...problems, `exports:list failed: ${e.error.message}`], backups: items.length, exports: [] };
  const exports = (e.data as { items: ListedExport[] }).items;
  for (const x of exports) {
    for (const f of x.files) {
      // The CLI logs --out as given: a relative folder is relative to where it ran.
      const path = resolve(opts.cwd, x.folder, f.name);
      if (!existsSync(path)) problems.push(`listed export ${x.id}: ${f.name} is missing`);
      else if (sha256File(path) !== f.sha256) problems.push(`listed export ${x.id}: ${f.name} does not match its hash`);
    }
  }
  return { problems, backups: items.length, exports };
}

/**
 * Finished-looking exhibit files (named as an export names them, `-N` suffixes included) that no
 * listed export accounts for: a killed export must leave only temporary names behind.
 */
export function unlistedExhibitFiles(folder: string, exhibitNames: string[], listed: ListedExport[]): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  const accounted = new Set(listed.flatMap((x) => x.files.map((f) => f.name)));
  const finished = exhibitNames.map((n) => {
    const dot = n.lastIndexOf('.');
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^${esc(n.slice(0, dot))}(-\\d+)?${esc(n.slice(dot))}$`);
  });
  return readdirSync(folder).filter((name) => !accounted.has(name) && finished.some((re) => re.test(name)));
}

/** Runs `fn` over `items` with at most `lanes` at once, keeping the order of results. */
export async function inLanes<T, R>(items: T[], lanes: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

// ---- the database every run starts from ------------------------------------------------------

export const DB = 'attest.sqlite';
export const PASSPHRASES = ['fault test passphrase one', 'fault test passphrase two', 'fault test passphrase three'] as const;

export interface Template {
  /** The backup in backups/, taken after the first acknowledged writes. */
  backupName: string;
  /** The database: seed plus every acknowledged write. */
  before: Snapshot;
  /** What the backup holds (a restore puts this in place). */
  backedUp: Snapshot;
}

async function must(cli: string, args: string[], cwd: string, passphrase: string): Promise<RunResult> {
  const r = await runCli(cli, args, { cwd, passphrase });
  if (r.code !== 0) throw new Error(`attest ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r;
}

const idOf = (r: RunResult) => (JSON.parse(r.stdout) as { data: { id: string } }).data.id;

export function incidentInput(personId: string, facilityId: string, summary: string, ownWords?: string): string {
  return JSON.stringify({ personId, facilityId, occurredOn: '2026-06-18', categories: ['WATER'], summary, ...(ownWords ? { ownWords } : {}), includeInReport: true });
}

/**
 * An encrypted database built through the CLI, as an office would: seeded, then acknowledged
 * writes, a backup, and one more acknowledged write the backup does not hold.
 */
export async function buildTemplate(cli: string, dir: string, passphrase: string): Promise<Template & { facilityId: string; personId: string }> {
  mkdirSync(dir, { recursive: true });
  const run = (args: string[]) => must(cli, [...args, '--db', DB], dir, passphrase);
  await run(['init']);
  // No backup on every CLI close: the listed backups are then exactly the ones the test made.
  await run(['call', 'backup:configure', '{"onClose":false}']);
  await run(['seed', '--people', '12', '--incidents', '40', '--seed', '3']);
  const facilityId = idOf(await run(['call', 'facilities:create', JSON.stringify({ name: 'Fault Lake Center', city: 'Baldwin', state: 'MI', operator: 'PRIVATE', standard: 'PBNDS_2011' })]));
  const personId = idOf(await run(['call', 'people:create', JSON.stringify({ familyName: 'Haddad', givenName: 'Yusuf', aNumber: '012345678' })]));
  await run(['call', 'incidents:create', incidentInput(personId, facilityId, 'Water withheld for a day before the hearing')]);
  const b = await run(['backup']);
  const backupName = /backed up to .*[/\\]([^/\\]+)$/m.exec(b.stdout.trim())?.[1];
  if (!backupName) throw new Error(`backup named no file: ${b.stdout}`);
  await run(['call', 'incidents:create', incidentInput(personId, facilityId, 'Told a lawyer would mean longer detention')]);
  const now = openWhole(join(dir, DB), [passphrase]);
  const bk = openWhole(join(dir, 'backups', backupName), [passphrase]);
  if ('error' in now || 'error' in bk) throw new Error('the template does not open');
  const t = { backupName, before: snapshot(now.db), backedUp: snapshot(bk.db), facilityId, personId };
  now.db.close();
  bk.db.close();
  return t;
}
