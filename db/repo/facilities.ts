import type { Db } from '../open';
import { newId } from '../ids';
import { appendVersion, type WriteMeta } from '../versions';

import type { Facility } from '../../shared/schemas';

export type FacilityRecord = Facility;
export type FacilityFields = Omit<Facility, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

const SELECT = `SELECT id, name, city, state, operator, operator_name AS operatorName, standard,
  version, created_at AS createdAt, updated_at AS updatedAt FROM facilities`;

export function createFacility(db: Db, fields: FacilityFields, meta: WriteMeta): FacilityRecord {
  const record: FacilityRecord = { id: newId(), version: 1, createdAt: meta.at, updatedAt: meta.at, ...fields };
  db.prepare(
    `INSERT INTO facilities (id, name, city, state, operator, operator_name, standard, version, created_at, updated_at)
     VALUES (@id, @name, @city, @state, @operator, @operatorName, @standard, @version, @createdAt, @updatedAt)`,
  ).run(record);
  appendVersion(db, 'facility', record.id, 1, fields, meta);
  return record;
}

export function getFacility(db: Db, id: string): FacilityRecord | undefined {
  return db.prepare(`${SELECT} WHERE id = ? AND deleted_at IS NULL`).get(id) as FacilityRecord | undefined;
}

export function listFacilities(db: Db, page: { limit: number; offset: number }): { items: FacilityRecord[]; total: number } {
  const items = db
    .prepare(`${SELECT} WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?`)
    .all(page.limit, page.offset) as FacilityRecord[];
  const { n } = db.prepare(`SELECT count(*) AS n FROM facilities WHERE deleted_at IS NULL`).get() as { n: number };
  return { items, total: n };
}
