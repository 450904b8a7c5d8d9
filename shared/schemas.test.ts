import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { IncidentInput, InterviewInput, PersonInput, DraftSaveInput, PersonUpdate, SearchIncidentsInput, Witness } from './schemas';

const ID = '01JGFJK3W8MX3GMWYTKYYHT0GA';
const ID2 = '01JGFJK3W8MX3GMWYTKYYHT0GB';

/** The field paths a schema refuses, or [] when it accepts. */
function refused(schema: z.ZodType, input: unknown): string[] {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

const person = { familyName: 'Haddad', givenName: 'Yusuf', aNumber: 'A 012-345-678' };
const interview = { personId: ID, startedAt: '2026-06-20T09:30', interviewer: 'Dana Whitfield' };
const incident = { personId: ID, facilityId: ID2, occurredOn: '2026-06-18', categories: ['WATER'], summary: 'No water.' };

describe('person validation', () => {
  it('accepts the minimum and fills defaults', () => {
    const p = PersonInput.parse(person);
    expect(p).toMatchObject({ aNumber: '012345678', languages: [], interpreterNeeded: false, classMembership: 'unknown', removalOrderStatus: 'unknown', consentGiven: false, consentDate: null });
  });

  it('accepts null and empty strings for optional fields (a record read back and sent again)', () => {
    expect(refused(PersonInput, { ...person, nameOriginal: null, birthDate: '', currentFacilityId: null, counsel: '' })).toEqual([]);
  });

  it.each([
    [{ familyName: '' }, 'familyName'],
    [{ givenName: '   ' }, 'givenName'],
    [{ familyName: 'x'.repeat(201) }, 'familyName'],
    [{ aNumber: 'A12B' }, 'aNumber'],
    [{ birthDate: '1990-02-30' }, 'birthDate'],
    [{ detainedSince: 'yesterday' }, 'detainedSince'],
    [{ classMembership: 'maybe' }, 'classMembership'],
    [{ removalOrderStatus: 'gone' }, 'removalOrderStatus'],
    [{ languages: Array.from({ length: 11 }, (_, i) => `L${i}`) }, 'languages'],
    [{ languages: ['Arabic', 'arabic'] }, 'languages'],
    [{ currentFacilityId: 'not-an-id' }, 'currentFacilityId'],
    [{ consentGiven: true }, 'consentDate'],
    [{ consentGiven: false, consentDate: '2026-01-01' }, 'consentGiven'],
    [{ birthDate: '1990-01-01', detainedSince: '1989-12-31' }, 'detainedSince'],
    [{ consentScope: 'x'.repeat(1001) }, 'consentScope'],
  ])('refuses %j, naming %s', (patch, field) => {
    expect(refused(PersonInput, { ...person, ...patch })).toContain(field);
  });

  it('needs the version read and bounds the reason on update', () => {
    expect(refused(PersonUpdate, { ...person, id: ID })).toContain('expectedVersion');
    expect(refused(PersonUpdate, { ...person, id: ID, expectedVersion: 0 })).toContain('expectedVersion');
    expect(refused(PersonUpdate, { ...person, id: ID, expectedVersion: 1, reason: 'x'.repeat(501) })).toContain('reason');
    expect(refused(PersonUpdate, { ...person, id: ID, expectedVersion: 1, reason: 'typo in name' })).toEqual([]);
  });
});

describe('interview validation', () => {
  it('accepts the minimum with in-person mode and no declaration', () => {
    expect(InterviewInput.parse(interview)).toMatchObject({ mode: 'in_person', declarationStatus: 'none', durationMinutes: null });
  });

  it.each([
    [{ startedAt: '2026-06-20 09:30' }, 'startedAt'],
    [{ startedAt: '2026-02-30T09:30' }, 'startedAt'],
    [{ interviewer: '' }, 'interviewer'],
    [{ mode: 'letter' }, 'mode'],
    [{ durationMinutes: 0 }, 'durationMinutes'],
    [{ durationMinutes: 12.5 }, 'durationMinutes'],
    [{ durationMinutes: 24 * 60 + 1 }, 'durationMinutes'],
    [{ declarationStatus: 'signed' }, 'declarationSignedOn'],
    [{ declarationStatus: 'drafted', declarationSignedOn: '2026-06-21' }, 'declarationSignedOn'],
    [{ declarationStatus: 'signed', declarationSignedOn: '2026-06-19' }, 'declarationSignedOn'],
    [{ interpreterLanguage: 'Arabic' }, 'interpreter'],
  ])('refuses %j, naming %s', (patch, field) => {
    expect(refused(InterviewInput, { ...interview, ...patch })).toContain(field);
  });
});

describe('incident validation', () => {
  it('accepts the minimum with defaults: exact date, new, included', () => {
    expect(IncidentInput.parse(incident)).toMatchObject({ datePrecision: 'exact', status: 'new', includeInReport: true, staffInvolved: [], witnesses: [], documentSigned: null, counselPresent: null });
  });

  it('accepts a full record: range, staff, witnesses, document, grievance', () => {
    expect(
      refused(IncidentInput, {
        ...incident,
        interviewId: ID2,
        occurredOn: '2026-06-01',
        occurredUntil: '2026-06-03',
        datePrecision: 'approximate',
        ownWords: 'قطعوا الماء',
        staffInvolved: [{ role: 'contract_guard', name: null, badge: '4471' }],
        witnesses: [{ personId: ID2 }, { description: 'cellmate from Honduras' }],
        deprivationMinutes: 600,
        documentPressed: 'other',
        documentOther: 'Property waiver',
        documentSigned: false,
        counselPresent: false,
        grievanceFiled: true,
        grievanceAnswer: 'Denied',
        raisedWithOpposingCounselOn: '2026-07-01',
        status: 'verified',
      }),
    ).toEqual([]);
  });

  it.each([
    [{ occurredOn: '2026-13-01' }, 'occurredOn'],
    [{ occurredUntil: '2026-06-17' }, 'occurredUntil'],
    [{ occurredUntil: '2026-06-18' }, 'occurredUntil'],
    [{ datePrecision: 'month' }, 'occurredOn'],
    [{ datePrecision: 'roughly' }, 'datePrecision'],
    [{ categories: [] }, 'categories'],
    [{ categories: ['WATER', 'WATER'] }, 'categories'],
    [{ categories: ['THIRST'] }, 'categories.0'],
    [{ summary: '' }, 'summary'],
    [{ summary: 'x'.repeat(10_001) }, 'summary'],
    [{ ownWords: 'x'.repeat(20_001) }, 'ownWords'],
    [{ staffInvolved: [{ role: 'janitor' }] }, 'staffInvolved.0.role'],
    [{ staffInvolved: Array.from({ length: 21 }, () => ({ role: 'medical' })) }, 'staffInvolved'],
    [{ witnesses: [{}] }, 'witnesses.0'],
    [{ witnesses: [{ personId: ID2, description: 'also text' }] }, 'witnesses.0'],
    [{ witnesses: [{ personId: ID }] }, 'witnesses'],
    [{ witnesses: [{ personId: ID2 }, { personId: ID2 }] }, 'witnesses'],
    [{ deprivationMinutes: -1 }, 'deprivationMinutes'],
    [{ documentSigned: true }, 'documentSigned'],
    [{ documentPressed: 'other' }, 'documentOther'],
    [{ documentPressed: 'travel_document', documentOther: 'x' }, 'documentOther'],
    [{ documentPressed: 'passport' }, 'documentPressed'],
    [{ grievanceAnswer: 'Denied' }, 'grievanceAnswer'],
    [{ status: 'excluded' }, 'includeInReport'],
    [{ status: 'closed' }, 'status'],
    [{ raisedWithOpposingCounselOn: '07/01/2026' }, 'raisedWithOpposingCounselOn'],
  ])('refuses %j, naming %s', (patch, field) => {
    expect(refused(IncidentInput, { ...incident, ...patch })).toContain(field);
  });

  it('takes a month-precision date on the first of the month, and an excluded incident left out of reports', () => {
    expect(refused(IncidentInput, { ...incident, occurredOn: '2026-06-01', datePrecision: 'month' })).toEqual([]);
    expect(refused(IncidentInput, { ...incident, status: 'excluded', includeInReport: false })).toEqual([]);
  });

  it('refuses a witness with unknown keys', () => {
    expect(Witness.safeParse({ personId: ID, name: 'x' }).success).toBe(false);
  });
});

describe('search and drafts validation', () => {
  it('needs search text and bounds it', () => {
    expect(refused(SearchIncidentsInput, {})).toContain('text');
    expect(refused(SearchIncidentsInput, { text: 'x'.repeat(501) })).toContain('text');
    expect(refused(SearchIncidentsInput, { text: 'water', limit: 1001 })).toContain('limit');
  });

  it('bounds a draft key and its size', () => {
    expect(refused(DraftSaveInput, { key: 'interview/1', kind: 'interview', data: {} })).toContain('key');
    expect(refused(DraftSaveInput, { key: 'interview:1', kind: 'interview', data: { text: 'x'.repeat(200_001) } })).toContain('data');
    expect(refused(DraftSaveInput, { key: 'interview:1', kind: 'interview', data: { text: 'ok' } })).toEqual([]);
  });
});
