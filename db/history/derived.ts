// Derived columns the SQL migrations cannot compute (they need the JS folding rules): filled for
// rows written by an older Attest, in one pass on open, and re-folded by a migration when the
// folding rules change.
import type { Db } from '../driver';
import { indexIncidentText, searchBody } from '../repo/incidents';
import { writeDerivedNameKeys } from '../repo/people';

type PersonNames = { id: string; familyName: string; givenName: string; nameOriginal: string | null };
const PERSON_NAMES = `SELECT id, family_name AS familyName, given_name AS givenName, name_original AS nameOriginal FROM people`;

export function fillDerivedColumns(db: Db): { people: number; incidents: number } {
  if (db.readonly) return { people: 0, incidents: 0 };
  return db.transaction(() => {
    const people = db.prepare(`${PERSON_NAMES} WHERE name_key IS NULL`).all() as PersonNames[];
    for (const p of people) writeDerivedNameKeys(db, p);
    const incidents = db
      .prepare(`SELECT id, summary, own_words AS ownWords FROM incidents WHERE search_rowid IS NULL ORDER BY created_at, id`)
      .all() as { id: string; summary: string; ownWords: string | null }[];
    for (const i of incidents) indexIncidentText(db, i.id, i);
    return { people: people.length, incidents: incidents.length };
  }).immediate();
}

/**
 * Migration step: rewrites every stored derived value (people's name keys, the incidents' full-text
 * index) with the current folding rules of shared/text-fold.ts, since a query folded the new way
 * misses text stored folded the old way. Only derived data is written: no record, version or audit
 * row, and each incident keeps its index rowid (its place in "newest entered" order). Rows not yet
 * filled are left to fillDerivedColumns.
 */
export function refoldDerivedColumns(db: Db): void {
  for (const p of db.prepare(`${PERSON_NAMES} WHERE name_key IS NOT NULL`).all() as PersonNames[]) writeDerivedNameKeys(db, p);
  // Emptying the contentless index and inserting every body again is one pass over the text; it
  // also drops any row no incident points to.
  db.exec(`INSERT INTO incident_text (incident_text) VALUES ('delete-all')`);
  const add = db.prepare(`INSERT INTO incident_text (rowid, body) VALUES (?, ?)`);
  const incidents = db
    .prepare(`SELECT search_rowid AS rowid, summary, own_words AS ownWords FROM incidents WHERE search_rowid IS NOT NULL`)
    .all() as { rowid: number; summary: string; ownWords: string | null }[];
  for (const i of incidents) add.run(i.rowid, searchBody(i));
}
