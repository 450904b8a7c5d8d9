import { describe, expect, it } from 'vitest';
import { IncidentInput } from '../../shared/schemas';
import { emptyIncident, incidentFormErrors, incidentInput, incidentToValues, isBlankIncident } from '../../renderer/src/features/incidents/incident-values';
import { formatWhen, formatMinutes } from '../../renderer/src/ui/labels';
import { formSummary, pathErrors } from '../../renderer/src/api/client';
import { compareValues, isRtl } from '../../renderer/src/ui/text';
import { draftPlace } from '../../renderer/src/ui/kept-work';
import { timelineDetail, timelineTitle } from '../../renderer/src/features/people/timeline';

const PERSON = '01JGFJQGG8PHV8ZW1X40ERAXZ8';
const FACILITY = '01JGFSVHC85RVE9JKKS19C2BTV';

function filled() {
  return {
    ...emptyIncident(FACILITY),
    occurredOn: '2026-06-18',
    categories: ['WATER'],
    summary: 'Held without water.',
  };
}

describe('incident form values', () => {
  it('turns a month into its first day and a month range end into the last day of that month', () => {
    const input = incidentInput({ ...filled(), datePrecision: 'month', occurredOn: '2026-02', occurredUntil: '2026-03' });
    expect(input.occurredOn).toBe('2026-02-01');
    expect(input.occurredUntil).toBe('2026-03-31');
  });

  it('stores a deprivation given in hours or days as minutes, and an empty one as null', () => {
    expect(incidentInput({ ...filled(), deprivationAmount: 14, deprivationUnit: 'hours' }).deprivationMinutes).toBe(840);
    expect(incidentInput({ ...filled(), deprivationAmount: 2, deprivationUnit: 'days' }).deprivationMinutes).toBe(2880);
    expect(incidentInput({ ...filled(), deprivationAmount: '' }).deprivationMinutes).toBeNull();
  });

  it('drops answers that only make sense with their question: signed without a document, other text, grievance answer', () => {
    const input = incidentInput({ ...filled(), documentSigned: 'yes', documentOther: 'x', grievanceAnswer: 'denied' });
    expect(input.documentSigned).toBeNull();
    expect(input.documentOther).toBeNull();
    expect(input.grievanceAnswer).toBeNull();
    expect(incidentInput({ ...filled(), status: 'excluded', includeInReport: true }).includeInReport).toBe(false);
  });

  it('produces input the contract accepts, and reads a stored incident back to the same values', () => {
    const values = {
      ...filled(),
      datePrecision: 'approximate',
      documentPressed: 'i210_voluntary_departure',
      documentSigned: 'no' as const,
      counselPresent: 'no' as const,
      staffInvolved: [{ role: 'ice_officer', name: 'Reyes', badge: '4471' }],
      witnesses: [{ personId: '', description: 'cellmate' }],
      deprivationAmount: 3,
      deprivationUnit: 'hours' as const,
    };
    const parsed = IncidentInput.parse({ ...incidentInput(values), personId: PERSON });
    const stored = {
      ...parsed,
      id: FACILITY,
      version: 1,
      createdAt: '',
      updatedAt: '',
      deletedAt: null,
      staffInvolved: parsed.staffInvolved.map((s) => ({ role: s.role, name: s.name, badge: s.badge })),
      witnesses: parsed.witnesses.map((w) => ({ personId: w.personId, description: w.description })),
    };
    expect(incidentToValues(stored)).toEqual(values);
  });

  it('names the choices left empty before anything is sent, and knows a blank form', () => {
    expect(Object.keys(incidentFormErrors(emptyIncident()))).toEqual(['facilityId', 'occurredOn', 'categories']);
    expect(incidentFormErrors(filled())).toEqual({});
    expect(isBlankIncident(emptyIncident(FACILITY))).toBe(true);
    expect(isBlankIncident(filled())).toBe(false);
  });
});

describe('display and errors', () => {
  it('shows dates as recorded: a month as YYYY-MM, an approximate date with ~, a range with both ends', () => {
    expect(formatWhen({ occurredOn: '2026-05-01', occurredUntil: null, datePrecision: 'month' })).toBe('2026-05');
    expect(formatWhen({ occurredOn: '2026-06-20', occurredUntil: '2026-06-22', datePrecision: 'approximate' })).toBe('~ 2026-06-20 – 2026-06-22');
    expect(formatMinutes(1500)).toBe('1 day 1 hour');
    expect(formatMinutes(720)).toBe('12 hours');
  });

  it('puts a nested message next to its input and names the fields in the summary', () => {
    const issues = [
      { path: ['staffInvolved', 0, 'name'], message: 'too long' },
      { path: ['deprivationMinutes'], message: 'cannot be negative' },
    ];
    expect(pathErrors(issues, { deprivationMinutes: 'deprivationAmount' })).toEqual({
      'staffInvolved.0.name': 'too long',
      staffInvolved: 'too long',
      deprivationAmount: 'cannot be negative',
    });
    expect(formSummary({ message: 'raw', issues }, (f) => ({ staffInvolved: 'Staff involved', deprivationMinutes: 'Deprivation' })[f] ?? f)).toBe(
      'Check these fields: Staff involved, Deprivation.',
    );
  });

  it('sorts Latin and Arabic text with the collator, case and accents aside, empty values last', () => {
    const names = ['zaidan', 'Álvarez', 'حداد', 'alvarez 10', 'alvarez 9', '', 'إبراهيم'];
    const sorted = [...names].sort(compareValues);
    expect(sorted.slice(0, 3)).toEqual(['Álvarez', 'alvarez 9', 'alvarez 10']);
    expect(sorted.indexOf('إبراهيم')).toBeLessThan(sorted.indexOf('حداد'));
    expect(sorted[sorted.length - 1]).toBe('');
    expect(isRtl('  «حداد»')).toBe(true);
    expect(isRtl('Haddad حداد')).toBe(false);
  });
});

describe('unsaved work in the header', () => {
  it('names each kind of draft and where it is picked up again', () => {
    const long = 'Meals withheld for two days after the hearing; water only from the sink.';
    expect(draftPlace({ key: `incident.${PERSON}`, data: { v: 1, baseVersion: 1, values: { summary: long } } })).toEqual({
      route: { page: 'incident', id: PERSON },
      label: 'Incident edit: Meals withheld for two days after the hearing; …',
    });
    expect(draftPlace({ key: `person.${PERSON}`, data: { v: 1, baseVersion: 2, values: { familyName: 'حداد', givenName: 'محمد' } } })).toEqual({
      route: { page: 'person', id: PERSON },
      label: 'Person edit: حداد, محمد',
    });
    expect(draftPlace({ key: 'interview.new', data: {} })).toEqual({ route: { page: 'interview' }, label: 'Interview under way' });
    expect(draftPlace({ key: `interview.${FACILITY}`, data: null })).toEqual({ route: { page: 'interview', interviewId: FACILITY }, label: 'Interview under way' });
    expect(draftPlace({ key: 'report-builder', data: {} })).toMatchObject({ route: { page: 'reports' } });
    expect(draftPlace({ key: 'something.else', data: {} })).toBeNull();
  });
});

describe('person timeline wording', () => {
  const base = { id: '01J0000000000000000000000A', date: '2026-06-20', until: null, precision: 'exact' as const, categories: [], status: null };
  it('names an interview by its mode, and where and by whom under it', () => {
    const t = { ...base, kind: 'interview' as const, summary: null, interview: { mode: 'in_person' as const, place: 'Calhoun County', interviewer: 'Dana' } };
    expect(timelineTitle(t)).toBe('Interview (in person)');
    expect(timelineDetail(t)).toBe('Calhoun County, by Dana');
  });
  it('shortens a long incident summary in the title and keeps it whole below', () => {
    const summary = 'x'.repeat(130);
    const t = { ...base, kind: 'incident' as const, summary, interview: null };
    expect(timelineTitle(t)).toBe(`${'x'.repeat(119)}…`);
    expect(timelineDetail(t)).toBe(summary);
  });
});
