// The rows a report is built from: every live incident overlapping the period, with its person,
// facility and interview, plus everyone whose name could appear in free text.
import type { Db } from '../open';
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

interface IncidentSqlRow {
  incidentId: string;
  occurredOn: string;
  occurredUntil: string | null;
  precision: string;
  categories: string;
  summary: string;
  ownWords: string | null;
  status: string;
  includeInReport: number;
  counselPresent: number | null;
  documentPressed: string | null;
  documentOther: string | null;
  documentSigned: number | null;
  grievanceFiled: number;
  grievanceAnswer: string | null;
  witnesses: string;
  personId: string;
  facilityId: string;
  facilityName: string;
  facilityCity: string;
  facilityState: string;
  facilityStandard: string;
  interviewId: string | null;
  interviewStartedAt: string | null;
  declarationStatus: string | null;
  declarationSignedOn: string | null;
}

const bool = (v: number | null) => (v === null ? null : v === 1);

export function loadReportSource(db: Db, period: { from: string; to: string }): ReportSource {
  // Deleted people stay in the name list: a tombstoned record's name is no less private.
  const people = (stmt(db, PEOPLE).all() as PersonRow[]).map(toPerson);
  const byId = new Map(people.map((p) => [p.id, p]));
  const rows = stmt(
    db,
    `SELECT i.id AS incidentId, i.occurred_on AS occurredOn, i.occurred_until AS occurredUntil,
       i.date_precision AS precision, i.categories, i.summary, i.own_words AS ownWords, i.status,
       i.include_in_report AS includeInReport, i.counsel_present AS counselPresent,
       i.document_pressed AS documentPressed, i.document_other AS documentOther, i.document_signed AS documentSigned,
       i.grievance_filed AS grievanceFiled, i.grievance_answer AS grievanceAnswer, i.witnesses,
       i.person_id AS personId, f.id AS facilityId, f.name AS facilityName, f.city AS facilityCity,
       f.state AS facilityState, f.standard AS facilityStandard,
       v.id AS interviewId, v.started_at AS interviewStartedAt, v.declaration_status AS declarationStatus,
       v.declaration_signed_on AS declarationSignedOn
     FROM incidents i
     JOIN facilities f ON f.id = i.facility_id
     LEFT JOIN interviews v ON v.id = i.interview_id AND v.deleted_at IS NULL
     WHERE i.deleted_at IS NULL AND i.occurred_on <= ? AND coalesce(i.occurred_until, i.occurred_on) >= ?
     ORDER BY i.occurred_on, i.id`,
  ).all(period.to, period.from) as IncidentSqlRow[];

  const out: ReportSourceRow[] = [];
  for (const r of rows) {
    const person = byId.get(r.personId);
    if (!person) continue; // foreign keys make this unreachable
    const witnesses = (JSON.parse(r.witnesses) as { personId: string | null; description: string | null }[]).map((w) => {
      const p = w.personId ? byId.get(w.personId) : undefined;
      return { personId: w.personId, name: p ? `${p.givenName} ${p.familyName}` : (w.description ?? '') };
    });
    const doc = r.documentPressed as keyof typeof DOCUMENT_KIND_LABELS | null;
    const decl = r.declarationStatus as keyof typeof DECLARATION_STATUS_LABELS | null;
    out.push({
      incidentId: r.incidentId,
      occurredOn: r.occurredOn,
      occurredUntil: r.occurredUntil,
      precision: r.precision === 'month' || r.precision === 'approximate' ? r.precision : 'exact',
      categories: (JSON.parse(r.categories) as string[]).filter((c): c is CategoryCode => (CATEGORY_CODES as readonly string[]).includes(c)),
      summary: r.summary,
      ownWords: r.ownWords,
      status: r.status as ReportSourceRow['status'],
      includeInReport: r.includeInReport === 1,
      counselPresent: bool(r.counselPresent),
      documentType: doc ? (doc === 'other' && r.documentOther ? r.documentOther : DOCUMENT_KIND_LABELS[doc] ?? doc) : null,
      documentSigned: bool(r.documentSigned),
      grievanceFiled: r.grievanceFiled === 1,
      grievanceAnswer: r.grievanceAnswer,
      facility: { id: r.facilityId, name: r.facilityName, city: r.facilityCity, state: r.facilityState, standard: r.facilityStandard },
      person,
      witnesses,
      interview: r.interviewId
        ? {
            id: r.interviewId,
            date: (r.interviewStartedAt ?? '').slice(0, 10),
            declaration: decl ? (decl === 'signed' && r.declarationSignedOn ? `signed ${r.declarationSignedOn}` : DECLARATION_STATUS_LABELS[decl].replace(/^Declaration /, '').replace(/^No declaration$/, 'not taken')) : null,
          }
        : null,
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
