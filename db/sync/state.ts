// What must be equal on every laptop once they hold the same versions: every version (by device and
// sequence, with its content hash), every record's heads and the shown one, and every record's row.
import { createHash } from 'node:crypto';
import type { Db } from '../driver';
import { openCodeClashes } from './codes';
import { facilityStore } from '../repo/facilities';
import { incidentStore } from '../repo/incidents';
import { interviewStore } from '../repo/interviews';
import { personStore } from '../repo/people';
import type { Store } from '../repo/records';
import { staffStore } from '../repo/staff';

const STORES = [facilityStore, personStore, interviewStore, incidentStore, staffStore] as unknown as Store<object>[];

export function officeContentHash(db: Db): string {
  const h = createHash('sha256');
  const add = (label: string, rows: unknown[]) => {
    h.update(`#${label}\n`);
    for (const r of rows) h.update(`${JSON.stringify(r)}\n`);
  };
  add('versions', db.prepare(`SELECT device, seq, content_hash FROM all_versions ORDER BY device, seq`).raw().all());
  add('heads', db.prepare(`SELECT entity, id, device, seq, version, shown FROM record_heads ORDER BY entity, id, device, seq`).raw().all());
  for (const s of STORES) add(s.spec.table, db.prepare(`SELECT ${s.columns('')} FROM ${s.spec.table} ORDER BY id`).raw().all());
  add('incident_categories', db.prepare(`SELECT incident_id, category, occurred_on, facility_id, deleted_at FROM incident_categories ORDER BY 1, 2`).raw().all());
  add('settings', db.prepare(`SELECT key, value FROM settings ORDER BY key`).raw().all());
  add('report_settings', db.prepare(`SELECT data FROM report_settings`).raw().all());
  add('report_definitions', db.prepare(`SELECT id, name, data, version, deleted_at FROM report_definitions ORDER BY id`).raw().all());
  add('report_exports', db.prepare(`SELECT id, manifest FROM report_exports ORDER BY id`).raw().all());
  return h.digest('hex');
}

/** Records with more than one head, and filing codes held by two people (db/sync/codes.ts): in all, and the codes alone. */
export function openConflictCounts(db: Db): { total: number; codeClashes: number } {
  const heads = (db.prepare(`SELECT count(*) FROM (SELECT 1 FROM record_heads GROUP BY entity, id HAVING count(*) > 1)`).pluck().get() as number) ?? 0;
  const codeClashes = openCodeClashes(db).length;
  return { total: heads + codeClashes, codeClashes };
}

export function openConflictCount(db: Db): number {
  return openConflictCounts(db).total;
}
