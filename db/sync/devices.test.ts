// Naming a device and marking one untrusted are chained versions (entity 'device'): they travel in
// bundles, verify, and a change made around the app is named by verify.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, SAMPLE_FACILITY, tempDbFile, tempDir } from '../../test/helpers';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { localDeviceId } from '../history/device';
import { verifyRecords } from '../history/verify';
import { listVersions } from '../history/versions';
import { createFacility } from '../repo/facilities';
import { exportBundle, importBundle } from './bundle';
import { setDevice } from './devices';

afterEach(cleanupTempDirs);

const PASS = 'office bundle passphrase';
const now = new Date('2026-06-21T10:00:00.000Z');
const meta = { at: '2026-06-20T10:00:00.000Z', by: 'paralegal', reason: null };

function send(from: Db, to: Db) {
  const { file } = exportBundle(from, { folder: tempDir(), passphrase: PASS, now });
  return to.transaction(() => importBundle(to, { file, passphrase: PASS, now }))();
}

const deviceRow = (db: Db, id: string) => db.prepare(`SELECT name, trusted FROM devices WHERE id = ?`).get(id) as { name: string | null; trusted: number } | undefined;

describe('device names and trust', () => {
  it('a name is a chained version that travels to the other laptops and verifies there', () => {
    const a = openDatabase(tempDbFile());
    const b = openDatabase(tempDbFile());
    const aId = localDeviceId(a);
    createFacility(a, SAMPLE_FACILITY, meta);
    setDevice(a, aId, { name: "Dana's laptop" }, meta);
    expect(listVersions(a, 'device', aId)).toHaveLength(1);
    expect(verifyRecords(a)).toMatchObject({ ok: true });
    expect(send(a, b).devices).toEqual([expect.objectContaining({ id: aId, name: "Dana's laptop", isNew: true })]);
    expect(deviceRow(b, aId)).toEqual({ name: "Dana's laptop", trusted: 1 });
    expect(verifyRecords(b)).toMatchObject({ ok: true });
    // Renamed later: the new name comes with the next bundle.
    setDevice(a, aId, { name: 'Dana (Krome visits)' }, meta);
    send(a, b);
    expect(deviceRow(b, aId)?.name).toBe('Dana (Krome visits)');
    expect(verifyRecords(b)).toMatchObject({ ok: true });
  });

  it('marking a device untrusted travels: a third laptop then refuses that device\'s bundles', () => {
    const a = openDatabase(tempDbFile());
    const b = openDatabase(tempDbFile());
    const c = openDatabase(tempDbFile());
    const aId = localDeviceId(a);
    createFacility(a, SAMPLE_FACILITY, meta);
    send(a, b);
    setDevice(b, aId, { trusted: false }, { ...meta, reason: 'laptop lost at the airport' });
    send(b, c);
    expect(deviceRow(c, aId)).toMatchObject({ trusted: 0 });
    expect(verifyRecords(c)).toMatchObject({ ok: true });
    // Bundles that carry the rows of the distrusted device taken before still go between laptops.
    expect(send(c, b)).toMatchObject({ newVersions: 0 });
    createFacility(c, { ...SAMPLE_FACILITY, name: 'Written on c' }, meta);
    expect(send(c, b)).toMatchObject({ newVersions: 1 });
    createFacility(a, { ...SAMPLE_FACILITY, name: 'Written after it was lost' }, meta);
    expect(() => send(a, c)).toThrow(/untrusted/);
    expect(() => send(a, b)).toThrow(/untrusted/);
    // The distrusted laptop itself still takes bundles that hold its own rows.
    expect(send(c, a)).toMatchObject({ newConflicts: 0 });
    expect(deviceRow(a, aId)).toMatchObject({ trusted: 0 });
    expect(verifyRecords(a)).toMatchObject({ ok: true });
    expect(() => setDevice(c, localDeviceId(c), { trusted: false }, meta)).toThrow(/cannot distrust itself/);
  });

  it('verify names a chained name or trust changed around the app; a name given before names were chained stands', () => {
    const a = openDatabase(tempDbFile());
    const b = openDatabase(tempDbFile());
    createFacility(a, SAMPLE_FACILITY, meta);
    send(a, b);
    const aId = localDeviceId(a);
    // As the app named devices before: a plain row, no version. Verify accepts it as it stands.
    b.prepare(`UPDATE devices SET name = 'Old name' WHERE id = ?`).run(aId);
    expect(verifyRecords(b)).toMatchObject({ ok: true });
    setDevice(b, aId, { name: 'Samir' }, meta);
    b.prepare(`UPDATE devices SET trusted = 0 WHERE id = ?`).run(aId);
    expect(verifyRecords(b).firstBroken).toMatchObject({ table: 'devices', entity: 'device', id: aId, problem: expect.stringMatching(/trusted in devices differs/) });
    b.prepare(`UPDATE devices SET trusted = 1, name = 'Forged' WHERE id = ?`).run(aId);
    expect(verifyRecords(b).firstBroken).toMatchObject({ table: 'devices', problem: expect.stringMatching(/name in devices differs/) });
  });
});
