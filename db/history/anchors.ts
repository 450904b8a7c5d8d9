// The chain tip (last sequence number and its hash) recorded outside the database: beside each
// backup, in a tip file in the backup folder, in each export manifest. Someone who rewrites the
// database — cuts its last entries with their records, re-hashes the chain after a change, or
// copies an older backup over it — cannot reach these copies in the same stroke, so a history
// shorter than, or different from, a tip recorded there is reported.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Db } from '../driver';
import { newId } from '../ids';
import type { BrokenRow } from './audit';
import { appendVersion } from './versions';
import { MONTH_NAMES } from '../../shared/vocab';

export interface ChainTip {
  seq: number;
  hash: string;
}

/** A tip found outside the database, with where it was found and when it was written. */
export interface RecordedTip extends ChainTip {
  at: string;
  file: string;
  /** For messages: "the backup of 20 June 2026, 10:00 UTC". */
  label: string;
}

export interface TipCheck {
  /** Tips found and compared. */
  checked: number;
  /** Tips written before a restore the user confirmed, which set their history aside. */
  superseded: number;
  /** The first tip the history does not reach or does not match (the one with most entries missing). */
  problem: BrokenRow | null;
}

export const TIP_FILE = 'attest-tip.json';
const SIDECAR = '.tip.json';
const BACKUP = /^attest-\d{8}T\d{9}Z(?:-\d+)?\.sqlite$/;

/** The last audit row (seq 0 and the genesis hash for an empty history). */
export function headTip(db: Db): ChainTip {
  const r = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as ChainTip | undefined;
  return r ?? { seq: 0, hash: '0'.repeat(64) };
}

/** Writes a whole file or nothing: a temporary name, fsync, rename, fsync of the folder. */
export function writeFileAtomic(path: string, text: string): void {
  // Named by thread too: the core and a reader thread of one process may write the same file.
  const tmp = `${path}.${process.pid}.${threadId}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some platforms cannot open a folder for fsync (Windows); the rename is still atomic there.
  }
}

const tipText = (kind: string, tip: ChainTip, at: string, extra: Record<string, string>) =>
  `${JSON.stringify({ kind, seq: tip.seq, hash: tip.hash, at, ...extra }, null, 2)}\n`;

/** The sidecar of a backup: the tip of the history it holds. Sidecars of pruned backups go too. */
export function writeBackupTip(backupFile: string, tip: ChainTip, at: string): void {
  writeFileAtomic(`${backupFile}${SIDECAR}`, tipText('attest-backup-tip', tip, at, { backup: basename(backupFile) }));
  const folder = dirname(backupFile);
  for (const name of readdirSync(folder)) {
    if (name.endsWith(SIDECAR) && BACKUP.test(name.slice(0, -SIDECAR.length)) && !existsSync(join(folder, name.slice(0, -SIDECAR.length)))) {
      rmSync(join(folder, name), { force: true });
    }
  }
}

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${d.toISOString().slice(11, 16)} UTC`;
}

/** Only a regular file of sensible size is read: a named path could be a device or a huge file. */
function readSmall(file: string): string {
  const st = statSync(file);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size > 256 * 1024 * 1024) throw new Error('too large for a tip or manifest');
  // Stryker disable next-line StringLiteral: with no encoding the bytes come back as a Buffer, which JSON.parse (the only reader) turns into the same text as UTF-8
  return readFileSync(file, 'utf8');
}

function parseTip(file: string, label: (at: string) => string): RecordedTip | { file: string; unreadable: string } {
  try {
    const v = JSON.parse(readSmall(file)) as Partial<RecordedTip>;
    if (typeof v.seq !== 'number' || !Number.isInteger(v.seq) || v.seq < 0 || typeof v.hash !== 'string' || typeof v.at !== 'string') {
      return { file, unreadable: 'it does not hold a sequence number, hash and time' };
    }
    return { seq: v.seq, hash: v.hash, at: v.at, file, label: label(v.at) };
  } catch (e) {
    return { file, unreadable: (e as Error).message };
  }
}

/** Every tip recorded in these folders: the tip file and each backup's sidecar. */
export function readRecordedTips(folders: readonly string[]): { tips: RecordedTip[]; unreadable: { file: string; unreadable: string }[] } {
  const tips: RecordedTip[] = [];
  const unreadable: { file: string; unreadable: string }[] = [];
  for (const folder of new Set(folders)) {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder)) {
      let t;
      if (name === TIP_FILE) t = parseTip(join(folder, name), (at) => `the tip recorded in the backup folder on ${when(at)} (${name})`);
      else if (name.endsWith(SIDECAR) && BACKUP.test(name.slice(0, -SIDECAR.length))) {
        t = parseTip(join(folder, name), (at) => `the backup of ${when(at)} (${name.slice(0, -SIDECAR.length)})`);
      } else continue;
      if ('unreadable' in t) unreadable.push(t);
      else tips.push(t);
    }
  }
  return { tips, unreadable };
}

/** An export manifest's record of the history it was made from. */
export function manifestTip(file: string): RecordedTip | null {
  try {
    const m = JSON.parse(readSmall(file)) as { history?: Partial<ChainTip>; generatedAt?: string; kind?: string };
    if (m.kind !== 'attest-export-manifest' || !m.history || typeof m.history.seq !== 'number' || typeof m.history.hash !== 'string') return null;
    const at = m.generatedAt ?? '';
    return { seq: m.history.seq, hash: m.history.hash, at, file, label: `the export of ${when(at)} (${basename(file)})` };
  } catch {
    return null;
  }
}

interface RestoreEntry {
  at: string;
  setAside: ChainTip;
  highestRecorded: ChainTip | null;
}

function restores(db: Db): RestoreEntry[] {
  return (db.prepare(`SELECT data FROM record_versions WHERE entity = 'restore'`).pluck().all() as string[]).map((d) => JSON.parse(d) as RestoreEntry);
}

/**
 * Compares the history with recorded tips. A tip matches when the history has its sequence number
 * with the same hash. A tip written before a restore the user confirmed (a chained 'restore'
 * entry at or after the tip's time) belongs to the history that restore set aside, and is counted
 * apart. Any other tip is a problem: the history was cut short or rewritten since.
 */
export function checkRecordedTips(db: Db, tips: readonly RecordedTip[], unreadable: readonly { file: string; unreadable: string }[] = []): TipCheck {
  const head = headTip(db);
  const confirmed = restores(db);
  const hashAt = db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck();
  let superseded = 0;
  let worst: { tip: RecordedTip; problem: string; missing: number } | null = null;
  for (const t of tips) {
    if (t.seq === 0) continue;
    const hash = hashAt.get(t.seq) as string | undefined;
    if (hash === t.hash) continue;
    if (confirmed.some((r) => t.at <= r.at && t.seq <= Math.max(r.setAside.seq, r.highestRecorded?.seq ?? 0))) {
      superseded++;
      continue;
    }
    const missing = Math.max(0, t.seq - head.seq);
    const problem =
      hash === undefined
        ? `the history ends ${missing} ${missing === 1 ? 'entry' : 'entries'} before ${t.label}: entries ${head.seq + 1} to ${t.seq} were removed, or an older copy was put in place of the database`
        : `the history differs from ${t.label} at entry ${t.seq}: it was rewritten after that tip was recorded`;
    // The tip with most entries missing; among equals the latest, and a backup before the tip file.
    const rank = (x: { tip: RecordedTip; missing: number }) => [x.missing, x.tip.seq, x.tip.file.endsWith(SIDECAR) ? 1 : 0];
    const better = (a: number[], b: number[]) => a[0]! > b[0]! || (a[0] === b[0] && (a[1]! > b[1]! || (a[1] === b[1] && a[2]! > b[2]!)));
    if (!worst || better(rank({ tip: t, missing }), rank(worst))) worst = { tip: t, problem, missing };
  }
  if (worst) return { checked: tips.length, superseded, problem: { seq: worst.tip.seq, table: 'recorded-tip', problem: worst.problem } };
  const bad = unreadable[0];
  if (bad) return { checked: tips.length, superseded, problem: { seq: null, table: 'recorded-tip', problem: `the recorded tip ${bad.file} cannot be read (${bad.unreadable}): the history cannot be compared with it` } };
  return { checked: tips.length, superseded, problem: null };
}

/**
 * Advances the tip file in `folder` to this history's tip. Never over a tip this history does not
 * match (that is the evidence of a cut or a rewrite), unless a confirmed restore set it aside.
 * Returns false when it left the file alone.
 */
export function updateTipFile(db: Db, folder: string, at: string, database: string): boolean {
  const plan = planTipFile(db, folder, at, database);
  if (plan === 'left') return false;
  if (plan !== 'current') writeFileAtomic(plan.file, plan.text);
  return true;
}

/**
 * What updateTipFile does, without the write: the tip file and the text that advances it to this
 * history's tip; 'current' when it holds that tip (or a later one) already, 'left' when it is to be
 * left alone (no such folder, or it names a history this one is not).
 */
export type TipFilePlan = { file: string; text: string; seq: number } | 'current' | 'left';

export function planTipFile(db: Db, folder: string, at: string, database: string): TipFilePlan {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return 'left';
  const file = join(folder, TIP_FILE);
  const head = headTip(db);
  if (existsSync(file)) {
    // Stryker disable next-line ArrowFunction,StringLiteral: the label goes only into a problem's text, and here only whether there is a problem counts
    const t = parseTip(file, () => '');
    // Stryker disable next-line StringLiteral: '' is in neither shape, so an unreadable tip goes on with no seq or hash, finds no row (undefined, as its hash), is not past the head, and is written over as it is now
    if (!('unreadable' in t)) {
      const hash = db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck().get(t.seq) as string | undefined;
      if (hash === t.hash || t.seq === 0) {
        if (t.seq >= head.seq) return 'current';
      } else if (checkRecordedTips(db, [t]).problem) {
        return 'left';
      }
    }
  }
  return { file, text: tipText('attest-chain-tip', head, at, { database }), seq: head.seq };
}

/**
 * A planned tip file written (on a thread with no connection: a reader thread), unless the file
 * now holds this tip or a later one: a write answered meanwhile may have advanced it on the
 * thread that writes, and a tip never goes back.
 */
export function writeTipFile(file: string, text: string, seq: number): void {
  if (existsSync(file)) {
    const t = parseTip(file, () => '');
    if (!('unreadable' in t) && t.seq >= seq) return;
  }
  writeFileAtomic(file, text);
}

/**
 * Chains a restore the user confirmed, naming the history it set aside (the tip the database had
 * and the highest tip recorded outside it): tips from that history are no longer reported, and
 * the restore itself stays in the history for anyone to see.
 */
export function recordRestore(db: Db, r: { restoredFrom: string; setAside: ChainTip; highestRecorded: ChainTip | null; at: string; by: string | null }): void {
  appendVersion(db, 'restore', newId(), 1, { restoredFrom: r.restoredFrom, setAside: r.setAside, highestRecorded: r.highestRecorded, at: r.at }, { at: r.at, by: r.by, action: 'create' });
}

/** What the vault calls: every tip recorded in the backup folders, compared with the history. */
export function checkFolders(db: Db, folders: readonly string[], manifests: readonly string[] = [], named: readonly string[] = []): TipCheck {
  const { tips, unreadable } = readRecordedTips(folders);
  for (const m of manifests) {
    const t = manifestTip(m);
    if (t) tips.push(t);
  }
  const seen = new Set([...tips.map((t) => t.file), ...unreadable.map((u) => u.file)]);
  for (const f of named) {
    if (seen.has(f)) continue;
    const t = readTipFile(f);
    if ('unreadable' in t) unreadable.push(t);
    else tips.push(t);
  }
  return checkRecordedTips(db, tips, unreadable);
}

/**
 * The manifests of the latest exports logged on this laptop, where they were written (a moved folder
 * is skipped). An export that came in a bundle names the tip of its own laptop's chain, not this one's.
 */
export function loggedManifests(db: Db, limit = 20): string[] {
  return (
    db
      .prepare(
        `SELECT e.folder, f.name FROM report_exports e JOIN report_export_files f ON f.export_id = e.id AND f.format = 'manifest'
         WHERE EXISTS (SELECT 1 FROM record_versions v WHERE v.entity = 'export' AND v.id = e.id)
         ORDER BY e.generated_at DESC, e.id DESC LIMIT ?`,
      )
      .all(limit) as { folder: string; name: string }[]
  )
    .map((r) => join(r.folder, r.name))
    .filter((f) => existsSync(f));
}

/** After a backup: its sidecar, and the tip file of its folder. Never throws (a backup is not undone by this). */
export function recordBackupTip(db: Db, backupFile: string, backupTip: ChainTip, at: string, database: string): string | null {
  try {
    // The sidecar names the end of the history the backup holds, not whatever was written since.
    writeBackupTip(backupFile, backupTip, at);
    updateTipFile(db, dirname(backupFile), at, database);
    return null;
  } catch (e) {
    return `the chain tip could not be recorded beside the backup: ${(e as Error).message}`;
  }
}

/** The highest tip recorded in these folders, for a restore to name what it sets aside. */
export function highestRecordedTip(folders: readonly string[]): ChainTip | null {
  let best: ChainTip | null = null;
  for (const t of readRecordedTips(folders).tips) if (!best || t.seq > best.seq) best = { seq: t.seq, hash: t.hash };
  return best;
}

/**
 * A backup against its own sidecar, before a restore: a backup whose history is shorter than, or
 * differs from, the tip recorded when it was written was replaced or cut since. Null when it
 * matches (or has no sidecar: older backups, or one copied without it).
 */
export function backupAgainstItsTip(backupFile: string, tip: ChainTip | null): string | null {
  const file = `${backupFile}${SIDECAR}`;
  if (!existsSync(file)) return null;
  const t = parseTip(file, (at) => `the tip recorded beside it on ${when(at)}`);
  if ('unreadable' in t) return `the backup's recorded tip ${file} cannot be read (${t.unreadable})`;
  const seq = tip?.seq ?? 0;
  if (t.seq > seq) return `the backup's history ends ${t.seq - seq} entries before ${t.label}: the backup file was cut or replaced since it was written`;
  if (t.seq === seq && t.hash !== (tip?.hash ?? '')) return `the backup's history differs from ${t.label}: the backup file was rewritten since it was written`;
  return null;
}

/** A tip kept elsewhere and named by the user: an export manifest, a backup's sidecar or a tip file. */
export function readTipFile(file: string): RecordedTip | { file: string; unreadable: string } {
  return manifestTip(file) ?? parseTip(file, (at) => `the tip recorded on ${when(at)} in ${basename(file)}`);
}

/** The tip file and backup sidecars in a folder: what `attest verify` compares with when it reads a private copy. */
export function tipFilesIn(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder)
    .filter((n) => n === TIP_FILE || (n.endsWith(SIDECAR) && BACKUP.test(n.slice(0, -SIDECAR.length))))
    .map((n) => join(folder, n));
}

/** Whether a restored history lacks any of these tips (then the restore sets history aside and is chained). */
export function setsAside(db: Db, tips: readonly (ChainTip | null)[]): boolean {
  const hashAt = db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck();
  return tips.some((t) => t !== null && t.seq > 0 && hashAt.get(t.seq) !== t.hash);
}
