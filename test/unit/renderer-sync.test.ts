// The Sync page's own logic: how a conflict's heads compare field by field, what a resolution
// sends (a head picked whole, or the fields combined), and how an import reads.
import { describe, expect, it } from 'vitest';
import { ConflictDetail, ResolveInput, SyncImportOutput } from '../../shared/contract/sync';
import {
  chooseAll,
  clashLine,
  conflictsLabel,
  movedLine,
  compareRows,
  importSummary,
  mixesDeleted,
  resolution,
  sameValue,
  startingHead,
} from '../../renderer/src/features/sync/sync-logic';

const DANA = '01JGFJQGG8PHV8ZW1X40ERAXZ8';
const OMAR = '01JGFSVHC85RVE9JKKS19C2BTV';
const INCIDENT = '01JGFT0000000000000000000A';

function head(device: string, seq: number, data: Record<string, unknown>, deleted = false) {
  return {
    ref: { device, seq },
    version: 2,
    action: deleted ? 'delete' : 'update',
    data: { id: INCIDENT, version: 2, updatedAt: `2026-06-0${seq}T10:00:00Z`, ...data },
    deleted,
    by: device === DANA ? 'Dana Lee' : 'Omar Haddad',
    device: { id: device, name: device === DANA ? "Dana's laptop" : null },
    at: `2026-06-0${seq}T10:00:00Z`,
    reason: null,
  };
}

const base = { summary: 'Held without water.', categories: ['WATER'], deprivationMinutes: 600, status: 'draft', witnesses: [{ personId: null, description: 'cellmate' }] };

function conflict(a: Record<string, unknown>, b: Record<string, unknown>, bDeleted = false): ConflictDetail {
  return ConflictDetail.parse({
    entity: 'incident',
    id: INCIDENT,
    label: 'Held without water.',
    heads: [head(DANA, 3, { ...base, ...a }), head(OMAR, 4, { ...base, ...b }, bDeleted)],
    differences: [],
    shown: { device: OMAR, seq: 4 },
  });
}

describe('conflict comparison', () => {
  it('marks exactly the fields the heads disagree on, in the form order, without bookkeeping', () => {
    const d = conflict({ summary: 'Held without water for ten hours.' }, { deprivationMinutes: 720 });
    const rows = compareRows(d);
    expect(rows.filter((r) => r.differs).map((r) => r.field)).toEqual(['summary', 'deprivationMinutes']);
    expect(rows.map((r) => r.field)).toEqual(['categories', 'summary', 'witnesses', 'deprivationMinutes', 'status']);
  });
  it('trusts a difference the core names even when the values look alike here', () => {
    const d = { ...conflict({}, {}), differences: [{ field: 'status', values: ['draft', 'draft'] }] };
    expect(compareRows(d).filter((r) => r.differs).map((r) => r.field)).toEqual(['status']);
  });
  it('compares nested values by content, not by key order', () => {
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });
  it('starts from the head the record shows until it is resolved', () => {
    expect(startingHead(conflict({ summary: 'x' }, {}))).toBe(1);
  });
});

describe('resolution', () => {
  const d = conflict({ summary: 'Held without water for ten hours.' }, { deprivationMinutes: 720 });
  it('picks a head whole when every differing field comes from it', () => {
    const r = resolution(d, chooseAll(d, 0));
    expect(r).toEqual({ kind: 'pick', pick: { device: DANA, seq: 3 }, head: 0 });
    expect(ResolveInput.safeParse({ entity: 'incident', id: INCIDENT, pick: r.kind === 'pick' ? r.pick : undefined, reason: 'Dana re-interviewed' }).success).toBe(true);
  });
  it('combines field by field: each differing field from its chosen head, every other field kept, no bookkeeping sent', () => {
    const r = resolution(d, { summary: 0, deprivationMinutes: 1 });
    expect(r.kind).toBe('data');
    if (r.kind !== 'data') return;
    expect(r.data).toEqual({ ...base, summary: 'Held without water for ten hours.', deprivationMinutes: 720 });
    // What is sent: only the differing fields, each from its chosen head, in the contract's shape.
    expect(r.fields).toEqual([
      { field: 'summary', value: 'Held without water for ten hours.' },
      { field: 'deprivationMinutes', value: 720 },
    ]);
    expect(ResolveInput.safeParse({ entity: 'incident', id: INCIDENT, fields: r.fields, reason: 'both right' }).success).toBe(true);
  });
  it('names the differing fields still to choose', () => {
    expect(resolution(d, { summary: 1 })).toEqual({ kind: 'incomplete', missing: ['deprivationMinutes'] });
  });
  it('a field present in one head only is dropped when taken from the head without it', () => {
    const e = conflict({ grievanceAnswer: 'denied' }, { summary: 'other' });
    const r = resolution(e, { grievanceAnswer: 1, summary: 0 });
    expect(r.kind === 'data' && 'grievanceAnswer' in r.data).toBe(false);
  });
  it('a deleting head is only taken whole', () => {
    const e = conflict({ summary: 'edited' }, {}, true);
    expect(mixesDeleted(e, chooseAll(e, 1))).toBe(false);
    expect(resolution(e, chooseAll(e, 1))).toMatchObject({ kind: 'pick', head: 1 });
  });
});

describe('import summary', () => {
  it('says what came in, device by device', () => {
    const out = SyncImportOutput.parse({
      newRecords: 3,
      newVersions: 4,
      newConflicts: 1,
      devices: [{ id: OMAR, name: "Omar's laptop", fingerprint: 'ab12 cd34', isNew: true, newVersions: 4 }],
    });
    expect(importSummary(out)).toEqual({
      headline: '3 new records, 4 new versions, 1 new conflict.',
      devices: ["Omar's laptop (ab12 cd34), first seen now: 4 new versions"],
    });
  });
  it('says so when a bundle brought nothing new', () => {
    expect(importSummary({ newRecords: 0, newVersions: 0, newConflicts: 0, devices: [] }).headline).toMatch(/Nothing new/);
  });
});

describe('merges and filing codes given twice, in words', () => {
  it('says what a merge moved, one or many', () => {
    expect(movedLine({ people: 1, incidents: 2 })).toBe('1 person, 2 incidents moved');
    expect(movedLine({ interviews: 0 })).toBe('nothing moved');
    expect(movedLine({ interviews: 1 })).toBe('1 interview moved');
  });
  it('says who keeps the code and who gets a new one, and why', () => {
    const p = (familyName: string, exported: boolean, keeps: boolean) => ({ id: DANA, familyName, givenName: 'A', createdAt: '2026-06-01T00:00:00Z', exported, keeps });
    expect(clashLine({ code: 'CM-004', people: [p('Osei', true, true), p('Haddad', false, false)] })).toBe(
      'Osei, A appeared in an export and keeps CM-004; Haddad, A gets the next free code.',
    );
    expect(clashLine({ code: 'CM-004', people: [p('Osei', false, true), p('Haddad', false, false)] })).toBe('Osei, A was entered first and keeps CM-004; Haddad, A gets the next free code.');
    expect(clashLine({ code: 'CM-004', people: [p('Osei', true, true), p('Haddad', true, true)] })).toMatch(/^Osei, A and Haddad, A each appeared in an export under CM-004, so none of their codes can change/);
  });
  it('names in the header badge each thing as the Sync page lists it, so no two numbers disagree', () => {
    // A filing code given twice is listed under "Filing codes given twice", not "Open conflicts".
    expect(conflictsLabel(1, 1)).toBe('1 filing code given twice');
    expect(conflictsLabel(3, 2)).toBe('1 conflict, 2 filing codes given twice');
    expect(conflictsLabel(2, 0)).toBe('2 conflicts');
    expect(conflictsLabel(1)).toBe('1 conflict');
  });
});
