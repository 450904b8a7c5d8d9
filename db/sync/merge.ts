// The same person, facility or staff member entered on two laptops: listed as possible duplicates,
// merged (what refers to the one merged away moves to the one kept, a new version of each with the
// reason, and the merged one is marked deleted) and unmerged. One design for the three kinds: a kind
// says which records refer to it and by which field; the merge itself is a chained setting
// ("<prefix>:<mergeId>") that travels in bundles, so any laptop can undo a merge made on another.
import { AppError } from '../../shared/errors';
import { foldedWords } from '../../shared/text-fold';
import type { Db } from '../driver';
import { newId } from '../ids';
import { stmt } from '../stmt';
import { writeSetting } from '../history/chained';
import type { WriteMeta } from '../history/versions';
import { facilityStore } from '../repo/facilities';
import { incidentStore, updateIncident } from '../repo/incidents';
import { interviewStore } from '../repo/interviews';
import { personStore, setPersonDeleted } from '../repo/people';
import type { Store } from '../repo/records';
import { staffStore } from '../repo/staff';

export type MergeKind = 'person' | 'facility' | 'staff';

type Rec = Record<string, unknown> & { id: string; version: number; deletedAt: string | null };

/** A record kind that refers to the merged kind through one field. */
interface Reference {
  /** Plural, as counted in the output ("incidents"). */
  name: 'interviews' | 'incidents' | 'people';
  table: string;
  column: string;
  field: string;
  get: (db: Db, id: string) => Rec | undefined;
  /** A new version of the record with the field changed (what derives from it follows). */
  update: (db: Db, r: Rec, meta: WriteMeta) => void;
}

const interviews = (column: string, field: string): Reference => ({
  name: 'interviews',
  table: 'interviews',
  column,
  field,
  get: (db, id) => interviewStore.get(db, id) as Rec | undefined,
  update: (db, r, meta) => void interviewStore.update(db, r.id, r.version, r as never, meta),
});
const incidents = (column: string, field: string): Reference => ({
  name: 'incidents',
  table: 'incidents',
  column,
  field,
  get: (db, id) => incidentStore.get(db, id) as Rec | undefined,
  // Through updateIncident: a new facility also rewrites the incident's category rows.
  update: (db, r, meta) => void updateIncident(db, r.id, r.version, r as never, meta),
});
const people = (column: string, field: string): Reference => ({
  name: 'people',
  table: 'people',
  column,
  field,
  get: (db, id) => personStore.get(db, id) as Rec | undefined,
  // The name is unchanged, so are the derived name keys; the filing code stays the person's.
  update: (db, r, meta) => void personStore.update(db, r.id, r.version, r as never, meta),
});

interface KindSpec {
  noun: string;
  /** The setting's key prefix: one chained setting per merge. */
  prefix: string;
  store: Store<object>;
  refs: Reference[];
  /** What the references hold: the record's id, or (staff) its name as typed in an interview. */
  value: (r: Rec) => string;
  setDeleted: (db: Db, r: Rec, deleted: boolean, meta: WriteMeta) => void;
}

const setDeletedWith = (store: Store<object>) => (db: Db, r: Rec, deleted: boolean, meta: WriteMeta) => void store.setDeleted(db, r.id, r.version, deleted, meta);

export const MERGE_KINDS: Record<MergeKind, KindSpec> = {
  person: {
    noun: 'person',
    prefix: 'people-merge',
    store: personStore as unknown as Store<object>,
    refs: [interviews('person_id', 'personId'), incidents('person_id', 'personId')],
    value: (r) => r.id,
    setDeleted: (db, r, deleted, meta) => void setPersonDeleted(db, r.id, r.version, deleted, meta),
  },
  facility: {
    noun: 'facility',
    prefix: 'facility-merge',
    store: facilityStore as unknown as Store<object>,
    refs: [people('current_facility_id', 'currentFacilityId'), incidents('facility_id', 'facilityId')],
    value: (r) => r.id,
    setDeleted: setDeletedWith(facilityStore as unknown as Store<object>),
  },
  staff: {
    noun: 'staff member',
    prefix: 'staff-merge',
    store: staffStore as unknown as Store<object>,
    // Staff are referred to by name: the interviewer an interview names.
    refs: [interviews('interviewer', 'interviewer')],
    value: (r) => String(r.name),
    setDeleted: setDeletedWith(staffStore as unknown as Store<object>),
  },
};

interface MergeRecord {
  kind?: MergeKind;
  from: string;
  into: string;
  /** The ids moved, by reference name (a people merge written before facilities merged had them at the top). */
  moved?: Partial<Record<Reference['name'], string[]>>;
  interviews?: string[];
  incidents?: string[];
  /** What the references held before and after (staff: the names). */
  fromValue?: string;
  intoValue?: string;
  undone: boolean;
}

export interface MergeResult {
  mergeId: string;
  from: string;
  into: string;
  moved: Partial<Record<Reference['name'], number>>;
}

function move(db: Db, spec: KindSpec, ids: Partial<Record<Reference['name'], string[]>>, from: string, to: string, meta: WriteMeta): MergeResult['moved'] {
  const moved: MergeResult['moved'] = {};
  for (const ref of spec.refs) {
    let n = 0;
    // Stryker disable next-line ArrayDeclaration: a list of an id no record has ("Stryker was here") moves nothing, as the empty list does
    for (const id of ids[ref.name] ?? []) {
      const r = ref.get(db, id);
      // Deleted since, or moved again since: left as it is.
      if (!r || r[ref.field] !== from) continue;
      ref.update(db, { ...r, [ref.field]: to }, meta);
      n++;
    }
    moved[ref.name] = n;
  }
  return moved;
}

export function mergeRecords(db: Db, kind: MergeKind, input: { from: string; into: string; reason: string }, meta: WriteMeta): MergeResult {
  const spec = MERGE_KINDS[kind];
  if (input.from === input.into) throw new AppError('INVALID_INPUT', `into: a ${spec.noun} cannot be merged into itself`, [{ path: ['into'], message: `same ${spec.noun}` }]);
  const from = spec.store.get(db, input.from) as Rec | undefined;
  const into = spec.store.get(db, input.into) as Rec | undefined;
  if (!from) throw new AppError('NOT_FOUND', `from: no ${spec.noun} ${input.from}`, [{ path: ['from'], message: 'not found' }]);
  if (!into) throw new AppError('NOT_FOUND', `into: no ${spec.noun} ${input.into}`, [{ path: ['into'], message: 'not found' }]);
  const m = { ...meta, reason: input.reason };
  const fromValue = spec.value(from);
  const intoValue = spec.value(into);
  // The live records that refer to the one merged away (a deleted one is left: restore it, then merge again).
  const ids: NonNullable<MergeRecord['moved']> = {};
  for (const ref of spec.refs) {
    ids[ref.name] = fromValue === intoValue ? [] : (stmt(db, `SELECT id FROM ${ref.table} WHERE ${ref.column} = ? AND deleted_at IS NULL ORDER BY id`).pluck().all(fromValue) as string[]);
  }
  const moved = move(db, spec, ids, fromValue, intoValue, m);
  spec.setDeleted(db, from, true, m);
  const mergeId = newId();
  // Stryker disable ArrayDeclaration: the two `?? []` below are never reached, ids holds a list for every reference of the kind (the loop above)
  const record: MergeRecord =
    kind === 'person'
      ? { from: input.from, into: input.into, interviews: ids.interviews ?? [], incidents: ids.incidents ?? [], undone: false }
      : { kind, from: input.from, into: input.into, moved: ids, fromValue, intoValue, undone: false };
  // Stryker restore ArrayDeclaration
  writeSetting(db, `${spec.prefix}:${mergeId}`, JSON.stringify(record), m);
  return { mergeId, from: input.from, into: input.into, moved };
}

export function unmergeRecords(db: Db, kind: MergeKind, input: { mergeId: string; reason: string }, meta: WriteMeta): MergeResult {
  const spec = MERGE_KINDS[kind];
  const key = `${spec.prefix}:${input.mergeId}`;
  const raw = stmt(db, `SELECT value FROM settings WHERE key = ?`).pluck().get(key) as string | undefined;
  if (!raw) throw new AppError('NOT_FOUND', `mergeId: no merge ${input.mergeId} of ${spec.noun} records`, [{ path: ['mergeId'], message: 'not found' }]);
  const rec = JSON.parse(raw) as MergeRecord;
  if (rec.undone) throw new AppError('CONFLICT', 'mergeId: this merge was already undone', [{ path: ['mergeId'], message: 'already undone' }]);
  const m = { ...meta, reason: input.reason };
  const from = spec.store.get(db, rec.from, { includeDeleted: true }) as Rec | undefined;
  if (from?.deletedAt) spec.setDeleted(db, from, false, m);
  // Stryker disable next-line ArrayDeclaration: a list of an id no record has ("Stryker was here") moves nothing, as the empty list does
  const ids = rec.moved ?? { interviews: rec.interviews ?? [], incidents: rec.incidents ?? [] };
  const moved = move(db, spec, ids, rec.intoValue ?? rec.into, rec.fromValue ?? rec.from, m);
  writeSetting(db, key, JSON.stringify({ ...rec, undone: true }), m);
  return { mergeId: input.mergeId, from: rec.from, into: rec.into, moved };
}

/** How many live records refer to each record of a kind (for the duplicates list). */
function referenceCounts(db: Db, spec: KindSpec, value: string): Partial<Record<Reference['name'], number>> {
  const out: Partial<Record<Reference['name'], number>> = {};
  for (const ref of spec.refs) out[ref.name] = stmt(db, `SELECT count(*) FROM ${ref.table} WHERE ${ref.column} = ? AND deleted_at IS NULL`).pluck().get(value) as number;
  return out;
}

/** Groups of live records that share a key, each group sorted by id, groups by their first id. */
function groupsBy<T extends { id: string }>(rows: T[], key: (r: T) => string | null): T[][] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (k) m.set(k, [...(m.get(k) ?? []), r]);
  }
  return [...m.values()].filter((g) => g.length > 1).map((g) => g.sort((a, b) => (a.id < b.id ? -1 : 1))).sort((a, b) => (a[0]!.id < b[0]!.id ? -1 : 1));
}

/** A name as compared: folded (case, diacritics, letter variants), words only, in order. */
export const foldedName = (s: string) => foldedWords(s).join(' ');

/** Facilities with the same folded name in the same city and state (entered on two laptops). */
export function duplicateFacilities(db: Db) {
  const rows = stmt(db, `SELECT id, name, city, state FROM facilities WHERE deleted_at IS NULL ORDER BY id`).all() as { id: string; name: string; city: string; state: string }[];
  return groupsBy(rows, (f) => (foldedName(f.name) ? `${foldedName(f.name)}|${foldedName(f.city)}|${foldedName(f.state)}` : null)).map((g) => ({
    matchedOn: 'name' as const,
    records: g.map((f) => ({ id: f.id, name: f.name, detail: `${f.city}, ${f.state}`, references: referenceCounts(db, MERGE_KINDS.facility, f.id) })),
  }));
}

/** Staff members with the same folded name. */
export function duplicateStaff(db: Db) {
  const rows = stmt(db, `SELECT id, name, role FROM staff WHERE deleted_at IS NULL ORDER BY id`).all() as { id: string; name: string; role: string | null }[];
  return groupsBy(rows, (s) => foldedName(s.name) || null).map((g) => ({
    matchedOn: 'name' as const,
    records: g.map((s) => ({ id: s.id, name: s.name, detail: s.role ?? '', references: referenceCounts(db, MERGE_KINDS.staff, s.name) })),
  }));
}

/** People with the same A-number, or else the same name key. */
export function duplicatePeople(db: Db) {
  const rows = stmt(
    db,
    `SELECT p.id, p.family_name AS familyName, p.given_name AS givenName, p.a_number AS aNumber, p.filing_code AS filingCode, p.name_key AS nameKey
     FROM people p WHERE p.deleted_at IS NULL ORDER BY p.id`,
  ).all() as { id: string; familyName: string; givenName: string; aNumber: string; filingCode: string | null; nameKey: string | null }[];
  const grouped = new Set<string>();
  const out: { matchedOn: 'aNumber' | 'name'; people: (Omit<(typeof rows)[number], 'nameKey'> & { interviews: number; incidents: number })[] }[] = [];
  for (const [matchedOn, key] of [['aNumber', (p: (typeof rows)[number]) => p.aNumber || null], ['name', (p: (typeof rows)[number]) => p.nameKey]] as const) {
    for (const g of groupsBy(rows.filter((p) => !grouped.has(p.id)), key)) {
      for (const p of g) grouped.add(p.id);
      out.push({
        matchedOn,
        people: g.map(({ nameKey: _k, ...p }) => {
          const n = referenceCounts(db, MERGE_KINDS.person, p.id);
          return { ...p, interviews: n.interviews ?? 0, incidents: n.incidents ?? 0 };
        }),
      });
    }
  }
  return out;
}
