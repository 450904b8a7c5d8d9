import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbFile } from '../../test/helpers';
import { openDatabase } from '../connect';
import { createFacility } from './facilities';
import { createIncident, listIncidents, searchIncidents } from './incidents';
import { createPerson, listPeople } from './people';

afterEach(cleanupTempDirs);

const meta = { at: '2026-06-20T10:00:00.000Z', by: 'attorney-1' };

function setup() {
  const db = openDatabase(tempDbFile());
  const f = createFacility(
    db,
    { name: 'Calhoun County Correctional', city: 'Battle Creek', state: 'MI', operator: 'COUNTY_IGSA', operatorName: null, standard: 'NDS_2019' },
    meta,
  );
  const ahmed = createPerson(db, { familyName: 'Al-Jubouri', givenName: 'Ahmed', nameOriginal: 'أحمد الجبوري', aNumber: '201234567', currentFacilityId: f.id }, meta);
  const fadi = createPerson(db, { familyName: 'Haddad', givenName: 'Fadi', aNumber: '201234568', currentFacilityId: f.id }, meta);
  const sara = createPerson(db, { familyName: 'Jubouri', givenName: 'Sara', aNumber: '201234569', currentFacilityId: f.id }, meta);
  const incident = (personId: string, summary: string) =>
    createIncident(db, { personId, facilityId: f.id, occurredOn: '2026-06-01', categories: ['FOOD'], summary }, meta);
  return { db, ahmed, fadi, sara, incident };
}

const names = (db: ReturnType<typeof setup>['db'], query: string) =>
  listPeople(db, { limit: 10, offset: 0, query }).items.map((p) => p.givenName).sort();

describe('people search', () => {
  it('finds a person in any word order, with or without the article, and by spelling variants', () => {
    const { db } = setup();
    for (const q of ['Jubouri Ahmed', 'Ahmed Al-Jubouri', 'Ahmed Jubouri', 'Ahmad Aljubouri', 'Ahmad', 'الجبوري', 'جبوري احمد']) {
      expect(names(db, q), q).toEqual(['Ahmed']);
    }
    // "Al Jubouri" and "Jubori" name both Jubouris.
    expect(names(db, 'Al Jubouri')).toEqual(['Ahmed', 'Sara']);
    expect(names(db, 'Jubori')).toEqual(['Ahmed', 'Sara']);
    expect(names(db, 'Ahmed Haddad')).toEqual([]);
    expect(names(db, 'CM-002')).toEqual(['Fadi']);
    expect(names(db, '234568')).toEqual(['Fadi']);
    db.close();
  });
});

describe('incident search', () => {
  it("finds a person's incidents by their name in any order or by filing code, as well as by text", () => {
    const { db, ahmed, fadi, sara, incident } = setup();
    const a = incident(ahmed.id, 'Insulin withheld for two days');
    const f = incident(fadi.id, 'Meals withheld; no food for a day');
    const s = incident(sara.id, 'Pressed to sign a voluntary departure form');
    const found = (text: string) => searchIncidents(db, { limit: 10, offset: 0, text }).items.map((i) => i.id).sort();
    expect(found('Ahmed Al-Jubouri')).toEqual([a.id]);
    expect(found('jubouri')).toEqual([a.id, s.id].sort());
    expect(found('CM-002')).toEqual([f.id]);
    expect(found('cm-3')).toEqual([s.id]);
    // A word of the text finds by text only, not people whose name spells like it (food, Fadi).
    expect(found('food')).toEqual([f.id]);
    expect(found('withheld')).toEqual([a.id, f.id].sort());
    const page = searchIncidents(db, { limit: 10, offset: 0, text: 'jubouri' });
    expect(page).toMatchObject({ total: 2, totalExact: true });
    db.close();
  });
});

describe('incident list order and count', () => {
  it('sorts by every column on the database, each way, and counts every match exactly', () => {
    const { db, ahmed, fadi, sara, incident } = setup();
    incident(sara.id, 'b summary');
    incident(ahmed.id, 'c summary');
    incident(fadi.id, 'a summary');
    const order = (sort: 'person' | 'summary' | 'status' | 'facility' | 'categories', direction: 'asc' | 'desc') =>
      listIncidents(db, { limit: 10, offset: 0, sort, direction }).items.map((i) => (sort === 'person' ? i.personName : i.summary));
    expect(order('person', 'asc')).toEqual(['Al-Jubouri, Ahmed', 'Haddad, Fadi', 'Jubouri, Sara']);
    expect(order('person', 'desc')).toEqual(['Jubouri, Sara', 'Haddad, Fadi', 'Al-Jubouri, Ahmed']);
    expect(order('summary', 'asc')).toEqual(['a summary', 'b summary', 'c summary']);
    expect(order('summary', 'desc')).toEqual(['c summary', 'b summary', 'a summary']);
    for (let k = 0; k < 600; k++) incident(fadi.id, `more ${k}`);
    expect(listIncidents(db, { limit: 10, offset: 0, countUpTo: 10_000_000 })).toMatchObject({ total: 603, totalExact: true });
    expect(listIncidents(db, { limit: 10, offset: 0, sort: 'person', countUpTo: 10_000_000 })).toMatchObject({ total: 603, totalExact: true });
    db.close();
  });
});

describe('incident list sorted by person, facility or category', () => {
  /** The page query listIncidents prepares for `filter`, and SQLite's plan for it. */
  function planOf(file: ReturnType<typeof setup>['db'], filter: Parameters<typeof listIncidents>[1]): string[] {
    // A connection of its own: statements are cached per connection, so this one prepares afresh.
    const db = openDatabase(file.name);
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    const spy = ((sql: string) => {
      seen.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    db.prepare = spy;
    try {
      listIncidents(db, filter);
    } finally {
      db.prepare = prepare;
    }
    const page = seen.find((sql) => sql.includes('LIMIT ? OFFSET ?'));
    if (!page) throw new Error('no page query prepared');
    // EXPLAIN QUERY PLAN runs nothing: the placeholders only need a value each.
    const holes = page.split('?').length - 1;
    try {
      return (prepare(`EXPLAIN QUERY PLAN ${page}`).all(...Array<number>(holes).fill(0)) as { detail: string }[]).map((r) => r.detail);
    } finally {
      db.close();
    }
  }

  it('walks indexes in order (no sort of every match) and gives the same order as sorting by hand', () => {
    const { db, ahmed, fadi, sara, incident } = setup();
    for (let k = 0; k < 5; k++) {
      incident(sara.id, `s${k}`);
      incident(ahmed.id, `a${k}`);
      incident(fadi.id, `f${k}`);
    }
    for (const direction of ['asc', 'desc'] as const) {
      for (const sort of ['person', 'facility', 'categories'] as const) {
        const plan = planOf(db, { limit: 50, offset: 0, sort, direction });
        expect(plan.join('\n'), `${sort} ${direction}`).not.toMatch(/TEMP B-TREE/);
      }
      expect(planOf(db, { limit: 50, offset: 0, sort: 'person', direction })).toEqual(
        expect.arrayContaining(['SCAN p USING INDEX people_name', expect.stringMatching(/^SEARCH i USING INDEX incidents_person_page \(person_id=\?\)/)]),
      );
      expect(planOf(db, { limit: 50, offset: 0, sort: 'categories', direction })).toEqual(
        expect.arrayContaining([expect.stringMatching(/^SEARCH i USING INDEX incidents_first_category \(<expr>=\? AND deleted_at=\?\)/)]),
      );
      // Deleted ones are few: still found, sorted in the small groups the index gives.
      expect(listIncidents(db, { limit: 50, offset: 0, sort: 'categories', direction, deleted: 'only' }).items).toEqual([]);
    }
    const names = (direction: 'asc' | 'desc', offset = 0) =>
      listIncidents(db, { limit: 4, offset, sort: 'person', direction }).items.map((i) => i.personName);
    expect(names('asc')).toEqual(['Al-Jubouri, Ahmed', 'Al-Jubouri, Ahmed', 'Al-Jubouri, Ahmed', 'Al-Jubouri, Ahmed']);
    expect(names('asc', 4)).toEqual(['Al-Jubouri, Ahmed', 'Haddad, Fadi', 'Haddad, Fadi', 'Haddad, Fadi']);
    expect(names('desc')).toEqual(['Jubouri, Sara', 'Jubouri, Sara', 'Jubouri, Sara', 'Jubouri, Sara']);
    // Every incident is listed under each order, none twice.
    for (const sort of ['person', 'facility', 'categories'] as const) {
      const ids = listIncidents(db, { limit: 50, offset: 0, sort }).items.map((i) => i.id);
      expect(new Set(ids).size, sort).toBe(15);
    }
    db.close();
  });
});
