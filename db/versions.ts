import type { Db } from './open';

export type Entity = 'facility' | 'person' | 'incident';

export interface WriteMeta {
  /** ISO timestamp of the write. */
  at: string;
  /** Staff member who made it, when known. */
  by: string | null;
  reason?: string | null;
}

/** Appends one version of a record to the permanent history. */
export function appendVersion(
  db: Db,
  entity: Entity,
  id: string,
  version: number,
  data: unknown,
  meta: WriteMeta,
): void {
  db.prepare(
    `INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(entity, id, version, JSON.stringify(data), meta.at, meta.by, meta.reason ?? null);
}

export interface VersionRow {
  entity: Entity;
  id: string;
  version: number;
  data: unknown;
  recordedAt: string;
  recordedBy: string | null;
  reason: string | null;
}

export function listVersions(db: Db, entity: Entity, id: string): VersionRow[] {
  const rows = db
    .prepare(
      `SELECT entity, id, version, data, recorded_at, recorded_by, reason
       FROM record_versions WHERE entity = ? AND id = ? ORDER BY version`,
    )
    .all(entity, id) as {
    entity: Entity;
    id: string;
    version: number;
    data: string;
    recorded_at: string;
    recorded_by: string | null;
    reason: string | null;
  }[];
  return rows.map((r) => ({
    entity: r.entity,
    id: r.id,
    version: r.version,
    data: JSON.parse(r.data) as unknown,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    reason: r.reason,
  }));
}
