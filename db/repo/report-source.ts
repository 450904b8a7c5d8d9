// The rows a report is built from: every live incident overlapping the period, with its person,
// facility and interview, plus everyone whose name could appear in free text.
import type { Db } from '../driver';
import { rawStmt, stmt } from '../stmt';

import type { ReportDefinition } from '../../shared/report/definition';
import { exclusionTest } from '../../shared/report/model';
import type { ReportKeyRow, ReportKeySource, ReportSource, ReportSourceRow, SourcePerson, TallyGroup } from '../../shared/report/source';
import { CATEGORY_CODES, DECLARATION_STATUS_LABELS, DOCUMENT_KIND_LABELS, type CategoryCode } from '../../shared/vocab';

interface PersonRow {
  id: string;
  filingCode: string;
  familyName: string;
  givenName: string;
  nameOriginal: string | null;
  aNumber: string;
  birthDate: string | null;
  consent: number;
}

const PEOPLE = `SELECT id, filing_code AS filingCode, family_name AS familyName, given_name AS givenName,
  name_original AS nameOriginal, a_number AS aNumber, birth_date AS birthDate, consent_given AS consent FROM people`;

function toPerson(r: PersonRow): SourcePerson {
  return { ...r, nameVariants: [], consent: r.consent === 1 };
}

// The incident columns a report needs: read as arrays (.raw()), since better-sqlite3 builds an
// object per row more slowly than the rest of the load takes. The key columns choose, order and
// count; the text columns are read only for the log rows built.
const KEY_COLUMNS = `id, occurred_on, occurred_until, date_precision, categories, status, include_in_report, witnesses, person_id, facility_id, interview_id`;
type KeySqlRow = [
  id: string,
  occurredOn: string,
  occurredUntil: string | null,
  precision: string,
  categories: string,
  status: string,
  includeInReport: number,
  witnesses: string,
  personId: string,
  facilityId: string,
  interviewId: string | null,
];
const TEXT_COLUMNS = `summary, own_words, counsel_present, document_pressed, document_other, document_signed, grievance_filed, grievance_answer`;
type TextSqlRow = [
  summary: string,
  ownWords: string | null,
  counselPresent: number | null,
  documentPressed: string | null,
  documentOther: string | null,
  documentSigned: number | null,
  grievanceFiled: number,
  grievanceAnswer: string | null,
];
const KEY_WIDTH = 11;
type TextFields = Pick<ReportSourceRow, 'summary' | 'ownWords' | 'counselPresent' | 'documentType' | 'documentSigned' | 'grievanceFiled' | 'grievanceAnswer'>;

const bool = (v: number | null) => (v === null ? null : v === 1);

function declarationText(status: string | null, signedOn: string | null): string | null {
  const decl = status as keyof typeof DECLARATION_STATUS_LABELS | null;
  if (!decl) return null;
  if (decl === 'signed' && signedOn) return `signed ${signedOn}`;
  return DECLARATION_STATUS_LABELS[decl].replace(/^Declaration /, '').replace(/^No declaration$/, 'not taken');
}

/**
 * People, facilities and interviews (few next to incidents), each read and shaped once; with
 * `someInterviews`, an interview is read when a row first asks for it (a preview's few rows).
 */
function lookups(db: Db, someInterviews = false) {
  // Deleted people stay in the name list: a tombstoned record's name is no less private.
  const people = (stmt(db, PEOPLE).all() as PersonRow[]).map(toPerson);
  const byId = new Map(people.map((p) => [p.id, p]));
  const facilities = new Map(
    (stmt(db, 'SELECT id, name, city, state, standard FROM facilities').all() as ReportSourceRow['facility'][]).map((f) => [f.id, f]),
  );
  const interviews = new Map<string, NonNullable<ReportSourceRow['interview']> | null>();
  type InterviewRow = { id: string; startedAt: string | null; status: string | null; signedOn: string | null };
  const INTERVIEWS = `SELECT id, started_at AS startedAt, declaration_status AS status, declaration_signed_on AS signedOn FROM interviews WHERE deleted_at IS NULL`;
  const shape = (v: InterviewRow) => ({ id: v.id, date: (v.startedAt ?? '').slice(0, 10), declaration: declarationText(v.status, v.signedOn) });
  if (!someInterviews) for (const v of stmt(db, INTERVIEWS).all() as InterviewRow[]) interviews.set(v.id, shape(v));
  const interview = (id: string) => {
    if (!someInterviews || interviews.has(id)) return interviews.get(id) ?? null;
    const v = stmt(db, `${INTERVIEWS} AND id = ?`).get(id) as InterviewRow | undefined;
    interviews.set(id, v ? shape(v) : null);
    return interviews.get(id) ?? null;
  };
  // Category lists repeat (a few dozen combinations over thousands of incidents): parsed once each.
  const categoryLists = new Map<string, CategoryCode[]>();
  const categoriesOf = (json: string): CategoryCode[] => {
    let c = categoryLists.get(json);
    if (!c) {
      c = Object.freeze((JSON.parse(json) as string[]).filter((x): x is CategoryCode => (CATEGORY_CODES as readonly string[]).includes(x))) as CategoryCode[];
      categoryLists.set(json, c);
    }
    return c;
  };
  const noWitnesses = Object.freeze([]) as unknown as ReportSourceRow['witnesses'];
  const key = (r: KeySqlRow): ReportKeyRow | null => {
    const [incidentId, occurredOn, occurredUntil, precision, categories, status, includeInReport, witnessJson, personId, facilityId, interviewId] = r;
    const person = byId.get(personId);
    const facility = facilities.get(facilityId);
    if (!person || !facility) return null; // foreign keys make this unreachable
    const witnesses =
      witnessJson === '[]'
        ? noWitnesses
        : (JSON.parse(witnessJson) as { personId: string | null; description: string | null }[]).map((w) => {
            const p = w.personId ? byId.get(w.personId) : undefined;
            return { personId: w.personId, name: p ? `${p.givenName} ${p.familyName}` : (w.description ?? '') };
          });
    return {
      incidentId,
      occurredOn,
      occurredUntil,
      precision: precision === 'month' || precision === 'approximate' ? precision : 'exact',
      categories: categoriesOf(categories),
      status: status as ReportSourceRow['status'],
      includeInReport: includeInReport === 1,
      facility,
      person,
      witnesses,
      interview: interviewId ? interview(interviewId) : null,
    };
  };
  return { people, facilities, key, categoriesOf };
}

function texts(r: TextSqlRow): TextFields {
  const [summary, ownWords, counselPresent, documentPressed, documentOther, documentSigned, grievanceFiled, grievanceAnswer] = r;
  const doc = documentPressed as keyof typeof DOCUMENT_KIND_LABELS | null;
  return {
    summary,
    ownWords,
    counselPresent: bool(counselPresent),
    documentType: doc ? (doc === 'other' && documentOther ? documentOther : DOCUMENT_KIND_LABELS[doc] ?? doc) : null,
    documentSigned: bool(documentSigned),
    grievanceFiled: grievanceFiled === 1,
    grievanceAnswer,
  };
}

const IN_PERIOD = `deleted_at IS NULL AND occurred_on <= ? AND coalesce(occurred_until, occurred_on) >= ?`;

/** Every live incident overlapping the period, whole, with everyone whose name could appear. */
export function loadReportSource(db: Db, period: { from: string; to: string }): ReportSource {
  const { people, key } = lookups(db);
  const rows = rawStmt(db, `SELECT ${KEY_COLUMNS}, ${TEXT_COLUMNS} FROM incidents WHERE ${IN_PERIOD} ORDER BY occurred_on, id`).all(period.to, period.from) as unknown[][];
  const out: ReportSourceRow[] = [];
  for (const r of rows) {
    const k = key(r.slice(0, KEY_WIDTH) as KeySqlRow);
    if (k) out.push({ ...k, ...texts(r.slice(KEY_WIDTH) as TextSqlRow) });
  }
  return { rows: out, people };
}

/** How many ids one statement asks for when whole rows are read by id. */
const BY_ID_CHUNK = 500;

/**
 * The same incidents as loadReportSource, as key rows (no free text); `load` reads the texts of
 * the rows asked for, so a preview reads them only for the log rows it shows and an export a
 * chunk at a time.
 */
export function loadReportKeys(db: Db, period: { from: string; to: string }): ReportKeySource {
  const { people, key } = lookups(db);
  const rows: ReportKeyRow[] = [];
  // Row by row: the query's arrays for every incident are never held at once beside the key rows.
  for (const r of rawStmt(db, `SELECT ${KEY_COLUMNS} FROM incidents WHERE ${IN_PERIOD} ORDER BY occurred_on, id`).iterate(period.to, period.from) as IterableIterator<KeySqlRow>) {
    const k = key(r);
    if (k) rows.push(k);
  }
  return { rows, people, load: textLoader(db) };
}

function wholeRow(k: ReportKeyRow, t: TextFields): ReportSourceRow {
  return {
    incidentId: k.incidentId,
    occurredOn: k.occurredOn,
    occurredUntil: k.occurredUntil,
    precision: k.precision,
    categories: k.categories,
    status: k.status,
    includeInReport: k.includeInReport,
    facility: k.facility,
    person: k.person,
    witnesses: k.witnesses,
    interview: k.interview,
    summary: t.summary,
    ownWords: t.ownWords,
    counselPresent: t.counselPresent,
    documentType: t.documentType,
    documentSigned: t.documentSigned,
    grievanceFiled: t.grievanceFiled,
    grievanceAnswer: t.grievanceAnswer,
  };
}

/** Reads the texts of the key rows asked for, and gives them back whole, in the order given. */
function textLoader(db: Db): ReportKeySource['load'] {
  return (keys) => {
    const found = new Map<string, TextFields>();
    for (let i = 0; i < keys.length; i += BY_ID_CHUNK) {
      const ids = keys.slice(i, i + BY_ID_CHUNK).map((k) => k.incidentId);
      const got = rawStmt(db, `SELECT id, ${TEXT_COLUMNS} FROM incidents WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as [string, ...TextSqlRow][];
      for (const [id, ...t] of got) found.set(id, texts(t));
    }
    const out: ReportSourceRow[] = [];
    for (const k of keys) {
      const t = found.get(k.incidentId);
      if (t) out.push(wholeRow(k, t));
    }
    return out;
  };
}

/** First and last incident dates on record (live incidents), for a report over everything. */
export function incidentDateRange(db: Db): { from: string; to: string } | null {
  const r = stmt(db, `SELECT min(occurred_on) AS f, max(coalesce(occurred_until, occurred_on)) AS t FROM incidents WHERE deleted_at IS NULL`).get() as {
    f: string | null;
    t: string | null;
  };
  return r.f && r.t ? { from: r.f, to: r.t } : null;
}

/** A definition's filters in SQL (over incidents i joined with their person p): the incidents it takes. */
function chosenSql(d: ReportDefinition): { sql: string; params: string[] } {
  const f = d.filters;
  const list = (xs: readonly string[]) => xs.map(() => '?').join(', ');
  const sql = [
    f.includedOnly ? 'i.include_in_report = 1' : '',
    f.statuses.length ? `i.status IN (${list(f.statuses)})` : '0',
    f.consentOnly ? 'p.consent_given = 1' : '',
    f.facilityIds.length ? `i.facility_id IN (${list(f.facilityIds)})` : '',
    f.categories.length ? `EXISTS (SELECT 1 FROM json_each(i.categories) WHERE value IN (${list(f.categories)}))` : '',
  ].filter(Boolean);
  return { sql: sql.join(' AND '), params: [...f.statuses, ...f.facilityIds, ...f.categories] };
}

// The log's order (shared/report/model.ts sortRows: each field in code-unit order, then the
// incident id), as SQL orders text (by code point: the same unless a text holds a character at or
// above U+D800, which loadReportPreview checks for).
const LOG_ORDER: Record<ReportDefinition['sort'], string> = {
  date: 'i.occurred_on, f.name, p.filing_code, i.id',
  facility: 'f.name, i.occurred_on, p.filing_code, i.id',
  filingCode: `CASE WHEN length(p.filing_code) >= 12 THEN p.filing_code ELSE substr('000000000000' || p.filing_code, -12) END, i.occurred_on, i.id`,
};
/** Rows looked up one by one that cost about what a scan and sort of 30,000 incidents costs. */
const WALK_ROWS = 5_000;
const ASTRAL_OR_HIGH = /[\uD800-\uFFFF]/;

/** What a preview reads: counts by group, the chosen rows naming witnesses, and the log's first rows. */
export interface ReportPreviewSource {
  people: SourcePerson[];
  /** The period's incidents, grouped by what choosing and counting read of them. */
  groups: TallyGroup[];
  /** Every incident of the period that names a witness (the redactor codes witnesses over the chosen ones). */
  witnessRows: ReportKeyRow[];
  /**
   * The first `count` incidents the definition takes, in the log's order; null when the database
   * cannot order them as the log does (a facility name or filing code with a character at or
   * above U+D800): then the caller orders the key rows itself.
   */
  first: ReportKeyRow[] | null;
  load: ReportKeySource['load'];
  /** Which of these record ids (incidents, their people, facilities, interviews) the chosen incidents hold. */
  holds: (ids: ReadonlySet<string>) => Set<string>;
}

/**
 * A preview's reads, each a query over the period's incidents (a scan, not an index walk: the period
 * is most of the table, and a walk looks up every row): no key row per incident is built.
 */
export function loadReportPreview(db: Db, d: ReportDefinition, count: number): ReportPreviewSource {
  const { people, facilities, key, categoriesOf } = lookups(db, true);
  const period = [d.periodTo, d.periodFrom];
  const inPeriod = `i.deleted_at IS NULL AND i.occurred_on <= ? AND coalesce(i.occurred_until, i.occurred_on) >= ?`;
  const groups: TallyGroup[] = [];
  // Inclusion and consent are grouped by only when a filter reads them; an incident naming a
  // witness is a group of its own, so the one scan also finds the witnesses the redactor codes.
  const grouped = rawStmt(
    db,
    `SELECT ${d.filters.includedOnly ? 'i.include_in_report' : '1'}, i.status,
            ${d.filters.consentOnly ? 'i.person_id IN (SELECT id FROM people WHERE consent_given = 1)' : '1'},
            i.facility_id, i.categories, CASE WHEN i.witnesses <> '[]' THEN i.id END, count(*)
       FROM incidents i NOT INDEXED WHERE ${inPeriod} GROUP BY 1, 2, 3, 4, 5, 6`,
  ).all(...period) as [number, string, number, string, string, string | null, number][];
  const named: string[] = [];
  for (const [included, status, consent, facilityId, categories, witnessed, n] of grouped) {
    const facility = facilities.get(facilityId);
    if (!facility) continue; // foreign keys make this unreachable
    groups.push({ includeInReport: included === 1, status: status as TallyGroup['status'], person: { consent: consent === 1 }, facility, categories: categoriesOf(categories), n });
    if (witnessed !== null) named.push(witnessed);
  }
  const witnessRows: ReportKeyRow[] = [];
  // Their interviews are not read: the redactor reads the witnesses alone.
  const noInterview = KEY_COLUMNS.replace('interview_id', 'NULL');
  for (let i = 0; i < named.length; i += BY_ID_CHUNK) {
    const ids = named.slice(i, i + BY_ID_CHUNK);
    for (const r of rawStmt(db, `SELECT ${noInterview} FROM incidents WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as KeySqlRow[]) {
      const k = key(r);
      if (k) witnessRows.push(k);
    }
  }
  const chosen = chosenSql(d);
  const ordered = ![...facilities.values()].some((f) => ASTRAL_OR_HIGH.test(f.name)) && !people.some((p) => ASTRAL_OR_HIGH.test(p.filingCode));
  let first: ReportKeyRow[] | null = null;
  if (ordered) {
    first = [];
    const columns = KEY_COLUMNS.split(', ').map((c) => `i.${c}`).join(', ');
    // By date, the date index gives the rows in the log's first field's order and the rest is
    // sorted a date at a time, so the walk stops after about `count` × (period ÷ chosen) rows, each
    // looked up; a scan and sort of the period costs about as much as a few thousand lookups.
    // Whichever reads fewer, by the counts just made.
    const all = groups.reduce((n, g) => n + g.n, 0);
    const test = exclusionTest(d);
    const taken = groups.reduce((n, g) => (test(g) ? n : n + g.n), 0);
    const walk = d.sort === 'date' && taken > 0 && (count * all) / taken <= WALK_ROWS;
    const from = walk ? 'incidents i INDEXED BY incidents_live_page CROSS JOIN facilities f ON f.id = i.facility_id CROSS JOIN' : 'incidents i NOT INDEXED JOIN facilities f ON f.id = i.facility_id JOIN';
    for (const r of rawStmt(
      db,
      `SELECT ${columns} FROM ${from} people p ON p.id = i.person_id
        WHERE ${inPeriod} AND ${chosen.sql} ORDER BY ${LOG_ORDER[d.sort]} LIMIT ?`,
    ).all(...period, ...chosen.params, count) as KeySqlRow[]) {
      const k = key(r);
      if (k) first.push(k);
    }
  }
  const holds = (ids: ReadonlySet<string>) => {
    const found = new Set<string>();
    if (ids.size === 0) return found;
    const rows = rawStmt(db, `SELECT i.id, i.person_id, i.facility_id, i.interview_id FROM incidents i JOIN people p ON p.id = i.person_id WHERE ${inPeriod} AND ${chosen.sql}`).all(
      ...period,
      ...chosen.params,
    ) as (string | null)[][];
    for (const r of rows) for (const x of r) if (x && ids.has(x)) found.add(x);
    return found;
  };
  return { people, groups, witnessRows, first, load: textLoader(db), holds };
}
