import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, SAMPLE_FACILITY, SAMPLE_PERSON, tempDbFile, tempDir } from '../../test/helpers';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { verifyRecords } from '../history/verify';
import { createFacility, getFacility, updateFacility } from '../repo/facilities';
import { createPerson } from '../repo/people';
import { createIncident } from '../repo/incidents';
import { exportBundle, importBundle } from './bundle';
import { migrate } from '../migrate';
import { headTip } from '../history/anchors';
import { verifyAudit } from '../history/audit';
import { listVersions } from '../history/versions';
import { officeContentHash, openConflictCount } from './state';

afterEach(cleanupTempDirs);

const PASS = 'office bundle passphrase';
const meta = (at = '2026-06-20T10:00:00.000Z') => ({ at, by: 'attorney' });
const now = new Date('2026-06-21T10:00:00.000Z');

function laptop(): Db {
  return openDatabase(tempDbFile());
}

function send(from: Db, to: Db, forDevice?: string) {
  const { file } = exportBundle(from, { folder: tempDir(), passphrase: PASS, now, forDevice });
  return to.transaction(() => importBundle(to, { file, passphrase: PASS, now }))();
}

describe('bundles between laptops', () => {
  it('merges two laptops both ways into the same content, and every chain verifies', () => {
    const a = laptop();
    const b = laptop();
    const fa = createFacility(a, SAMPLE_FACILITY, meta());
    const pa = createPerson(a, { ...SAMPLE_PERSON, aNumber: '012345678', currentFacilityId: fa.id }, meta());
    createIncident(a, { personId: pa.id, facilityId: fa.id, occurredOn: '2026-05-01', categories: ['WATER'], summary: 'no water' }, meta());
    createFacility(b, { ...SAMPLE_FACILITY, name: 'Krome' }, meta());
    const r1 = send(a, b);
    expect(r1).toMatchObject({ newRecords: 3, newVersions: 3, newConflicts: 0 });
    expect(verifyRecords(b).firstBroken).toBeNull();
    send(b, a);
    expect(verifyRecords(a)).toMatchObject({ ok: true });
    expect(officeContentHash(a)).toBe(officeContentHash(b));
    // Importing again changes nothing.
    const h = officeContentHash(b);
    expect(send(a, b)).toMatchObject({ newVersions: 0, newRecords: 0 });
    expect(officeContentHash(b)).toBe(h);
  });

  it('keeps both heads of a record edited on two laptops: a conflict, the same everywhere', () => {
    const a = laptop();
    const b = laptop();
    const f = createFacility(a, SAMPLE_FACILITY, meta());
    send(a, b);
    updateFacility(a, f.id, 1, { ...SAMPLE_FACILITY, city: 'A-city' }, meta('2026-06-22T10:00:00.000Z'));
    updateFacility(b, f.id, 1, { ...SAMPLE_FACILITY, city: 'B-city' }, meta('2026-06-22T11:00:00.000Z'));
    expect(send(a, b)).toMatchObject({ newConflicts: 1 });
    send(b, a);
    expect(openConflictCount(a)).toBe(1);
    expect(openConflictCount(b)).toBe(1);
    expect(getFacility(a, f.id)?.city).toBe(getFacility(b, f.id)?.city);
    expect(officeContentHash(a)).toBe(officeContentHash(b));
    expect(verifyRecords(a)).toMatchObject({ ok: true });
    expect(verifyRecords(b)).toMatchObject({ ok: true });
  });

  it('turns a version-6 database into the local device\'s chain in place: verify stays clean and its tip is unchanged', () => {
    const file = tempDbFile();
    const old = openDatabase(file, { migrationsDir: tempDir() });
    migrate(old, { to: 6 });
    const f = createFacility(old, SAMPLE_FACILITY, meta());
    const p = createPerson(old, { ...SAMPLE_PERSON, aNumber: '012345678', currentFacilityId: f.id }, meta());
    updateFacility(old, f.id, 1, { ...SAMPLE_FACILITY, city: 'Detroit' }, meta());
    createIncident(old, { personId: p.id, facilityId: f.id, occurredOn: '2026-05-01', categories: ['WATER'], summary: 'no water' }, meta());
    expect(verifyAudit(old)).toMatchObject({ ok: true, auditRows: 4 });
    const tipBefore = headTip(old);
    old.close();

    const db = openDatabase(file);
    expect(verifyRecords(db).firstBroken).toBeNull();
    expect(headTip(db)).toEqual(tipBefore);
    expect(db.prepare(`SELECT count(*) FROM record_heads`).pluck().get()).toBe(3);
    // Written after: names its parent, and travels with the old rows to another laptop.
    updateFacility(db, f.id, 2, { ...SAMPLE_FACILITY, city: 'Lansing' }, meta());
    expect(verifyRecords(db).firstBroken).toBeNull();
    const other = laptop();
    expect(send(db, other)).toMatchObject({ newRecords: 3, newVersions: 5 });
    expect(verifyRecords(other).firstBroken).toBeNull();
    expect(getFacility(other, f.id)).toMatchObject({ city: 'Lansing', version: 3 });
    expect(listVersions(db, 'facility', f.id)).toHaveLength(3);
  });
});
