import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../electron/core/session';
import { SAMPLE_FACILITY, cleanupTempDirs, tempDbFile, tempDir } from '../test/helpers';
import { loadMigrations, migrate, schemaVersion } from './migrate';
import { openDatabase, type Db } from './connect';
import { createFacility } from './repo/facilities';
import { createIncident, searchIncidents } from './repo/incidents';
import { createPerson, findSimilarPeople } from './repo/people';
import { verifyRecords } from './history/verify';

import { nameKey } from '../shared/text-fold';

afterEach(cleanupTempDirs);

// The folding of shared/text-fold.ts as it was up to schema version 4, to write what that version
// stored: the Persian letters ی ک were folded, the Kurdish ێ ە ھ ۀ ۆ ڵ ڕ kept as typed.
const V4_LETTERS: Record<string, string> = { 'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ة': 'ه', 'ى': 'ي', 'ی': 'ي', 'ئ': 'ي', 'ؤ': 'و', 'ک': 'ك' };

function foldV4(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(/[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, '')
    .replace(/[أإآٱةىیئؤک]/g, (c) => V4_LETTERS[c] ?? c)
    .toLowerCase();
}

function searchIndexTextV4(s: string): string {
  const folded = foldV4(s);
  const extra = new Set<string>();
  for (const w of folded.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (!/^[\u0621-\u064A]+$/.test(w)) continue;
    for (const p of ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك']) {
      if (w.startsWith(p) && w.length - p.length >= 3) extra.add(w.slice(p.length));
    }
  }
  return extra.size ? `${folded}\n${[...extra].join(' ')}` : folded;
}

const META = { at: '2026-03-01T09:00:00.000Z', by: null };

/**
 * A database at schema version 4 holding two people and two incidents, each entered once on a
 * Kurdish keyboard and once on an Arabic one. Records go in through the repositories (so every one
 * has its versions and audit rows); then the derived data (name keys, search index) is overwritten
 * with what version 4 stored, folded by foldV4.
 */
function version4Database(file: string, key: string | null) {
  // An empty migrations folder opens the file (encrypted when keyed) without migrating it.
  const db = openDatabase(file, { key, migrationsDir: tempDir() });
  migrate(db, { to: 4 });
  const ids = db.transaction(() => {
    const facility = createFacility(db, SAMPLE_FACILITY, META);
    const kurdish = createPerson(db, { familyName: 'Reza', givenName: 'Karim', nameOriginal: 'کەریم ڕەزا', aNumber: '201000001' }, META);
    // The same man entered again from another office: another family name in Latin letters, his
    // name in Arabic letters.
    const arabic = createPerson(db, { familyName: 'Kurdi', givenName: 'Karim', nameOriginal: 'كهريم رهزا', aNumber: '201000002' }, META);
    const incident = (personId: string, summary: string, ownWords: string) =>
      createIncident(db, { personId, facilityId: facility.id, occurredOn: '2026-02-20', categories: ['WATER'], summary, ownWords }, META).id;
    // "There was no water, the children were thirsty."
    const kurdishIncident = incident(kurdish.id, 'کەریم ڕەزا: no water in the family unit', 'ئاو نەبوو، منداڵەکان تینوو بوون، پۆلیس هێنای');
    const arabicIncident = incident(arabic.id, 'كهريم رهزا: no water, the guard took it', 'ئاو نهبوو، مندالهكان تينوو بوون، پوليس هينای والماء');
    return { kurdish: kurdish.id, arabic: arabic.id, kurdishIncident, arabicIncident };
  })();
  db.transaction(() => {
    for (const p of db.prepare(`SELECT id, family_name, given_name, name_original FROM people`).all() as Record<string, string>[]) {
      const original = foldV4(p.name_original!).match(/[\p{L}\p{N}]+/gu)!.sort().join(' ');
      db.prepare(`UPDATE people SET name_key = ?, original_key = ?, folded_name = ? WHERE id = ?`).run(
        nameKey(p.family_name!, p.given_name!), // Latin letters only: the same in version 4
        original,
        foldV4(`${p.family_name} ${p.given_name} ${p.name_original}`),
        p.id,
      );
    }
    for (const i of db.prepare(`SELECT search_rowid, summary, own_words FROM incidents`).all() as Record<string, string>[]) {
      db.prepare(`DELETE FROM incident_text WHERE rowid = ?`).run(i.search_rowid);
      db.prepare(`INSERT INTO incident_text (rowid, body) VALUES (?, ?)`).run(i.search_rowid, searchIndexTextV4(`${i.summary}\n${i.own_words}`));
    }
  })();
  return { db, ids };
}

/** Every stored value except the derived ones this migration may rewrite. */
function evidence(db: Db): unknown[] {
  return [
    // Migration 7 adds a parents column (NULL on every version written before it).
    (db.prepare(`SELECT * FROM record_versions ORDER BY entity, id, version`).all() as Record<string, unknown>[]).map(({ parents: _p, ...row }) => row),
    db.prepare(`SELECT * FROM audit_log ORDER BY seq`).all(),
    db.prepare(`SELECT * FROM incidents ORDER BY id`).all(),
    db.prepare(`SELECT * FROM incident_categories ORDER BY incident_id, category`).all(),
    db.prepare(`SELECT * FROM facilities ORDER BY id`).all(),
    (db.prepare(`SELECT * FROM people ORDER BY id`).all() as Record<string, unknown>[]).map(
      ({ name_key: _k, original_key: _o, folded_name: _f, ...row }) => row,
    ),
  ];
}

describe('migration 5: Kurdish letters folded in stored search data', () => {
  it.each([
    ['plain', null],
    ['encrypted', 'correct horse battery staple'],
  ])('re-folds the search index and name keys of a version-4 database (%s), changing no record', async (_kind, key) => {
    const file = tempDbFile();
    const { db, ids } = version4Database(file, key);
    // Version 4's data reproduces the defect under the new fold: the Kurdish-keyboard entries are missed.
    expect(searchIncidents(db, { text: 'مندالهكان', limit: 10, offset: 0 }).items.map((i) => i.id)).toEqual([ids.arabicIncident]);
    expect(searchIncidents(db, { text: 'منداڵەکان', limit: 10, offset: 0 }).items.map((i) => i.id)).toEqual([ids.arabicIncident]);
    expect(findSimilarPeople(db, { familyName: 'Kurdi', givenName: 'Karim', nameOriginal: 'كهريم رهزا', excludeId: ids.arabic })).toEqual([]);
    const before = evidence(db);
    db.close();

    const s = openSession(file, { key });
    expect(schemaVersion(s.ctx.db)).toBe(loadMigrations().length);
    const search = async (text: string) => {
      const r = await s.dispatch('incidents:search', { text });
      if (!r.ok) throw new Error(r.error.message);
      return (r.data as { items: { id: string }[] }).items.map((i) => i.id);
    };
    // Either spelling finds both, newest entered first (each incident kept its place in the index).
    const both = [ids.arabicIncident, ids.kurdishIncident];
    expect(await search('كهريم رهزا')).toEqual(both);
    expect(await search('کەریم ڕەزا')).toEqual(both);
    expect(await search('منداڵەکان')).toEqual(both);
    expect(await search('مندالهكان')).toEqual(both);
    expect(await search('پۆلیس هێنای')).toEqual(both);
    expect(await search('پوليس هينای')).toEqual(both);
    expect(await search('family')).toEqual([ids.kurdishIncident]);
    expect(await search('ماء')).toEqual([ids.arabicIncident]); // "والماء": prefixes still stripped
    expect(await s.dispatch('people:similar', { familyName: 'Kurdi', givenName: 'Karim', nameOriginal: 'كهريم رهزا', excludeId: ids.arabic })).toMatchObject({
      ok: true,
      data: { similar: [{ id: ids.kurdish, matchedOn: 'nameOriginal' }] },
    });
    expect(await s.dispatch('people:similar', { familyName: 'Reza', givenName: 'Karim', nameOriginal: 'کەریم ڕەزا', excludeId: ids.kurdish })).toMatchObject({
      ok: true,
      data: { similar: [{ id: ids.arabic, matchedOn: 'nameOriginal' }] },
    });
    expect(await s.dispatch('people:list', { query: 'ڕەزا' })).toMatchObject({ ok: true, data: { total: 2 } });

    // Derived data only: every record, version and audit row as it was, and the history verifies.
    expect(evidence(s.ctx.db)).toEqual(before);
    expect(verifyRecords(s.ctx.db)).toMatchObject({ ok: true, firstBroken: null });
    s.close();
  });
});
