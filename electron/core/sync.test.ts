// The sync channels end to end through dispatch (what IPC and the CLI reach): two laptops, a bundle
// each way, a conflict shown with both heads and resolved with a reason, duplicate people merged
// and the merge undone, and the history verifying on both after each step.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDefinition, OfficeSettings } from '../../shared/report/definition';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, tempDir, testSession } from '../../test/helpers';
import type { Session } from './session';

afterEach(cleanupTempDirs);

const PASS = 'office bundle passphrase';

async function call<T = Record<string, unknown>>(s: Session, channel: string, input: unknown = {}): Promise<T> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.data as T;
}

async function send(from: Session, to: Session) {
  const { file } = await call<{ file: string }>(from, 'sync:export', { folder: tempDir(), passphrase: PASS });
  return call<{ newRecords: number; newVersions: number; newConflicts: number }>(to, 'sync:import', { file, passphrase: PASS });
}

async function verified(s: Session) {
  expect(await call(s, 'audit:verify', { full: true })).toMatchObject({ ok: true, firstBroken: null });
}

describe('sync channels', () => {
  it('names devices, shows a conflict with both heads and resolves it with a version naming both', async () => {
    const a = testSession();
    const b = testSession();
    const status = await call<{ local: { id: string } }>(a, 'sync:status');
    await call(a, 'sync:rename-device', { id: status.local.id, name: "Dana's laptop" });
    const f = await call<{ id: string }>(a, 'facilities:create', SAMPLE_FACILITY);
    // The facility, and the device's name: a chained version that travels like a record.
    expect(await send(a, b)).toMatchObject({ newRecords: 2, newVersions: 2 });
    expect(await call(b, 'sync:status')).toMatchObject({ devices: [{ local: true }, { id: status.local.id, name: "Dana's laptop", trusted: true }], openConflicts: 0 });

    await call(a, 'facilities:update', { ...SAMPLE_FACILITY, id: f.id, expectedVersion: 1, city: 'Detroit' });
    await call(b, 'facilities:delete', { id: f.id, expectedVersion: 1, reason: 'closed' });
    expect(await send(a, b)).toMatchObject({ newConflicts: 1 });
    await send(b, a);
    for (const s of [a, b]) {
      expect(await call(s, 'sync:conflicts')).toMatchObject([{ entity: 'facility', id: f.id, heads: 2, editVsDelete: true }]);
      await verified(s);
    }
    const detail = await call<{ heads: { ref: { device: string; seq: number }; deleted: boolean; device: { name: string | null } }[]; differences: { field: string }[] }>(b, 'sync:conflict', { entity: 'facility', id: f.id });
    expect(detail.differences.map((d) => d.field).sort()).toEqual(['city', 'deletedAt']);
    const edit = detail.heads.find((h) => !h.deleted)!;
    expect(edit.device.name).toBe("Dana's laptop");
    const resolved = await call<{ version: number; parents: unknown[] }>(b, 'sync:resolve', { entity: 'facility', id: f.id, pick: edit.ref, reason: 'still open' });
    expect(resolved).toMatchObject({ version: 3, parents: expect.arrayContaining([edit.ref]) });
    expect(resolved.parents).toHaveLength(2);
    expect(await call(b, 'facilities:get', { id: f.id })).toMatchObject({ city: 'Detroit', deletedAt: null, version: 3 });
    // Both heads stay in the history; the edit works against the head read.
    expect((await call<{ versions: unknown[] }>(b, 'facilities:history', { id: f.id })).versions).toHaveLength(4);
    await call(b, 'facilities:update', { ...SAMPLE_FACILITY, id: f.id, expectedVersion: 3, city: 'Lansing' });
    await send(b, a);
    expect(await call(a, 'sync:conflicts')).toEqual([]);
    expect(await call(a, 'facilities:get', { id: f.id })).toMatchObject({ city: 'Lansing', version: 4 });
    await verified(a);
    await verified(b);
  });

  it('lists the same person entered on two laptops, merges them and undoes the merge', async () => {
    const a = testSession();
    const b = testSession();
    const fa = await call<{ id: string }>(a, 'facilities:create', SAMPLE_FACILITY);
    await send(a, b);
    const pa = await call<{ id: string }>(a, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: fa.id });
    const pb = await call<{ id: string; filingCode: string }>(b, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: fa.id });
    await call(b, 'incidents:create', { personId: pb.id, facilityId: fa.id, occurredOn: '2026-05-01', categories: ['WATER'], summary: 'no water' });
    await send(b, a);
    const dups = await call<{ matchedOn: string; people: { id: string }[] }[]>(a, 'people:duplicates');
    expect(dups).toMatchObject([{ matchedOn: 'aNumber' }]);
    expect(dups[0]!.people.map((p) => p.id).sort()).toEqual([pa.id, pb.id].sort());
    const merged = await call<{ mergeId: string; movedIncidents: number }>(a, 'people:merge', { from: pb.id, into: pa.id, reason: 'same A-number' });
    expect(merged.movedIncidents).toBe(1);
    expect(await call(a, 'people:duplicates')).toEqual([]);
    expect(await call(a, 'people:timeline', { personId: pa.id })).toMatchObject({ items: [{}] });
    await verified(a);
    await send(a, b);
    await verified(b);
    await call(b, 'people:unmerge', { mergeId: merged.mergeId, reason: 'two brothers, not one person' });
    expect(await call(b, 'people:get', { id: pb.id })).toMatchObject({ deletedAt: null });
    expect(await call(b, 'people:timeline', { personId: pb.id })).toMatchObject({ items: [{}] });
    await verified(b);
  });

  it('lists the same facility entered on two laptops, merges it (people and incidents move) and undoes it on the other laptop', async () => {
    const a = testSession();
    const b = testSession();
    const fa = await call<{ id: string }>(a, 'facilities:create', SAMPLE_FACILITY);
    // Typed on the other laptop with other case and accents: the same facility.
    const fb = await call<{ id: string }>(b, 'facilities:create', { ...SAMPLE_FACILITY, name: 'north lake  processing cénter' });
    const other = await call<{ id: string }>(b, 'facilities:create', { ...SAMPLE_FACILITY, city: 'Tacoma', state: 'WA' });
    const p = await call<{ id: string }>(b, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: fb.id });
    const i = await call<{ id: string }>(b, 'incidents:create', { personId: p.id, facilityId: fb.id, occurredOn: '2026-05-01', categories: ['WATER'], summary: 'no water' });
    await send(b, a);
    const dups = await call<{ matchedOn: string; records: { id: string; detail: string; references: Record<string, number> }[] }[]>(a, 'facilities:duplicates');
    // Same name in another city is not the same facility.
    expect(dups).toHaveLength(1);
    expect(dups[0]!.records.map((r) => r.id).sort()).toEqual([fa.id, fb.id].sort());
    expect(dups[0]!.records.find((r) => r.id === fb.id)).toMatchObject({ detail: 'Baldwin, MI', references: { people: 1, incidents: 1 } });
    expect(dups[0]!.records.map((r) => r.id)).not.toContain(other.id);

    const merged = await call<{ mergeId: string; moved: Record<string, number> }>(a, 'facilities:merge', { from: fb.id, into: fa.id, reason: 'entered on both laptops' });
    expect(merged.moved).toEqual({ people: 1, incidents: 1 });
    expect(await call(a, 'facilities:duplicates')).toEqual([]);
    expect(await call(a, 'incidents:get', { id: i.id })).toMatchObject({ facilityId: fa.id, version: 2 });
    expect(await call(a, 'people:get', { id: p.id })).toMatchObject({ currentFacilityId: fa.id });
    expect(await call(a, 'facilities:get', { id: fb.id })).toMatchObject({ deletedAt: expect.any(String) });
    // The incident counts under the facility kept (its category rows moved with it).
    expect(await call(a, 'incidents:list', { facilityId: fa.id })).toMatchObject({ total: 1 });
    const history = await call<{ versions: { reason: string | null }[] }>(a, 'incidents:history', { id: i.id });
    expect(history.versions.at(-1)!.reason).toBe('entered on both laptops');
    await verified(a);

    await send(a, b);
    await verified(b);
    await expect(call(b, 'facilities:unmerge', { mergeId: 'x', reason: 'no' })).rejects.toThrow(/mergeId/);
    const undone = await call<{ moved: Record<string, number> }>(b, 'facilities:unmerge', { mergeId: merged.mergeId, reason: 'two units, two facilities' });
    expect(undone.moved).toEqual({ people: 1, incidents: 1 });
    expect(await call(b, 'facilities:get', { id: fb.id })).toMatchObject({ deletedAt: null });
    expect(await call(b, 'incidents:get', { id: i.id })).toMatchObject({ facilityId: fb.id });
    expect(await call(b, 'incidents:list', { facilityId: fa.id })).toMatchObject({ total: 0 });
    await expect(call(b, 'facilities:unmerge', { mergeId: merged.mergeId, reason: 'again' })).rejects.toThrow(/already undone/);
    await verified(b);
    await send(b, a);
    expect(await call(a, 'sync:status')).toMatchObject({ openConflicts: 0 });
    await verified(a);
  });

  it('merges a staff member entered on two laptops: interviews naming them name the one kept', async () => {
    const a = testSession();
    const b = testSession();
    const sa = await call<{ id: string }>(a, 'staff:create', { name: 'Dana Whitfield', role: 'attorney' });
    const sb = await call<{ id: string }>(b, 'staff:create', { name: 'dana whitfield', role: null });
    const f = await call<{ id: string }>(b, 'facilities:create', SAMPLE_FACILITY);
    const p = await call<{ id: string }>(b, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: f.id });
    const iv = await call<{ id: string }>(b, 'interviews:create', { personId: p.id, startedAt: '2026-05-01T10:00', interviewer: 'dana whitfield' });
    await send(b, a);
    const dups = await call<{ records: { id: string; references: Record<string, number> }[] }[]>(a, 'staff:duplicates');
    expect(dups).toHaveLength(1);
    expect(dups[0]!.records.find((r) => r.id === sb.id)).toMatchObject({ references: { interviews: 1 } });
    const merged = await call<{ mergeId: string; moved: Record<string, number> }>(a, 'staff:merge', { from: sb.id, into: sa.id, reason: 'one attorney' });
    expect(merged.moved).toEqual({ interviews: 1 });
    expect(await call(a, 'interviews:get', { id: iv.id })).toMatchObject({ interviewer: 'Dana Whitfield' });
    expect((await call<{ items: { id: string }[] }>(a, 'staff:list')).items.map((s) => s.id)).toEqual([sa.id]);
    await verified(a);
    await call(a, 'staff:unmerge', { mergeId: merged.mergeId, reason: 'two people of one name' });
    expect(await call(a, 'interviews:get', { id: iv.id })).toMatchObject({ interviewer: 'dana whitfield' });
    expect((await call<{ items: unknown[] }>(a, 'staff:list')).items).toHaveLength(2);
    await verified(a);
  });

  it('a filing code given on two laptops is an open conflict until the person never exported gets a new code', async () => {
    const a = testSession();
    const b = testSession();
    const f = await call<{ id: string }>(a, 'facilities:create', SAMPLE_FACILITY);
    await send(a, b);
    const pa = await call<{ id: string; filingCode: string }>(a, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: f.id, consentGiven: true, consentDate: '2026-04-01' });
    const pb = await call<{ id: string; filingCode: string }>(b, 'people:create', { familyName: 'Osei', givenName: 'Ama', aNumber: 'A 099-888-777', currentFacilityId: f.id });
    expect(pb.filingCode).toBe(pa.filingCode);
    // b's person appears in an exhibit exported on b; a's never did.
    await call(b, 'incidents:create', { personId: pb.id, facilityId: f.id, occurredOn: '2026-05-01', categories: ['WATER'], summary: 'no water' });
    await call(b, 'people:update', { familyName: 'Osei', givenName: 'Ama', aNumber: 'A 099-888-777', currentFacilityId: f.id, consentGiven: true, consentDate: '2026-04-01', id: pb.id, expectedVersion: 1 });
    const definition = { ...defaultDefinition(OfficeSettings.parse({}), { from: '2026-01-01', to: '2026-06-20' }), profile: 'internal' as const };
    await call(b, 'reports:export', { definition, formats: ['csv'], folder: tempDir() });
    await send(b, a);
    await send(a, b);
    for (const s of [a, b]) {
      const clashes = await call<{ code: string; people: { id: string; exported: boolean; keeps: boolean }[] }[]>(s, 'sync:code-clashes');
      expect(clashes).toEqual([{ code: pa.filingCode, people: expect.arrayContaining([expect.objectContaining({ id: pb.id, exported: true, keeps: true }), expect.objectContaining({ id: pa.id, exported: false, keeps: false })]) }]);
      expect(await call(s, 'sync:status')).toMatchObject({ openConflicts: 1, codeClashes: 1 });
      await verified(s);
    }
    // The export gate treats it as an open conflict of the person in the report.
    const refused = await b.dispatch('reports:export', { definition, formats: ['csv'], folder: tempDir() });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain(`person ${pb.id} (Osei, Ama: filing code ${pb.filingCode} given to 2 people)`);
    const preview = await call<{ conflicts: unknown[] }>(b, 'reports:preview', { definition });
    expect(preview.conflicts).toEqual([expect.objectContaining({ entity: 'person', id: pb.id, kind: 'code', heads: 2 })]);
    // Exported with the clash noted: the method note says what it is, and the manifest names the person.
    const noted = await call<{ manifestPath: string }>(b, 'reports:export', { definition, formats: ['csv'], folder: tempDir(), conflicts: 'note' });
    expect(JSON.parse(readFileSync(noted.manifestPath, 'utf8'))).toMatchObject({ openConflicts: [{ entity: 'person', id: pb.id, heads: 2, kind: 'code' }] });

    const done = await call<{ renumbered: { id: string; from: string; to: string }[]; keptByAll: boolean }>(a, 'sync:resolve-code-clash', { code: pa.filingCode, reason: 'CM code given on two laptops' });
    expect(done.renumbered).toEqual([{ id: pa.id, from: pa.filingCode, to: 'CM-002' }]);
    expect(done.keptByAll).toBe(false);
    expect(await call(a, 'people:get', { id: pa.id })).toMatchObject({ filingCode: 'CM-002' });
    expect(await call(a, 'people:get', { id: pb.id })).toMatchObject({ filingCode: pb.filingCode });
    expect(await call(a, 'sync:code-clashes')).toEqual([]);
    expect(await call(a, 'sync:status')).toMatchObject({ openConflicts: 0, codeClashes: 0 });
    await verified(a);
    // The next code given on a is past the new one.
    expect(await call(a, 'people:create', { familyName: 'Lima', givenName: 'Rui', aNumber: 'A 011-222-333' })).toMatchObject({ filingCode: 'CM-003' });
    await send(a, b);
    expect(await call(b, 'sync:code-clashes')).toEqual([]);
    expect(await call(b, 'people:get', { id: pa.id })).toMatchObject({ filingCode: 'CM-002' });
    await verified(b);
    await call(b, 'reports:export', { definition, formats: ['csv'], folder: tempDir() });
  });

  it('a filing code that appeared in exports on both laptops is kept by both: the clash is recorded as kept, with the reason', async () => {
    const a = testSession();
    const b = testSession();
    const f = await call<{ id: string }>(a, 'facilities:create', SAMPLE_FACILITY);
    await send(a, b);
    const consent = { currentFacilityId: f.id, consentGiven: true, consentDate: '2026-04-01' };
    const pa = await call<{ id: string; filingCode: string }>(a, 'people:create', { ...SAMPLE_PERSON, ...consent });
    const pb = await call<{ id: string; filingCode: string }>(b, 'people:create', { familyName: 'Osei', givenName: 'Ama', aNumber: 'A 099-888-777', ...consent });
    const definition = { ...defaultDefinition(OfficeSettings.parse({}), { from: '2026-01-01', to: '2026-06-20' }), profile: 'internal' as const };
    for (const [s, p] of [[a, pa], [b, pb]] as const) {
      await call(s, 'incidents:create', { personId: p.id, facilityId: f.id, occurredOn: '2026-05-01', categories: ['WATER'], summary: 'no water' });
      await call(s, 'reports:export', { definition, formats: ['csv'], folder: tempDir() });
    }
    await send(a, b);
    await send(b, a);
    const [clash] = await call<{ people: { id: string; exported: boolean; keeps: boolean }[] }[]>(a, 'sync:code-clashes');
    expect(clash!.people.every((p) => p.exported && p.keeps)).toBe(true);
    const done = await call(b, 'sync:resolve-code-clash', { code: pa.filingCode, reason: 'both filed in exhibits; errata to the court names each' });
    expect(done).toMatchObject({ renumbered: [], keptByAll: true });
    expect((done as { kept: string[] }).kept.sort()).toEqual([pa.id, pb.id].sort());
    await send(b, a);
    for (const s of [a, b]) {
      expect(await call(s, 'sync:code-clashes')).toEqual([]);
      expect(await call(s, 'sync:status')).toMatchObject({ openConflicts: 0 });
      expect(await call(s, 'people:get', { id: pa.id })).toMatchObject({ filingCode: pa.filingCode });
      expect(await call(s, 'people:get', { id: pb.id })).toMatchObject({ filingCode: pa.filingCode });
      await verified(s);
    }
    await expect(call(a, 'sync:resolve-code-clash', { code: pa.filingCode, reason: 'again' })).rejects.toThrow(/no open clash/);
  });
});
