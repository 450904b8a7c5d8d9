import type { Db } from '../driver';
import { stmt } from '../stmt';
import type { WriteMeta } from '../history/versions';
import { makeStore } from './records';

import type { Facility } from '../../shared/schemas';

export type FacilityRecord = Facility;
export type FacilityFields = Omit<Facility, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

export const facilityStore = makeStore<FacilityFields>({
  entity: 'facility',
  table: 'facilities',
  noun: 'facility',
  fields: {
    name: ['name', 'text'],
    city: ['city', 'text'],
    state: ['state', 'text'],
    operator: ['operator', 'text'],
    operatorName: ['operator_name', 'text'],
    standard: ['standard', 'text'],
  },
});

export function createFacility(db: Db, fields: FacilityFields, meta: WriteMeta, id?: string): FacilityRecord {
  return facilityStore.create(db, pick(fields), meta, id);
}

export function updateFacility(db: Db, id: string, expectedVersion: number, fields: FacilityFields, meta: WriteMeta): FacilityRecord {
  return facilityStore.update(db, id, expectedVersion, pick(fields), meta).record;
}

export function setFacilityDeleted(db: Db, id: string, expectedVersion: number, deleted: boolean, meta: WriteMeta): FacilityRecord {
  return facilityStore.setDeleted(db, id, expectedVersion, deleted, meta).record;
}

export function getFacility(db: Db, id: string, opts: { includeDeleted?: boolean } = {}): FacilityRecord | undefined {
  return facilityStore.get(db, id, opts);
}

export function listFacilities(
  db: Db,
  page: { limit: number; offset: number; deleted?: 'hide' | 'only' },
): { items: FacilityRecord[]; total: number } {
  const w = page.deleted === 'only' ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL';
  const items = stmt(db, `SELECT ${facilityStore.columns('')} FROM facilities WHERE ${w} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?`)
    .all(page.limit, page.offset)
    .map((r) => facilityStore.decode(r as Record<string, unknown>));
  const { n } = stmt(db, `SELECT count(*) AS n FROM facilities WHERE ${w}`).get() as { n: number };
  return { items, total: n };
}

function pick(f: FacilityFields): FacilityFields {
  return { name: f.name, city: f.city, state: f.state, operator: f.operator, operatorName: f.operatorName ?? null, standard: f.standard };
}
