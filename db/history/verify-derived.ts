// Derived rows are not versioned: they are recomputed from the records. Verify recomputes them
// too and names any that differ, so a category row slipped in (a count in an exhibit changed), a
// search entry removed (an incident that search no longer finds) or a name key altered (a
// duplicate person no longer warned about) is reported like a changed record.
import type { Db } from '../driver';
import { searchBody } from '../repo/incidents';
import { derivedNameKeys } from '../repo/people';
import type { BrokenRow } from './audit';

export function verifyDerivedRows(db: Db): BrokenRow | null {
  return categoryRows(db) ?? filingCodes(db) ?? nameKeys(db) ?? searchIndex(db);
}

const at = (table: BrokenRow['table'], entity: string, id: string, problem: string): BrokenRow => ({ seq: null, table, entity, id, problem });

/** incident_categories holds one row per category of each incident, with copies of its date, facility and tombstone. */
function categoryRows(db: Db): BrokenRow | null {
  const extra = db
    .prepare(
      `SELECT c.incident_id AS id, c.category, i.id IS NULL AS orphan FROM incident_categories c LEFT JOIN incidents i ON i.id = c.incident_id
       WHERE i.id IS NULL OR c.occurred_on IS NOT i.occurred_on OR c.facility_id IS NOT i.facility_id OR c.deleted_at IS NOT i.deleted_at
         OR NOT EXISTS (SELECT 1 FROM json_each(i.categories) j WHERE j.value = c.category) LIMIT 1`,
    )
    .get() as { id: string; category: string; orphan: number } | undefined;
  if (extra) {
    return at('incident_categories', 'incident', extra.id, extra.orphan
      ? `incident_categories holds ${extra.category} for incident ${extra.id}, which does not exist (written outside the app)`
      : `incident_categories row ${extra.category} of incident ${extra.id} differs from the incident's recorded categories, date, facility or deletion (changed outside the app)`);
  }
  const missing = db
    .prepare(
      `SELECT i.id, j.value AS category FROM incidents i, json_each(i.categories) j
       WHERE NOT EXISTS (SELECT 1 FROM incident_categories c WHERE c.incident_id = i.id AND c.category = j.value) LIMIT 1`,
    )
    .get() as { id: string; category: string } | undefined;
  if (missing) return at('incident_categories', 'incident', missing.id, `incident ${missing.id} is recorded under ${missing.category}, but incident_categories has no such row (removed outside the app)`);
  return null;
}

/**
 * A person's filing code is the one allocated to them in filing_codes. A person entered on another
 * laptop got their code there: it is in their chained versions (checked with the row), not here.
 * A new code given to settle a clash (db/sync/codes.ts) is named by a chained setting
 * "filing-recode:<person>:<code>" written with it.
 */
function filingCodes(db: Db): BrokenRow | null {
  const bad = db
    .prepare(
      `SELECT p.id, p.filing_code AS code FROM people p LEFT JOIN filing_codes f ON f.person_id = p.id
       WHERE p.filing_code IS NOT ('CM-' || printf('%03d', f.n))
         AND NOT EXISTS (SELECT 1 FROM foreign_rows r WHERE r.entity = 'person' AND r.id = p.id AND r.version = 1)
         AND NOT EXISTS (SELECT 1 FROM settings s WHERE s.key = 'filing-recode:' || p.id || ':' || p.filing_code) LIMIT 1`,
    )
    .get() as { id: string; code: string } | undefined;
  return bad ? at('filing_codes', 'person', bad.id, `person ${bad.id}'s filing code ${bad.code} is not the one allocated to them in filing_codes (changed outside the app)`) : null;
}

function nameKeys(db: Db): BrokenRow | null {
  const rows = db
    .prepare(`SELECT id, family_name AS familyName, given_name AS givenName, name_original AS nameOriginal, name_key AS nameKey, original_key AS originalKey, folded_name AS foldedName FROM people`)
    .iterate() as IterableIterator<{ id: string; familyName: string; givenName: string; nameOriginal: string | null; nameKey: string | null; originalKey: string | null; foldedName: string | null }>;
  for (const p of rows) {
    // Not yet filled (an older database opened read-only): nothing derived to compare.
    if (p.nameKey === null && p.foldedName === null) continue;
    const k = derivedNameKeys(p);
    for (const [field, column] of [['nameKey', 'name_key'], ['originalKey', 'original_key'], ['foldedName', 'folded_name']] as const) {
      if (k[field] !== p[field]) return at('people', 'person', p.id, `person ${p.id}: ${column} in people is not what their recorded name gives (changed outside the app)`);
    }
  }
  return null;
}

/**
 * The full-text index is contentless (it keeps no text to compare), so the check builds the index
 * the records give in a temporary in-memory table with the same tokenizer and compares every
 * (word, incident, position) of the two.
 */
function searchIndex(db: Db): BrokenRow | null {
  const unindexed = db.prepare(`SELECT id FROM incidents WHERE search_rowid IS NULL LIMIT 1`).get() as { id: string } | undefined;
  if (unindexed && !db.readonly) return at('incident_text', 'incident', unindexed.id, `incident ${unindexed.id} is missing from the search index`);
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  // In memory: the temporary index holds the incidents' text, which must not reach a plain temp file.
  db.pragma('temp_store = MEMORY');
  try {
    db.exec(`DROP TABLE IF EXISTS temp.verify_text_real; DROP TABLE IF EXISTS temp.verify_text_expected_vocab; DROP TABLE IF EXISTS temp.verify_text_expected;
      CREATE VIRTUAL TABLE temp.verify_text_expected USING fts5 (body, content = '', tokenize = 'unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE temp.verify_text_real USING fts5vocab (main, incident_text, instance);
      CREATE VIRTUAL TABLE temp.verify_text_expected_vocab USING fts5vocab (temp, verify_text_expected, instance);`);
    const add = db.prepare(`INSERT INTO temp.verify_text_expected (rowid, body) VALUES (?, ?)`);
    const incidents = db
      .prepare(`SELECT search_rowid AS rowid, summary, own_words AS ownWords FROM incidents WHERE search_rowid IS NOT NULL`)
      .all() as { rowid: number; summary: string; ownWords: string | null }[];
    db.transaction(() => {
      for (const i of incidents) add.run(i.rowid, searchBody(i));
    })();
    const differs = (a: string, b: string) =>
      db.prepare(`SELECT doc, term FROM (SELECT term, doc, col, offset FROM temp.${a} EXCEPT SELECT term, doc, col, offset FROM temp.${b}) LIMIT 1`).get() as
        | { doc: number; term: string }
        | undefined;
    const extra = differs('verify_text_real', 'verify_text_expected_vocab');
    // (word, incident, column, position) rows are unique: with none extra, equal counts mean equal
    // sets, and two counts cost less than the second difference.
    const count = (t: string) => db.prepare(`SELECT count(*) AS n FROM temp.${t}`).get() as { n: number };
    const missing = extra || count('verify_text_real').n === count('verify_text_expected_vocab').n ? undefined : differs('verify_text_expected_vocab', 'verify_text_real');
    const found = extra ?? missing;
    if (!found) return null;
    const incident = db.prepare(`SELECT id FROM incidents WHERE search_rowid = ?`).get(found.doc) as { id: string } | undefined;
    if (!incident) return at('incident_text', 'incident', `search row ${found.doc}`, `the search index holds entry ${found.doc}, which belongs to no incident (written outside the app)`);
    return at('incident_text', 'incident', incident.id, `the search index entry of incident ${incident.id} is not what its recorded text gives (a word ${extra ? 'added' : 'missing'}; changed outside the app)`);
  } finally {
    db.exec(`DROP TABLE IF EXISTS temp.verify_text_real; DROP TABLE IF EXISTS temp.verify_text_expected_vocab; DROP TABLE IF EXISTS temp.verify_text_expected;`);
    db.pragma(`temp_store = ${tempStore}`);
  }
}
