import { AppError } from '../../shared/errors';
import { newId } from '../ids';
import type { Db } from '../driver';
import { stmt } from '../stmt';
import type { WriteMeta } from '../history/versions';
import { makeStore } from './records';

import { formatANumber } from '../../shared/a-number';
import type { Person } from '../../shared/schemas';
import { foldText, nameKey, nameMatcher, nameSearchTerms, nameTermCore, originalNameKey } from '../../shared/text-fold';

export type PersonRecord = Person;
/** What a caller gives; the filing code is allocated here. */
export type PersonFields = Omit<Person, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'filingCode'>;

export const personStore = makeStore<PersonFields & { filingCode: string }>({
  entity: 'person',
  table: 'people',
  noun: 'person',
  fields: {
    familyName: ['family_name', 'text'],
    givenName: ['given_name', 'text'],
    nameOriginal: ['name_original', 'text'],
    aNumber: ['a_number', 'text'],
    birthDate: ['birth_date', 'text'],
    nationality: ['nationality', 'text'],
    languages: ['languages', 'json'],
    interpreterNeeded: ['interpreter_needed', 'bool'],
    currentFacilityId: ['current_facility_id', 'text'],
    detainedSince: ['detained_since', 'text'],
    classMembership: ['class_membership', 'text'],
    removalOrderStatus: ['removal_order_status', 'text'],
    counsel: ['counsel', 'text'],
    consentGiven: ['consent_given', 'bool'],
    consentDate: ['consent_date', 'text'],
    consentScope: ['consent_scope', 'text'],
    filingCode: ['filing_code', 'text'],
  },
});

/** What a caller must give; the rest have defaults. */
export type PersonCreateFields = Pick<PersonFields, 'familyName' | 'givenName' | 'aNumber'> & Partial<PersonFields>;

/** Fills defaults so a partial caller (an older test, the seed) still stores a whole record. */
function complete(f: PersonCreateFields): PersonFields {
  return {
    familyName: f.familyName,
    givenName: f.givenName,
    nameOriginal: f.nameOriginal ?? null,
    aNumber: f.aNumber,
    birthDate: f.birthDate ?? null,
    nationality: f.nationality ?? null,
    languages: f.languages ?? [],
    interpreterNeeded: f.interpreterNeeded ?? false,
    currentFacilityId: f.currentFacilityId ?? null,
    detainedSince: f.detainedSince ?? null,
    classMembership: f.classMembership ?? 'unknown',
    removalOrderStatus: f.removalOrderStatus ?? 'unknown',
    counsel: f.counsel ?? null,
    consentGiven: f.consentGiven ?? false,
    consentDate: f.consentDate ?? null,
    consentScope: f.consentScope ?? null,
  };
}

export function formatFilingCode(n: number): string {
  return `CM-${String(n).padStart(3, '0')}`;
}

/** The highest filing-code number this laptop has seen, its own and those other laptops gave. */
function highestFilingCode(db: Db): number {
  const seen = stmt(db, `SELECT max(CAST(substr(filing_code, 4) AS INTEGER)) AS n FROM people WHERE filing_code GLOB 'CM-[0-9]*'`).get() as { n: number | null };
  const own = stmt(db, `SELECT max(n) AS n FROM filing_codes`).get() as { n: number | null };
  return Math.max(seen.n ?? 0, own.n ?? 0);
}

/**
 * Hands out the next filing code; the row stays forever, so no code is ever handed out twice. The
 * next number is past every code this laptop has seen, its own and those other laptops gave (see
 * the README, "Several laptops": filing codes).
 */
export function allocateFilingCode(db: Db, personId: string, at: string): string {
  const n = highestFilingCode(db) + 1;
  stmt(db, `INSERT INTO filing_codes (n, person_id, allocated_at) VALUES (?, ?, ?)`).run(n, personId, at);
  return formatFilingCode(n);
}

export type FilingCodeAllocator = (db: Db, personId: string, at: string) => string;

/**
 * For many creates in one transaction (a roster import): the highest code is found once (a scan of
 * every person) and counted on from there, instead of scanning again for each person. Valid only
 * inside the caller's transaction, where nothing else gives out codes.
 */
export function batchFilingCodes(db: Db): FilingCodeAllocator {
  let last: number | null = null;
  return (d, personId, at) => {
    const n = (last ??= highestFilingCode(db)) + 1;
    stmt(d, `INSERT INTO filing_codes (n, person_id, allocated_at) VALUES (?, ?, ?)`).run(n, personId, at);
    last = n;
    return formatFilingCode(n);
  };
}

/** The derived name columns of a person, as written (and as verify recomputes them). */
export function derivedNameKeys(p: { familyName: string; givenName: string; nameOriginal: string | null }) {
  return {
    nameKey: nameKey(p.familyName, p.givenName),
    originalKey: originalNameKey(p.nameOriginal),
    foldedName: foldText(`${p.familyName} ${p.givenName} ${p.nameOriginal ?? ''}`),
  };
}

export function writeDerivedNameKeys(db: Db, p: { id: string; familyName: string; givenName: string; nameOriginal: string | null }): void {
  const k = derivedNameKeys(p);
  stmt(db, `UPDATE people SET name_key = ?, original_key = ?, folded_name = ? WHERE id = ?`).run(k.nameKey, k.originalKey, k.foldedName, p.id);
}

function refuseTakenANumber(db: Db, aNumber: string, selfId: string | null): void {
  const existing = findPersonByANumber(db, aNumber);
  if (existing && existing.id !== selfId) {
    const who = `${existing.familyName}, ${existing.givenName} (${existing.filingCode}, id ${existing.id})`;
    throw new AppError('CONFLICT', `aNumber: ${formatANumber(aNumber)} already belongs to ${who}`, [
      { path: ['aNumber'], message: `already recorded for ${existing.familyName}, ${existing.givenName} — person ${existing.id}` },
    ]);
  }
}

export function createPerson(db: Db, fields: PersonCreateFields, meta: WriteMeta, id = newId(), allocate: FilingCodeAllocator = allocateFilingCode): PersonRecord {
  const f = complete(fields);
  refuseTakenANumber(db, f.aNumber, null);
  const filingCode = allocate(db, id, meta.at);
  const record = personStore.create(db, { ...f, filingCode }, meta, id);
  writeDerivedNameKeys(db, record);
  return record;
}

export function updatePerson(db: Db, id: string, expectedVersion: number, fields: PersonCreateFields, meta: WriteMeta): PersonRecord {
  const f = complete(fields);
  refuseTakenANumber(db, f.aNumber, id);
  const current = personStore.get(db, id, { includeDeleted: true });
  // The filing code is the person's for good: an edit never changes it.
  const { record, changed } = personStore.update(db, id, expectedVersion, { ...f, filingCode: current?.filingCode ?? '' }, meta);
  if (changed) writeDerivedNameKeys(db, record);
  return record;
}

export function setPersonDeleted(db: Db, id: string, expectedVersion: number, deleted: boolean, meta: WriteMeta): PersonRecord {
  return personStore.setDeleted(db, id, expectedVersion, deleted, meta).record;
}

export function getPerson(db: Db, id: string, opts: { includeDeleted?: boolean } = {}): PersonRecord | undefined {
  return personStore.get(db, id, opts);
}

/** The person holding an A-number, deleted or not (a tombstoned person still owns theirs). */
export function findPersonByANumber(db: Db, aNumber: string): PersonRecord | undefined {
  const row = stmt(db, `SELECT ${personStore.columns('')} FROM people WHERE a_number = ?`).get(aNumber);
  return row ? personStore.decode(row as Record<string, unknown>) : undefined;
}

export interface SimilarMatch {
  person: PersonRecord;
  matchedOn: 'name' | 'nameOriginal';
}

/** Live people whose name matches up to case, diacritics, spacing, word order and common transliterations. */
export function findSimilarPeople(
  db: Db,
  q: { familyName: string; givenName: string; nameOriginal: string | null; excludeId?: string | null },
  limit = 20,
): SimilarMatch[] {
  const out = new Map<string, SimilarMatch>();
  if (q.familyName.trim() || q.givenName.trim()) {
    const key = nameKey(q.familyName, q.givenName);
    if (key.replace('|', '').length >= 2) {
      for (const row of stmt(db, `SELECT ${personStore.columns('')} FROM people WHERE name_key = ? AND deleted_at IS NULL LIMIT ?`).all(key, limit)) {
        const p = personStore.decode(row as Record<string, unknown>);
        out.set(p.id, { person: p, matchedOn: 'name' });
      }
    }
  }
  const ok = originalNameKey(q.nameOriginal);
  if (ok) {
    for (const row of stmt(db, `SELECT ${personStore.columns('')} FROM people WHERE original_key = ? AND deleted_at IS NULL LIMIT ?`).all(ok, limit)) {
      const p = personStore.decode(row as Record<string, unknown>);
      if (!out.has(p.id)) out.set(p.id, { person: p, matchedOn: 'nameOriginal' });
    }
  }
  if (q.excludeId) out.delete(q.excludeId);
  return [...out.values()];
}

const withNameMatch = new WeakSet<Db>();

/**
 * The SQL functions a name search tests each person with (shared/text-fold.ts nameMatches: any word
 * order, folding, articles; the first also transliteration variants), registered on first use.
 */
export function nameMatchFunction(db: Db, variants = true): string {
  if (!withNameMatch.has(db)) {
    for (const [name, v] of [['attest_name_match', true], ['attest_name_match_exact', false]] as const) {
      let lastJson = '';
      let matches: (folded: string) => boolean = () => false;
      db.function(name, { deterministic: true }, (folded: unknown, termsJson: unknown) => {
        if (termsJson !== lastJson) {
          lastJson = String(termsJson);
          matches = nameMatcher(JSON.parse(lastJson) as string[], v);
        }
        return typeof folded === 'string' && matches(folded) ? 1 : 0;
      });
    }
    withNameMatch.add(db);
  }
  return variants ? 'attest_name_match' : 'attest_name_match_exact';
}

/** Live people whose name holds every word typed, in any order (see nameMatchFunction). */
export function peopleMatchingName(db: Db, typed: string, limit: number, variants = true): string[] {
  const terms = nameSearchTerms(typed);
  if (!terms.length) return [];
  // Matched as written, every term is in the folded name: LIKE (in C) rules out almost every person
  // before the function runs.
  const like = variants ? [] : terms.map((t) => `%${nameTermCore(t).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const prefilter = like.map(() => `folded_name LIKE ? ESCAPE '\\' AND `).join('');
  return stmt(db, `SELECT id FROM people WHERE deleted_at IS NULL AND ${prefilter}${nameMatchFunction(db, variants)}(folded_name, ?) LIMIT ?`)
    .pluck()
    .all(...like, JSON.stringify(terms), limit) as string[];
}

export interface PeopleFilter {
  limit: number;
  offset: number;
  facilityId?: string | undefined;
  query?: string | undefined;
  classMembership?: string | undefined;
  sort?: 'name' | 'nameOriginal' | 'aNumber' | 'filingCode' | 'detainedSince' | 'createdAt';
  direction?: 'asc' | 'desc';
  deleted?: 'hide' | 'only';
}

const PEOPLE_ORDER: Record<NonNullable<PeopleFilter['sort']>, (d: string) => string> = {
  name: (d) => `family_name COLLATE NOCASE ${d}, given_name COLLATE NOCASE ${d}, id ${d}`,
  nameOriginal: (d) => `name_original IS NULL, original_key ${d}, id ${d}`,
  aNumber: (d) => `a_number ${d}`,
  filingCode: (d) => `length(filing_code) ${d}, filing_code ${d}`,
  detainedSince: (d) => `detained_since IS NULL, detained_since ${d}, id ${d}`,
  createdAt: (d) => `created_at ${d}, id ${d}`,
};

export function listPeople(db: Db, filter: PeopleFilter): { items: PersonRecord[]; total: number } {
  const where = [filter.deleted === 'only' ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL'];
  const params: unknown[] = [];
  if (filter.facilityId) {
    where.push('current_facility_id = ?');
    params.push(filter.facilityId);
  }
  if (filter.classMembership) {
    where.push('class_membership = ?');
    params.push(filter.classMembership);
  }
  const q = filter.query?.trim();
  if (q) {
    const digits = q.replace(/^a[\s-]*/i, '').replace(/[\s-]/g, '');
    const terms = nameSearchTerms(q);
    const byName = terms.length ? `${nameMatchFunction(db)}(folded_name, ?) OR ` : '';
    where.push(`(${byName}filing_code = ? ${/^\d{3,9}$/.test(digits) ? 'OR a_number LIKE ?' : ''})`);
    if (terms.length) params.push(JSON.stringify(terms));
    params.push(q.toUpperCase());
    if (/^\d{3,9}$/.test(digits)) params.push(`%${digits}`);
  }
  const w = where.join(' AND ');
  const order = PEOPLE_ORDER[filter.sort ?? 'name'](filter.direction === 'desc' ? 'DESC' : 'ASC');
  const items = stmt(db, `SELECT ${personStore.columns('')} FROM people WHERE ${w} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...params, filter.limit, filter.offset)
    .map((r) => personStore.decode(r as Record<string, unknown>));
  const { n } = stmt(db, `SELECT count(*) AS n FROM people WHERE ${w}`).get(...params) as { n: number };
  return { items, total: n };
}
