// The sync channels end to end through dispatch (what IPC and the CLI reach): two laptops, a bundle
// each way, a conflict shown with both heads and resolved with a reason, duplicate people merged
// and the merge undone, and the history verifying on both after each step.
import { afterEach, describe, expect, it } from 'vitest';
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
});
