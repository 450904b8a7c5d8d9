// The rows a report is built from: every live incident overlapping the period, with its person,
// facility and interview, plus everyone whose name could appear in free text.
import type { Db } from '../driver';
import { rawStmt, stmt } from '../stmt';

import type { ReportKeyRow, ReportKeySource, ReportSource, ReportSourceRow, SourcePerson } from '../../shared/report/source';
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

/** People, facilities and interviews (few next to incidents), each read and shaped once. */
function lookups(db: Db) {
  // Deleted people stay in the name list: a tombstoned record's name is no less private.
  const people = (stmt(db, PEOPLE).all() as PersonRow[]).map(toPerson);
  const byId = new Map(people.map((p) => [p.id, p]));
  const facilities = new Map(
    (stmt(db, 'SELECT id, name, city, state, standard FROM facilities').all() as ReportSourceRow['facility'][]).map((f) => [f.id, f]),
  );
  const interviews = new Map<string, NonNullable<ReportSourceRow['interview']>>();
  for (const v of stmt(db, `SELECT id, started_at AS startedAt, declaration_status AS status, declaration_signed_on AS signedOn FROM interviews WHERE deleted_at IS NULL`).all() as {
    id: string;
    startedAt: string | null;
    status: string | null;
    signedOn: string | null;
  }[]) {
    interviews.set(v.id, { id: v.id, date: (v.startedAt ?? '').slice(0, 10), declaration: declarationText(v.status, v.signedOn) });
  }
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
      interview: interviewId ? (interviews.get(interviewId) ?? null) : null,
    };
  };
  return { people, key };
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
  for (const r of rawStmt(db, `SELECT ${KEY_COLUMNS} FROM incidents WHERE ${IN_PERIOD} ORDER BY occurred_on, id`).all(period.to, period.from) as KeySqlRow[]) {
    const k = key(r);
    if (k) rows.push(k);
  }
  const load = (keys: readonly ReportKeyRow[]): ReportSourceRow[] => {
    const found = new Map<string, TextFields>();
    for (let i = 0; i < keys.length; i += BY_ID_CHUNK) {
      const ids = keys.slice(i, i + BY_ID_CHUNK).map((k) => k.incidentId);
      const got = rawStmt(db, `SELECT id, ${TEXT_COLUMNS} FROM incidents WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as [string, ...TextSqlRow][];
      for (const [id, ...t] of got) found.set(id, texts(t));
    }
    const out: ReportSourceRow[] = [];
    for (const k of keys) {
      const t = found.get(k.incidentId);
      if (t) out.push({ ...k, ...t });
    }
    return out;
  };
  return { rows, people, load };
}

/** First and last incident dates on record (live incidents), for a report over everything. */
export function incidentDateRange(db: Db): { from: string; to: string } | null {
  const r = stmt(db, `SELECT min(occurred_on) AS f, max(coalesce(occurred_until, occurred_on)) AS t FROM incidents WHERE deleted_at IS NULL`).get() as {
    f: string | null;
    t: string | null;
  };
  return r.f && r.t ? { from: r.f, to: r.t } : null;
}
