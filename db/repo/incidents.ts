import type { Db } from '../open';
import { newId } from '../ids';
import { appendVersion, type WriteMeta } from '../versions';

import type { Incident, IncidentRow } from '../../shared/schemas';
import type { CategoryCode } from '../../shared/vocab';

export type IncidentRecord = Incident;
export type IncidentListRow = IncidentRow;
export type IncidentFields = Omit<Incident, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

type Raw = Omit<IncidentRecord, 'categories'> & { categories: string | null };

const COLUMNS = `i.id, i.person_id AS personId, i.facility_id AS facilityId, i.occurred_on AS occurredOn,
  i.summary, i.version, i.created_at AS createdAt, i.updated_at AS updatedAt,
  (SELECT group_concat(category, ',') FROM (SELECT category FROM incident_categories c
     WHERE c.incident_id = i.id ORDER BY category)) AS categories`;

function withCategories<T extends Raw>(row: T): Omit<T, 'categories'> & { categories: CategoryCode[] } {
  return { ...row, categories: row.categories ? (row.categories.split(',') as CategoryCode[]) : [] };
}

export function createIncident(db: Db, fields: IncidentFields, meta: WriteMeta): IncidentRecord {
  const categories = [...fields.categories].sort();
  const record: IncidentRecord = {
    id: newId(),
    version: 1,
    createdAt: meta.at,
    updatedAt: meta.at,
    ...fields,
    categories,
  };
  db.prepare(
    `INSERT INTO incidents (id, person_id, facility_id, occurred_on, summary, version, created_at, updated_at)
     VALUES (@id, @personId, @facilityId, @occurredOn, @summary, @version, @createdAt, @updatedAt)`,
  ).run({ ...record, categories: undefined });
  const addCategory = db.prepare(`INSERT INTO incident_categories (incident_id, category) VALUES (?, ?)`);
  for (const c of categories) addCategory.run(record.id, c);
  appendVersion(db, 'incident', record.id, 1, { ...fields, categories }, meta);
  return record;
}

export function getIncident(db: Db, id: string): IncidentRecord | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM incidents i WHERE i.id = ? AND i.deleted_at IS NULL`).get(id) as
    | Raw
    | undefined;
  return row ? withCategories(row) : undefined;
}

export interface IncidentFilter {
  limit: number;
  offset: number;
  personId?: string | undefined;
  facilityId?: string | undefined;
  category?: string | undefined;
}

export function listIncidents(db: Db, filter: IncidentFilter): { items: IncidentListRow[]; total: number } {
  const where = ['i.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (filter.personId) {
    where.push('i.person_id = ?');
    params.push(filter.personId);
  }
  if (filter.facilityId) {
    where.push('i.facility_id = ?');
    params.push(filter.facilityId);
  }
  if (filter.category) {
    where.push('EXISTS (SELECT 1 FROM incident_categories c WHERE c.incident_id = i.id AND c.category = ?)');
    params.push(filter.category);
  }
  const w = where.join(' AND ');
  const rows = db
    .prepare(
      `SELECT ${COLUMNS}, p.family_name || ', ' || p.given_name AS personName, f.name AS facilityName
       FROM incidents i JOIN people p ON p.id = i.person_id JOIN facilities f ON f.id = i.facility_id
       WHERE ${w} ORDER BY i.occurred_on DESC, i.id DESC LIMIT ? OFFSET ?`,
    )
    .all(...params, filter.limit, filter.offset) as (Raw & { personName: string; facilityName: string })[];
  const { n } = db.prepare(`SELECT count(*) AS n FROM incidents i WHERE ${w}`).get(...params) as { n: number };
  return { items: rows.map(withCategories), total: n };
}
