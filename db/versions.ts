import { appendAudit, contentHashOf } from './audit';
import type { Db } from './open';

export type Entity = 'facility' | 'person' | 'incident';

export interface WriteMeta {
  /** ISO timestamp of the write. */
  at: string;
  /** Staff member who made it, when known. */
  by: string | null;
  reason?: string | null;
  /** What the write was, for the audit log: 'create', 'edit', 'tombstone', 'restore'…; by default
   *  'create' for version 1 and 'edit' after. */
  action?: string;
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
  db.transaction(() => {
    const row = {
      entity,
      id,
      version,
      data: JSON.stringify(data ?? null),
      recordedAt: meta.at,
      recordedBy: meta.by,
      reason: meta.reason ?? null,
    };
    db.prepare(
      `INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by, reason)
       VALUES (@entity, @id, @version, @data, @recordedAt, @recordedBy, @reason)`,
    ).run(row);
    appendAudit(db, {
      at: meta.at,
      user: meta.by,
      action: meta.action ?? (version === 1 ? 'create' : 'edit'),
      entity,
      id,
      version,
      contentHash: contentHashOf(row),
    });
  })();
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
