// What an import would do, row by row, decided before anything is written: each row validated with
// the forms' zod schemas, matched by A-number (people) or folded name (facilities), and sorted into
// create, update (with the fields that change), unchanged, held for review, rejected or skipped.
// applyPlan then writes it through the repositories, so versions and the audit chain are exactly
// those of typed records.
import type { Db } from '../../../db/driver';
import { createFacility, listFacilities, updateFacility, type FacilityFields } from '../../../db/repo/facilities';
import { createPerson, findPersonByANumber, findSimilarPeople, updatePerson, type PersonFields, type PersonRecord } from '../../../db/repo/people';
import type { WriteMeta } from '../../../db/history/versions';
import { formatANumber, normalizeANumber } from '../../../shared/a-number';
import { AppError } from '../../../shared/errors';
import { columnDateOrder, type DateOrder } from '../../../shared/roster/dates';
import { DATE_FIELDS, FIELD_LABELS, fieldsOf, type ImportField, type ImportKind } from '../../../shared/roster/fields';
import { readRow, type RowValues } from '../../../shared/roster/rows';
import { FacilityInput, PersonInput } from '../../../shared/schemas';
import { foldText } from '../../../shared/text-fold';
import type { RosterTable } from './read';

export interface RowIssue {
  field: string;
  /** The roster's column the value came from (empty when none was mapped). */
  column: string;
  message: string;
}

export type PlannedRow =
  | { line: number; status: 'create'; label: string; aNumber: string | null; person?: PersonFields; facilityKey?: string | null; facility?: FacilityFields }
  | { line: number; status: 'update'; label: string; aNumber: string | null; id: string; expectedVersion: number; changed: string[]; person?: PersonFields; facilityKey?: string | null; facility?: FacilityFields }
  | { line: number; status: 'unchanged'; label: string; aNumber: string | null; id: string }
  | { line: number; status: 'held'; label: string; similar: { id: string; name: string; filingCode: string }[] }
  | { line: number; status: 'rejected'; label: string; issues: RowIssue[] }
  | { line: number; status: 'skipped'; label: string; message: string };

export interface DateQuestion {
  field: string;
  column: string;
  samples: string[];
}

export interface Plan {
  kind: ImportKind;
  rows: PlannedRow[];
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

export function planImport(db: Db, table: RosterTable, o: PlanOptions): Plan {
  const columns = mappedColumns(table.headers, o.kind, o.mapping);
  const columnOf = (field: string): string => {
    const f = field === 'currentFacilityId' ? 'facility' : field;
    let c = columns[f as ImportField];
    if (c === undefined && (f === 'familyName' || f === 'givenName')) c = columns.fullName;
    return c === undefined ? '' : (table.headers[c] ?? '');
  };
  const orders: Partial<Record<ImportField, DateOrder | null>> = {};
  const dateQuestions: DateQuestion[] = [];
  for (const f of DATE_FIELDS) {
    const c = columns[f];
    if (c === undefined) continue;
    const given = o.dateOrders[f];
    const seen = columnDateOrder(table.rows.map((r) => r.cells[c] ?? ''));
    if (given) orders[f] = given;
    else if (seen.ambiguous) dateQuestions.push({ field: f, column: table.headers[c]!, samples: seen.samples });
    else orders[f] = seen.order;
  }
  const mappedHeaders = Object.values(columns).map((c) => (table.headers[c] ?? '').trim().toLowerCase());
  const isHeaderAgain = (cells: string[]) =>
    Object.values(columns).filter((c) => (cells[c] ?? '').trim().toLowerCase() === (table.headers[c] ?? '').trim().toLowerCase()).length * 2 >= mappedHeaders.length;

  const facilities = new Map<string, { id: string; version: number; record: FacilityFields }>();
  for (let offset = 0; ; offset += 500) {
    const page = listFacilities(db, { limit: 500, offset });
    for (const f of page.items) facilities.set(facilityKey(f.name), { id: f.id, version: f.version, record: pickFacility(f) });
    if (page.items.length < 500) break;
  }
  const newFacilities: Plan['newFacilities'] = new Map();
  const rows: PlannedRow[] = [];
  // First pass: each row read; the key (A-number or facility name) counted for duplicates.
  const read = table.rows.map((r) => {
    if (isHeaderAgain(r.cells)) return { r, values: null as RowValues | null, issues: [], key: null as string | null };
    const { values, issues } = readRow(r.cells, columns, orders);
    let key: string | null = null;
    if (o.kind === 'people' && typeof values.aNumber === 'string') {
      const n = normalizeANumber(values.aNumber);
      if (n.ok) key = n.value;
    } else if (o.kind === 'facilities' && typeof values.name === 'string') key = facilityKey(values.name);
    return { r, values, issues, key };
  });
  const linesOf = new Map<string, number[]>();
  for (const x of read) if (x.key) linesOf.set(x.key, [...(linesOf.get(x.key) ?? []), x.r.line]);

  let planned = 0;
  for (const { r, values, issues, key } of read) {
    if (++planned % 500 === 0) o.onRow?.(planned, read.length);
    const line = r.line;
    if (!values) {
      rows.push({ line, status: 'skipped', label: '', message: 'repeats the header row' });
      continue;
    }
    const label = o.kind === 'people'
      ? [values.familyName, values.givenName].filter((s) => typeof s === 'string' && s).join(', ').slice(0, 120) || String(values.aNumber ?? '').slice(0, 40)
      : String(values.name ?? '').slice(0, 120);
    const rowIssues: RowIssue[] = issues.map((i) => ({ field: i.field, column: columnOf(i.field), message: i.message }));
    const dup = key ? linesOf.get(key)! : [];
    if (dup.length > 1) {
      const others = dup.filter((l) => l !== line).join(', ');
      const field = o.kind === 'people' ? 'aNumber' : 'name';
      rowIssues.push({ field, column: columnOf(field), message: o.kind === 'people' ? `${formatANumber(key!)} is also on row ${others} of this file` : `the same facility is also on row ${others} of this file` });
    }
    for (const f of DATE_FIELDS) {
      const v = values[f];
      if (typeof v === 'string' && v > o.today) rowIssues.push({ field: f, column: columnOf(f), message: `cannot be later than today (${o.today})` });
    }
    if (rowIssues.length) {
      rows.push({ line, status: 'rejected', label, issues: rowIssues });
      continue;
    }
    rows.push(o.kind === 'people' ? planPerson(db, line, label, values, key, facilities, newFacilities, columnOf) : planFacility(line, label, values, key!, facilities, columnOf));
  }
  const unmapped = table.headers.filter((_, i) => !Object.values(columns).includes(i));
  return { kind: o.kind, rows, newFacilities, dateQuestions, unmapped, emptyRows: table.emptyRows };
}

function zodIssues(issues: readonly { path: PropertyKey[]; message: string }[], columnOf: (f: string) => string): RowIssue[] {
  return issues.map((i) => {
    const field = String(i.path[0] ?? '');
    return { field, column: columnOf(field), message: i.message };
  });
}

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
  const current: PersonRecord | undefined = aNumber ? findPersonByANumber(db, aNumber) : undefined;
  if (!aNumber && values.aNumber === undefined) {
    const similar = findSimilarPeople(db, {
      familyName: String(values.familyName ?? ''),
      givenName: String(values.givenName ?? ''),
      nameOriginal: typeof values.nameOriginal === 'string' ? values.nameOriginal : null,
    });
    if (similar.length) {
      return { line, status: 'held', label, similar: similar.slice(0, 5).map((m) => ({ id: m.person.id, name: `${m.person.familyName}, ${m.person.givenName}`, filingCode: m.person.filingCode })) };
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
  if (!current) return { line, status: 'create', label, aNumber, person, facilityKey: facilityKeyOf, ...(newFacility ? { facility: newFacility } : {}) };
  const before = pickPerson(current);
  const changed = PERSON_KEYS.filter((k) => !same(person[k], before[k]) && !(k === 'currentFacilityId' && newFacility));
  if (newFacility) changed.push('currentFacilityId');
  if (changed.length === 0) return { line, status: 'unchanged', label, aNumber, id: current.id };
  if (newFacility) person.currentFacilityId = null;
  return { line, status: 'update', label, aNumber, id: current.id, expectedVersion: current.version, changed, person, facilityKey: facilityKeyOf, ...(newFacility ? { facility: newFacility } : {}) };
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
  if (!current) return { line, status: 'create', label, aNumber: null, facility };
  // The name as the office wrote it stays: the roster's spelling matched it already.
  facility.name = current.record.name;
  const changed = FACILITY_KEYS.filter((k) => !same(facility[k], current.record[k]));
  if (changed.length === 0) return { line, status: 'unchanged', label, aNumber: null, id: current.id };
  return { line, status: 'update', label, aNumber: null, id: current.id, expectedVersion: current.version, changed, facility };
}

export interface Applied {
  created: { id: string; line: number; label: string; code: string | null }[];
  updated: { id: string; line: number; label: string; fields: string[] }[];
  facilitiesCreated: { id: string; name: string }[];
}

/** Writes the plan's creates and updates (the caller's transaction holds them all). */
export function applyPlan(db: Db, plan: Plan, meta: WriteMeta, onRow?: (done: number) => void): Applied {
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
  let done = 0;
  for (const r of plan.rows) {
    if (r.status === 'create' || r.status === 'update') {
      if (plan.kind === 'people') {
        const person = { ...r.person! };
        const fid = facilityOf(r.facilityKey, r.facility);
        if (fid) person.currentFacilityId = fid;
        if (r.status === 'create') {
          const p = createPerson(db, person, meta);
          out.created.push({ id: p.id, line: r.line, label: r.label, code: p.filingCode });
        } else {
          updatePerson(db, r.id, r.expectedVersion, person, meta);
          out.updated.push({ id: r.id, line: r.line, label: r.label, fields: r.changed });
        }
      } else if (r.status === 'create') {
        const f = createFacility(db, r.facility!, meta);
        out.created.push({ id: f.id, line: r.line, label: r.label, code: null });
      } else {
        updateFacility(db, r.id, r.expectedVersion, r.facility!, meta);
        out.updated.push({ id: r.id, line: r.line, label: r.label, fields: r.changed });
      }
    }
    if ((r.status === 'create' || r.status === 'update') && ++done % 500 === 0) onRow?.(done);
  }
  return out;
}
