// Rolling backups: VACUUM INTO copies (encrypted when the database is), named by time, the last K
// kept; a restore checks the backup first and keeps the current file aside. Every file is written
// under a temporary name, fsynced, checked and renamed, so a name that looks like a backup is one.
import { copyFileSync, chmodSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AuditTip, VerifyReport } from './history/audit';
import { GENESIS_HASH } from './history/audit';
import { verifyRecords } from './history/verify';
import { writeSetting } from './history/chained';
import { headTip } from './history/anchors';
import type { WriteMeta } from './history/versions';
import { applyKey, openDatabase, peekDatabase, vacuumInto, type Db, type OpenOptions } from './connect';
import { openDriver } from './driver';
import { loadMigrations } from './migrate';
import { fsyncDir, fsyncFile, processAlive, renameDurably } from './durable';

const NAME = /^attest-(\d{8}T\d{6}\d{3}Z)(?:-(\d+))?\.sqlite$/;
/** A backup being written: `.attest-<stamp>.sqlite.<pid>.partial`, never listed. */
const PARTIAL = /^\.(attest-.*\.sqlite)\.(\d+)\.partial(?:-journal)?$/;

export interface BackupFile {
  file: string;
  name: string;
  createdAt: string;
  bytes: number;
  /** False for a file named like a backup that cannot be one (empty, cut short, interrupted). */
  complete: boolean;
  /** Why it is not complete. */
  problem: string | null;
}

export interface BackupSettings {
  /** Folder for backups; null means the "backups" folder beside the database. */
  folder: string | null;
  /** Back up after this many writes (0: never by count). */
  everyWrites: number;
  /** Back up after this many minutes with unsaved writes (0: never by time). */
  everyMinutes: number;
  /** How many backups to keep. */
  keep: number;
  /** Back up when the app closes, if anything was written. */
  onClose: boolean;
}

export const DEFAULT_BACKUP_SETTINGS: BackupSettings = {
  folder: null,
  everyWrites: 50,
  everyMinutes: 15,
  keep: 10,
  onClose: true,
};

export function readBackupSettings(db: Db): BackupSettings {
  const row = db.prepare(`SELECT value FROM settings WHERE key = 'backup'`).pluck().get() as string | undefined;
  if (!row) return { ...DEFAULT_BACKUP_SETTINGS };
  return { ...DEFAULT_BACKUP_SETTINGS, ...(JSON.parse(row) as Partial<BackupSettings>) };
}

/** Saves the backup plan, chained like every other write (db/history/chained.ts). */
export function writeBackupSettings(db: Db, s: BackupSettings, meta: WriteMeta): void {
  writeSetting(db, 'backup', JSON.stringify(s), meta);
}

export function defaultBackupFolder(dbFile: string): string {
  return join(dirname(dbFile), 'backups');
}

export function stamp(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, '');
}

function hashAt(db: Db, seq: number): string | null {
  if (seq === 0) return GENESIS_HASH;
  return (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq) as string | undefined) ?? null;
}

/** Whether `tip` is still in the database's history (same sequence, same hash). */
export function holdsTip(db: Db, tip: AuditTip): boolean {
  return hashAt(db, tip.seq) === tip.hash;
}

type OpenKey = Pick<OpenOptions, 'key' | 'nativeBinding'>;

function rmAll(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

/** Backups another process left half-written when it died. */
function removeDeadPartials(folder: string): void {
  for (const name of readdirSync(folder)) {
    const m = PARTIAL.exec(name);
    if (m && !processAlive(Number(m[2]))) rmSync(join(folder, name), { force: true });
  }
}

/**
 * Writes one backup into `folder` (created owner-only if missing) and prunes to the last `keep`:
 * VACUUM INTO a hidden temporary name, fsync, open it (read-only, quick check, the history up to
 * the database's tip is there), then rename it to its real name and fsync the folder.
 */
/** Writes a backup; `tip` is the end of the history it holds (what a sidecar beside it records). */
export function createBackup(db: Db, folder: string, now: Date, open: OpenKey, keep?: number): BackupFile & { tip: AuditTip } {
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  removeDeadPartials(folder);
  const base = `attest-${stamp(now)}`;
  let name = `${base}.sqlite`;
  for (let i = 2; existsSync(join(folder, name)); i++) name = `${base}-${i}.sqlite`;
  const file = join(folder, name);
  const tmp = join(folder, `.${name}.${process.pid}.partial`);
  rmAll(tmp);
  const tip = headTip(db);
  try {
    vacuumInto(db, tmp);
    const copy = openDatabase(tmp, { ...open, readonly: true, create: false, check: 'quick' });
    try {
      if (!holdsTip(copy, tip)) throw new BackupCheckError(`the backup written to ${tmp} does not hold the history up to entry ${tip.seq}`);
    } finally {
      copy.close();
    }
    renameDurably(tmp, file);
  } catch (e) {
    rmAll(tmp);
    throw e;
  }
  if (keep !== undefined) pruneBackups(folder, keep);
  return { file, name, createdAt: now.toISOString(), bytes: statSync(file).size, complete: true, problem: null, tip };
}

/** Why a file named like a backup cannot be one, judged without opening it; null when it may be. */
export function backupProblem(file: string): string | null {
  const size = statSync(file).size;
  if (size === 0) return 'empty (0 bytes): the backup was interrupted or the disk was full';
  if (existsSync(`${file}-journal`)) return 'interrupted: a -journal file lies beside it';
  if (size % 512 !== 0) return 'cut short: its size is not a whole number of pages';
  return null;
}

/** Backups in a folder, newest first; ones that cannot be whole are listed as incomplete. Read-only. */
export function listBackups(folder: string): BackupFile[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  const out: (BackupFile & { n: number })[] = [];
  for (const name of readdirSync(folder)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const s = m[1]!;
    const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
    const file = join(folder, name);
    const problem = backupProblem(file);
    out.push({ file, name, createdAt: iso, bytes: statSync(file).size, complete: problem === null, problem, n: Number(m[2] ?? 1) });
  }
  out.sort((a, b) => (a.createdAt === b.createdAt ? b.n - a.n : a.createdAt < b.createdAt ? 1 : -1));
  return out.map(({ n: _n, ...b }) => b);
}

/** Removes complete backups beyond the newest `keep`; incomplete ones stay listed as such. */
export function pruneBackups(folder: string, keep: number): string[] {
  const removed: string[] = [];
  for (const b of listBackups(folder).filter((x) => x.complete).slice(Math.max(keep, 1))) {
    rmSync(b.file, { force: true });
    removed.push(b.file);
  }
  if (removed.length) fsyncDir(folder);
  return removed;
}

export class BackupCheckError extends Error {
  override name = 'BackupCheckError';
}

/** What restoring a backup would lose: history the current database has and the backup lacks. */
export interface HistoryLoss {
  /** Audit entries of the current history missing from the backup. */
  entries: number;
  /** Distinct records those entries wrote. */
  records: number;
  /** Time of the latest of them. */
  latestAt: string | null;
  /** Entries in the backup that the current history does not have (a diverging history). */
  backupOnly: number;
}

/** Compares two histories by their hash chains: where they part, and what the current one would lose. */
export function historyLoss(current: Db, backup: Db): HistoryLoss | null {
  const c = headTip(current);
  const b = headTip(backup);
  let hi = Math.min(c.seq, b.seq);
  let common: number;
  if (hashAt(current, hi) === hashAt(backup, hi)) common = hi;
  else {
    // Equal hashes at k mean equal chains up to k: search the last k where they agree.
    let lo = 0;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (hashAt(current, mid) === hashAt(backup, mid)) lo = mid;
      else hi = mid;
    }
    common = lo;
  }
  if (c.seq === common) return null;
  const row = current
    .prepare(`SELECT count(*) AS entries, count(DISTINCT entity || ':' || id) AS records, max(at) AS latestAt FROM audit_log WHERE seq > ?`)
    .get(common) as { entries: number; records: number; latestAt: string | null };
  return { ...row, backupOnly: b.seq - common };
}

/**
 * Checks a backup and copies it beside the target: refuses an empty file, an interrupted one, a file
 * that is not an Attest database, one from a newer Attest or one that cannot be upgraded, and one
 * whose history does not verify. The backup itself is only read. Returns the checked, fsynced copy
 * and, given the current database, what its history would lose.
 */
export function checkBackupCopy(
  backup: string,
  target: string,
  open: OpenKey,
  current?: Db,
): { copy: string; report: VerifyReport; loss: HistoryLoss | null; tip: AuditTip | null } {
  if (!existsSync(backup) || statSync(backup).isDirectory()) throw new BackupCheckError(`no backup file at ${backup}`);
  const name = basename(backup);
  const problem = backupProblem(backup);
  if (problem) throw new BackupCheckError(`${name} is not a whole backup: ${problem}`);
  let peek;
  try {
    peek = peekDatabase(backup, open.key ?? null, open.nativeBinding);
  } catch (e) {
    throw new BackupCheckError(`the backup ${name} cannot be restored: ${(e as Error).message}`);
  }
  if (!peek.hasHistory || peek.userVersion === 0) throw new BackupCheckError(`${name} is not an Attest database (it has no Attest history)`);
  const known = loadMigrations().length;
  if (peek.userVersion > known) {
    throw new BackupCheckError(`${name} comes from a newer Attest (schema version ${peek.userVersion}; this one knows ${known}): it cannot be restored here`);
  }
  const copy = `${target}.restoring`;
  rmAll(copy);
  let db: Db | undefined;
  try {
    copyFileSync(backup, copy);
    chmodSync(copy, 0o600);
    db = openDatabase(copy, { ...open, create: false, check: 'full' });
    const report = verifyRecords(db);
    if (!report.ok) throw new BackupCheckError(`the backup's history does not verify: ${report.firstBroken?.problem ?? ''}`);
    const loss = current ? historyLoss(current, db) : null;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    db = undefined;
    fsyncFile(copy);
    const { tip, ...found } = report;
    return { copy, report: found, loss, tip: tip ?? null };
  } catch (e) {
    db?.close();
    rmAll(copy);
    if (e instanceof BackupCheckError) throw e;
    throw new BackupCheckError(`the backup ${name} cannot be restored: ${(e as Error).message}`);
  }
}

/** Keeps a file under a second name: a hard link (instant), or a fsynced copy where links are refused. */
function keepAside(file: string, aside: string): void {
  try {
    linkSync(file, aside);
  } catch {
    copyFileSync(file, aside);
    fsyncFile(aside);
  }
}

/**
 * Puts the checked copy in place of the (closed, checkpointed) current database. The current file is
 * first kept aside by a link, then the copy is renamed over it: at every moment a whole database
 * is at the path.
 */
export function swapInRestore(copy: string, target: string, now: Date): string {
  const aside = `${target}.before-restore-${stamp(now)}`;
  // An empty WAL and its index, left by the closed connection, must not meet the new file.
  for (const ext of ['-wal', '-shm']) rmSync(target + ext, { force: true });
  if (existsSync(target)) {
    keepAside(target, aside);
    fsyncDir(dirname(target));
  }
  renameDurably(copy, target);
  return aside;
}

/**
 * Before the database is opened: finishes or undoes what a killed restore left. Returns what was
 * done, in words, for the unlock screen and the CLI.
 */
export function recoverRestoreLeftovers(file: string): string[] {
  const dir = dirname(file);
  const base = basename(file);
  if (!existsSync(dir)) return [];
  const notices: string[] = [];
  const restoring = `${file}.restoring`;
  const asides = readdirSync(dir)
    .filter((n) => n.startsWith(`${base}.before-restore-`) && !/-(wal|shm|journal)$/.test(n))
    .sort();
  if (!existsSync(file)) {
    const newest = asides.at(-1);
    if (newest) {
      // The previous database is whole; the restore can be done again.
      const from = join(dir, newest);
      for (const ext of ['-wal', '-shm']) if (existsSync(from + ext)) renameSync(from + ext, file + ext);
      keepAside(from, file);
      fsyncDir(dir);
      rmAll(restoring);
      notices.push(`A restore was interrupted before the restored copy was in place; the database from before it (${newest}) is back in place. Nothing was restored.`);
    } else if (existsSync(restoring) && statSync(restoring).size > 0) {
      renameDurably(restoring, file);
      notices.push('A restore was interrupted and no other database was left; its copy of the backup is now the database (it is checked whole when opened).');
    }
  }
  if (existsSync(restoring)) {
    rmAll(restoring);
    fsyncDir(dir);
    notices.push('A restore was interrupted before it finished; its unfinished copy was removed and the database is as it was before it.');
  }
  // A link made by an interrupted swap is the database itself under a second name.
  if (existsSync(file)) {
    const st = statSync(file);
    for (const n of asides) {
      const a = statSync(join(dir, n));
      if (a.ino === st.ino && a.dev === st.dev) unlinkSync(join(dir, n));
    }
  }
  return notices;
}

/** Records a database holds, as the Backups page compares them (deleted records not counted). */
export interface RecordCounts {
  people: number;
  incidents: number;
  interviews: number;
  facilities: number;
}

/** What a backup holds, read from the backup itself: the laptop that wrote it and its records. */
export interface BackupSummary {
  /** This database's own device (migration 7): its name when one was given, and key fingerprint. */
  device: { name: string | null; fingerprint: string } | null;
  counts: RecordCounts;
  /** History entries it holds. */
  auditRows: number;
}

const COUNTED = ['people', 'incidents', 'interviews', 'facilities'] as const;

function hasTable(db: Db, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** Each counted table's rows, without deleted ones; a table a very old backup lacks counts 0. */
export function recordCounts(db: Db): RecordCounts {
  const out = { people: 0, incidents: 0, interviews: 0, facilities: 0 };
  for (const t of COUNTED) {
    if (!hasTable(db, t)) continue;
    const deleted = db.prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = 'deleted_at'`).get(t) !== undefined;
    out[t] = db.prepare(`SELECT count(*) FROM ${t}${deleted ? ' WHERE deleted_at IS NULL' : ''}`).pluck().get() as number;
  }
  return out;
}

/** The device, counts and history length of an open database (the current one or a backup). */
export function summarize(db: Db): BackupSummary {
  let device: BackupSummary['device'] = null;
  if (hasTable(db, 'device_key') && hasTable(db, 'devices')) {
    device = (db.prepare(`SELECT d.name, d.fingerprint FROM device_key k JOIN devices d ON d.id = k.device WHERE k.one = 1`).get() as BackupSummary['device'] | undefined) ?? null;
  }
  const auditRows = hasTable(db, 'audit_log') ? (db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number) : 0;
  return { device, counts: recordCounts(db), auditRows };
}

/** A backup's summary as read, or why not: the key does not open it, or it is not an Attest backup. */
export type SummaryRead = { summary: BackupSummary } | { needsPassphrase: true } | { problem: string };

/**
 * Reads a backup's summary without changing it: read-only, one open (one key derivation, the slow
 * part), no migration, no check (a restore checks it whole). Never throws. The app runs it in a
 * reader thread (electron/worker/reader.ts) so the core keeps answering meanwhile.
 */
export function readBackupSummary(file: string, key: string | null, nativeBinding?: string): SummaryRead {
  let db: Db;
  try {
    db = openDriver(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (e) {
    return { problem: `cannot open ${basename(file)}: ${(e as Error).message}` };
  }
  try {
    if (key !== null) applyKey(db, key);
    try {
      db.pragma('schema_version');
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_NOTADB') return { needsPassphrase: true };
      throw e;
    }
    if (!hasTable(db, 'audit_log') || !hasTable(db, 'record_versions')) return { problem: `${basename(file)} is not an Attest database (it has no Attest history)` };
    return { summary: summarize(db) };
  } catch (e) {
    return { problem: `${basename(file)} cannot be read: ${(e as Error).message}` };
  } finally {
    db.close();
  }
}

/**
 * Re-encrypts the checked restore copy (a private file beside the database, not yet in place) from
 * the backup's passphrase to the database's: PRAGMA rekey in a rollback journal, so the copy is whole
 * under one key or the other; a kill leaves only `.restoring` files, which the next start removes.
 * `to` null stores it unencrypted (the database is). The copy is fsynced before this returns.
 */
export function rekeyRestoreCopy(copy: string, from: string | null, to: string | null, nativeBinding?: string): void {
  if (from === to) return;
  const db = openDriver(copy, { readonly: false, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    if (from !== null) applyKey(db, from);
    db.pragma('schema_version');
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    const r = db.pragma(`rekey = '${(to ?? '').replaceAll("'", "''")}'`) as unknown;
    const first = Array.isArray(r) && r[0] ? Object.values(r[0] as object)[0] : 'ok';
    if (first !== 'ok') throw new BackupCheckError(`the backup could not be re-encrypted with this database's passphrase: ${String(first)}`);
  } finally {
    db.close();
  }
  fsyncFile(copy);
}
