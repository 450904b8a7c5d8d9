import { appendAudit, contentHashOf } from './audit';
import type { Db } from '../driver';
import { stmt } from '../stmt';
import { localDeviceId, refOf } from './device';
import { advanceHeads, nextVersionOf, shownHead } from './heads';

export type Entity =
  | 'facility'
  | 'person'
  | 'incident'
  | 'interview'
  | 'staff'
  // Not records of the case, but what shapes an exhibit or the backups: chained the same way.
  | 'report'
  | 'office-settings'
  | 'setting'
  | 'export'
  // A device's name and trust (db/sync/devices.ts).
  | 'device'
  // A restore the user confirmed: names the history it set aside (db/history/anchors.ts).
  | 'restore';

export type WriteAction = 'create' | 'update' | 'delete' | 'restore';

export interface WriteMeta {
  /** ISO timestamp of the write. */
  at: string;
  /** Staff member who made it, when known. */
  by: string | null;
  reason?: string | null;
  /** What the write did; absent on rows written before actions were recorded. */
  action?: WriteAction;
  /** The versions this one replaces ("device:seq"); by default the head the record's row shows. */
  parents?: readonly string[];
}

/**
 * Appends one version of a record to the permanent history and chains it into the audit log, in
 * one transaction (a savepoint inside the caller's): there is no write without its audit row.
 */
export function appendVersion(
  db: Db,
  entity: Entity,
  id: string,
  version: number,
  data: unknown,
  meta: WriteMeta,
): void {
  if (!hasDevices(db)) return appendVersionBefore7(db, entity, id, version, data, meta);
  db.transaction(() => {
    const shown = meta.parents ? undefined : shownHead(db, entity, id);
    const parents = meta.parents ? [...meta.parents].sort() : shown ? [refOf(shown.device, shown.seq)] : [];
    const row = {
      entity,
      id,
      version,
      data: JSON.stringify(data ?? null),
      recordedAt: meta.at,
      recordedBy: meta.by,
      reason: meta.reason ?? null,
      parents: JSON.stringify(parents),
    };
    const action: WriteAction = meta.action ?? (version === 1 ? 'create' : 'update');
    stmt(
      db,
      `INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by, reason, action, parents)
       VALUES (@entity, @id, @version, @data, @recordedAt, @recordedBy, @reason, @action, @parents)`,
    ).run({ ...row, action });
    const audit = appendAudit(db, { at: meta.at, user: meta.by, action, entity, id, version, contentHash: contentHashOf(row) });
    advanceHeads(db, entity, id, { device: localDeviceId(db), seq: audit.seq, version }, parents);
  }).immediate();
}

const withDevices = new WeakSet<Db>();
/** Whether migration 7 (devices, parents, heads) has run on this connection's database. */
export function hasDevices(db: Db): boolean {
  if (withDevices.has(db)) return true;
  const yes = stmt(db, `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'device_key'`).get() as { n: number };
  if (yes.n > 0) withDevices.add(db);
  return yes.n > 0;
}

/** A write to a database not yet at migration 7 (tests build older databases with today's code). */
function appendVersionBefore7(db: Db, entity: Entity, id: string, version: number, data: unknown, meta: WriteMeta): void {
  db.transaction(() => {
    const row = { entity, id, version, data: JSON.stringify(data ?? null), recordedAt: meta.at, recordedBy: meta.by, reason: meta.reason ?? null };
    const action: WriteAction = meta.action ?? (version === 1 ? 'create' : 'update');
    stmt(
      db,
      `INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by, reason, action)
       VALUES (@entity, @id, @version, @data, @recordedAt, @recordedBy, @reason, @action)`,
    ).run({ ...row, action });
    appendAudit(db, { at: meta.at, user: meta.by, action, entity, id, version, contentHash: contentHashOf(row) });
  }).immediate();
}

/** The version after the last one recorded for this id (1 when there is none). */
export function nextVersion(db: Db, entity: Entity, id: string): number {
  // Over every device's versions (the heads hold the highest), not only this laptop's.
  if (hasDevices(db)) return nextVersionOf(db, entity, id);
  const { v } = stmt(db, `SELECT max(version) AS v FROM record_versions WHERE entity = ? AND id = ?`).get(entity, id) as { v: number | null };
  return (v ?? 0) + 1;
}

export interface VersionRow {
  entity: Entity;
  id: string;
  version: number;
  data: unknown;
  recordedAt: string;
  recordedBy: string | null;
  reason: string | null;
  action: WriteAction | null;
  /** The laptop that wrote it and its place in that laptop's chain (absent before migration 7). */
  device?: { id: string; name: string | null; local: boolean };
  seq?: number;
  /** The versions it replaces ("device:seq"), when recorded. */
  parents?: string[] | null;
}

export function listVersions(db: Db, entity: Entity, id: string): VersionRow[] {
  if (!hasDevices(db)) {
    const old = stmt(
      db,
      `SELECT entity, id, version, data, recorded_at, recorded_by, reason, action
         FROM record_versions WHERE entity = ? AND id = ? ORDER BY version`,
    ).all(entity, id) as RawVersion[];
    return old.map(fromRaw);
  }
  // Every laptop's versions (this one's and those that came in bundles, held as foreign rows): two
  // may share a number (a conflict), so they go by number, then time, device and sequence.
  const local = localDeviceId(db);
  const rows = stmt(
    db,
    `SELECT v.entity, v.id, v.version, v.data, v.recorded_at, v.recorded_by, v.reason, v.action, v.device, v.seq, v.parents, d.name AS device_name
       FROM all_versions v LEFT JOIN devices d ON d.id = v.device
      WHERE v.entity = ? AND v.id = ? ORDER BY v.version, v.recorded_at, v.device, v.seq`,
  ).all(entity, id) as (RawVersion & { device: string; seq: number; parents: string | null; device_name: string | null })[];
  return rows.map((r) => ({
    ...fromRaw(r),
    device: { id: r.device, name: r.device_name, local: r.device === local },
    seq: r.seq,
    parents: r.parents === null ? null : (JSON.parse(r.parents) as string[]),
  }));
}

interface RawVersion {
  entity: Entity;
  id: string;
  version: number;
  data: string;
  recorded_at: string;
  recorded_by: string | null;
  reason: string | null;
  action: WriteAction | null;
}

function fromRaw(r: RawVersion): VersionRow {
  return {
    entity: r.entity,
    id: r.id,
    version: r.version,
    data: JSON.parse(r.data) as unknown,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    reason: r.reason,
    action: r.action,
  };
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Fields whose values differ between two versions (deep comparison through JSON). */
export function diffFields(before: Record<string, unknown> | null, after: Record<string, unknown>): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const out: FieldChange[] = [];
  for (const field of keys) {
    const a = before ? (before[field] ?? null) : null;
    const b = after[field] ?? null;
    if (before === null || JSON.stringify(a) !== JSON.stringify(b)) out.push({ field, before: a, after: b });
  }
  return out;
}

export interface HistoryEntry {
  version: number;
  action: WriteAction;
  at: string;
  by: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  changes: FieldChange[];
  /** The laptop that wrote this version (absent on a database before migration 7). */
  device?: { id: string; name: string | null; local: boolean };
  /** This version's place ("device:seq") and the versions it replaces: two heads share a parent, a resolution names both. */
  ref?: string;
  parents?: string[] | null;
}

/**
 * Every version of a record, from every laptop, with the field-level difference from the version it
 * replaces (its first parent; the one before it when parents were not recorded).
 */
export function recordHistory(db: Db, entity: Entity, id: string): HistoryEntry[] {
  let prev: Record<string, unknown> | null = null;
  const byRef = new Map<string, Record<string, unknown>>();
  return listVersions(db, entity, id).map((v) => {
    const data = (v.data ?? {}) as Record<string, unknown>;
    const parent = v.parents?.length ? (byRef.get(v.parents[0]!) ?? prev) : v.parents ? null : prev;
    const action: WriteAction =
      v.action ?? (v.version === 1 ? 'create' : data.deletedAt && !parent?.deletedAt ? 'delete' : 'update');
    const entry: HistoryEntry = { version: v.version, action, at: v.recordedAt, by: v.recordedBy, reason: v.reason, data, changes: diffFields(parent, data) };
    if (v.device) {
      const ref = refOf(v.device.id, v.seq!);
      byRef.set(ref, data);
      Object.assign(entry, { device: v.device, ref, parents: v.parents ?? null });
    }
    prev = data;
    return entry;
  });
}
