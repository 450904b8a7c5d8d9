// After an import, each touched record's heads are recomputed and its row rewritten from the shown
// head: checked here function by function on one small real database, with other laptops' versions
// put into foreign_rows as an import stores them once its checks pass (bundle-checks, sync and the
// converge property test carry real bundles; too slow to run per mutant). Every case runs in a
// savepoint rolled back after it, so `npm run mutate -- db/sync/materialize.ts` costs milliseconds a case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { localDeviceId } from '../history/device';
import { headsOf } from '../history/heads';
import { createFacility, updateFacility } from '../repo/facilities';
import { createPerson } from '../repo/people';
import { cleanupTempDirs, tempDbFile } from '../../test/temp-dirs';
import { rematerialize, versionsOf, writeShown } from './materialize';
import { rolledBack } from '../../test/db-fixtures';

const meta = { at: '2026-06-20T10:00:00.000Z', by: 'attorney' };
const T1 = '2026-06-18T08:00:00.000Z';
const T2 = '2026-06-19T09:00:00.000Z';
const T3 = '2026-06-21T11:00:00.000Z';
/** Other laptops: LOW sorts before any device id, HIGH after (a tie between heads goes to the higher id). */
const LOW = '!low';
const HIGH = '~high';
const FACILITY = { name: 'North Lake Processing Center', city: 'Baldwin', state: 'MI', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' };
let db: Db;
let local: string;

beforeAll(() => {
  db = openDatabase(tempDbFile());
  db.pragma('synchronous = OFF');
  local = localDeviceId(db);
});
afterAll(() => {
  db.close();
  cleanupTempDirs();
});

const within = <T>(fn: () => T): T => rolledBack(db, fn);
const inCase = (fn: () => void) => () => within(fn);

interface Row {
  device: string;
  seq: number;
  entity: string;
  id: string;
  version: number;
  data: unknown;
  at?: string;
  by?: string | null;
  parents?: string[] | null;
  action?: string;
}
/** A version another laptop wrote, as an import stores it. */
function foreign(r: Row): void {
  db.prepare(
    `INSERT INTO foreign_rows (device, seq, at, user, action, entity, id, version, data, recorded_at, recorded_by, reason, parents, content_hash, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 'c', 'p', 'h')`,
  ).run(r.device, r.seq, r.at ?? T2, r.by ?? null, r.action ?? (r.version === 1 ? 'create' : 'update'), r.entity, r.id, r.version, JSON.stringify(r.data), r.at ?? T2, r.by === undefined ? 'paralegal' : r.by, r.parents === null ? null : JSON.stringify(r.parents ?? []));
}
const row = (table: string, id: string) => db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
const localRef = (entity: string, id: string) => {
  const h = headsOf(db, entity, id).find((x) => x.device === local)!;
  return `${local}:${h.seq}`;
};
const heads = (entity: string, id: string) => headsOf(db, entity, id).map((h) => [h.device, h.version, h.shown]);
const facilityData = (over: Record<string, unknown> = {}) => ({ ...FACILITY, deletedAt: null, ...over });
const T0 = '2026-06-17T07:00:00.000Z';
const T4 = '2026-06-22T12:00:00.000Z';
/**
 * Five versions of F1, read in this order: d-a's v2 (T1), three first versions (d-b at T3, d-c at T2,
 * d-d at T4) and d-a's v3 (T0, a clock set wrong). Created: the earliest v1, T2, neither the first
 * nor the last read, nor the earliest time. Shown: d-a's v3 (seq 2, as d-b's v1 is; device d-a, as v2 is).
 */
function earliestAmongMany(): void {
  foreign({ device: 'd-a', seq: 1, entity: 'facility', id: 'F1', version: 2, data: facilityData({ city: 'X' }), at: T1, parents: ['d-b:2'] });
  foreign({ device: 'd-b', seq: 2, entity: 'facility', id: 'F1', version: 1, data: facilityData({ city: 'Y' }), at: T3 });
  foreign({ device: 'd-c', seq: 1, entity: 'facility', id: 'F1', version: 1, data: facilityData({ city: 'M' }), at: T2 });
  foreign({ device: 'd-d', seq: 2, entity: 'facility', id: 'F1', version: 1, data: facilityData({ city: 'N' }), at: T4 });
  foreign({ device: 'd-a', seq: 2, entity: 'facility', id: 'F1', version: 3, data: facilityData({ city: 'Z' }), at: T0, parents: ['d-a:1'] });
  expect(versionsOf(db, 'facility', 'F1').map((v) => `${v.device}:${v.seq}`)).toEqual(['d-a:1', 'd-b:2', 'd-c:1', 'd-d:2', 'd-a:2']);
}

describe('rematerialize', () => {
  it('does nothing for a record no version of which is held', () => {
    expect(rematerialize(db, 'facility', 'NONE')).toEqual({ heads: 0, changed: false });
    expect(row('facilities', 'NONE')).toBeUndefined();
  });

  it(
    'adds a record first seen in an import from its shown head, created when its first version was written',
    inCase(() => {
      // Device HIGH created it; LOW (read first) edited it: the first version is not the first row read.
      foreign({ device: LOW, seq: 1, entity: 'facility', id: 'F1', version: 2, data: facilityData({ city: 'Tacoma', operatorName: null }), at: T2, parents: [`${HIGH}:1`] });
      foreign({ device: HIGH, seq: 1, entity: 'facility', id: 'F1', version: 1, data: facilityData(), at: T1 });
      expect(versionsOf(db, 'facility', 'F1').map((v) => [v.device, v.seq, v.version])).toEqual([
        [LOW, 1, 2],
        [HIGH, 1, 1],
      ]);
      expect(versionsOf(db, 'facility', 'F1')[0]).toEqual({
        device: LOW,
        seq: 1,
        version: 2,
        parents: `["${HIGH}:1"]`,
        data: JSON.stringify(facilityData({ city: 'Tacoma', operatorName: null })),
        recordedAt: T2,
        recordedBy: 'paralegal',
        action: 'update',
      });
      expect(rematerialize(db, 'facility', 'F1')).toEqual({ heads: 1, changed: true });
      expect(row('facilities', 'F1')).toEqual({
        id: 'F1',
        version: 2,
        created_at: T1,
        updated_at: T2,
        deleted_at: null,
        name: FACILITY.name,
        city: 'Tacoma',
        state: 'MI',
        operator: 'PRIVATE',
        operator_name: null,
        standard: 'PBNDS_2011',
      });
      expect(heads('facility', 'F1')).toEqual([[LOW, 2, true]]);
      // Again, with nothing new: nothing is written (a row changed by hand stays as it is).
      db.prepare(`UPDATE facilities SET city = 'by hand' WHERE id = 'F1'`).run();
      expect(rematerialize(db, 'facility', 'F1')).toEqual({ heads: 1, changed: false });
      expect(row('facilities', 'F1')).toMatchObject({ city: 'by hand' });
    }),
  );

  it(
    'takes the created time of the lowest version, the earliest of those when several laptops wrote it, wherever it is read',
    inCase(() => {
      earliestAmongMany();
      expect(rematerialize(db, 'facility', 'F1')).toEqual({ heads: 3, changed: true });
      expect(heads('facility', 'F1')).toEqual([
        ['d-a', 3, true],
        ['d-d', 1, false],
        ['d-c', 1, false],
      ]);
      expect(row('facilities', 'F1')).toMatchObject({ version: 3, created_at: T2, updated_at: T0, city: 'Z' });
    }),
  );

  it(
    'rewrites the row when another laptop edits the side of a conflict this laptop did not show',
    inCase(() => {
      const f = createFacility(db, FACILITY as never, meta, 'F1');
      const v1 = localRef('facility', f.id);
      updateFacility(db, f.id, 1, { ...FACILITY, city: 'Lansing' } as never, meta);
      foreign({ device: LOW, seq: 1, entity: 'facility', id: f.id, version: 2, data: facilityData({ city: 'Tacoma' }), at: T2, parents: [v1] });
      expect(rematerialize(db, 'facility', f.id)).toEqual({ heads: 2, changed: false });
      // LOW edits its own side again: still two heads, one of them held before, and LOW's now shown.
      foreign({ device: LOW, seq: 2, entity: 'facility', id: f.id, version: 3, data: facilityData({ city: 'Olympia' }), at: T3, parents: [`${LOW}:1`] });
      expect(rematerialize(db, 'facility', f.id)).toEqual({ heads: 2, changed: true });
      expect(heads('facility', f.id)).toEqual([
        [LOW, 3, true],
        [local, 2, false],
      ]);
      expect(row('facilities', f.id)).toMatchObject({ version: 3, city: 'Olympia', updated_at: T3 });
    }),
  );

  it(
    'rewrites a record held here when another laptop edited it, keeping when it was created',
    inCase(() => {
      const f = createFacility(db, FACILITY as never, meta, 'F1');
      foreign({ device: LOW, seq: 1, entity: 'facility', id: f.id, version: 2, data: facilityData({ city: 'Tacoma' }), at: T3, parents: [localRef('facility', f.id)] });
      expect(rematerialize(db, 'facility', f.id)).toEqual({ heads: 1, changed: true });
      expect(row('facilities', f.id)).toMatchObject({ version: 2, created_at: meta.at, updated_at: T3, city: 'Tacoma', deleted_at: null });
      expect(heads('facility', f.id)).toEqual([[LOW, 2, true]]);
    }),
  );

  it(
    'keeps the row when an edit of the same version from another laptop loses the tie (a conflict, the shown head unchanged)',
    inCase(() => {
      const f = createFacility(db, FACILITY as never, meta, 'F1');
      const v1 = localRef('facility', f.id);
      updateFacility(db, f.id, 1, { ...FACILITY, city: 'Lansing' } as never, meta);
      foreign({ device: LOW, seq: 1, entity: 'facility', id: f.id, version: 2, data: facilityData({ city: 'Tacoma' }), at: T3, parents: [v1] });
      db.prepare(`UPDATE facilities SET state = 'WA' WHERE id = 'F1'`).run();
      expect(rematerialize(db, 'facility', f.id)).toEqual({ heads: 2, changed: false });
      expect(heads('facility', f.id)).toEqual([
        [local, 2, true],
        [LOW, 2, false],
      ]);
      expect(row('facilities', f.id)).toMatchObject({ city: 'Lansing', state: 'WA', updated_at: meta.at });
    }),
  );

  it(
    'shows the edit from another laptop that wins the tie, and its deletion',
    inCase(() => {
      const f = createFacility(db, FACILITY as never, meta, 'F1');
      const v1 = localRef('facility', f.id);
      updateFacility(db, f.id, 1, { ...FACILITY, city: 'Lansing' } as never, meta);
      foreign({ device: HIGH, seq: 1, entity: 'facility', id: f.id, version: 2, data: facilityData({ city: 'Tacoma', deletedAt: T3 }), at: T3, parents: [v1], action: 'delete' });
      expect(rematerialize(db, 'facility', f.id)).toEqual({ heads: 2, changed: true });
      expect(heads('facility', f.id)).toEqual([
        [HIGH, 2, true],
        [local, 2, false],
      ]);
      expect(row('facilities', f.id)).toMatchObject({ city: 'Tacoma', deleted_at: T3, updated_at: T3, created_at: meta.at });
    }),
  );

  it(
    'writes an incident with its fields encoded, its category rows and its search text, and rewrites them on an edit',
    inCase(() => {
      createFacility(db, FACILITY as never, meta, 'F1');
      createFacility(db, { ...FACILITY, city: 'Tacoma', state: 'WA' } as never, meta, 'F2');
      createPerson(db, { familyName: 'Haddad', givenName: 'Yusuf', aNumber: '012345678' }, meta, 'P1');
      const data = {
        personId: 'P1',
        interviewId: null,
        facilityId: 'F1',
        occurredOn: '2026-05-01',
        occurredUntil: null,
        datePrecision: 'exact',
        categories: ['FOOD', 'WATER'],
        summary: 'no water for a day',
        staffInvolved: [],
        witnesses: ['cellmate'],
        documentSigned: null,
        grievanceFiled: true,
        status: 'new',
        includeInReport: true,
        deletedAt: null,
      };
      foreign({ device: LOW, seq: 1, entity: 'incident', id: 'I1', version: 1, data, at: T1 });
      rematerialize(db, 'incident', 'I1');
      expect(row('incidents', 'I1')).toMatchObject({
        version: 1,
        created_at: T1,
        categories: '["FOOD","WATER"]',
        witnesses: '["cellmate"]',
        own_words: null,
        document_signed: null,
        counsel_present: null,
        grievance_filed: 1,
        include_in_report: 1,
        deprivation_minutes: null,
      });
      const cats = () => db.prepare(`SELECT category, occurred_on, facility_id, deleted_at FROM incident_categories WHERE incident_id = 'I1' ORDER BY category`).all();
      expect(cats()).toEqual([
        { category: 'FOOD', occurred_on: '2026-05-01', facility_id: 'F1', deleted_at: null },
        { category: 'WATER', occurred_on: '2026-05-01', facility_id: 'F1', deleted_at: null },
      ]);
      // The search index holds the incident's text under its row (and only once).
      const found = (word: string) => db.prepare(`SELECT i.id FROM incident_text t JOIN incidents i ON i.search_rowid = t.rowid WHERE incident_text MATCH ?`).pluck().all(word);
      expect(found('water')).toEqual(['I1']);
      foreign({
        device: LOW,
        seq: 2,
        entity: 'incident',
        id: 'I1',
        version: 2,
        data: { ...data, facilityId: 'F2', categories: ['MEDICAL'], ownWords: 'they laughed', deletedAt: T3 },
        at: T3,
        parents: [`${LOW}:1`],
      });
      rematerialize(db, 'incident', 'I1');
      expect(cats()).toEqual([{ category: 'MEDICAL', occurred_on: '2026-05-01', facility_id: 'F2', deleted_at: T3 }]);
      expect(found('laughed')).toEqual(['I1']);
      expect(found('water')).toEqual(['I1']);
      expect(db.prepare(`SELECT count(*) FROM incident_text`).pluck().get()).toBe(1);
      expect(row('incidents', 'I1')).toMatchObject({ own_words: 'they laughed', deleted_at: T3, created_at: T1 });
    }),
  );

  it(
    "writes a person's derived name keys",
    inCase(() => {
      const data = {
        familyName: 'Haddad',
        givenName: 'Yusuf',
        nameOriginal: 'يوسف حداد',
        aNumber: '012345678',
        languages: ['ar'],
        interpreterNeeded: true,
        classMembership: 'unknown',
        removalOrderStatus: 'unknown',
        consentGiven: false,
        filingCode: 'CM-001',
        deletedAt: null,
      };
      foreign({ device: LOW, seq: 1, entity: 'person', id: 'P1', version: 1, data, at: T1 });
      rematerialize(db, 'person', 'P1');
      expect(row('people', 'P1')).toMatchObject({ name_key: expect.stringContaining('|'), original_key: expect.any(String), folded_name: expect.stringContaining('haddad yusuf'), languages: '["ar"]', interpreter_needed: 1, consent_given: 0 });
      foreign({ device: LOW, seq: 2, entity: 'person', id: 'P2', version: 1, data: { ...data, nameOriginal: undefined, aNumber: '111111111' }, at: T1 });
      rematerialize(db, 'person', 'P2');
      expect(row('people', 'P2')).toMatchObject({ name_original: null, original_key: null, folded_name: 'haddad yusuf ' });
    }),
  );

  it(
    'writes a setting, and its next version over it',
    inCase(() => {
      foreign({ device: LOW, seq: 1, entity: 'setting', id: 'people-merge:M1', version: 1, data: { value: '{"a":1}' } });
      expect(rematerialize(db, 'setting', 'people-merge:M1')).toEqual({ heads: 1, changed: true });
      expect(db.prepare(`SELECT value FROM settings WHERE key = 'people-merge:M1'`).pluck().get()).toBe('{"a":1}');
      foreign({ device: LOW, seq: 2, entity: 'setting', id: 'people-merge:M1', version: 2, data: { value: '{"a":2}' }, parents: [`${LOW}:1`] });
      rematerialize(db, 'setting', 'people-merge:M1');
      expect(db.prepare(`SELECT value FROM settings WHERE key = 'people-merge:M1'`).pluck().get()).toBe('{"a":2}');
    }),
  );

  it(
    "writes the office's report settings, and their next version over them",
    inCase(() => {
      foreign({ device: LOW, seq: 1, entity: 'office-settings', id: 'office', version: 1, data: { caption: 'One' }, at: T1, by: 'paralegal' });
      rematerialize(db, 'office-settings', 'office');
      expect(db.prepare(`SELECT * FROM report_settings`).all()).toEqual([{ id: 1, data: '{"caption":"One"}', updated_at: T1, updated_by: 'paralegal' }]);
      foreign({ device: LOW, seq: 2, entity: 'office-settings', id: 'office', version: 2, data: { caption: 'Two' }, at: T3, by: null, parents: [`${LOW}:1`] });
      rematerialize(db, 'office-settings', 'office');
      expect(db.prepare(`SELECT * FROM report_settings`).all()).toEqual([{ id: 1, data: '{"caption":"Two"}', updated_at: T3, updated_by: null }]);
    }),
  );

  it(
    'writes a report definition and each of its versions, keeping when it was created',
    inCase(() => {
      foreign({ device: LOW, seq: 1, entity: 'report', id: 'R1', version: 1, data: { name: 'Water', definition: { v: 1 }, deletedAt: null }, at: T1, by: 'attorney' });
      rematerialize(db, 'report', 'R1');
      expect(row('report_definitions', 'R1')).toEqual({ id: 'R1', name: 'Water', data: '{"v":1}', version: 1, created_at: T1, updated_at: T1, deleted_at: null });
      foreign({ device: LOW, seq: 2, entity: 'report', id: 'R1', version: 2, data: { name: 'Water and food', definition: { v: 2 }, deletedAt: T3 }, at: T3, by: 'paralegal', parents: [`${LOW}:1`] });
      rematerialize(db, 'report', 'R1');
      expect(row('report_definitions', 'R1')).toEqual({ id: 'R1', name: 'Water and food', data: '{"v":2}', version: 2, created_at: T1, updated_at: T3, deleted_at: T3 });
      expect(db.prepare(`SELECT * FROM report_definition_versions WHERE id = 'R1' ORDER BY version`).all()).toEqual([
        { id: 'R1', version: 1, data: '{"v":1}', saved_at: T1, saved_by: 'attorney' },
        { id: 'R1', version: 2, data: '{"v":2}', saved_at: T3, saved_by: 'paralegal' },
      ]);
    }),
  );

  it(
    'writes an export with its files once',
    inCase(() => {
      const e = {
        definitionId: 'R1',
        definitionVersion: 3,
        definition: { v: 3 },
        profile: 'public',
        exhibitLabel: 'Exhibit A',
        periodFrom: '2026-01-01',
        periodTo: '2026-06-30',
        generatedAt: T1,
        generatedBy: 'attorney',
        appVersion: '0.1.0',
        folder: 'exhibit-a',
        incidentCount: 4,
        manifest: { files: 2 },
        files: [
          { name: 'a.pdf', format: 'pdf', bytes: 10, sha256: 'aa' },
          { name: 'a.csv', format: 'csv', bytes: 5, sha256: 'bb' },
        ],
      };
      foreign({ device: LOW, seq: 1, entity: 'export', id: 'X1', version: 1, data: e, at: T1 });
      rematerialize(db, 'export', 'X1');
      expect(row('report_exports', 'X1')).toEqual({
        id: 'X1',
        definition_id: 'R1',
        definition_version: 3,
        definition: '{"v":3}',
        profile: 'public',
        exhibit_label: 'Exhibit A',
        period_from: '2026-01-01',
        period_to: '2026-06-30',
        generated_at: T1,
        generated_by: 'attorney',
        app_version: '0.1.0',
        folder: 'exhibit-a',
        incident_count: 4,
        manifest: '{"files":2}',
      });
      expect(db.prepare(`SELECT name, format, bytes, sha256 FROM report_export_files WHERE export_id = 'X1' ORDER BY name`).all()).toEqual([
        { name: 'a.csv', format: 'csv', bytes: 5, sha256: 'bb' },
        { name: 'a.pdf', format: 'pdf', bytes: 10, sha256: 'aa' },
      ]);
      // A later version (none is written today) leaves the export as it was first written.
      foreign({ device: LOW, seq: 2, entity: 'export', id: 'X1', version: 2, data: { ...e, folder: 'changed', files: [] }, at: T3, parents: [`${LOW}:1`] });
      expect(rematerialize(db, 'export', 'X1')).toEqual({ heads: 1, changed: true });
      expect(row('report_exports', 'X1')).toMatchObject({ folder: 'exhibit-a' });
      expect(db.prepare(`SELECT count(*) FROM report_export_files WHERE export_id = 'X1'`).pluck().get()).toBe(2);
      // Without a definition or who made it.
      foreign({ device: LOW, seq: 3, entity: 'export', id: 'X2', version: 1, data: { ...e, definitionId: undefined, definitionVersion: undefined, generatedBy: undefined, files: [] }, at: T1 });
      rematerialize(db, 'export', 'X2');
      expect(row('report_exports', 'X2')).toMatchObject({ definition_id: null, definition_version: null, generated_by: null });
    }),
  );

  it(
    "writes a device's name and trust when its key is held, and nothing for a restore",
    inCase(() => {
      db.prepare(`INSERT INTO devices (id, name, public_key, fingerprint, first_seen_at) VALUES (?, NULL, 'k', 'f', ?)`).run(LOW, T1);
      foreign({ device: LOW, seq: 1, entity: 'device', id: LOW, version: 1, data: { name: 'Front desk', trusted: false } });
      expect(rematerialize(db, 'device', LOW)).toEqual({ heads: 1, changed: true });
      expect(db.prepare(`SELECT name, trusted FROM devices WHERE id = ?`).get(LOW)).toEqual({ name: 'Front desk', trusted: 0 });
      foreign({ device: LOW, seq: 2, entity: 'restore', id: 'RS1', version: 1, data: { from: 'x' } });
      expect(rematerialize(db, 'restore', 'RS1')).toEqual({ heads: 1, changed: true });
    }),
  );
});

describe('writeShown', () => {
  it(
    "rewrites a record's row from its shown head, created when its lowest version was first written",
    inCase(() => {
      earliestAmongMany();
      rematerialize(db, 'facility', 'F1');
      db.prepare(`DELETE FROM facilities WHERE id = 'F1'`).run();
      writeShown(db, 'facility', 'F1');
      expect(row('facilities', 'F1')).toMatchObject({ version: 3, created_at: T2, updated_at: T0, city: 'Z' });
    }),
  );

  it('does nothing for a record with no heads', () => {
    writeShown(db, 'facility', 'NONE');
    expect(row('facilities', 'NONE')).toBeUndefined();
  });
});
