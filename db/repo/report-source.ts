// The rows a report is built from: every live incident overlapping the period, with its person,
// facility and interview, plus everyone whose name could appear in free text.
import type { Db } from '../driver';
import { stmt } from '../stmt';

import type { ReportSource, ReportSourceRow, SourcePerson } from '../../shared/report/source';
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

// The incident columns a report needs, in this order: read as arrays (.raw()), since better-sqlite3
// builds an object per row more slowly than the rest of the load takes.
const INCIDENT_COLUMNS = `id, occurred_on, occurred_until, date_precision, categories, summary, own_words, status,
  include_in_report, counsel_present, document_pressed, document_other, document_signed, grievance_filed,
  grievance_answer, witnesses, person_id, facility_id, interview_id`;
type IncidentSqlRow = [
  id: string,
  occurredOn: string,
  occurredUntil: string | null,
  precision: string,
  categories: string,
  summary: string,
  ownWords: string | null,
  status: string,
  includeInReport: number,
  counselPresent: number | null,
  documentPressed: string | null,
  documentOther: string | null,
  documentSigned: number | null,
  grievanceFiled: number,
  grievanceAnswer: string | null,
  witnesses: string,
  personId: string,
  facilityId: string,
  interviewId: string | null,
];

const bool = (v: number | null) => (v === null ? null : v === 1);

function declarationText(status: string | null, signedOn: string | null): string | null {
  const decl = status as keyof typeof DECLARATION_STATUS_LABELS | null;
  if (!decl) return null;
  if (decl === 'signed' && signedOn) return `signed ${signedOn}`;
  return DECLARATION_STATUS_LABELS[decl].replace(/^Declaration /, '').replace(/^No declaration$/, 'not taken');
}

export function loadReportSource(db: Db, period: { from: string; to: string }): ReportSource {
  // Deleted people stay in the name list: a tombstoned record's name is no less private.
  const people = (stmt(db, PEOPLE).all() as PersonRow[]).map(toPerson);
  const byId = new Map(people.map((p) => [p.id, p]));
  // Facilities and interviews are few next to incidents: each is read and shaped once.
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
  const rows = stmt(
    db,
    `SELECT ${INCIDENT_COLUMNS} FROM incidents
     WHERE deleted_at IS NULL AND occurred_on <= ? AND coalesce(occurred_until, occurred_on) >= ?
     ORDER BY occurred_on, id`,
  )
    .raw()
    .all(period.to, period.from) as IncidentSqlRow[];

  const out: ReportSourceRow[] = [];
  for (const r of rows) {
    const [
      incidentId,
      occurredOn,
      occurredUntil,
      precision,
      categories,
      summary,
      ownWords,
      status,
      includeInReport,
      counselPresent,
      documentPressed,
      documentOther,
      documentSigned,
      grievanceFiled,
      grievanceAnswer,
      witnessJson,
      personId,
      facilityId,
      interviewId,
    ] = r;
    const person = byId.get(personId);
    const facility = facilities.get(facilityId);
    if (!person || !facility) continue; // foreign keys make this unreachable
    const witnesses = (JSON.parse(witnessJson) as { personId: string | null; description: string | null }[]).map((w) => {
      const p = w.personId ? byId.get(w.personId) : undefined;
      return { personId: w.personId, name: p ? `${p.givenName} ${p.familyName}` : (w.description ?? '') };
    });
    const doc = documentPressed as keyof typeof DOCUMENT_KIND_LABELS | null;
    out.push({
      incidentId,
      occurredOn,
      occurredUntil,
      precision: precision === 'month' || precision === 'approximate' ? precision : 'exact',
      categories: (JSON.parse(categories) as string[]).filter((c): c is CategoryCode => (CATEGORY_CODES as readonly string[]).includes(c)),
      summary,
      ownWords,
      status: status as ReportSourceRow['status'],
      includeInReport: includeInReport === 1,
      counselPresent: bool(counselPresent),
      documentType: doc ? (doc === 'other' && documentOther ? documentOther : DOCUMENT_KIND_LABELS[doc] ?? doc) : null,
      documentSigned: bool(documentSigned),
      grievanceFiled: grievanceFiled === 1,
      grievanceAnswer,
      facility,
      person,
      witnesses,
      interview: interviewId ? (interviews.get(interviewId) ?? null) : null,
    });
  }
  return { rows: out, people };
}

/** First and last incident dates on record (live incidents), for a report over everything. */
export function incidentDateRange(db: Db): { from: string; to: string } | null {
  const r = stmt(db, `SELECT min(occurred_on) AS f, max(coalesce(occurred_until, occurred_on)) AS t FROM incidents WHERE deleted_at IS NULL`).get() as {
    f: string | null;
    t: string | null;
  };
  return r.f && r.t ? { from: r.f, to: r.t } : null;
}
