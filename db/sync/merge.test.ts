// Merging the same person, facility or staff member entered on two laptops, function by function on
// one small real database: what moves (and what is left), the versions written with their reason,
// the merge setting as it travels in bundles (including a people merge in the older layout, as a
// laptop that merged before facilities merged wrote it), the undo, each refusal with its message,
// and the duplicates lists with their order and counts. The database is opened once; every case
// runs in a savepoint rolled back after it, so `npm run mutate -- db/sync/merge.ts` costs a few
// milliseconds a case (sync.test.ts in electron/core and converge.property.test.ts check the same
// paths end to end across laptops, too slowly to run per mutant).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { writeSetting } from '../history/chained';
import { createFacility, getFacility, setFacilityDeleted } from '../repo/facilities';
import { createIncident, getIncident, setIncidentDeleted } from '../repo/incidents';
import { createInterview, getInterview, setInterviewDeleted, updateInterview } from '../repo/interviews';
import { getPerson, personStore, setPersonDeleted, writeDerivedNameKeys, type PersonCreateFields } from '../repo/people';
import { createStaff, getStaff, staffStore } from '../repo/staff';
import { cleanupTempDirs, tempDbFile } from '../../test/temp-dirs';
import { duplicateFacilities, duplicatePeople, duplicateStaff, foldedName, MERGE_KINDS, mergeRecords, unmergeRecords } from './merge';
import { rolledBack } from '../../test/db-fixtures';

const meta = { at: '2026-06-20T10:00:00.000Z', by: 'attorney' };
const later = { at: '2026-06-21T09:00:00.000Z', by: 'paralegal' };
let db: Db;

beforeAll(() => {
  db = openDatabase(tempDbFile());
  db.pragma('synchronous = OFF');
});
afterAll(() => {
  db.close();
  cleanupTempDirs();
});

const within = <T>(fn: () => T): T => rolledBack(db, fn);
const inCase = (fn: () => void) => () => within(fn);

function facility(id: string, name = 'North Lake Processing Center', city = 'Baldwin', state = 'MI') {
  return createFacility(db, { name, city, state, operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' } as never, meta, id);
}
/** A person as an import writes one: no refusal of an A-number another laptop also entered. */
function person(id: string, fields: Partial<PersonCreateFields> = {}) {
  const code = `CM-${String(db.prepare(`SELECT count(*) FROM people`).pluck().get() as number).padStart(3, '0')}${id}`;
  const r = personStore.create(
    db,
    {
      familyName: 'Haddad',
      givenName: 'Yusuf',
      nameOriginal: null,
      aNumber: '012345678',
      birthDate: null,
      nationality: null,
      languages: [],
      interpreterNeeded: false,
      currentFacilityId: null,
      detainedSince: null,
      classMembership: 'unknown',
      removalOrderStatus: 'unknown',
      counsel: null,
      consentGiven: false,
      consentDate: null,
      consentScope: null,
      ...fields,
      filingCode: code,
    } as never,
    meta,
    id,
  );
  writeDerivedNameKeys(db, r);
  return r;
}
function interview(id: string, personId: string, interviewer = 'Dana Whitfield') {
  return createInterview(
    db,
    { personId, startedAt: '2026-05-01T10:00', place: null, interviewer, mode: 'in_person', interpreter: null, interpreterLanguage: null, durationMinutes: null, declarationStatus: 'none', declarationSignedOn: null, notes: null },
    meta,
    id,
  );
}
function incident(id: string, personId: string, facilityId: string) {
  return createIncident(db, { personId, facilityId, occurredOn: '2026-05-01', categories: ['WATER', 'FOOD'], summary: 'no water' } as never, meta, id);
}
const setting = (key: string) => db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(key) as string | undefined;
/** The versions of a record, oldest first: version, action, reason, who. */
const versions = (entity: string, id: string) =>
  db.prepare(`SELECT version, action, reason, recorded_by AS by FROM record_versions WHERE entity = ? AND id = ? ORDER BY version`).all(entity, id) as {
    version: number;
    action: string;
    reason: string | null;
    by: string;
  }[];
const categoryFacilities = (incidentId: string) =>
  db.prepare(`SELECT DISTINCT facility_id FROM incident_categories WHERE incident_id = ?`).pluck().all(incidentId);
function error(fn: () => unknown): { code: string; message: string; issues: unknown } {
  try {
    fn();
  } catch (e) {
    const x = e as { code: string; message: string; issues: unknown };
    return { code: x.code, message: x.message, issues: x.issues };
  }
  throw new Error('no error');
}

describe('MERGE_KINDS', () => {
  it('names each kind, its setting prefix and the records that refer to it by which table, column and field', () => {
    const shape = Object.fromEntries(
      Object.entries(MERGE_KINDS).map(([k, s]) => [k, { noun: s.noun, prefix: s.prefix, refs: s.refs.map((r) => [r.name, r.table, r.column, r.field]) }]),
    );
    expect(shape).toEqual({
      person: { noun: 'person', prefix: 'people-merge', refs: [['interviews', 'interviews', 'person_id', 'personId'], ['incidents', 'incidents', 'person_id', 'personId']] },
      facility: { noun: 'facility', prefix: 'facility-merge', refs: [['people', 'people', 'current_facility_id', 'currentFacilityId'], ['incidents', 'incidents', 'facility_id', 'facilityId']] },
      staff: { noun: 'staff member', prefix: 'staff-merge', refs: [['interviews', 'interviews', 'interviewer', 'interviewer']] },
    });
  });
});

describe('mergeRecords: people', () => {
  it(
    'moves the live interviews and incidents to the one kept, marks the other deleted and writes the merge setting in the older layout',
    inCase(() => {
      const f = facility('F1');
      const keep = person('P1');
      const away = person('P2');
      const iv2 = interview('V2', away.id);
      const iv1 = interview('V1', away.id);
      const ivKept = interview('V3', keep.id);
      const inc = incident('I1', away.id, f.id);
      const gone = incident('I0', away.id, f.id);
      setIncidentDeleted(db, gone.id, 1, true, meta);
      const r = mergeRecords(db, 'person', { from: away.id, into: keep.id, reason: 'same A-number' }, later);
      expect(r).toEqual({ mergeId: expect.stringMatching(/^[0-9A-Z]{26}$/), from: 'P2', into: 'P1', moved: { interviews: 2, incidents: 1 } });
      expect(getInterview(db, iv1.id)).toMatchObject({ personId: 'P1', version: 2 });
      expect(getInterview(db, iv2.id)).toMatchObject({ personId: 'P1', version: 2 });
      expect(getInterview(db, ivKept.id)).toMatchObject({ personId: 'P1', version: 1 });
      expect(getIncident(db, inc.id)).toMatchObject({ personId: 'P1', version: 2 });
      // A deleted one is left where it was (restore it, then merge again).
      expect(getIncident(db, gone.id, { includeDeleted: true })).toMatchObject({ personId: 'P2', version: 2 });
      expect(getPerson(db, away.id)).toBeUndefined();
      expect(getPerson(db, away.id, { includeDeleted: true })).toMatchObject({ deletedAt: later.at, version: 2 });
      expect(getPerson(db, keep.id)).toMatchObject({ deletedAt: null, version: 1 });
      // Each new version carries the reason and who merged.
      expect(versions('interview', iv1.id).at(-1)).toEqual({ version: 2, action: 'update', reason: 'same A-number', by: 'paralegal' });
      expect(versions('incident', inc.id).at(-1)).toEqual({ version: 2, action: 'update', reason: 'same A-number', by: 'paralegal' });
      expect(versions('person', away.id).at(-1)).toEqual({ version: 2, action: 'delete', reason: 'same A-number', by: 'paralegal' });
      const key = `people-merge:${r.mergeId}`;
      expect(JSON.parse(setting(key)!)).toEqual({ from: 'P2', into: 'P1', interviews: ['V1', 'V2'], incidents: ['I1'], undone: false });
      expect(versions('setting', key)).toEqual([{ version: 1, action: 'create', reason: 'same A-number', by: 'paralegal' }]);
      // The incident's copies for the pages follow (the facility is unchanged).
      expect(categoryFacilities(inc.id)).toEqual([f.id]);
    }),
  );

  it(
    'refuses a person merged into itself, and a person not found (or deleted) on either side, each with its message',
    inCase(() => {
      person('P1');
      const d = person('P3', { aNumber: '111111111' });
      setPersonDeleted(db, d.id, 1, true, meta);
      expect(error(() => mergeRecords(db, 'person', { from: 'P1', into: 'P1', reason: 'x' }, meta))).toEqual({
        code: 'INVALID_INPUT',
        message: 'into: a person cannot be merged into itself',
        issues: [{ path: ['into'], message: 'same person' }],
      });
      expect(error(() => mergeRecords(db, 'person', { from: 'P9', into: 'P1', reason: 'x' }, meta))).toEqual({
        code: 'NOT_FOUND',
        message: 'from: no person P9',
        issues: [{ path: ['from'], message: 'not found' }],
      });
      expect(error(() => mergeRecords(db, 'person', { from: 'P1', into: 'P3', reason: 'x' }, meta))).toEqual({
        code: 'NOT_FOUND',
        message: 'into: no person P3',
        issues: [{ path: ['into'], message: 'not found' }],
      });
      expect(versions('person', 'P1')).toHaveLength(1);
    }),
  );

  it(
    'undoes it: the one merged away is restored and what moved moves back, but not what was deleted or moved again since',
    inCase(() => {
      const f = facility('F1');
      person('P1');
      person('P2');
      person('P4', { aNumber: '222222222' });
      interview('V1', 'P2');
      interview('V2', 'P2');
      interview('V3', 'P2');
      incident('I1', 'P2', f.id);
      const m = mergeRecords(db, 'person', { from: 'P2', into: 'P1', reason: 'same A-number' }, meta);
      setInterviewDeleted(db, 'V2', 2, true, meta);
      const v3 = getInterview(db, 'V3')!;
      updateInterview(db, 'V3', 2, { ...v3, personId: 'P4' }, meta);
      const u = unmergeRecords(db, 'person', { mergeId: m.mergeId, reason: 'two brothers' }, later);
      expect(u).toEqual({ mergeId: m.mergeId, from: 'P2', into: 'P1', moved: { interviews: 1, incidents: 1 } });
      expect(getPerson(db, 'P2')).toMatchObject({ deletedAt: null, version: 3 });
      expect(versions('person', 'P2').at(-1)).toEqual({ version: 3, action: 'restore', reason: 'two brothers', by: 'paralegal' });
      expect(getInterview(db, 'V1')).toMatchObject({ personId: 'P2', version: 3 });
      expect(versions('interview', 'V1').at(-1)).toMatchObject({ reason: 'two brothers', by: 'paralegal' });
      expect(getInterview(db, 'V2', { includeDeleted: true })).toMatchObject({ personId: 'P1', version: 3 });
      expect(getInterview(db, 'V3')).toMatchObject({ personId: 'P4', version: 3 });
      expect(getIncident(db, 'I1')).toMatchObject({ personId: 'P2', version: 3 });
      const key = `people-merge:${m.mergeId}`;
      expect(JSON.parse(setting(key)!)).toEqual({ from: 'P2', into: 'P1', interviews: ['V1', 'V2', 'V3'], incidents: ['I1'], undone: true });
      expect(versions('setting', key).at(-1)).toEqual({ version: 2, action: 'update', reason: 'two brothers', by: 'paralegal' });
      expect(error(() => unmergeRecords(db, 'person', { mergeId: m.mergeId, reason: 'again' }, meta))).toEqual({
        code: 'CONFLICT',
        message: 'mergeId: this merge was already undone',
        issues: [{ path: ['mergeId'], message: 'already undone' }],
      });
      expect(versions('setting', key)).toHaveLength(2);
    }),
  );

  it(
    'undoes a merge whose person was restored since without restoring it again',
    inCase(() => {
      person('P1');
      person('P2');
      interview('V1', 'P2');
      const m = mergeRecords(db, 'person', { from: 'P2', into: 'P1', reason: 'same' }, meta);
      setPersonDeleted(db, 'P2', 2, false, meta);
      const u = unmergeRecords(db, 'person', { mergeId: m.mergeId, reason: 'not the same' }, meta);
      expect(u.moved).toEqual({ interviews: 1, incidents: 0 });
      expect(getPerson(db, 'P2')).toMatchObject({ deletedAt: null, version: 3 });
    }),
  );

  it(
    'undoes a merge whose person this laptop does not hold (nothing of it moved here): the merge is marked undone',
    inCase(() => {
      person('P1');
      writeSetting(db, 'people-merge:M1', JSON.stringify({ from: 'P7', into: 'P1', interviews: [], incidents: [], undone: false }), meta);
      const u = unmergeRecords(db, 'person', { mergeId: 'M1', reason: 'not the same' }, meta);
      expect(u).toEqual({ mergeId: 'M1', from: 'P7', into: 'P1', moved: { interviews: 0, incidents: 0 } });
      expect(JSON.parse(setting('people-merge:M1')!)).toMatchObject({ undone: true });
    }),
  );

  it(
    'undoes a people merge written by an older laptop (no kind, no values, a list left out)',
    inCase(() => {
      const f = facility('F1');
      person('P1');
      person('P2');
      incident('I1', 'P1', f.id);
      interview('V1', 'P1');
      writeSetting(db, 'people-merge:OLD', JSON.stringify({ from: 'P2', into: 'P1', incidents: ['I1'], undone: false }), meta);
      expect(unmergeRecords(db, 'person', { mergeId: 'OLD', reason: 'older' }, meta).moved).toEqual({ interviews: 0, incidents: 1 });
      expect(getIncident(db, 'I1')).toMatchObject({ personId: 'P2' });
      expect(getInterview(db, 'V1')).toMatchObject({ personId: 'P1' });
      writeSetting(db, 'people-merge:OLD2', JSON.stringify({ from: 'P2', into: 'P1', interviews: ['V1'], undone: false }), meta);
      expect(unmergeRecords(db, 'person', { mergeId: 'OLD2', reason: 'older' }, meta).moved).toEqual({ interviews: 1, incidents: 0 });
      expect(getInterview(db, 'V1')).toMatchObject({ personId: 'P2' });
    }),
  );

  it(
    'refuses to undo a merge not held, by its kind',
    inCase(() => {
      writeSetting(db, 'facility-merge:M2', JSON.stringify({ kind: 'facility', from: 'a', into: 'b', moved: {}, fromValue: 'a', intoValue: 'b', undone: false }), meta);
      expect(error(() => unmergeRecords(db, 'person', { mergeId: 'M2', reason: 'x' }, meta))).toEqual({
        code: 'NOT_FOUND',
        message: 'mergeId: no merge M2 of person records',
        issues: [{ path: ['mergeId'], message: 'not found' }],
      });
      expect(error(() => unmergeRecords(db, 'staff', { mergeId: 'M2', reason: 'x' }, meta)).message).toBe('mergeId: no merge M2 of staff member records');
      expect(unmergeRecords(db, 'facility', { mergeId: 'M2', reason: 'x' }, meta).moved).toEqual({ people: 0, incidents: 0 });
    }),
  );
});

describe('mergeRecords: facilities', () => {
  it(
    'moves people and incidents (with their category rows) to the facility kept, and back on undo',
    inCase(() => {
      const keep = facility('F1');
      const away = facility('F2', 'north lake  processing cénter');
      person('P1', { currentFacilityId: 'F2' });
      person('P2', { currentFacilityId: 'F2', aNumber: '222222222' });
      person('P3', { currentFacilityId: 'F1', aNumber: '333333333' });
      const gone = person('P4', { currentFacilityId: 'F2', aNumber: '444444444' });
      setPersonDeleted(db, gone.id, 1, true, meta);
      incident('I1', 'P1', 'F2');
      const m = mergeRecords(db, 'facility', { from: away.id, into: keep.id, reason: 'entered on both laptops' }, later);
      expect(m.moved).toEqual({ people: 2, incidents: 1 });
      expect(getPerson(db, 'P1')).toMatchObject({ currentFacilityId: 'F1', version: 2 });
      expect(getPerson(db, 'P2')).toMatchObject({ currentFacilityId: 'F1', version: 2 });
      expect(getPerson(db, 'P3')).toMatchObject({ version: 1 });
      expect(getPerson(db, 'P4', { includeDeleted: true })).toMatchObject({ currentFacilityId: 'F2', version: 2 });
      expect(versions('person', 'P1').at(-1)).toMatchObject({ reason: 'entered on both laptops', by: 'paralegal' });
      expect(getIncident(db, 'I1')).toMatchObject({ facilityId: 'F1', version: 2 });
      expect(categoryFacilities('I1')).toEqual(['F1']);
      expect(getFacility(db, 'F2', { includeDeleted: true })).toMatchObject({ deletedAt: later.at });
      expect(versions('facility', 'F2').at(-1)).toEqual({ version: 2, action: 'delete', reason: 'entered on both laptops', by: 'paralegal' });
      const key = `facility-merge:${m.mergeId}`;
      expect(JSON.parse(setting(key)!)).toEqual({
        kind: 'facility',
        from: 'F2',
        into: 'F1',
        moved: { people: ['P1', 'P2'], incidents: ['I1'] },
        fromValue: 'F2',
        intoValue: 'F1',
        undone: false,
      });
      const u = unmergeRecords(db, 'facility', { mergeId: m.mergeId, reason: 'two units' }, meta);
      expect(u).toEqual({ mergeId: m.mergeId, from: 'F2', into: 'F1', moved: { people: 2, incidents: 1 } });
      expect(getIncident(db, 'I1')).toMatchObject({ facilityId: 'F2', version: 3 });
      expect(categoryFacilities('I1')).toEqual(['F2']);
      expect(getPerson(db, 'P2')).toMatchObject({ currentFacilityId: 'F2', version: 3 });
      expect(getFacility(db, 'F2')).toMatchObject({ deletedAt: null, version: 3 });
      expect(JSON.parse(setting(key)!)).toMatchObject({ undone: true, moved: { people: ['P1', 'P2'], incidents: ['I1'] } });
    }),
  );

  it(
    'refuses a facility merged into itself or not found, with the facility named',
    inCase(() => {
      facility('F1');
      expect(error(() => mergeRecords(db, 'facility', { from: 'F1', into: 'F1', reason: 'x' }, meta))).toEqual({
        code: 'INVALID_INPUT',
        message: 'into: a facility cannot be merged into itself',
        issues: [{ path: ['into'], message: 'same facility' }],
      });
      expect(error(() => mergeRecords(db, 'facility', { from: 'F1', into: 'F9', reason: 'x' }, meta)).message).toBe('into: no facility F9');
    }),
  );
});

describe('mergeRecords: staff', () => {
  it(
    'renames the interviewer in the interviews naming the one merged away, by name, and back on undo',
    inCase(() => {
      person('P1');
      const keep = createStaff(db, { name: 'Dana Whitfield', role: 'attorney' } as never, meta, 'S1');
      const away = createStaff(db, { name: 'dana whitfield', role: null } as never, meta, 'S2');
      interview('V1', 'P1', 'dana whitfield');
      interview('V2', 'P1', 'Dana Whitfield');
      const m = mergeRecords(db, 'staff', { from: away.id, into: keep.id, reason: 'one attorney' }, meta);
      expect(m.moved).toEqual({ interviews: 1 });
      expect(getInterview(db, 'V1')).toMatchObject({ interviewer: 'Dana Whitfield', version: 2 });
      expect(getInterview(db, 'V2')).toMatchObject({ version: 1 });
      expect(getStaff(db, 'S2')).toBeUndefined();
      expect(versions('staff', 'S2').at(-1)).toMatchObject({ action: 'delete', reason: 'one attorney' });
      expect(JSON.parse(setting(`staff-merge:${m.mergeId}`)!)).toEqual({
        kind: 'staff',
        from: 'S2',
        into: 'S1',
        moved: { interviews: ['V1'] },
        fromValue: 'dana whitfield',
        intoValue: 'Dana Whitfield',
        undone: false,
      });
      // V2 named the one kept all along: it keeps that name on undo.
      expect(unmergeRecords(db, 'staff', { mergeId: m.mergeId, reason: 'two people' }, meta).moved).toEqual({ interviews: 1 });
      expect(getInterview(db, 'V1')).toMatchObject({ interviewer: 'dana whitfield', version: 3 });
      expect(getInterview(db, 'V2')).toMatchObject({ interviewer: 'Dana Whitfield', version: 1 });
      expect(getStaff(db, 'S2')).toMatchObject({ deletedAt: null });
    }),
  );

  it(
    'merges two staff members of exactly one name without touching the interviews that name them',
    inCase(() => {
      person('P1');
      createStaff(db, { name: 'Dana Whitfield', role: 'attorney' } as never, meta, 'S1');
      createStaff(db, { name: 'Dana Whitfield', role: null } as never, meta, 'S2');
      interview('V1', 'P1', 'Dana Whitfield');
      const m = mergeRecords(db, 'staff', { from: 'S2', into: 'S1', reason: 'one attorney' }, meta);
      expect(m.moved).toEqual({ interviews: 0 });
      expect(JSON.parse(setting(`staff-merge:${m.mergeId}`)!)).toMatchObject({ moved: { interviews: [] } });
      expect(versions('interview', 'V1')).toHaveLength(1);
    }),
  );

  it(
    'refuses a staff member merged into itself or not found, and an unknown merge, with "staff member" in the message',
    inCase(() => {
      createStaff(db, { name: 'Dana Whitfield', role: 'attorney' } as never, meta, 'S1');
      expect(error(() => mergeRecords(db, 'staff', { from: 'S1', into: 'S1', reason: 'x' }, meta)).issues).toEqual([{ path: ['into'], message: 'same staff member' }]);
      expect(error(() => mergeRecords(db, 'staff', { from: 'S8', into: 'S1', reason: 'x' }, meta)).message).toBe('from: no staff member S8');
    }),
  );
});

describe('duplicates', () => {
  it('folds names to words only: case, accents, spacing and punctuation', () => {
    expect(foldedName('  North-Lake  PROCESSING cénter ')).toBe('north lake processing center');
    expect(foldedName('!!')).toBe('');
  });

  it(
    'lists facilities with one folded name in one city and state, each group and its records by id, with their live references',
    inCase(() => {
      facility('F3', 'North Lake Processing Center');
      facility('F1', 'north lake processing cénter');
      facility('F2', 'NORTH LAKE PROCESSING CENTER', 'Tacoma', 'WA');
      facility('F0', 'North Lake Processing Center', 'Baldwin', 'WA');
      facility('F4', 'North Lake Processing Center', 'Tacoma', 'MI');
      facility('E2', 'Otay Mesa', 'San Diego', 'CA');
      facility('E1', 'otay mesa', 'san diego', 'CA');
      facility('E3', 'Otay Mesa', 'San Diego', 'CA');
      setFacilityDeleted(db, 'E3', 1, true, meta);
      facility('G1', '--', 'Baldwin', 'MI');
      facility('G2', '—', 'Baldwin', 'MI');
      person('P1', { currentFacilityId: 'F1' });
      person('P2', { currentFacilityId: 'F1', aNumber: '222222222' });
      const gone = person('P3', { currentFacilityId: 'F1', aNumber: '333333333' });
      setPersonDeleted(db, gone.id, 1, true, meta);
      incident('I1', 'P1', 'F3');
      expect(duplicateFacilities(db)).toEqual([
        {
          matchedOn: 'name',
          records: [
            { id: 'E1', name: 'otay mesa', detail: 'san diego, CA', references: { people: 0, incidents: 0 } },
            { id: 'E2', name: 'Otay Mesa', detail: 'San Diego, CA', references: { people: 0, incidents: 0 } },
          ],
        },
        {
          matchedOn: 'name',
          records: [
            { id: 'F1', name: 'north lake processing cénter', detail: 'Baldwin, MI', references: { people: 2, incidents: 0 } },
            { id: 'F3', name: 'North Lake Processing Center', detail: 'Baldwin, MI', references: { people: 0, incidents: 1 } },
          ],
        },
      ]);
    }),
  );

  it(
    'orders groups and their records by id as JavaScript compares them, also where SQLite orders them otherwise',
    inCase(() => {
      // SQLite orders text by its UTF-8 bytes (code points), JavaScript by UTF-16 units: U+FFFF comes
      // before U+10000 in the database and after it here. An id is whatever the laptop that made it wrote.
      const [bmp, astral] = ['\uFFFF', '\u{10000}'];
      facility(`E${bmp}`, 'Otay Mesa', 'San Diego', 'CA');
      facility(`E${astral}`, 'Otay Mesa', 'San Diego', 'CA');
      facility(`${bmp}1`, 'North Lake Processing Center');
      facility(`${bmp}2`, 'North Lake Processing Center');
      facility(`${astral}1`, 'Krome', 'Miami', 'FL');
      facility(`${astral}2`, 'Krome', 'Miami', 'FL');
      expect(db.prepare(`SELECT id FROM facilities ORDER BY id`).pluck().all()).toEqual([`E${bmp}`, `E${astral}`, `${bmp}1`, `${bmp}2`, `${astral}1`, `${astral}2`]);
      expect(duplicateFacilities(db).map((g) => g.records.map((r) => r.id))).toEqual([
        [`E${astral}`, `E${bmp}`],
        [`${astral}1`, `${astral}2`],
        [`${bmp}1`, `${bmp}2`],
      ]);
    }),
  );

  it(
    'lists staff members with one folded name, by id, with the interviews naming each as typed',
    inCase(() => {
      person('P1');
      createStaff(db, { name: 'Dana Whitfield', role: 'attorney' } as never, meta, 'S3');
      createStaff(db, { name: 'dana  whitfield', role: null } as never, meta, 'S1');
      createStaff(db, { name: 'DANA WHITFIELD', role: 'other' } as never, meta, 'S2');
      createStaff(db, { name: 'Dana Whitfield', role: null } as never, meta, 'S4');
      staffStore.setDeleted(db, 'S4', 1, true, meta);
      createStaff(db, { name: 'Aya Ono', role: null } as never, meta, 'R2');
      createStaff(db, { name: 'aya ono', role: null } as never, meta, 'R1');
      createStaff(db, { name: '...', role: null } as never, meta, 'Q1');
      createStaff(db, { name: '?', role: null } as never, meta, 'Q2');
      interview('V1', 'P1', 'Dana Whitfield');
      interview('V2', 'P1', 'Dana Whitfield');
      interview('V3', 'P1', 'dana  whitfield');
      const v4 = interview('V4', 'P1', 'Dana Whitfield');
      setInterviewDeleted(db, v4.id, 1, true, meta);
      expect(duplicateStaff(db)).toEqual([
        {
          matchedOn: 'name',
          records: [
            { id: 'R1', name: 'aya ono', detail: '', references: { interviews: 0 } },
            { id: 'R2', name: 'Aya Ono', detail: '', references: { interviews: 0 } },
          ],
        },
        {
          matchedOn: 'name',
          records: [
            { id: 'S1', name: 'dana  whitfield', detail: '', references: { interviews: 1 } },
            { id: 'S2', name: 'DANA WHITFIELD', detail: 'other', references: { interviews: 0 } },
            { id: 'S3', name: 'Dana Whitfield', detail: 'attorney', references: { interviews: 2 } },
          ],
        },
      ]);
    }),
  );

  it(
    'lists people by A-number first, then the rest by name key, each with its live interviews and incidents',
    inCase(() => {
      const f = facility('F1');
      person('P3', { familyName: 'Haddad', givenName: 'Yusuf', aNumber: '012345678' });
      person('P1', { familyName: 'Haddad', givenName: 'Yousef', aNumber: '012345678' });
      // Same name as the two above: already in a group, so not grouped again by name.
      person('P2', { familyName: 'Hadad', givenName: 'Yusuf', aNumber: '999999999' });
      person('Q2', { familyName: 'Nasser', givenName: 'Amal', aNumber: '555555555' });
      person('Q1', { familyName: 'NASSER', givenName: 'Amal', aNumber: '666666666' });
      person('Q0', { familyName: 'Nasser', givenName: 'Amal', aNumber: '777777777' });
      setPersonDeleted(db, 'Q0', 1, true, meta);
      person('R1', { familyName: 'Other', givenName: 'One', aNumber: '888888888' });
      interview('V1', 'P1');
      interview('V2', 'P1');
      const v3 = interview('V3', 'P1');
      setInterviewDeleted(db, v3.id, 1, true, meta);
      incident('I1', 'Q2', f.id);
      const out = duplicatePeople(db);
      expect(out.map((g) => [g.matchedOn, g.people.map((p) => p.id)])).toEqual([
        ['aNumber', ['P1', 'P3']],
        ['name', ['Q1', 'Q2']],
      ]);
      expect(out[0]!.people[0]).toEqual({ id: 'P1', familyName: 'Haddad', givenName: 'Yousef', aNumber: '012345678', filingCode: expect.stringMatching(/^CM-/), interviews: 2, incidents: 0 });
      expect(out[1]!.people[1]).toMatchObject({ id: 'Q2', interviews: 0, incidents: 1 });
    }),
  );

  it('lists nothing when nothing is entered twice', () => {
    expect(duplicatePeople(db)).toEqual([]);
    expect(duplicateFacilities(db)).toEqual([]);
    expect(duplicateStaff(db)).toEqual([]);
  });
});
