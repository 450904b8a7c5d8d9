// The manifest pins every record behind an exhibit at the version it shows, wherever that version
// was written: records that came from another laptop are pinned with their version, content hash
// and place in that laptop's chain, as this laptop's own are.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDefinition, OfficeSettings } from '../../shared/report/definition';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, tempDir, testSession } from '../../test/helpers';
import type { Session } from './session';

afterEach(cleanupTempDirs);

const PASS = 'office bundle passphrase';
const definition = { ...defaultDefinition(OfficeSettings.parse({}), { from: '2026-01-01', to: '2026-06-20' }), profile: 'internal' as const };

async function call<T = Record<string, unknown>>(s: Session, channel: string, input: unknown = {}): Promise<T> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.data as T;
}

type Pin = { entity: string; id: string; version: number; contentHash: string; ref: string };

describe('the manifest pins records from every laptop', () => {
  it('a record written on another laptop is pinned with its version, content hash and device:seq; one edited here after, with this laptop\'s', async () => {
    const a = testSession();
    const b = testSession();
    const aId = (await call<{ local: { id: string } }>(a, 'sync:status')).local.id;
    const bId = (await call<{ local: { id: string } }>(b, 'sync:status')).local.id;
    const f = await call<{ id: string }>(a, 'facilities:create', SAMPLE_FACILITY);
    const p = await call<{ id: string }>(a, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: f.id, consentGiven: true, consentDate: '2026-04-01' });
    const inc = { personId: p.id, facilityId: f.id, occurredOn: '2026-05-01', categories: ['WATER'], summary: 'no water for two days' };
    const fromA = await call<{ id: string }>(a, 'incidents:create', inc);
    const { file } = await call<{ file: string }>(a, 'sync:export', { folder: tempDir(), passphrase: PASS });
    await call(b, 'sync:import', { file, passphrase: PASS });
    const fromB = await call<{ id: string }>(b, 'incidents:create', { ...inc, occurredOn: '2026-05-02', summary: 'no blanket' });

    const pinsOf = async () => {
      const done = await call<{ manifestPath: string }>(b, 'reports:export', { definition, formats: ['csv'], folder: tempDir() });
      return (JSON.parse(readFileSync(done.manifestPath, 'utf8')) as { records: Pin[] }).records;
    };
    const foreign = (id: string) => b.ctx.db.prepare(`SELECT seq, version, content_hash AS h FROM foreign_rows WHERE device = ? AND id = ? ORDER BY seq DESC LIMIT 1`).get(aId, id) as { seq: number; version: number; h: string };
    const local = (id: string) => b.ctx.db.prepare(`SELECT seq, version, content_hash AS h FROM audit_log WHERE id = ? ORDER BY seq DESC LIMIT 1`).get(id) as { seq: number; version: number; h: string };
    let pins = await pinsOf();
    expect(pins.map((x) => `${x.entity} ${x.id}`)).toEqual([`facility ${f.id}`, ...[fromA.id, fromB.id].sort().map((id) => `incident ${id}`), `person ${p.id}`]);
    for (const [entity, id] of [['facility', f.id], ['person', p.id], ['incident', fromA.id]] as const) {
      const v = foreign(id);
      expect(pins.find((x) => x.id === id)).toEqual({ entity, id, version: v.version, contentHash: v.h, ref: `${aId}:${v.seq}` });
    }
    const own = local(fromB.id);
    expect(pins.find((x) => x.id === fromB.id)).toEqual({ entity: 'incident', id: fromB.id, version: 1, contentHash: own.h, ref: `${bId}:${own.seq}` });

    // Edited here: pinned at this laptop's new version.
    await call(b, 'incidents:update', { ...inc, id: fromA.id, expectedVersion: 1, summary: 'no water for three days' });
    pins = await pinsOf();
    const edited = local(fromA.id);
    expect(pins.find((x) => x.id === fromA.id)).toEqual({ entity: 'incident', id: fromA.id, version: 2, contentHash: edited.h, ref: `${bId}:${edited.seq}` });
  }, 60_000);
});
