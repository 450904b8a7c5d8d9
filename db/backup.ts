// Rolling backups: VACUUM INTO copies (encrypted when the database is), named by time, the last K
// kept; a restore checks the backup first and keeps the current file aside.
import { copyFileSync, chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { VerifyReport } from './history/audit';
import { verifyRecords } from './history/verify';
import { openDatabase, vacuumInto, type Db, type OpenOptions } from './connect';

const NAME = /^attest-(\d{8}T\d{6}\d{3}Z)(?:-(\d+))?\.sqlite$/;

export interface BackupFile {
  file: string;
  name: string;
  createdAt: string;
  bytes: number;
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

export function writeBackupSettings(db: Db, s: BackupSettings): void {
  db.prepare(`INSERT INTO settings (key, value) VALUES ('backup', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
    JSON.stringify(s),
  );
}

export function defaultBackupFolder(dbFile: string): string {
  return join(dirname(dbFile), 'backups');
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, '');
}

/** Writes one backup into `folder` (created owner-only if missing) and prunes to the last `keep`. */
export function createBackup(db: Db, folder: string, now: Date, keep?: number): BackupFile {
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  const base = `attest-${stamp(now)}`;
  let name = `${base}.sqlite`;
  for (let i = 2; existsSync(join(folder, name)); i++) name = `${base}-${i}.sqlite`;
  const file = join(folder, name);
  vacuumInto(db, file);
  if (keep !== undefined) pruneBackups(folder, keep);
  return { file, name, createdAt: now.toISOString(), bytes: statSync(file).size };
}

/** Backups in a folder, newest first. */
export function listBackups(folder: string): BackupFile[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  const out: (BackupFile & { n: number })[] = [];
  for (const name of readdirSync(folder)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const s = m[1]!;
    const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
    const file = join(folder, name);
    out.push({ file, name, createdAt: iso, bytes: statSync(file).size, n: Number(m[2] ?? 1) });
  }
  out.sort((a, b) => (a.createdAt === b.createdAt ? b.n - a.n : a.createdAt < b.createdAt ? 1 : -1));
  return out.map(({ n: _n, ...b }) => b);
}

export function pruneBackups(folder: string, keep: number): string[] {
  const removed: string[] = [];
  for (const b of listBackups(folder).slice(Math.max(keep, 1))) {
    rmSync(b.file, { force: true });
    removed.push(b.file);
  }
  return removed;
}

export class BackupCheckError extends Error {
  override name = 'BackupCheckError';
}

/**
 * Copies a backup beside the target, opens the copy (full integrity check, migrations) and verifies
 * its audit chain. Returns the checked copy's path; throws BackupCheckError (and leaves nothing
 * behind) when the backup is unreadable or its history is broken.
 */
export function checkBackupCopy(
  backup: string,
  target: string,
  open: Pick<OpenOptions, 'key' | 'nativeBinding'>,
): { copy: string; report: VerifyReport } {
  if (!existsSync(backup) || statSync(backup).isDirectory()) throw new BackupCheckError(`no backup file at ${backup}`);
  const copy = `${target}.restoring`;
  for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
  copyFileSync(backup, copy);
  chmodSync(copy, 0o600);
  let db: Db | undefined;
  try {
    db = openDatabase(copy, { ...open, create: false, check: 'full' });
    const report = verifyRecords(db);
    if (!report.ok) throw new BackupCheckError(`the backup's history does not verify: ${report.firstBroken?.problem ?? ''}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    db = undefined;
    return { copy, report };
  } catch (e) {
    db?.close();
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
    if (e instanceof BackupCheckError) throw e;
    throw new BackupCheckError(`the backup ${basename(backup)} cannot be restored: ${(e as Error).message}`);
  }
}

/** Moves the (closed) current database aside and puts the checked copy in its place. */
export function swapInRestore(copy: string, target: string, now: Date): string {
  const aside = `${target}.before-restore-${stamp(now)}`;
  if (existsSync(target)) renameSync(target, aside);
  for (const ext of ['-wal', '-shm']) {
    if (existsSync(target + ext)) renameSync(target + ext, aside + ext);
  }
  for (const ext of ['-wal', '-shm']) rmSync(copy + ext, { force: true });
  renameSync(copy, target);
  return aside;
}
