import { describe, expect, it } from 'vitest';
import { forbiddenStrings, reportCorpus } from '../../test/report-corpus';
import { CATEGORY_CODES } from '../vocab';
import { ReportDefinitionInput, type ReportDefinitionInput as DefInput } from './definition';
import { buildReferenceList, buildReportModel, type BuildInput } from './model';
import { renderHtml } from './html';
import { nameMatcher, nameSpellings } from './redact';
import type { ReportSource } from './source';

const CAPTION = { court: 'UNITED STATES DISTRICT COURT', caseName: 'Doe v. Agency', caseNumber: 'No. 2:26-cv-00001' };

function input(source: ReportSource, over: Partial<DefInput> = {}, settings: BuildInput['settings'] = { officeName: '', aNumberInPublic: 'omit' }): BuildInput {
  const definition = ReportDefinitionInput.parse({
    name: 'June',
    caption: CAPTION,
    title: 'Status report',
    exhibitLabel: 'Exhibit A',
    periodFrom: '2026-05-01',
    periodTo: '2026-06-30',
    ...over,
  });
  return { source, definition, settings, generatedAt: '2026-07-20T12:00:00.000Z', appVersion: '0.1.0', definitionId: null };
}

describe('report model', () => {
  const source = reportCorpus({ incidents: 400, seed: 7 });

  it('counts every facility × category cell exactly as an independent tally of the same rows', () => {
    const m = buildReportModel(input(source));
    // Independent computation: straight over the source rows with the default filters.
    const kept = source.rows.filter(
      (r) => r.includeInReport && r.status !== 'excluded' && r.person.consent && r.occurredOn <= '2026-06-30' && (r.occurredUntil ?? r.occurredOn) >= '2026-05-01',
    );
    const tally = new Map<string, Set<string>>();
    for (const r of kept) for (const c of r.categories) {
      const k = `${r.facility.id}|${c}`;
      if (!tally.has(k)) tally.set(k, new Set());
      tally.get(k)!.add(r.incidentId);
    }
    expect(m.summary.grandTotal.count).toBe(kept.length);
    expect(m.log.rows).toHaveLength(kept.length);
    let cells = 0;
    for (const row of m.summary.rows) {
      expect(row.total.count).toBe(kept.filter((r) => r.facility.id === row.facilityId).length);
      m.summary.categories.forEach((c, i) => {
        const expected = tally.get(`${row.facilityId}|${c.code}`) ?? new Set();
        expect(row.cells[i]!.count).toBe(expected.size);
        expect(new Set(row.cells[i]!.incidentIds)).toEqual(expected);
        cells += row.cells[i]!.count;
      });
    }
    expect(cells).toBe(kept.reduce((s, r) => s + r.categories.length, 0));
    m.summary.categories.forEach((c, i) =>
      expect(m.summary.totals[i]!.count).toBe(kept.filter((r) => r.categories.includes(c.code)).length),
    );
  });

  it('states the excluded counts, each incident under its first reason', () => {
    const m = buildReportModel(input(source));
    const inPeriod = source.rows.filter((r) => r.occurredOn <= '2026-06-30' && (r.occurredUntil ?? r.occurredOn) >= '2026-05-01');
    const notIncluded = inPeriod.filter((r) => !r.includeInReport).length;
    const status = inPeriod.filter((r) => r.includeInReport && r.status === 'excluded').length;
    const consent = inPeriod.filter((r) => r.includeInReport && r.status !== 'excluded' && !r.person.consent).length;
    const expected = [
      { reason: 'notIncluded', count: notIncluded },
      { reason: 'status', count: status },
      { reason: 'consent', count: consent },
    ].filter((e) => e.count > 0);
    expect(notIncluded).toBeGreaterThan(0);
    expect(consent).toBeGreaterThan(0);
    expect(m.exclusions).toEqual(expected);
    expect(m.methodNote.join(' ')).toContain(`${consent} incidents without consent to use in filings`);
    expect(m.log.rows.length + notIncluded + status + consent).toBe(inPeriod.length);
  });

  it('numbers rows A-001… in date order and keeps the incident id behind each row and cell', () => {
    const m = buildReportModel(input(source));
    expect(m.log.rows[0]!.rowId).toBe('A-001');
    expect(m.log.rows[m.log.rows.length - 1]!.rowId).toBe(`A-${String(m.log.rows.length).padStart(3, '0')}`);
    const dates = m.log.rows.map((r) => r.dateIso);
    expect([...dates].sort()).toEqual(dates);
    expect(m.recordIds.incidents).toEqual(m.log.rows.map((r) => r.incidentId));
    const rowOf = new Map(m.log.rows.map((r) => [r.incidentId, r.rowId]));
    for (const row of m.summary.rows) for (const cell of row.cells) expect(cell.rowIds).toEqual(cell.incidentIds.map((id) => rowOf.get(id)));
  });

  it.each(['date', 'facility', 'filingCode'] as const)('orders rows by %s, then the other fields, then the incident id', (sort) => {
    // Shuffled rows, a third of them on one day, a few with longer filing codes: many ties.
    const rows = [...source.rows].reverse().map((r, i) => ({
      ...r,
      occurredOn: i % 3 ? r.occurredOn : '2026-06-01',
      occurredUntil: i % 3 ? r.occurredUntil : null,
      person: i % 7 ? r.person : { ...r.person, filingCode: `CM-1${r.person.filingCode.slice(3)}` },
    }));
    const m = buildReportModel(input({ rows, people: source.people }, { sort }));
    const S = '\u0001';
    const key = (r: ReportSource['rows'][number]) =>
      sort === 'facility'
        ? [r.facility.name, r.occurredOn, r.person.filingCode, r.incidentId].join(S)
        : sort === 'filingCode'
          ? [r.person.filingCode.padStart(12, '0'), r.occurredOn, r.incidentId].join(S)
          : [r.occurredOn, r.facility.name, r.person.filingCode, r.incidentId].join(S);
    const byId = new Map(rows.map((r) => [r.incidentId, r]));
    const expected = m.recordIds.incidents.map((id) => byId.get(id)!).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    expect(m.log.rows.length).toBeGreaterThan(100);
    expect(m.recordIds.incidents).toEqual(expected.map((r) => r.incidentId));
  });

  it('applies the facility, category and status filters and the consent default', () => {
    const fac = source.rows[0]!.facility.id;
    const m = buildReportModel(input(source, { filters: { facilityIds: [fac], categories: ['FOOD', 'WATER'], statuses: ['verified'], consentOnly: false } }));
    expect(m.log.rows.length).toBeGreaterThan(0);
    for (const r of m.log.rows) {
      const src = source.rows.find((s) => s.incidentId === r.incidentId)!;
      expect(src.facility.id).toBe(fac);
      expect(src.status).toBe('verified');
      expect(src.categories.some((c) => c === 'FOOD' || c === 'WATER')).toBe(true);
    }
    expect(m.summary.categories.map((c) => c.code)).toEqual(['FOOD', 'WATER']);
    expect(m.log.rows.some((r) => !source.rows.find((s) => s.incidentId === r.incidentId)!.person.consent)).toBe(true);
  });

  it('leaves no name, A-number or birth date anywhere in a public model', () => {
    const m = buildReportModel(input(source, { columns: ['rowId', 'person', 'aNumber', 'birth', 'facility', 'date', 'categories', 'standard', 'summary', 'ownWords', 'circumstances', 'source'] }));
    const json = JSON.stringify(m);
    const leaks = forbiddenStrings(source).filter((s) => json.includes(s));
    expect(leaks).toEqual([]);
    expect(m.log.columns).not.toContain('aNumber'); // office setting: omit
    expect(json).toMatch(/CM-\d{3}/);
  });

  // Catches: the grievance answer going into the public log without the redactor (the corpus's
  // answers all say "No answer yet", so the test above never saw one that names anybody).
  it('redacts a grievance answer that names the person, their A-number and a witness', () => {
    const rows = source.rows.slice(0, 60).map((r) => ({
      ...r,
      grievanceFiled: true,
      grievanceAnswer: `Warden replied that ${r.person.givenName} ${r.person.familyName} (${r.person.aNumber}) and Daniel Okafor were heard`,
    }));
    const pub = buildReportModel(input({ rows, people: source.people }, { columns: ['rowId', 'circumstances'] }));
    const shown = pub.log.rows.map((r) => r.grievance);
    expect(shown.length).toBeGreaterThan(20);
    for (const g of shown) expect(g).toMatch(/^Filed; answer: Warden replied that .+ were heard$/);
    expect(forbiddenStrings({ rows, people: source.people }).filter((f) => JSON.stringify(pub).includes(f))).toEqual([]);
    const sealed = buildReportModel(input({ rows, people: source.people }, { profile: 'sealed', columns: ['rowId', 'circumstances'] }));
    const first = rows.find((r) => r.incidentId === sealed.log.rows[0]!.incidentId)!;
    expect(sealed.log.rows[0]!.grievance).toBe(`Filed; answer: ${first.grievanceAnswer}`);
  });

  it('shows the last three A-number digits in public only when the office setting says so', () => {
    const m = buildReportModel(input(source, { columns: ['rowId', 'person', 'aNumber'] }, { officeName: '', aNumberInPublic: 'last3' }));
    const r = m.log.rows[0]!;
    const p = source.rows.find((s) => s.incidentId === r.incidentId)!.person;
    expect(r.aNumber).toBe(`xxx-xxx-${p.aNumber.slice(6)}`);
  });

  it('keeps everything in the sealed profile and the key maps each code to its person', () => {
    const m = buildReportModel(input(source, { profile: 'sealed', columns: ['rowId', 'person', 'aNumber', 'birth', 'summary'] }));
    const r = m.log.rows[0]!;
    const src = source.rows.find((s) => s.incidentId === r.incidentId)!;
    expect(r.person).toContain(`${src.person.familyName}, ${src.person.givenName}`);
    expect(r.summary).toBe(src.summary);
    const pub = buildReportModel(input(source, { columns: ['rowId', 'person', 'summary'] }));
    const key = buildReferenceList(input(source), pub, [renderHtml(pub)]);
    const entry = key.entries.find((e) => e.code === src.person.filingCode)!;
    expect(entry.name).toBe(`${src.person.familyName}, ${src.person.givenName}`);
    expect(entry.rowIds.length).toBeGreaterThan(0);
    expect(key.entries.some((e) => e.code.startsWith('W-') && e.name.startsWith('Daniel Okafor'))).toBe(true);
  });

  it('shows minors by initials in the internal profile, in the person column and in free text', () => {
    const minor = source.people.find((p) => p.birthDate?.startsWith('2010'))!;
    const rows = source.rows.filter((r) => r.person.id === minor.id).map((r) => ({ ...r, person: { ...minor, consent: true }, includeInReport: true, status: 'verified' as const }));
    const m = buildReportModel(input({ rows, people: source.people }, { profile: 'internal' }));
    expect(m.log.rows.length).toBeGreaterThan(0);
    for (const r of m.log.rows) {
      expect(r.person).toBe(`${minor.filingCode} ${minor.givenName[0]}. ${minor.familyName[0]}.`);
      expect(r.summary).not.toContain(minor.familyName);
    }
  });

  it('is deterministic: the same input builds an equal model', () => {
    expect(buildReportModel(input(source))).toEqual(buildReportModel(input(source)));
    expect(CATEGORY_CODES.length).toBe(16);
  });
});

describe('name redaction in free text', () => {
  const yusuf = { familyName: 'Haddad', givenName: 'Yusuf', nameOriginal: 'يوسف حداد', nameVariants: ['Youssef al-Haddad'] };
  const m = nameMatcher(nameSpellings(yusuf).map((n) => ({ name: n, replacement: 'CM-001' })));

  it('replaces Latin names whatever their case or accents, and leaves other words alone', () => {
    expect(m.apply('Yusuf Haddad said HADDAD was moved; Yoússef al-Haddad too.')).toBe('CM-001 said CM-001 was moved; CM-001 too.');
    expect(m.apply('Haddad’s lawyer called.')).toBe('CM-001’s lawyer called.');
    expect(m.apply('The Haddadi family and Yusufzai were not named.')).toBe('The Haddadi family and Yusufzai were not named.');
  });

  it('replaces Arabic names with diacritics, letter variants, a proclitic or the article attached', () => {
    expect(m.apply('قال يُوسُف حداد')).toBe('قال CM-001');
    expect(m.apply('رأيت ويوسف والحداد')).toBe('رأيت وCM-001 والCM-001');
    expect(m.apply('حدّاد')).toBe('CM-001');
  });
});
