// What an import would do, row by row, decided before anything is written: each row validated with
// the forms' zod schemas, matched by A-number (people) or folded name (facilities), and sorted into
// create, update (with the fields that change), unchanged, held for review, rejected or skipped.
// The rows come from the staged table (stage.ts) a page at a time and the plan goes into a TEMP
// table of the same connection (temp.roster_plan), so neither is ever all in memory. applyPlan then
// writes it through the repositories, so versions and the audit chain are exactly those of typed
// records.
import type { Db } from '../../../db/driver';
import { createFacility, listFacilities, updateFacility, type FacilityFields } from '../../../db/repo/facilities';
import { batchFilingCodes, createPerson, findSimilarPeople, personStore, updatePerson, type PersonFields, type PersonRecord } from '../../../db/repo/people';
import { stmt } from '../../../db/stmt';
import type { WriteMeta } from '../../../db/history/versions';
import { formatANumber, normalizeANumber } from '../../../shared/a-number';
import { AppError } from '../../../shared/errors';
import { DateOrderTally, type DateOrder } from '../../../shared/roster/dates';
import { DATE_FIELDS, FIELD_LABELS, fieldsOf, type ImportField, type ImportKind } from '../../../shared/roster/fields';
import { readRow, type RowValues } from '../../../shared/roster/rows';
import { FacilityInput, PersonInput } from '../../../shared/schemas';
import { foldText } from '../../../shared/text-fold';
import type { RosterRow } from './read';
import { eachStagedRow, rosterTables, type Staged } from './stage';

export interface RowIssue {
  field: string;
  /** The roster's column the value came from (empty when none was mapped). */
  column: string;
  message: string;
}

export type PlannedRow =
  | { line: number; status: 'create'; label: string; person?: PersonFields; facilityKey?: string | null; facility?: FacilityFields }
  | { line: number; status: 'update'; label: string; id: string; expectedVersion: number; changed: string[]; person?: PersonFields; facilityKey?: string | null; facility?: FacilityFields }
  | { line: number; status: 'unchanged'; label: string; id: string }
  | { line: number; status: 'held'; label: string; message: string; similar: { id: string; name: string; filingCode: string }[] }
  | { line: number; status: 'rejected'; label: string; issues: RowIssue[] }
  | { line: number; status: 'skipped'; label: string; message: string };

export interface DateQuestion {
  field: string;
  column: string;
  samples: string[];
}

export type Status = PlannedRow['status'];
export type Counts = Record<Status, number> & { empty: number };

/** What planImport leaves in JS: the counts and facts; the rows are in temp.roster_plan. */
export interface Plan {
  kind: ImportKind;
  rowCount: number;
  counts: Counts;
  /** Facilities the import would create, by folded name: their fields and the rows naming them. */
  newFacilities: Map<string, { fields: FacilityFields; lines: number[] }>;
  /** Date columns whose day/month order the values do not decide and the caller did not give. */
  dateQuestions: DateQuestion[];
  unmapped: string[];
  emptyRows: number;
}

export interface PlanOptions {
  kind: ImportKind;
  /** Column header → field ('' or absent: not imported). */
  mapping: Record<string, string>;
  dateOrders: Partial<Record<string, DateOrder>>;
  today: string;
  /** Called every 500 rows with the rows planned so far and the whole count. */
  onRow?: (done: number, total: number) => void;
}

const PERSON_KEYS: (keyof PersonFields)[] = [
  'familyName', 'givenName', 'nameOriginal', 'aNumber', 'birthDate', 'nationality', 'languages', 'interpreterNeeded',
  'currentFacilityId', 'detainedSince', 'classMembership', 'removalOrderStatus', 'counsel', 'consentGiven', 'consentDate', 'consentScope',
];
const FACILITY_KEYS: (keyof FacilityFields)[] = ['name', 'city', 'state', 'operator', 'operatorName', 'standard'];

/** A facility's name as matched: folded, spacing and punctuation ignored. */
export function facilityKey(name: string): string {
  return foldText(name).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function pickPerson(r: Record<string, unknown>): PersonFields {
  return Object.fromEntries(PERSON_KEYS.map((k) => [k, r[k] ?? null])) as unknown as PersonFields;
}
function pickFacility(r: Record<string, unknown>): FacilityFields {
  return Object.fromEntries(FACILITY_KEYS.map((k) => [k, r[k] ?? null])) as unknown as FacilityFields;
}
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Resolves the mapping to column indexes, refusing an unknown field or a field mapped twice. */
export function mappedColumns(headers: readonly string[], kind: ImportKind, mapping: Record<string, string>) {
  const allowed = new Set<string>(fieldsOf(kind));
  const columns: Partial<Record<ImportField, number>> = {};
  const issues: { path: string[]; message: string }[] = [];
  for (const [header, field] of Object.entries(mapping)) {
    if (!field) continue;
    const col = headers.indexOf(header);
    if (col < 0) issues.push({ path: ['mapping', header], message: `the file has no column "${header}" (it has ${headers.slice(0, 12).join(', ')})` });
    else if (!allowed.has(field)) issues.push({ path: ['mapping', header], message: `"${field}" is not a field of ${kind} (${[...allowed].join(', ')})` });
    else if (columns[field as ImportField] !== undefined) issues.push({ path: ['mapping', header], message: `${field} is already taken by column "${headers[columns[field as ImportField]!]}"` });
    else columns[field as ImportField] = col;
  }
  if (issues.length) throw new AppError('INVALID_INPUT', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues);
  const must = kind === 'people' ? [['aNumber'], ['familyName', 'fullName'], ['givenName', 'fullName']] : [['name']];
  const missing = must.filter((alts) => !alts.some((f) => columns[f as ImportField] !== undefined)).map((alts) => alts[0]!);
  if (missing.length) {
    throw new AppError('INVALID_INPUT', `mapping: no column is mapped to ${missing.map((f) => FIELD_LABELS[f as ImportField]).join(', ')}`, missing.map((f) => ({ path: ['mapping'], message: `map a column to ${f}` })));
  }
  return columns;
}

/** A row's plan as stored in temp.roster_plan: the status and label in columns, the rest as JSON. */
function encodeRow(r: PlannedRow): { status: Status; label: string; ref: string | null; version: number | null; fkey: string | null; data: string | null } {
  const base = { status: r.status, label: r.label, ref: null, version: null, fkey: null, data: null };
  switch (r.status) {
    case 'create':
      return { ...base, fkey: r.facilityKey ?? null, data: JSON.stringify({ person: r.person, facility: r.facility }) };
    case 'update':
      return { ...base, ref: r.id, version: r.expectedVersion, fkey: r.facilityKey ?? null, data: JSON.stringify({ person: r.person, facility: r.facility, changed: r.changed }) };
    case 'unchanged':
      return { ...base, ref: r.id };
    case 'held':
      return { ...base, data: JSON.stringify({ message: r.message, similar: r.similar }) };
    case 'rejected':
      return { ...base, data: JSON.stringify({ issues: r.issues }) };
    case 'skipped':
      return { ...base, data: JSON.stringify({ message: r.message }) };
  }
}

interface StoredRow { line: number; status: Status; label: string; ref: string | null; version: number | null; fkey: string | null; data: string | null }

function decodeRow(s: StoredRow): PlannedRow {
  // What encodeRow stored for this status (person and facility may be absent: JSON leaves them out).
  const d = (s.data ? JSON.parse(s.data) : {}) as {
    person: PersonFields;
    facility: FacilityFields;
    changed: string[];
    message: string;
    similar: { id: string; name: string; filingCode: string }[];
    issues: RowIssue[];
  };
  const { line, label } = s;
  switch (s.status) {
    case 'create':
      return { line, status: 'create', label, person: d.person, facility: d.facility, facilityKey: s.fkey };
    case 'update':
      return { line, status: 'update', label, id: s.ref!, expectedVersion: s.version!, changed: d.changed, person: d.person, facility: d.facility, facilityKey: s.fkey };
    case 'unchanged':
      return { line, status: 'unchanged', label, id: s.ref! };
    case 'held':
      return { line, status: 'held', label, message: d.message, similar: d.similar };
    case 'rejected':
      return { line, status: 'rejected', label, issues: d.issues };
    case 'skipped':
      return { line, status: 'skipped', label, message: d.message };
  }
}

/** The planned rows of these statuses in file order, a page at a time (the callback may write). */
export function eachPlannedRow<S extends Status>(db: Db, statuses: readonly S[], fn: (r: Extract<PlannedRow, { status: S }>) => void): void {
  const page = stmt(db, `SELECT line, status, label, ref, version, fkey, data FROM temp.roster_plan
    WHERE status IN (SELECT value FROM json_each(?)) AND line > ? ORDER BY line LIMIT 500`);
  const which = JSON.stringify(statuses);
  for (let after = -1; ;) {
    const rows = page.all(which, after) as StoredRow[];
    for (const r of rows) fn(decodeRow(r) as Extract<PlannedRow, { status: S }>);
    if (rows.length < 500) return;
    after = rows[rows.length - 1]!.line;
  }
}

/** The first `limit` planned rows of these statuses, in file order. */
export function plannedRows<S extends Status>(db: Db, statuses: readonly S[], limit: number): Extract<PlannedRow, { status: S }>[] {
  const rows = stmt(db, `SELECT line, status, label, ref, version, fkey, data FROM temp.roster_plan
    WHERE status IN (SELECT value FROM json_each(?)) ORDER BY line LIMIT ?`).all(JSON.stringify(statuses), limit) as StoredRow[];
  return rows.map((r) => decodeRow(r) as Extract<PlannedRow, { status: S }>);
}

export function planImport(db: Db, table: Staged, o: PlanOptions): Plan {
  rosterTables(db);
  const columns = mappedColumns(table.headers, o.kind, o.mapping);
  const columnOf = (field: string): string => {
    const f = field === 'currentFacilityId' ? 'facility' : field;
    let c = columns[f as ImportField];
    if (c === undefined && (f === 'familyName' || f === 'givenName')) c = columns.fullName;
    return c === undefined ? '' : (table.headers[c] ?? '');
  };
  const mappedHeaders = Object.values(columns).map((c) => (table.headers[c] ?? '').trim().toLowerCase());
  const isHeaderAgain = (cells: string[]) =>
    Object.values(columns).filter((c) => (cells[c] ?? '').trim().toLowerCase() === (table.headers[c] ?? '').trim().toLowerCase()).length * 2 >= mappedHeaders.length;
  const keyColumn = o.kind === 'people' ? columns.aNumber : columns.name;
  const keyOnly: Partial<Record<ImportField, number>> = keyColumn === undefined ? {} : { [o.kind === 'people' ? 'aNumber' : 'name']: keyColumn };
  /** The row's A-number (people) or folded facility name, as the full read of the row gives it. */
  const keyOf = (cells: string[]): string | null => {
    const { values } = readRow(cells, keyOnly, {});
    if (o.kind === 'people') {
      if (typeof values.aNumber !== 'string') return null;
      const n = normalizeANumber(values.aNumber);
      return n.ok ? n.value : null;
    }
    return typeof values.name === 'string' ? facilityKey(values.name) : null;
  };

  // First pass: each row's key (for duplicates within the file) into the plan table, and what each
  // date column says about its day/month order.
  stmt(db, `DELETE FROM temp.roster_plan`).run();
  const tallies = DATE_FIELDS.filter((f) => columns[f] !== undefined).map((f) => ({ field: f, col: columns[f]!, tally: new DateOrderTally() }));
  const pending = stmt(db, `INSERT INTO temp.roster_plan (line, key, status) VALUES (?, ?, 'pending')`);
  eachStagedRow(db, (r) => {
    const header = isHeaderAgain(r.cells);
    pending.run(r.line, header ? null : keyOf(r.cells));
    if (!header) for (const t of tallies) t.tally.add(r.cells[t.col] ?? '');
  });
  const orders: Partial<Record<ImportField, DateOrder | null>> = {};
  const dateQuestions: DateQuestion[] = [];
  for (const { field, col, tally } of tallies) {
    const given = o.dateOrders[field];
    const seen = tally.result();
    if (given) orders[field] = given;
    else if (seen.ambiguous) dateQuestions.push({ field, column: table.headers[col]!, samples: seen.samples });
    else orders[field] = seen.order;
  }

  const facilities = new Map<string, { id: string; version: number; record: FacilityFields }>();
  for (let offset = 0; ; offset += 500) {
    const page = listFacilities(db, { limit: 500, offset });
    for (const f of page.items) facilities.set(facilityKey(f.name), { id: f.id, version: f.version, record: pickFacility(f) });
    if (page.items.length < 500) break;
  }
  const newFacilities: Plan['newFacilities'] = new Map();
  const sameKey = stmt(db, `SELECT line FROM temp.roster_plan WHERE key = ? ORDER BY line LIMIT 101`).pluck();
  const save = stmt(db, `UPDATE temp.roster_plan SET status = ?, label = ?, ref = ?, version = ?, fkey = ?, data = ? WHERE line = ?`);
  const counts: Counts = { create: 0, update: 0, unchanged: 0, held: 0, rejected: 0, skipped: 0, empty: table.emptyRows };
  const put = (r: PlannedRow) => {
    const e = encodeRow(r);
    save.run(e.status, e.label, e.ref, e.version, e.fkey, e.data, r.line);
    counts[r.status]++;
  };

  // Second pass: each row read with the columns' date orders, checked, matched and planned.
  let planned = 0;
  const planRow = (r: RosterRow): PlannedRow => {
    const line = r.line;
    if (isHeaderAgain(r.cells)) return { line, status: 'skipped', label: '', message: 'repeats the header row' };
    const { values, issues } = readRow(r.cells, columns, orders);
    const key = keyOf(r.cells);
    const label = o.kind === 'people'
      ? [values.familyName, values.givenName].filter((s) => typeof s === 'string' && s).join(', ').slice(0, 120) || String(values.aNumber ?? '').slice(0, 40)
      : String(values.name ?? '').slice(0, 120);
    const rowIssues: RowIssue[] = issues.map((i) => ({ field: i.field, column: columnOf(i.field), message: i.message }));
    const dup = key ? (sameKey.all(key) as number[]) : [];
    if (dup.length > 1) {
      const others = dup.filter((l) => l !== line);
      const listed = others.slice(0, 99).join(', ') + (others.length > 99 ? ' and more' : '');
      const field = o.kind === 'people' ? 'aNumber' : 'name';
      rowIssues.push({ field, column: columnOf(field), message: o.kind === 'people' ? `${formatANumber(key!)} is also on row ${listed} of this file` : `the same facility is also on row ${listed} of this file` });
    }
    for (const f of DATE_FIELDS) {
      const v = values[f];
      if (typeof v === 'string' && v > o.today) rowIssues.push({ field: f, column: columnOf(f), message: `cannot be later than today (${o.today})` });
    }
    if (rowIssues.length) return { line, status: 'rejected', label, issues: rowIssues };
    return o.kind === 'people' ? planPerson(db, line, label, values, key, facilities, newFacilities, columnOf) : planFacility(line, label, values, key!, facilities, columnOf);
  };
  eachStagedRow(db, (r) => {
    if (++planned % 500 === 0) o.onRow?.(planned, table.rowCount);
    put(planRow(r));
  });
  const unmapped = table.headers.filter((_, i) => !Object.values(columns).includes(i));
  return { kind: o.kind, rowCount: table.rowCount, counts, newFacilities, dateQuestions, unmapped, emptyRows: table.emptyRows };
}

function zodIssues(issues: readonly { path: PropertyKey[]; message: string }[], columnOf: (f: string) => string): RowIssue[] {
  return issues.map((i) => {
    const field = String(i.path[0] ?? '');
    return { field, column: columnOf(field), message: i.message };
  });
}

const HOLDERS_SQL = `SELECT ${personStore.columns('')} FROM people WHERE a_number = ? ORDER BY deleted_at IS NOT NULL, id LIMIT 6`;

function planPerson(
  db: Db,
  line: number,
  label: string,
  values: RowValues,
  aNumber: string | null,
  facilities: Map<string, { id: string }>,
  newFacilities: Plan['newFacilities'],
  columnOf: (f: string) => string,
): PlannedRow {
  const given: Record<string, unknown> = {};
  for (const k of PERSON_KEYS) if (values[k as ImportField] !== undefined) given[k] = values[k as ImportField];
  // The facility: an existing one by folded name, or one this import creates (from its columns).
  let facilityKeyOf: string | null = null;
  let newFacility: FacilityFields | undefined;
  if (typeof values.facility === 'string') {
    const fk = facilityKey(values.facility);
    const existing = facilities.get(fk);
    const planned = newFacilities.get(fk);
    if (existing) given.currentFacilityId = existing.id;
    else if (planned) {
      // An earlier row of this file gave the new facility's city, state and operator.
      facilityKeyOf = fk;
      newFacility = planned.fields;
    } else {
      const f = FacilityInput.safeParse({ name: values.facility, city: values.facilityCity, state: values.facilityState, operator: values.facilityOperator, standard: 'OTHER' });
      if (!f.success) {
        const what = f.error.issues.map((i) => String(i.path[0])).filter((p) => p !== 'name');
        const needs = what.map((p) => ({ city: 'facilityCity', state: 'facilityState', operator: 'facilityOperator' })[p] ?? p);
        return {
          line,
          status: 'rejected',
          label,
          issues: [{
            field: 'facility',
            column: columnOf('facility'),
            message: `"${values.facility.slice(0, 80)}" is not a facility in Attest; add it first (Facilities, or import --kind facilities), or give its ${needs.map((n) => FIELD_LABELS[n as ImportField] ?? n).join(', ')} in mapped columns`,
          }],
        };
      }
      facilityKeyOf = fk;
      newFacility = pickFacility(f.data);
    }
  }
  const nameOf = (p: PersonRecord) => ({ id: p.id, name: `${p.familyName}, ${p.givenName}`, filingCode: p.filingCode });
  // Everyone holding the A-number: after two laptops' records are merged by sync, one A-number can
  // belong to two people until someone merges them (people:duplicates).
  const holders = aNumber ? personStore.all<object>(db, HOLDERS_SQL, [aNumber]) : [];
  const live = holders.filter((p) => !p.deletedAt);
  if (live.length > 1) {
    const who = live.map((p) => `${p.familyName}, ${p.givenName} (${p.filingCode})`);
    return {
      line,
      status: 'held',
      label,
      message: `${formatANumber(aNumber!)} belongs to ${live.length} people in Attest, ${who.join(' and ')} (entered on two laptops): merge them first (People, possible duplicates), then import the row`,
      similar: live.slice(0, 5).map(nameOf),
    };
  }
  const current: PersonRecord | undefined = live[0] ?? holders[0];
  if (current && !current.deletedAt && holders.length > 1) {
    // The others are deleted (merged into this one): updatePerson refuses the A-number when the
    // first of its holders is another person, so such a row waits for review instead.
    const first = stmt(db, `SELECT id FROM people WHERE a_number = ?`).pluck().get(aNumber) as string;
    if (first !== current.id) {
      const other = holders.find((p) => p.id === first)!;
      return {
        line,
        status: 'held',
        label,
        message: `${formatANumber(aNumber!)} belongs to ${current.familyName}, ${current.givenName} (${current.filingCode}) and to ${other.familyName}, ${other.givenName} (${other.filingCode}, deleted): update the person by hand`,
        similar: [nameOf(current), nameOf(other)],
      };
    }
  }
  if (!aNumber && values.aNumber === undefined) {
    const similar = findSimilarPeople(db, {
      familyName: String(values.familyName ?? ''),
      givenName: String(values.givenName ?? ''),
      nameOriginal: typeof values.nameOriginal === 'string' ? values.nameOriginal : null,
    });
    if (similar.length) {
      const shown = similar.slice(0, 5).map((m) => nameOf(m.person));
      return {
        line,
        status: 'held',
        label,
        message: `no A-number, and Attest has ${shown.map((p) => `${p.name} (${p.filingCode})`).join(', ')}: add the A-number in the file, or enter the person by hand`,
        similar: shown,
      };
    }
    return { line, status: 'rejected', label, issues: [{ field: 'aNumber', column: columnOf('aNumber'), message: 'the A-number is empty, and no one in Attest has a similar name: every person needs an A-number' }] };
  }
  if (current?.deletedAt) {
    return { line, status: 'rejected', label, issues: [{ field: 'aNumber', column: columnOf('aNumber'), message: `${formatANumber(current.aNumber)} belongs to ${current.familyName}, ${current.givenName} (${current.filingCode}), who is deleted: restore the person first` }] };
  }
  // An update keeps every field the roster leaves blank: the roster's values over the record's.
  const base = current ? pickPerson(current) : { familyName: '', givenName: '' };
  const parsed = PersonInput.safeParse({ ...base, ...given, ...(newFacility ? { currentFacilityId: null } : {}) });
  if (!parsed.success) return { line, status: 'rejected', label, issues: zodIssues(parsed.error.issues, columnOf) };
  const person = pickPerson(parsed.data);
  if (facilityKeyOf && newFacility) {
    const listed = newFacilities.get(facilityKeyOf);
    if (listed) listed.lines.push(line);
    else newFacilities.set(facilityKeyOf, { fields: newFacility, lines: [line] });
  }
  if (!current) return { line, status: 'create', label, person, facilityKey: facilityKeyOf, ...(newFacility ? { facility: newFacility } : {}) };
  const before = pickPerson(current);
  const changed = PERSON_KEYS.filter((k) => !same(person[k], before[k]) && !(k === 'currentFacilityId' && newFacility));
  if (newFacility) changed.push('currentFacilityId');
  if (changed.length === 0) return { line, status: 'unchanged', label, id: current.id };
  if (newFacility) person.currentFacilityId = null;
  return { line, status: 'update', label, id: current.id, expectedVersion: current.version, changed, person, facilityKey: facilityKeyOf, ...(newFacility ? { facility: newFacility } : {}) };
}

function planFacility(
  line: number,
  label: string,
  values: RowValues,
  key: string,
  facilities: Map<string, { id: string; version: number; record: FacilityFields }>,
  columnOf: (f: string) => string,
): PlannedRow {
  const given: Record<string, unknown> = {};
  for (const k of FACILITY_KEYS) if (values[k] !== undefined) given[k] = values[k];
  const current = facilities.get(key);
  const parsed = FacilityInput.safeParse({ ...(current?.record ?? {}), ...given });
  if (!parsed.success) return { line, status: 'rejected', label, issues: zodIssues(parsed.error.issues, columnOf) };
  const facility = pickFacility(parsed.data);
  if (!current) return { line, status: 'create', label, facility };
  // The name as the office wrote it stays: the roster's spelling matched it already.
  facility.name = current.record.name;
  const changed = FACILITY_KEYS.filter((k) => !same(facility[k], current.record[k]));
  if (changed.length === 0) return { line, status: 'unchanged', label, id: current.id };
  return { line, status: 'update', label, id: current.id, expectedVersion: current.version, changed, facility };
}

export interface Applied {
  /** The first `keep` of each list (the counts are the plan's). */
  created: { id: string; line: number; label: string; code: string | null }[];
  updated: { id: string; line: number; label: string; fields: string[] }[];
  facilitiesCreated: { id: string; name: string }[];
}

/** Writes the plan's creates and updates (the caller's transaction holds them all). */
export function applyPlan(db: Db, plan: Plan, meta: WriteMeta, onRow?: (done: number) => void, keep = 5000): Applied {
  const out: Applied = { created: [], updated: [], facilitiesCreated: [] };
  const facilityIds = new Map<string, string>();
  const facilityOf = (key: string | null | undefined, fields: FacilityFields | undefined): string | null => {
    if (!key || !fields) return null;
    let id = facilityIds.get(key);
    if (!id) {
      const f = createFacility(db, fields, meta);
      id = f.id;
      facilityIds.set(key, id);
      out.facilitiesCreated.push({ id, name: f.name });
    }
    return id;
  };
  const allocate = batchFilingCodes(db);
  let done = 0;
  eachPlannedRow(db, ['create', 'update'], (r) => {
    if (plan.kind === 'people') {
      const person = { ...r.person! };
      const fid = facilityOf(r.facilityKey, r.facility);
      if (fid) person.currentFacilityId = fid;
      if (r.status === 'create') {
        const p = createPerson(db, person, meta, undefined, allocate);
        if (out.created.length < keep) out.created.push({ id: p.id, line: r.line, label: r.label, code: p.filingCode });
      } else {
        updatePerson(db, r.id, r.expectedVersion, person, meta);
        if (out.updated.length < keep) out.updated.push({ id: r.id, line: r.line, label: r.label, fields: r.changed });
      }
    } else if (r.status === 'create') {
      const f = createFacility(db, r.facility!, meta);
      if (out.created.length < keep) out.created.push({ id: f.id, line: r.line, label: r.label, code: null });
    } else {
      updateFacility(db, r.id, r.expectedVersion, r.facility!, meta);
      if (out.updated.length < keep) out.updated.push({ id: r.id, line: r.line, label: r.label, fields: r.changed });
    }
    if (++done % 500 === 0) onRow?.(done);
  });
  return out;
}
