// Derived columns the SQL migrations cannot compute (they need the JS folding rules): filled for
// rows written by an older Attest, in one pass on open. When the folding rules change, a migration
// re-folds them with its own frozen copy of the rules (db/migrations/0005_kurdish_fold.ts).
import type { Db } from '../driver';
import { indexIncidentText } from '../repo/incidents';
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
