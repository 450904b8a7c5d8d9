// Writes a report corpus into a real database through the real channels, as the UI would.
import type { Session } from '../electron/core/session';
import type { ReportSource } from '../shared/report/source';
import { CORPUS_FACILITIES } from './report-corpus';

const DOCS: Record<string, string> = { 'I-210 voluntary departure': 'i210_voluntary_departure', 'Stipulated removal': 'stipulated_removal' };

async function must<T>(p: Promise<{ ok: boolean; data?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`seed failed: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

/** Seeds facilities, people (in filing-code order), interviews and incidents; returns db ids by corpus id. */
export async function seedCorpus(session: Session, source: ReportSource): Promise<{ people: Map<string, string>; incidents: Map<string, string> }> {
  const d = session.dispatch;
  const facilities = new Map<string, string>();
  for (const f of CORPUS_FACILITIES) {
    const rec = await must<{ id: string }>(d('facilities:create', { name: f.name, city: f.city, state: f.state, operator: 'PRIVATE', operatorName: null, standard: f.standard }));
    facilities.set(f.id, rec.id);
  }
  const people = new Map<string, string>();
  for (const p of source.people) {
    const rec = await must<{ id: string; filingCode: string }>(
      d('people:create', {
        familyName: p.familyName,
        givenName: p.givenName,
        nameOriginal: p.nameOriginal ?? '',
        aNumber: p.aNumber,
        birthDate: p.birthDate ?? '',
        consentGiven: p.consent,
        ...(p.consent ? { consentDate: '2026-04-01', consentScope: 'Use in filings in this case' } : {}),
      }),
    );
    if (rec.filingCode !== p.filingCode) throw new Error(`seed expects a fresh database: got ${rec.filingCode} for ${p.filingCode}`);
    people.set(p.id, rec.id);
  }
  const incidents = new Map<string, string>();
  for (const r of source.rows) {
    const personId = people.get(r.person.id)!;
    const interview = r.interview
      ? await must<{ id: string }>(
          d('interviews:create', {
            personId,
            startedAt: `${r.interview.date}T10:00`,
            interviewer: 'Jane Doe',
            declarationStatus: r.interview.declaration === 'signed' ? 'signed' : 'none',
            ...(r.interview.declaration === 'signed' ? { declarationSignedOn: r.interview.date } : {}),
          }),
        )
      : null;
    const rec = await must<{ id: string }>(
      d('incidents:create', {
        personId,
        interviewId: interview?.id ?? null,
        facilityId: facilities.get(r.facility.id)!,
        occurredOn: r.occurredOn,
        occurredUntil: r.occurredUntil,
        datePrecision: r.precision,
        categories: r.categories,
        summary: r.summary,
        ownWords: r.ownWords,
        witnesses: r.witnesses.map((w) => (w.personId ? { personId: people.get(w.personId)!, description: null } : { personId: null, description: w.name })),
        documentPressed: r.documentType ? DOCS[r.documentType] : null,
        documentSigned: r.documentType ? r.documentSigned : null,
        counselPresent: r.counselPresent,
        grievanceFiled: r.grievanceFiled === true,
        grievanceAnswer: r.grievanceFiled ? r.grievanceAnswer : null,
        status: r.status,
        includeInReport: r.includeInReport,
      }),
    );
    incidents.set(r.incidentId, rec.id);
  }
  return { people, incidents };
}
