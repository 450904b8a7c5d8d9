import type { Db } from '../driver';
import { stmt } from '../stmt';
import type { WriteMeta } from '../history/versions';
import { makeStore } from './records';

import type { Staff } from '../../shared/schemas';

export type StaffRecord = Staff;
export type StaffFields = Omit<Staff, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

export const staffStore = makeStore<StaffFields>({
  entity: 'staff',
  table: 'staff',
  noun: 'staff member',
  fields: { name: ['name', 'text'], role: ['role', 'text'] },
});

export function createStaff(db: Db, fields: StaffFields, meta: WriteMeta, id?: string): StaffRecord {
  return staffStore.create(db, { name: fields.name, role: fields.role ?? null }, meta, id);
}

export function getStaff(db: Db, id: string): StaffRecord | undefined {
  return staffStore.get(db, id);
}

export function findStaffByName(db: Db, name: string): StaffRecord | undefined {
  const row = stmt(db, `SELECT ${staffStore.columns('')} FROM staff WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL`).get(name);
  return row ? staffStore.decode(row as Record<string, unknown>) : undefined;
}

export function listStaff(db: Db): { items: StaffRecord[]; total: number } {
  const items = stmt(db, `SELECT ${staffStore.columns('')} FROM staff WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id`)
    .all()
    .map((r) => staffStore.decode(r as Record<string, unknown>));
  return { items, total: items.length };
}
