// A device's name and trust are chained like a record (entity 'device', id the device's id, data
// { name, trusted }): naming a device or marking it untrusted is a version in the chain of the
// laptop that did it, with who, when and why, so it travels in bundles, merges (two laptops naming
// one device differently is a conflict, shown and resolved like any other) and verifies. The
// devices table holds the shown version; a device named before this was chained keeps its name
// until it is next named (verify accepts a device with no chained version as it stands).
import { AppError } from '../../shared/errors';
import type { Db } from '../driver';
import { stmt } from '../stmt';
import { appendVersion, nextVersion, type WriteMeta } from '../history/versions';
import { localDeviceId } from '../history/device';

export interface DeviceData {
  name: string | null;
  trusted: boolean;
}

/** Names a device, or marks it (un)trusted: the devices row and its chained version, in one transaction. */
export function setDevice(db: Db, id: string, change: Partial<DeviceData>, meta: WriteMeta): DeviceData {
  const row = stmt(db, `SELECT name, trusted FROM devices WHERE id = ?`).get(id) as { name: string | null; trusted: number } | undefined;
  if (!row) throw new AppError('NOT_FOUND', `id: no device ${id} has been seen here`, [{ path: ['id'], message: 'unknown device' }]);
  const data: DeviceData = { name: change.name !== undefined ? change.name : row.name, trusted: change.trusted ?? row.trusted === 1 };
  if (!data.trusted && id === localDeviceId(db)) throw new AppError('INVALID_INPUT', 'id: this laptop cannot distrust itself', [{ path: ['id'], message: 'this laptop' }]);
  db.transaction(() => {
    writeDeviceRow(db, id, data);
    appendVersion(db, 'device', id, nextVersion(db, 'device', id), data, meta);
  })();
  return data;
}

/** The devices row from a chained version (import, resolution); nothing when its key is not held yet. */
export function writeDeviceRow(db: Db, id: string, data: DeviceData): void {
  stmt(db, `UPDATE devices SET name = ?, trusted = ? WHERE id = ?`).run(data.name ?? null, data.trusted === false ? 0 : 1, id);
}
