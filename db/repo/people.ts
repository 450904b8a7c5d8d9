import type { Db } from '../open';
import { newId } from '../ids';
import { appendVersion, type WriteMeta } from '../versions';

import type { Person } from '../../shared/schemas';

export type PersonRecord = Person;
export type PersonFields = Omit<Person, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

const SELECT = `SELECT id, family_name AS familyName, given_name AS givenName, name_original AS nameOriginal,
  a_number AS aNumber, birth_date AS birthDate, nationality, current_facility_id AS currentFacilityId,
  version, created_at AS createdAt, updated_at AS updatedAt FROM people`;

export function createPerson(db: Db, fields: PersonFields, meta: WriteMeta): PersonRecord {
  const record: PersonRecord = { id: newId(), version: 1, createdAt: meta.at, updatedAt: meta.at, ...fields };
  db.prepare(
    `INSERT INTO people (id, family_name, given_name, name_original, a_number, birth_date, nationality,
       current_facility_id, version, created_at, updated_at)
     VALUES (@id, @familyName, @givenName, @nameOriginal, @aNumber, @birthDate, @nationality,
       @currentFacilityId, @version, @createdAt, @updatedAt)`,
  ).run(record);
  appendVersion(db, 'person', record.id, 1, fields, meta);
  return record;
}

export function getPerson(db: Db, id: string): PersonRecord | undefined {
  return db.prepare(`${SELECT} WHERE id = ? AND deleted_at IS NULL`).get(id) as PersonRecord | undefined;
}

export function findPersonByANumber(db: Db, aNumber: string): PersonRecord | undefined {
  return db.prepare(`${SELECT} WHERE a_number = ?`).get(aNumber) as PersonRecord | undefined;
}

export function listPeople(
  db: Db,
  filter: { limit: number; offset: number; facilityId?: string | undefined },
): { items: PersonRecord[]; total: number } {
  const where = ['deleted_at IS NULL'];
  const params: unknown[] = [];
  if (filter.facilityId) {
    where.push('current_facility_id = ?');
    params.push(filter.facilityId);
  }
  const w = where.join(' AND ');
  const items = db
    .prepare(`${SELECT} WHERE ${w} ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, id LIMIT ? OFFSET ?`)
    .all(...params, filter.limit, filter.offset) as PersonRecord[];
  const { n } = db.prepare(`SELECT count(*) AS n FROM people WHERE ${w}`).get(...params) as { n: number };
  return { items, total: n };
}
