import type { Db } from '../driver';
import { stmt } from '../stmt';
import type { WriteMeta } from '../history/versions';
import { makeStore } from './records';
import { formatFilingCode, peopleMatchingName } from './people';

import type { Incident, IncidentRow } from '../../shared/schemas';
import { CATEGORIES, CATEGORY_CODES, type CategoryCode } from '../../shared/vocab';
import type { INTERVIEW_MODES } from '../../shared/vocab';

type InterviewMode = (typeof INTERVIEW_MODES)[number];
import { ftsQuery, searchIndexText } from '../../shared/text-fold';

export type IncidentRecord = Incident;
export type IncidentListRow = IncidentRow;
export type IncidentFields = Omit<Incident, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

export const incidentStore = makeStore<IncidentFields>({
  entity: 'incident',
  table: 'incidents',
  noun: 'incident',
  insertOnly: ['search_rowid'],
  fields: {
    personId: ['person_id', 'text'],
    interviewId: ['interview_id', 'text'],
    facilityId: ['facility_id', 'text'],
    occurredOn: ['occurred_on', 'text'],
    occurredUntil: ['occurred_until', 'text'],
    datePrecision: ['date_precision', 'text'],
    categories: ['categories', 'json'],
    summary: ['summary', 'text'],
    ownWords: ['own_words', 'text'],
    staffInvolved: ['staff_involved', 'json'],
    witnesses: ['witnesses', 'json'],
    deprivationMinutes: ['deprivation_minutes', 'int'],
    documentPressed: ['document_pressed', 'text'],
    documentOther: ['document_other', 'text'],
    documentSigned: ['document_signed', 'bool'],
    counselPresent: ['counsel_present', 'bool'],
    grievanceFiled: ['grievance_filed', 'bool'],
    grievanceAnswer: ['grievance_answer', 'text'],
    corroboration: ['corroboration', 'text'],
    raisedWithOpposingCounselOn: ['raised_with_opposing_counsel_on', 'text'],
    status: ['status', 'text'],
    includeInReport: ['include_in_report', 'bool'],
  },
});

/** Fills defaults so a partial caller (an older test, the seed) still stores a whole record. */
function complete(f: Partial<IncidentFields> & Pick<IncidentFields, 'personId' | 'facilityId' | 'occurredOn' | 'categories' | 'summary'>): IncidentFields {
  return {
    personId: f.personId,
    interviewId: f.interviewId ?? null,
    facilityId: f.facilityId,
    occurredOn: f.occurredOn,
    occurredUntil: f.occurredUntil ?? null,
    datePrecision: f.datePrecision ?? 'exact',
    categories: [...f.categories].sort(),
    summary: f.summary,
    ownWords: f.ownWords ?? null,
    staffInvolved: f.staffInvolved ?? [],
    witnesses: f.witnesses ?? [],
    deprivationMinutes: f.deprivationMinutes ?? null,
    documentPressed: f.documentPressed ?? null,
    documentOther: f.documentOther ?? null,
    documentSigned: f.documentSigned ?? null,
    counselPresent: f.counselPresent ?? null,
    grievanceFiled: f.grievanceFiled ?? false,
    grievanceAnswer: f.grievanceAnswer ?? null,
    corroboration: f.corroboration ?? null,
    raisedWithOpposingCounselOn: f.raisedWithOpposingCounselOn ?? null,
    status: f.status ?? 'new',
    includeInReport: f.includeInReport ?? true,
  };
}

export type IncidentCreateFields = Parameters<typeof complete>[0];

export function searchBody(r: { summary: string; ownWords: string | null }): string {
  return searchIndexText(r.ownWords ? `${r.summary}\n${r.ownWords}` : r.summary);
}

type CategoryRowSource = { id: string; categories: readonly string[]; occurredOn: string; facilityId: string; deletedAt: string | null };

// incident_categories carries copies of the date, facility and tombstone for its page indexes.
export function writeCategories(db: Db, r: CategoryRowSource, replace: boolean): void {
  if (replace) stmt(db, `DELETE FROM incident_categories WHERE incident_id = ?`).run(r.id);
  const add = stmt(db, `INSERT INTO incident_categories (incident_id, category, occurred_on, facility_id, deleted_at) VALUES (?, ?, ?, ?, ?)`);
  for (const c of r.categories) add.run(r.id, c, r.occurredOn, r.facilityId, r.deletedAt);
}

/** Adds the incident's text to the full-text index (or replaces it, keeping its place in "newest entered" order). */
export function indexIncidentText(db: Db, id: string, r: { summary: string; ownWords: string | null }): void {
  const { rowid } = stmt(db, `SELECT search_rowid AS rowid FROM incidents WHERE id = ?`).get(id) as { rowid: number | null };
  if (rowid !== null) {
    stmt(db, `DELETE FROM incident_text WHERE rowid = ?`).run(rowid);
    stmt(db, `INSERT INTO incident_text (rowid, body) VALUES (?, ?)`).run(rowid, searchBody(r));
    return;
  }
  const ins = stmt(db, `INSERT INTO incident_text (body) VALUES (?)`).run(searchBody(r));
  stmt(db, `UPDATE incidents SET search_rowid = ? WHERE id = ?`).run(ins.lastInsertRowid, id);
}

export function createIncident(db: Db, fields: IncidentCreateFields, meta: WriteMeta, id?: string): IncidentRecord {
  const f = complete(fields);
  const rowid = Number(stmt(db, `INSERT INTO incident_text (body) VALUES (?)`).run(searchBody(f)).lastInsertRowid);
  const record = incidentStore.create(db, f, meta, id, [rowid]);
  writeCategories(db, record, false);
  return record;
}

export function updateIncident(db: Db, id: string, expectedVersion: number, fields: IncidentCreateFields, meta: WriteMeta): IncidentRecord {
  const { record, before, changed } = incidentStore.update(db, id, expectedVersion, complete(fields), meta);
  if (changed) {
    if (
      JSON.stringify(before.categories) !== JSON.stringify(record.categories) ||
      before.occurredOn !== record.occurredOn ||
      before.facilityId !== record.facilityId
    ) {
      writeCategories(db, record, true);
    }
    if (before.summary !== record.summary || before.ownWords !== record.ownWords) indexIncidentText(db, id, record);
  }
  return record;
}

export function setIncidentDeleted(db: Db, id: string, expectedVersion: number, deleted: boolean, meta: WriteMeta): IncidentRecord {
  const { record } = incidentStore.setDeleted(db, id, expectedVersion, deleted, meta);
  stmt(db, `UPDATE incident_categories SET deleted_at = ? WHERE incident_id = ?`).run(record.deletedAt, id);
  return record;
}

export function getIncident(db: Db, id: string, opts: { includeDeleted?: boolean } = {}): IncidentRecord | undefined {
  return incidentStore.get(db, id, opts);
}

export interface IncidentFilter {
  limit: number;
  offset: number;
  personId?: string | undefined;
  facilityId?: string | undefined;
  interviewId?: string | undefined;
  category?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  status?: string | undefined;
  counselPresent?: boolean | undefined;
  documentSigned?: boolean | undefined;
  includeInReport?: boolean | undefined;
  deleted?: 'hide' | 'only' | undefined;
  countUpTo?: number | undefined;
  sort?: IncidentSort | undefined;
  direction?: 'asc' | 'desc' | undefined;
}

export type IncidentSort = 'occurredOn' | 'createdAt' | 'person' | 'facility' | 'categories' | 'summary' | 'status';

// The person, facility and category orders walk indexes too: an outer loop over the people (or
// facilities, or categories in label order) in order, and for each the incidents' own index by date.
// The row id breaks ties between two people of the same name, so each outer row is one group.
// Summary and status join and sort every match (a top-N sort).
const JOINED_ORDER: Record<Exclude<IncidentSort, 'occurredOn' | 'createdAt'>, (d: string) => string> = {
  person: (d) => `p.family_name COLLATE NOCASE ${d}, p.given_name COLLATE NOCASE ${d}, p.rowid ${d}, i.occurred_on DESC, i.id DESC`,
  facility: (d) => `f.name COLLATE NOCASE ${d}, f.rowid ${d}, i.occurred_on DESC, i.id DESC`,
  categories: (d) => `o.label ${d}, o.code ${d}, i.occurred_on DESC, i.id DESC`,
  summary: (d) => `i.summary COLLATE NOCASE ${d}, i.id ${d}`,
  status: (d) => `i.status ${d}, i.occurred_on DESC, i.id ${d}`,
};

/** Which table drives each joined order (the first of the join, walked in its index order). */
function joinedFrom(sort: Exclude<IncidentSort, 'occurredOn' | 'createdAt'>, filter: IncidentFilter): string {
  const names = `JOIN people p ON p.id = i.person_id JOIN facilities f ON f.id = i.facility_id`;
  // One person's (or one facility's) incidents are few: the planner picks its own way.
  if (sort === 'person' && !filter.personId) {
    return `people p INDEXED BY people_name CROSS JOIN incidents i ON i.person_id = p.id JOIN facilities f ON f.id = i.facility_id`;
  }
  if (sort === 'facility' && !filter.facilityId) {
    return `facilities f INDEXED BY facilities_name CROSS JOIN incidents i ON i.facility_id = f.id JOIN people p ON p.id = i.person_id`;
  }
  // The unary + drops the code's text affinity, so the comparison matches the expression index.
  if (sort === 'categories') return `temp.category_order o CROSS JOIN incidents i ON json_extract(i.categories, '$[0]') = +o.code ${names}`;
  return `incidents i ${names}`;
}

const categoryOrderReady = new WeakSet<Db>();

/**
 * The categories in label order, for this connection: a temporary table filled from today's
 * vocabulary, so a renamed label sorts by its new name and no migration names a label.
 */
function ensureCategoryOrder(db: Db): void {
  if (categoryOrderReady.has(db)) return;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS category_order (label TEXT NOT NULL, code TEXT NOT NULL, PRIMARY KEY (label, code)) WITHOUT ROWID`);
  db.exec(`DELETE FROM temp.category_order`);
  const add = db.prepare(`INSERT INTO temp.category_order (label, code) VALUES (?, ?)`);
  for (const c of CATEGORY_CODES) add.run(CATEGORIES[c].label, c);
  categoryOrderReady.add(db);
}

export interface IncidentPage {
  items: IncidentListRow[];
  total: number;
  totalExact: boolean;
}

export function whereOf(filter: IncidentFilter, opts: { skipCategory?: boolean } = {}): { w: string; params: unknown[] } {
  const where = [filter.deleted === 'only' ? 'i.deleted_at IS NOT NULL' : 'i.deleted_at IS NULL'];
  const params: unknown[] = [];
  const eq = (col: string, v: unknown) => {
    where.push(`${col} = ?`);
    params.push(v);
  };
  if (filter.personId) eq('i.person_id', filter.personId);
  if (filter.facilityId) eq('i.facility_id', filter.facilityId);
  if (filter.interviewId) eq('i.interview_id', filter.interviewId);
  if (filter.status) eq('i.status', filter.status);
  // The flag indexes drive only when neither a person nor a facility narrows the search more; the
  // unary + keeps the planner (which has no statistics) off them otherwise.
  const flag = filter.personId || filter.facilityId ? '+' : '';
  // Of the two, "document signed" is the rarer answer, so its index drives when both are asked.
  const counselFlag = flag || (filter.documentSigned !== undefined ? '+' : '');
  if (filter.counselPresent !== undefined) eq(`${counselFlag}i.counsel_present`, filter.counselPresent ? 1 : 0);
  if (filter.documentSigned !== undefined) eq(`${flag}i.document_signed`, filter.documentSigned ? 1 : 0);
  if (filter.includeInReport !== undefined) eq('i.include_in_report', filter.includeInReport ? 1 : 0);
  if (filter.category && !opts.skipCategory) {
    where.push('EXISTS (SELECT 1 FROM incident_categories c WHERE c.incident_id = i.id AND c.category = ?)');
    params.push(filter.category);
  }
  // A range overlaps [from, to] when it starts before `to` ends and ends after `from` starts.
  if (filter.to) {
    where.push('i.occurred_on <= ?');
    params.push(filter.to);
  }
  if (filter.from) {
    where.push('coalesce(i.occurred_until, i.occurred_on) >= ?');
    params.push(filter.from);
  }
  return { w: where.join(' AND '), params };
}

const ROW_EXTRA = `p.family_name || ', ' || p.given_name AS personName, p.filing_code AS filingCode, f.name AS facilityName`;

type Names = { personName: string; filingCode: string; facilityName: string };

/** Lists count their matches up to this many by default: enough for a label, cheap at a million rows. */
export const DEFAULT_COUNT_UP_TO = 500;

function capped(db: Db, sql: string, params: unknown[], cap: number): { total: number; totalExact: boolean } {
  const { n } = stmt(db, `SELECT count(*) AS n FROM (${sql} LIMIT ?)`).get(...params, cap + 1) as { n: number };
  return n > cap ? { total: cap, totalExact: false } : { total: n, totalExact: true };
}

export function listIncidents(db: Db, filter: IncidentFilter): IncidentPage {
  const d = filter.direction === 'asc' ? 'ASC' : 'DESC';
  // A category filter without a person walks the category's date index (per facility when one is
  // asked); otherwise the incidents' own indexes (person, facility, date) give the order. Either way
  // no sort of all matches is needed.
  const byCategory = Boolean(filter.category) && !filter.personId && (filter.sort ?? 'occurredOn') === 'occurredOn';
  const cap = filter.countUpTo ?? DEFAULT_COUNT_UP_TO;
  if (filter.sort && filter.sort !== 'occurredOn' && filter.sort !== 'createdAt') {
    const { w, params } = whereOf(filter);
    const order = JOINED_ORDER[filter.sort](d);
    if (filter.sort === 'categories') ensureCategoryOrder(db);
    const items = incidentStore.all<Names>(
      db,
      `SELECT ${incidentStore.columns('i')}, ${ROW_EXTRA}
       FROM ${joinedFrom(filter.sort, filter)}
       WHERE ${w} ORDER BY ${order} LIMIT ? OFFSET ?`,
      [...params, filter.limit, filter.offset],
    );
    return { items, ...capped(db, `SELECT 1 FROM incidents i WHERE ${w}`, params, cap) };
  }
  const { w, params } = whereOf(filter, { skipCategory: byCategory });
  let source: { from: string; where: string; params: unknown[]; order: string };
  let count: { sql: string; params: unknown[] };
  if (byCategory) {
    // The category rows carry the date, facility and tombstone, so they are tested on the index.
    const cw = ['c.category = ?', filter.deleted === 'only' ? 'c.deleted_at IS NOT NULL' : 'c.deleted_at IS NULL'];
    const cp: unknown[] = [filter.category];
    if (filter.facilityId) {
      cw.push('c.facility_id = ?');
      cp.push(filter.facilityId);
    }
    if (filter.to) {
      cw.push('c.occurred_on <= ?');
      cp.push(filter.to);
    }
    const index = filter.facilityId ? 'incident_categories_facility_page' : 'incident_categories_page';
    const from = `incident_categories c INDEXED BY ${index}`;
    const order = `c.occurred_on ${d}, c.incident_id ${d}`;
    source = { from: `${from} CROSS JOIN incidents i ON i.id = c.incident_id`, where: `${cw.join(' AND ')} AND ${w}`, params: [...cp, ...params], order };
    // With no filter beyond what the category rows carry, the count never reads an incident.
    const onIndexAlone =
      !filter.interviewId && !filter.status && !filter.from && filter.counselPresent === undefined &&
      filter.documentSigned === undefined && filter.includeInReport === undefined;
    count = onIndexAlone
      ? { sql: `SELECT 1 FROM ${from} WHERE ${cw.join(' AND ')} ORDER BY ${order}`, params: cp }
      : { sql: `SELECT 1 FROM ${source.from} WHERE ${source.where} ORDER BY ${order}`, params: source.params };
  } else {
    const order = filter.sort === 'createdAt' ? `i.created_at ${d}, i.id ${d}` : `i.occurred_on ${d}, i.id ${d}`;
    source = { from: `incidents i`, where: w, params, order };
    // The count walks the same ordered index as the page, so it is read from the index alone.
    count = { sql: `SELECT 1 FROM incidents i WHERE ${w} ORDER BY ${order}`, params };
  }
  const outer = filter.sort === 'createdAt' ? `i.created_at ${d}, i.id ${d}` : `i.occurred_on ${d}, i.id ${d}`;
  // The page is chosen first (walking an index in order), then joined for names.
  const items = incidentStore.all<Names>(
    db,
    `SELECT ${incidentStore.columns('i')}, ${ROW_EXTRA}
     FROM (SELECT i.* FROM ${source.from} WHERE ${source.where} ORDER BY ${source.order} LIMIT ? OFFSET ?) i
     JOIN people p ON p.id = i.person_id JOIN facilities f ON f.id = i.facility_id
     ORDER BY ${outer}`,
    [...source.params, filter.limit, filter.offset],
  );
  return { items, ...capped(db, count.sql, count.params, cap) };
}

/**
 * Full-text search over summary and own words, with the list filters. Ranked newest entered first:
 * FTS5 walks its index in rowid order and stops at the page, so a common word costs no more than a
 * rare one (bm25 over every match of a common word does not hold the speed goal).
 */
export function searchIncidents(db: Db, filter: IncidentFilter & { text: string }): IncidentPage {
  const match = ftsQuery(filter.text);
  if (!match) return { items: [], total: 0, totalExact: true };
  const { w, params } = whereOf(filter);
  const cap = filter.countUpTo ?? DEFAULT_COUNT_UP_TO;
  const from = `FROM incident_text s JOIN incidents i INDEXED BY incidents_search_filter ON i.search_rowid = s.rowid
     WHERE incident_text MATCH ? AND ${w}`;
  // The text may also name people (every word beginning a word of their name, any order) or give a
  // filing code: their incidents are found too.
  const people = filter.personId ? [] : peopleNamed(db, filter.text);
  if (people.length) {
    const inList = people.map(() => '?').join(', ');
    const byText = `SELECT i.*, s.rowid AS srow ${from}`;
    const byPerson = `SELECT i.*, i.search_rowid AS srow FROM incidents i WHERE i.person_id IN (${inList}) AND ${w}`;
    const union = `${byText} UNION ${byPerson}`;
    const all = [match, ...params, ...people, ...params];
    const items = incidentStore.all<Names>(
      db,
      `SELECT ${incidentStore.columns('i')}, ${ROW_EXTRA}
       FROM (SELECT * FROM (${union}) ORDER BY srow DESC LIMIT ? OFFSET ?) i
       JOIN people p ON p.id = i.person_id JOIN facilities f ON f.id = i.facility_id
       ORDER BY i.srow DESC`,
      [...all, filter.limit, filter.offset],
    );
    return { items, ...capped(db, `SELECT 1 FROM (${union})`, all, cap) };
  }
  const inner = `SELECT i.*, s.rowid AS srow ${from}`;
  const items = incidentStore.all<Names>(
    db,
    `SELECT ${incidentStore.columns('i')}, ${ROW_EXTRA}
     FROM (${inner} ORDER BY s.rowid DESC LIMIT ? OFFSET ?) i
     JOIN people p ON p.id = i.person_id JOIN facilities f ON f.id = i.facility_id
     ORDER BY i.srow DESC`,
    [match, ...params, filter.limit, filter.offset],
  );
  return { items, ...capped(db, `SELECT 1 ${from}`, [match, ...params], cap) };
}

/** People a search text names: by filing code (CM-012), or by every word of their name. */
function peopleNamed(db: Db, text: string): string[] {
  const code = /^\s*cm-?\s*(\d{1,9})\s*$/i.exec(text);
  if (code) {
    const row = stmt(db, `SELECT id FROM people WHERE filing_code = ?`).get(formatFilingCode(Number(code[1]))) as { id: string } | undefined;
    return row ? [row.id] : [];
  }
  return peopleMatchingName(db, text, 50, false);
}

export interface TimelineRow {
  kind: 'interview' | 'incident';
  id: string;
  date: string;
  until: string | null;
  precision: 'exact' | 'month' | 'approximate';
  summary: string | null;
  interview: { mode: InterviewMode; place: string | null; interviewer: string } | null;
  categories: CategoryCode[];
  status: 'new' | 'verified' | 'excluded' | null;
}

/** A person's interviews and live incidents in date order (incidents by their first day). */
export function personTimeline(db: Db, personId: string): TimelineRow[] {
  const interviews = stmt(
    db,
    `SELECT id, started_at AS startedAt, mode, place, interviewer FROM interviews WHERE person_id = ? AND deleted_at IS NULL`,
  ).all(personId) as { id: string; startedAt: string; mode: InterviewMode; place: string | null; interviewer: string }[];
  const incidents = stmt(
    db,
    `SELECT id, occurred_on AS date, occurred_until AS until, date_precision AS precision, summary, categories, status
     FROM incidents WHERE person_id = ? AND deleted_at IS NULL`,
  ).all(personId) as { id: string; date: string; until: string | null; precision: TimelineRow['precision']; summary: string; categories: string; status: TimelineRow['status'] }[];
  const rows: (TimelineRow & { sortKey: string })[] = [
    ...interviews.map((v) => ({
      kind: 'interview' as const,
      id: v.id,
      date: v.startedAt.slice(0, 10),
      until: null,
      precision: 'exact' as const,
      summary: null,
      interview: { mode: v.mode, place: v.place, interviewer: v.interviewer },
      categories: [],
      status: null,
      sortKey: v.startedAt,
    })),
    ...incidents.map((i) => ({
      kind: 'incident' as const,
      id: i.id,
      date: i.date,
      until: i.until,
      precision: i.precision,
      summary: i.summary,
      interview: null,
      categories: JSON.parse(i.categories) as CategoryCode[],
      status: i.status,
      sortKey: i.date,
    })),
  ];
  rows.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id < b.id ? -1 : 1));
  return rows.map(({ sortKey: _sortKey, ...r }) => r);
}
