import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbFile } from '../../test/helpers';
import { openDatabase } from '../connect';
import { listVersions } from '../history/versions';
import { createFacility, getFacility, listFacilities } from './facilities';
import { createIncident, getIncident, listIncidents } from './incidents';
import { createPerson, findPersonByANumber, listPeople } from './people';

afterEach(cleanupTempDirs);

const meta = { at: '2026-06-20T10:00:00.000Z', by: 'attorney-1' };

function setup() {
  const db = openDatabase(tempDbFile());
  const f = createFacility(
    db,
    { name: 'Calhoun County Correctional', city: 'Battle Creek', state: 'MI', operator: 'COUNTY_IGSA', operatorName: null, standard: 'NDS_2019' },
    meta,
  );
  const p = createPerson(
    db,
    { familyName: 'Ahmed', givenName: 'Sara', nameOriginal: 'سارة أحمد', aNumber: '201234567', birthDate: null, nationality: 'Syria', currentFacilityId: f.id },
    meta,
  );
  return { db, f, p };
}

describe('repositories', () => {
  it('stores a facility and keeps its first version in history', () => {
    const { db, f } = setup();
    expect(getFacility(db, f.id)).toEqual(f);
    expect(listFacilities(db, { limit: 10, offset: 0 })).toEqual({ items: [f], total: 1 });
    const versions = listVersions(db, 'facility', f.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, recordedBy: 'attorney-1', data: { name: 'Calhoun County Correctional' } });
    db.close();
  });

  it('finds a person by normalised A-number and lists by facility', () => {
    const { db, f, p } = setup();
    expect(findPersonByANumber(db, '201234567')?.id).toBe(p.id);
    expect(listPeople(db, { limit: 10, offset: 0, facilityId: f.id }).total).toBe(1);
    expect(listPeople(db, { limit: 10, offset: 0, facilityId: '01J0000000000000000000000Z' }).total).toBe(0);
    db.close();
  });

  it('refuses a second A-number in the repository (the schema no longer does: two laptops may enter the same person, listed as duplicates)', () => {
    const { db } = setup();
    expect(() =>
      createPerson(
        db,
        { familyName: 'X', givenName: 'Y', nameOriginal: null, aNumber: '201234567', birthDate: null, nationality: null, currentFacilityId: null },
        meta,
      ),
    ).toThrow(/already belongs to Ahmed, Sara/);
    expect(
      db
        .prepare(`INSERT INTO people (id, family_name, given_name, a_number, version, created_at, updated_at) VALUES ('x', 'X', 'Y', '201234567', 1, '', '')`)
        .run().changes,
    ).toBe(1);
    db.close();
  });

  it('stores incidents with several categories and filters by person, facility and category', () => {
    const { db, f, p } = setup();
    const a = createIncident(db, { personId: p.id, facilityId: f.id, occurredOn: '2026-05-01', categories: ['RESTROOM', 'FOOD'], summary: 'a' }, meta);
    const b = createIncident(db, { personId: p.id, facilityId: f.id, occurredOn: '2026-05-03', categories: ['THREATS'], summary: 'b' }, meta);
    expect(getIncident(db, a.id)?.categories).toEqual(['FOOD', 'RESTROOM']);
    const all = listIncidents(db, { limit: 10, offset: 0 });
    expect(all.items.map((i) => i.id)).toEqual([b.id, a.id]); // newest first
    expect(all.items[0]).toMatchObject({ personName: 'Ahmed, Sara', facilityName: 'Calhoun County Correctional' });
    expect(listIncidents(db, { limit: 10, offset: 0, category: 'FOOD' }).items.map((i) => i.id)).toEqual([a.id]);
    expect(listIncidents(db, { limit: 10, offset: 0, personId: p.id, category: 'THREATS' }).total).toBe(1);
    expect(listIncidents(db, { limit: 1, offset: 1 }).items.map((i) => i.id)).toEqual([a.id]);
    db.close();
  });

  it('refuses an incident whose facility does not exist (foreign keys on)', () => {
    const { db, p } = setup();
    expect(() =>
      createIncident(db, { personId: p.id, facilityId: '01J0000000000000000000000Z', occurredOn: '2026-05-01', categories: ['FOOD'], summary: 'a' }, meta),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
