import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from './session';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, contentHash, fixedClock, tempDbFile, testSession } from '../../test/helpers';
import type { Session } from './session';
import type { Facility, HistoryEntry, Incident, IncidentRow, Interview, Person } from '../../shared/schemas';
import { seed } from '../../db/seed';

afterEach(cleanupTempDirs);

async function ok<T>(s: Session, channel: string, input: unknown): Promise<T> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
}
async function fails(s: Session, channel: string, input: unknown) {
  const r = await s.dispatch(channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}

async function setup(s = testSession()) {
  const facility = await ok<Facility>(s, 'facilities:create', SAMPLE_FACILITY);
  const other = await ok<Facility>(s, 'facilities:create', { ...SAMPLE_FACILITY, name: 'Stewart Detention Center', city: 'Lumpkin', state: 'GA' });
  const person = await ok<Person>(s, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: facility.id });
  return { s, facility, other, person };
}

const ids = (r: unknown) => (r as { items: { id: string }[] }).items.map((i) => i.id);

const incidentOf = (personId: string, facilityId: string, patch: Record<string, unknown> = {}) => ({
  personId,
  facilityId,
  occurredOn: '2026-06-18',
  categories: ['WATER'],
  summary: 'Water was shut off in the holding cell.',
  ...patch,
});

describe('versioning and history', () => {
  it('an edit writes a second version; history gives who, when, why and each changed field', async () => {
    const { s, facility, person } = await setup();
    const created = await ok<Incident>(s, 'incidents:create', incidentOf(person.id, facility.id));
    s.ctx.now = fixedClock('2026-06-21T08:00:00.000Z');
    s.ctx.user = 'paralegal-2';
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = created;
    const edited = await ok<Incident>(s, 'incidents:update', {
      ...fields,
      id: created.id,
      expectedVersion: 1,
      reason: 'client corrected the date',
      occurredOn: '2026-06-17',
      categories: ['WATER', 'FOOD'],
    });
    expect(edited).toMatchObject({ version: 2, occurredOn: '2026-06-17', categories: ['FOOD', 'WATER'], updatedAt: '2026-06-21T08:00:00.000Z', createdAt: created.createdAt });

    const h = await ok<{ versions: HistoryEntry[] }>(s, 'incidents:history', { id: created.id });
    expect(h.versions).toHaveLength(2);
    expect(h.versions[0]).toMatchObject({ version: 1, action: 'create', by: 'test-attorney', at: '2026-06-20T10:00:00.000Z', reason: null });
    expect(h.versions[1]).toMatchObject({ version: 2, action: 'update', by: 'paralegal-2', at: '2026-06-21T08:00:00.000Z', reason: 'client corrected the date' });
    expect(h.versions[1]!.changes).toEqual([
      { field: 'occurredOn', before: '2026-06-18', after: '2026-06-17' },
      { field: 'categories', before: ['WATER'], after: ['FOOD', 'WATER'] },
    ]);
    expect(h.versions[0]!.data).toMatchObject({ occurredOn: '2026-06-18', categories: ['WATER'] });
    s.close();
  });

  it('refuses a stale version as a CONFLICT and writes nothing', async () => {
    const { s, person } = await setup();
    const { id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, filingCode: _f, ...fields } = person;
    await ok(s, 'people:update', { ...fields, id, expectedVersion: 1, nationality: 'Syria' });
    const before = contentHash(s.ctx.db);
    const err = await fails(s, 'people:update', { ...fields, id, expectedVersion: 1, nationality: 'Jordan' });
    expect(err).toMatchObject({ code: 'CONFLICT', issues: [{ path: ['expectedVersion'] }] });
    expect(err.message).toMatch(/now version 2/);
    expect(contentHash(s.ctx.db)).toBe(before);
    expect((await ok<Person>(s, 'people:get', { id })).nationality).toBe('Syria');
    s.close();
  });

  it('an edit that changes nothing writes no version', async () => {
    const { s, person } = await setup();
    const { id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, filingCode: _f, ...fields } = person;
    const same = await ok<Person>(s, 'people:update', { ...fields, id, expectedVersion: 1 });
    expect(same.version).toBe(1);
    expect((await ok<{ versions: unknown[] }>(s, 'people:history', { id })).versions).toHaveLength(1);
    s.close();
  });

  it('records the staff member picked for the session in history', async () => {
    const s = testSession();
    const staff = await ok<{ id: string }>(s, 'staff:create', { name: 'Lucía Ortega', role: 'Paralegal' });
    expect(await ok(s, 'session:set-user', { staffId: staff.id })).toEqual({ staffId: staff.id, name: 'Lucía Ortega' });
    expect(await ok(s, 'session:get-user', {})).toEqual({ staffId: staff.id, name: 'Lucía Ortega' });
    const f = await ok<Facility>(s, 'facilities:create', SAMPLE_FACILITY);
    const h = await ok<{ versions: HistoryEntry[] }>(s, 'facilities:history', { id: f.id });
    expect(h.versions[0]!.by).toBe('Lucía Ortega');
    expect(await fails(s, 'session:set-user', { staffId: '01J0000000000000000000000Z' })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await ok<{ items: { name: string }[] }>(s, 'staff:list', {})).items.map((x) => x.name)).toEqual(['Lucía Ortega']);
    s.close();
  });
});

describe('tombstones', () => {
  it('delete hides an incident from lists and search, keeps it in history, and restore brings it back', async () => {
    const { s, facility, person } = await setup();
    const inc = await ok<Incident>(s, 'incidents:create', incidentOf(person.id, facility.id, { ownWords: 'I asked for water all night' }));
    const deleted = await ok<Incident>(s, 'incidents:delete', { id: inc.id, expectedVersion: 1, reason: 'entered twice' });
    expect(deleted).toMatchObject({ version: 2, deletedAt: '2026-06-20T10:00:00.000Z' });
    expect((await ok<{ total: number }>(s, 'incidents:list', {})).total).toBe(0);
    expect((await ok<{ total: number }>(s, 'incidents:search', { text: 'water' })).total).toBe(0);
    expect((await ok<{ items: IncidentRow[] }>(s, 'incidents:list', { deleted: 'only' })).items.map((i) => i.id)).toEqual([inc.id]);
    expect(await ok<Incident>(s, 'incidents:get', { id: inc.id })).toMatchObject({ deletedAt: expect.any(String) });
    const { id: _i, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = inc;
    expect(await fails(s, 'incidents:update', { ...fields, id: inc.id, expectedVersion: 2 })).toMatchObject({ code: 'CONFLICT', message: /deleted/ });
    expect(await fails(s, 'incidents:delete', { id: inc.id, expectedVersion: 2 })).toMatchObject({ code: 'CONFLICT' });

    const restored = await ok<Incident>(s, 'incidents:restore', { id: inc.id, expectedVersion: 2 });
    expect(restored).toMatchObject({ version: 3, deletedAt: null });
    expect((await ok<{ total: number }>(s, 'incidents:search', { text: 'water' })).total).toBe(1);
    const h = await ok<{ versions: HistoryEntry[] }>(s, 'incidents:history', { id: inc.id });
    expect(h.versions.map((v) => [v.action, v.reason])).toEqual([['create', null], ['delete', 'entered twice'], ['restore', null]]);
    expect(h.versions[1]!.changes).toEqual([{ field: 'deletedAt', before: null, after: '2026-06-20T10:00:00.000Z' }]);
    s.close();
  });

  it('category lists follow an incident moved to another facility or date, deleted and restored', async () => {
    const { s, facility, other, person } = await setup();
    const inc = await ok<Incident>(s, 'incidents:create', incidentOf(person.id, facility.id, { categories: ['WATER', 'FOOD'] }));
    const list = async (f: Record<string, unknown>) => {
      const r = await ok<{ items: { id: string }[]; total: number }>(s, 'incidents:list', { category: 'FOOD', ...f });
      return [ids(r), r.total];
    };
    expect(await list({ facilityId: facility.id })).toEqual([[inc.id], 1]);
    const { id: _i, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = inc;
    await ok<Incident>(s, 'incidents:update', { ...fields, id: inc.id, expectedVersion: 1, facilityId: other.id });
    expect(await list({ facilityId: facility.id })).toEqual([[], 0]);
    expect(await list({ facilityId: other.id })).toEqual([[inc.id], 1]);
    await ok<Incident>(s, 'incidents:update', { ...fields, id: inc.id, expectedVersion: 2, facilityId: other.id, occurredOn: '2026-05-02' });
    expect(await list({ facilityId: other.id, to: '2026-05-01' })).toEqual([[], 0]);
    expect(await list({ facilityId: other.id, to: '2026-05-02' })).toEqual([[inc.id], 1]);
    await ok<Incident>(s, 'incidents:delete', { id: inc.id, expectedVersion: 3 });
    expect(await list({})).toEqual([[], 0]);
    expect(await list({ facilityId: other.id })).toEqual([[], 0]);
    expect(await list({ facilityId: other.id, deleted: 'only' })).toEqual([[inc.id], 1]);
    await ok<Incident>(s, 'incidents:restore', { id: inc.id, expectedVersion: 4 });
    expect(await list({ facilityId: other.id })).toEqual([[inc.id], 1]);
    expect(await list({ deleted: 'only' })).toEqual([[], 0]);
    s.close();
  });

  it('deletes and restores people, interviews and facilities the same way', async () => {
    const { s, facility, other, person } = await setup();
    const iv = await ok<Interview>(s, 'interviews:create', { personId: person.id, startedAt: '2026-06-20T09:00', interviewer: 'Dana Whitfield' });
    for (const [domain, rec] of [['people', person], ['interviews', iv], ['facilities', other]] as const) {
      await ok(s, `${domain}:delete`, { id: rec.id, expectedVersion: 1 });
      expect((await ok<{ items: { id: string }[] }>(s, `${domain}:list`, {})).items.map((x) => x.id)).not.toContain(rec.id);
      await ok(s, `${domain}:restore`, { id: rec.id, expectedVersion: 2 });
      expect((await ok<{ items: { id: string }[] }>(s, `${domain}:list`, {})).items.map((x) => x.id)).toContain(rec.id);
      expect((await ok<{ versions: unknown[] }>(s, `${domain}:history`, { id: rec.id })).versions).toHaveLength(3);
    }
    expect(await fails(s, 'facilities:history', { id: '01J0000000000000000000000Z' })).toMatchObject({ code: 'NOT_FOUND' });
    void facility;
    s.close();
  });

  it('refuses a new incident for a deleted person, naming the field', async () => {
    const { s, facility, person } = await setup();
    await ok(s, 'people:delete', { id: person.id, expectedVersion: 1 });
    const err = await fails(s, 'incidents:create', incidentOf(person.id, facility.id));
    expect(err).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: ['personId'] }] });
    s.close();
  });
});

describe('people: duplicates, similar names and filing codes', () => {
  it('refuses a second person with the same A-number, naming aNumber and the existing person id', async () => {
    const { s, person } = await setup();
    const err = await fails(s, 'people:create', { ...SAMPLE_PERSON, givenName: 'Other', aNumber: '12345678' });
    expect(err.code).toBe('CONFLICT');
    expect(err.issues[0]!.path).toEqual(['aNumber']);
    expect(err.issues[0]!.message).toContain(person.id);
    const p2 = await ok<Person>(s, 'people:create', { ...SAMPLE_PERSON, aNumber: '200000001' });
    const { id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, filingCode: _f, ...fields } = p2;
    expect(await fails(s, 'people:update', { ...fields, id, expectedVersion: 1, aNumber: 'A012345678' })).toMatchObject({ code: 'CONFLICT', issues: [{ path: ['aNumber'] }] });
    s.close();
  });

  it('warns of similar names: case, diacritics, spacing, transliteration, original script; and of a taken A-number', async () => {
    const s = testSession();
    const a = await ok<Person>(s, 'people:create', { familyName: 'Al-Masri', givenName: 'Mohammed', nameOriginal: 'مُحَمَّد المصري', aNumber: '200000001' });
    const b = await ok<Person>(s, 'people:create', { familyName: 'Peña', givenName: 'José', aNumber: '200000002' });
    await ok<Person>(s, 'people:create', { familyName: 'Haddad', givenName: 'Ahmed', aNumber: '200000003' });
    const similar = async (q: object) => ok<{ aNumberTaken: { id: string } | null; similar: { id: string; matchedOn: string }[] }>(s, 'people:similar', q);
    expect((await similar({ familyName: 'AL MASRI', givenName: 'Muhammad' })).similar).toEqual([expect.objectContaining({ id: a.id, matchedOn: 'name' })]);
    expect((await similar({ familyName: 'pena', givenName: 'jose' })).similar.map((x) => x.id)).toEqual([b.id]);
    expect((await similar({ familyName: 'Smith', givenName: 'John', nameOriginal: 'محمد  المصري' })).similar).toEqual([expect.objectContaining({ id: a.id, matchedOn: 'nameOriginal' })]);
    expect((await similar({ familyName: 'Haddad', givenName: 'Mohammed' })).similar).toEqual([]);
    expect((await similar({ familyName: 'Al Masri', givenName: 'Mohamed', excludeId: a.id })).similar).toEqual([]);
    expect((await similar({ familyName: 'X', givenName: 'Y', aNumber: 'A200-000-002' })).aNumberTaken).toMatchObject({ id: b.id, matchedOn: 'aNumber' });
    expect((await similar({ familyName: 'X', givenName: 'Y', aNumber: 'garbage' })).aNumberTaken).toBeNull();
    s.close();
  });

  it('allocates filing codes once and never reuses them, even after a delete', async () => {
    const s = testSession();
    const p1 = await ok<Person>(s, 'people:create', { familyName: 'A', givenName: 'One', aNumber: '200000001' });
    const p2 = await ok<Person>(s, 'people:create', { familyName: 'B', givenName: 'Two', aNumber: '200000002' });
    expect([p1.filingCode, p2.filingCode]).toEqual(['CM-001', 'CM-002']);
    await ok(s, 'people:delete', { id: p2.id, expectedVersion: 1 });
    const p3 = await ok<Person>(s, 'people:create', { familyName: 'C', givenName: 'Three', aNumber: '200000003' });
    expect(p3.filingCode).toBe('CM-003');
    // A refused create hands out no code either.
    await fails(s, 'people:create', { familyName: 'D', givenName: 'Dup', aNumber: '200000003' });
    const p4 = await ok<Person>(s, 'people:create', { familyName: 'E', givenName: 'Four', aNumber: '200000004' });
    expect(p4.filingCode).toBe('CM-004');
    const restored = await ok<Person>(s, 'people:restore', { id: p2.id, expectedVersion: 2 });
    expect(restored.filingCode).toBe('CM-002');
    const { id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, filingCode: _f, ...fields } = p1;
    expect((await ok<Person>(s, 'people:update', { ...fields, id, expectedVersion: 1, givenName: 'Uno' })).filingCode).toBe('CM-001');
    s.close();
  });

  it('lists people by a folded name fragment, filing code or A-number digits, sorted as asked', async () => {
    const s = testSession();
    await ok(s, 'people:create', { familyName: 'Peña', givenName: 'José', aNumber: '200000002' });
    await ok(s, 'people:create', { familyName: 'Haddad', givenName: 'Yusuf', nameOriginal: 'يوسف حداد', aNumber: '200000001' });
    const names = async (q: object) => (await ok<{ items: Person[] }>(s, 'people:list', q)).items.map((p) => p.familyName);
    expect(await names({ query: 'pena' })).toEqual(['Peña']);
    expect(await names({ query: 'يوسف' })).toEqual(['Haddad']);
    expect(await names({ query: 'cm-002' })).toEqual(['Haddad']);
    expect(await names({ query: '0000001' })).toEqual(['Haddad']);
    expect(await names({ sort: 'name', direction: 'desc' })).toEqual(['Peña', 'Haddad']);
    expect(await names({ sort: 'filingCode' })).toEqual(['Peña', 'Haddad']);
    s.close();
  });
});

describe('search and filters', () => {
  async function corpus() {
    const { s, facility, other, person } = await setup();
    const p2 = await ok<Person>(s, 'people:create', { familyName: 'García', givenName: 'Ana', aNumber: '200000009', currentFacilityId: other.id });
    const mk = (patch: Record<string, unknown>) => ok<Incident>(s, 'incidents:create', incidentOf(person.id, facility.id, patch));
    const arabic = await mk({ summary: 'Water was shut off.', ownWords: 'قطعوا الماءَ عن الزنزانة، وطلبتُ من الحارس', occurredOn: '2026-05-02' });
    const insulin = await mk({ summary: 'Insulin withheld for two days.', categories: ['MEDICAL'], occurredOn: '2026-05-10', status: 'verified' });
    const signed = await mk({
      summary: 'Pressed to sign voluntary departure without a lawyer.',
      categories: ['COERCED_DEPARTURE', 'THREATS'],
      documentPressed: 'i210_voluntary_departure',
      documentSigned: true,
      counselPresent: false,
      occurredOn: '2026-04-01',
      occurredUntil: '2026-04-20',
      datePrecision: 'approximate',
    });
    const elsewhere = await ok<Incident>(s, 'incidents:create', incidentOf(p2.id, other.id, { summary: 'No water in the cell.', ownWords: 'No nos dieron agua', occurredOn: '2026-06-01' }));
    return { s, facility, other, person, p2, arabic, insulin, signed, elsewhere };
  }

  // Catches: the search index rewritten only when the summary changes (an edit of the own words
  // alone leaving the old words findable and the new ones not).
  it('an edit of the own words alone reaches the search index: the new words are found, the old ones no longer', async () => {
    const { s, facility, person } = await setup();
    const created = await ok<Incident>(s, 'incidents:create', incidentOf(person.id, facility.id, { ownWords: 'they took my blanket' }));
    expect(ids(await ok(s, 'incidents:search', { text: 'blanket' }))).toEqual([created.id]);
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = created;
    await ok(s, 'incidents:update', { ...fields, id: created.id, expectedVersion: 1, reason: 'client corrected', ownWords: 'they took my mattress' });
    expect(ids(await ok(s, 'incidents:search', { text: 'mattress' }))).toEqual([created.id]);
    expect(ids(await ok(s, 'incidents:search', { text: 'blanket' }))).toEqual([]);
    expect(ids(await ok(s, 'incidents:search', { text: 'holding cell' }))).toEqual([created.id]);
    s.close();
  });

  it('finds Arabic own words whatever the harakat, hamza seat or ta marbuta, and English summaries', async () => {
    const { s, arabic, insulin, elsewhere } = await corpus();
    const search = (text: string, more: object = {}) => ok<{ items: IncidentRow[]; total: number }>(s, 'incidents:search', { text, ...more });
    expect(ids(await search('الماء'))).toEqual([arabic.id]);
    expect(ids(await search('الزنزانه'))).toEqual([arabic.id]); // ta marbuta written as ha
    expect(ids(await search('طلبت الحارس'))).toEqual([arabic.id]); // "وطلبت": the conjunction is attached
    expect(ids(await search('ماء'))).toEqual([arabic.id]); // "الماء": so is the article
    expect(ids(await search('INSULIN'))).toEqual([insulin.id]);
    expect(ids(await search('insul*'))).toEqual([insulin.id]);
    expect(ids(await search('agua'))).toEqual([elsewhere.id]);
    // Newest entered first.
    expect(ids(await search('water'))).toEqual([elsewhere.id, arabic.id]);
    expect(ids(await search('water insulin'))).toEqual([]);
    expect(await s.dispatch('incidents:search', { text: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['text'] }] } });
    s.close();
  });

  it('reindexes an edited incident: the old words no longer match, the new ones do', async () => {
    const { s, insulin } = await corpus();
    const { id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = insulin;
    await ok(s, 'incidents:update', { ...fields, id, expectedVersion: 1, summary: 'Medication withheld for two days.' });
    expect((await ok<{ total: number }>(s, 'incidents:search', { text: 'insulin' })).total).toBe(0);
    expect(ids(await ok(s, 'incidents:search', { text: 'medication' }))).toEqual([id]);
    s.close();
  });

  it('combines filters on list and search: facility, category, date range, person, status, counsel, document signed', async () => {
    const { s, facility, other, person, p2, arabic, insulin, signed, elsewhere } = await corpus();
    const list = async (f: object) => ids(await ok(s, 'incidents:list', f));
    expect(await list({})).toEqual([elsewhere.id, insulin.id, arabic.id, signed.id]);
    expect(await list({ facilityId: facility.id })).toEqual([insulin.id, arabic.id, signed.id]);
    expect(await list({ facilityId: other.id, category: 'WATER' })).toEqual([elsewhere.id]);
    expect(await list({ category: 'WATER' })).toEqual([elsewhere.id, arabic.id]);
    expect(await list({ category: 'THREATS', personId: person.id })).toEqual([signed.id]);
    expect(await list({ personId: p2.id })).toEqual([elsewhere.id]);
    expect(await list({ from: '2026-04-15', to: '2026-05-05' })).toEqual([arabic.id, signed.id]); // the range overlaps
    expect(await list({ from: '2026-04-21', to: '2026-05-05' })).toEqual([arabic.id]);
    expect(await list({ status: 'verified' })).toEqual([insulin.id]);
    expect(await list({ counselPresent: false, documentSigned: true })).toEqual([signed.id]);
    expect(await list({ documentSigned: false })).toEqual([]);
    expect(await list({ facilityId: facility.id, category: 'WATER', status: 'new', from: '2026-05-01', to: '2026-05-31' })).toEqual([arabic.id]);
    expect(await list({ sort: 'occurredOn', direction: 'asc' })).toEqual([signed.id, arabic.id, insulin.id, elsewhere.id]);
    expect(await list({ sort: 'createdAt', direction: 'asc' })).toEqual([arabic.id, insulin.id, signed.id, elsewhere.id]);
    const search = async (f: object) => ids(await ok(s, 'incidents:search', f));
    expect(await search({ text: 'water', facilityId: other.id })).toEqual([elsewhere.id]);
    expect(await search({ text: 'water', category: 'WATER', from: '2026-05-01', to: '2026-05-31' })).toEqual([arabic.id]);
    expect(await search({ text: 'voluntary', counselPresent: false, documentSigned: true, personId: person.id })).toEqual([signed.id]);
    expect(await search({ text: 'voluntary', status: 'verified' })).toEqual([]);
    s.close();
  });

  it('pages and counts: total up to countUpTo, flagged when it is a lower bound', async () => {
    const { s } = await corpus();
    const page = await ok<{ items: IncidentRow[]; total: number; totalExact: boolean }>(s, 'incidents:list', { limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 4, totalExact: true });
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ personName: 'Haddad, Yusuf', facilityName: SAMPLE_FACILITY.name, filingCode: 'CM-001' });
    expect(await ok(s, 'incidents:list', { limit: 1, countUpTo: 2 })).toMatchObject({ total: 2, totalExact: false });
    expect(await ok(s, 'incidents:search', { text: 'water', countUpTo: 1 })).toMatchObject({ total: 1, totalExact: false });
    s.close();
  });
});

describe('interviews, incidents and the timeline', () => {
  it('links incidents to their interview and shows a dated timeline of the person', async () => {
    const { s, facility, person } = await setup();
    const iv = await ok<Interview>(s, 'interviews:create', {
      personId: person.id,
      startedAt: '2026-06-20T09:30',
      place: 'Legal visit room',
      interviewer: 'Dana Whitfield',
      mode: 'in_person',
      interpreter: 'Rania Aziz',
      interpreterLanguage: 'Arabic',
      durationMinutes: 30,
    });
    const a = await ok<Incident>(s, 'incidents:create', incidentOf(person.id, facility.id, { interviewId: iv.id, occurredOn: '2026-06-01', datePrecision: 'month' }));
    const b = await ok<Incident>(s, 'incidents:create', incidentOf(person.id, facility.id, { interviewId: iv.id, occurredOn: '2026-06-18' }));
    expect((await ok<{ items: { incidentCount: number }[] }>(s, 'interviews:list', { personId: person.id })).items[0]!.incidentCount).toBe(2);
    expect(ids(await ok(s, 'incidents:list', { interviewId: iv.id }))).toEqual([b.id, a.id]);
    const t = await ok<{ items: { kind: string; id: string; date: string; precision: string }[] }>(s, 'people:timeline', { personId: person.id });
    expect(t.items.map((x) => [x.kind, x.id, x.date, x.precision])).toEqual([
      ['incident', a.id, '2026-06-01', 'month'],
      ['incident', b.id, '2026-06-18', 'exact'],
      ['interview', iv.id, '2026-06-20', 'exact'],
    ]);
    const { id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = iv;
    const signed = await ok<Interview>(s, 'interviews:update', { ...fields, id, expectedVersion: 1, declarationStatus: 'signed', declarationSignedOn: '2026-06-20', reason: 'declaration signed' });
    expect(signed).toMatchObject({ version: 2, declarationStatus: 'signed' });
    expect(await ok(s, 'interviews:get', { id })).toMatchObject({ declarationSignedOn: '2026-06-20' });
    s.close();
  });

  it('refuses an incident whose interview is with another person, or whose witness does not exist', async () => {
    const { s, facility, person } = await setup();
    const p2 = await ok<Person>(s, 'people:create', { familyName: 'García', givenName: 'Ana', aNumber: '200000009' });
    const iv = await ok<Interview>(s, 'interviews:create', { personId: p2.id, startedAt: '2026-06-20T09:30', interviewer: 'Dana' });
    const before = contentHash(s.ctx.db);
    const err = await fails(s, 'incidents:create', incidentOf(person.id, facility.id, { interviewId: iv.id, witnesses: [{ personId: '01J0000000000000000000000Z' }] }));
    expect(err.issues.map((i) => i.path)).toEqual([['interviewId'], ['witnesses', 0, 'personId']]);
    expect(contentHash(s.ctx.db)).toBe(before);
    const ok1 = await ok<Incident>(s, 'incidents:create', incidentOf(person.id, facility.id, { witnesses: [{ personId: p2.id }, { description: 'cellmate' }] }));
    expect(ok1.witnesses).toEqual([{ personId: p2.id, description: null }, { personId: null, description: 'cellmate' }]);
    s.close();
  });

  it('bulk-creates all or nothing, each incident validated and versioned', async () => {
    const { s, facility, person } = await setup();
    const good = incidentOf(person.id, facility.id);
    const before = contentHash(s.ctx.db);
    const err = await fails(s, 'incidents:bulk-create', { items: [good, { ...good, facilityId: '01J0000000000000000000000Z' }] });
    expect(err).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: ['items', 1, 'facilityId'] }] });
    const bad = await fails(s, 'incidents:bulk-create', { items: [good, { ...good, categories: [] }] });
    expect(bad.issues[0]!.path).toEqual(['items', 1, 'categories']);
    expect(contentHash(s.ctx.db)).toBe(before);
    const r = await ok<{ ids: string[]; count: number }>(s, 'incidents:bulk-create', { items: [good, good, good] });
    expect(r.count).toBe(3);
    for (const id of r.ids) expect((await ok<{ versions: unknown[] }>(s, 'incidents:history', { id })).versions).toHaveLength(1);
    s.close();
  });
});

describe('dates', () => {
  it('refuses dates later than today, naming each field, and writes nothing', async () => {
    const { s, facility, person } = await setup(); // the session's clock reads 2026-06-20
    const before = contentHash(s.ctx.db);
    const inc = await fails(s, 'incidents:create', incidentOf(person.id, facility.id, { occurredOn: '2026-06-21', raisedWithOpposingCounselOn: '2026-07-01' }));
    expect(inc.issues.map((i) => i.path)).toEqual([['occurredOn'], ['raisedWithOpposingCounselOn']]);
    const p = await fails(s, 'people:create', { ...SAMPLE_PERSON, aNumber: '200000005', birthDate: null, detainedSince: '2026-06-21', consentGiven: true, consentDate: '2026-06-30' });
    expect(p.issues.map((i) => i.path)).toEqual([['detainedSince'], ['consentDate']]);
    const born = await fails(s, 'people:create', { ...SAMPLE_PERSON, aNumber: '200000005', birthDate: '2027-01-01' });
    expect(born.issues.map((i) => i.path)).toEqual([['birthDate']]);
    const iv = await fails(s, 'interviews:create', { personId: person.id, startedAt: '2026-06-20T09:00', interviewer: 'D', declarationStatus: 'signed', declarationSignedOn: '2026-06-22' });
    expect(iv.issues.map((i) => i.path)).toEqual([['declarationSignedOn']]);
    expect(contentHash(s.ctx.db)).toBe(before);
    await ok(s, 'incidents:create', incidentOf(person.id, facility.id, { occurredOn: '2026-06-20' }));
    s.close();
  });
});

describe('drafts', () => {
  it('keep an unsaved form across closing and reopening the database, until discarded', async () => {
    const file = tempDbFile();
    const s1 = testSession(file);
    const form = { personId: null, summary: 'Half-typed: he said the guard', categories: ['THREATS'], ownWords: 'قال الحارس' };
    await ok(s1, 'drafts:save', { key: 'incident:new', kind: 'incident', data: { summary: 'first' } });
    await ok(s1, 'drafts:save', { key: 'incident:new', kind: 'incident', data: form });
    s1.close();
    const s2 = openSession(file, { user: 'test-attorney', now: fixedClock() });
    expect(await ok(s2, 'drafts:get', { key: 'incident:new' })).toEqual({ key: 'incident:new', kind: 'incident', data: form, savedAt: '2026-06-20T10:00:00.000Z', savedBy: 'test-attorney' });
    expect((await ok<{ items: unknown[] }>(s2, 'drafts:list', {})).items).toHaveLength(1);
    expect(await ok(s2, 'drafts:discard', { key: 'incident:new' })).toEqual({ discarded: true });
    expect(await ok(s2, 'drafts:get', { key: 'incident:new' })).toBeNull();
    expect(await ok(s2, 'drafts:discard', { key: 'incident:new' })).toEqual({ discarded: false });
    s2.close();
  });
  // Catches: a re-save that updates the form but keeps the first save's time and author.
  it('a re-saved draft carries the time and author of the last save', async () => {
    const file = tempDbFile();
    const s1 = openSession(file, { user: 'intake-1', now: fixedClock('2026-06-20T10:00:00.000Z') });
    await ok(s1, 'drafts:save', { key: 'person:new', kind: 'person', data: { familyName: 'Ha' } });
    s1.close();
    const s2 = openSession(file, { user: 'intake-2', now: fixedClock('2026-06-21T09:30:00.000Z') });
    await ok(s2, 'drafts:save', { key: 'person:new', kind: 'person', data: { familyName: 'Haddad' } });
    expect(await ok(s2, 'drafts:get', { key: 'person:new' })).toEqual({ key: 'person:new', kind: 'person', data: { familyName: 'Haddad' }, savedAt: '2026-06-21T09:30:00.000Z', savedBy: 'intake-2' });
    s2.close();
  });
});

describe('seed', () => {
  it('gives the same data for the same seed, and other data for another', () => {
    const dump = (n: number) => {
      const s = testSession();
      const r = seed(s.ctx.db, { people: 40, incidents: 120, seed: n });
      // Each database has its own device id and key (random); the data is what must repeat.
      s.ctx.db.exec(`UPDATE record_heads SET device = 'this laptop'; DELETE FROM device_key; DELETE FROM devices;`);
      const h = contentHash(s.ctx.db);
      s.close();
      return { r, h };
    };
    const a = dump(7);
    const b = dump(7);
    const c = dump(8);
    expect(a.h).toBe(b.h);
    expect(c.h).not.toBe(a.h);
    expect(a.r).toMatchObject({ people: 40, incidents: 120, interviews: 40 });
  });

  it('covers every category, Arabic and Latin names, approximate dates, and near-duplicates the warning catches', async () => {
    const s = testSession();
    const r = seed(s.ctx.db, { people: 400, incidents: 400, seed: 3 });
    const db = s.ctx.db;
    expect(db.prepare(`SELECT count(DISTINCT category) FROM incident_categories`).pluck().get()).toBe(16);
    expect(db.prepare(`SELECT count(*) FROM people WHERE name_original IS NOT NULL`).pluck().get()).toBeGreaterThan(100);
    expect(db.prepare(`SELECT count(DISTINCT date_precision) FROM incidents`).pluck().get()).toBe(3);
    expect(db.prepare(`SELECT count(DISTINCT state) FROM facilities`).pluck().get()).toBeGreaterThan(5);
    expect(r.nearDuplicates).toBeGreaterThan(0);
    const dupes = db.prepare(`SELECT name_key FROM people GROUP BY name_key HAVING count(*) > 1 AND count(DISTINCT given_name) > 1`).pluck().all();
    expect(dupes.length).toBeGreaterThan(0);
    // Every write has its version.
    expect(db.prepare(`SELECT count(*) FROM record_versions WHERE entity = 'incident'`).pluck().get()).toBe(400);
    s.close();
  });
});
