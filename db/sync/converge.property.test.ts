// Three laptops, random create / edit / delete / restore on shared and separate records, random
// sync orders with repeats and partial (--for) bundles, then everyone syncs with everyone: every
// laptop holds the same content hash, every version ever written, the same conflicts, and every
// device's chain verifies.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, SAMPLE_FACILITY, tempDbFile, tempDir } from '../../test/helpers';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { addLocalDevice } from '../migrations/0007_devices';
import { verifyRecords } from '../history/verify';
import { createFacility, getFacility, setFacilityDeleted, updateFacility } from '../repo/facilities';
import { exportBundle, importBundle } from './bundle';
import { officeContentHash, openConflictCount } from './state';

afterAll(cleanupTempDirs);

const PASS = 'office bundle passphrase';
const now = new Date('2026-06-21T10:00:00.000Z');

let template = '';
/** A new laptop: a copy of a migrated empty database given its own device and key. */
function laptop(): Db {
  if (!template) {
    template = tempDbFile();
    openDatabase(template).close();
  }
  const file = join(tempDir(), 'attest.sqlite');
  copyFileSync(template, file);
  const db = openDatabase(file);
  // What is proven here is the merge, not durability (test/faults kills the real command).
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    db.exec(`DELETE FROM device_key; DELETE FROM devices;`);
    addLocalDevice(db);
  })();
  return db;
}

type Op =
  | { kind: 'create'; on: number; slot: number }
  | { kind: 'edit'; on: number; slot: number; city: string }
  | { kind: 'delete'; on: number; slot: number }
  | { kind: 'restore'; on: number; slot: number }
  | { kind: 'sync'; from: number; to: number; partial: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), on: fc.nat(2), slot: fc.nat(3) }),
  fc.record({ kind: fc.constant('edit' as const), on: fc.nat(2), slot: fc.nat(3), city: fc.constantFrom('Baldwin', 'Miami', 'Tacoma') }),
  fc.record({ kind: fc.constant('delete' as const), on: fc.nat(2), slot: fc.nat(3) }),
  fc.record({ kind: fc.constant('restore' as const), on: fc.nat(2), slot: fc.nat(3) }),
  fc.record({ kind: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2), partial: fc.boolean() }),
);

function deviceOf(db: Db): string {
  return db.prepare(`SELECT device FROM device_key`).pluck().get() as string;
}

describe('three laptops converge', () => {
  it('to the same content, versions and conflicts in any sync order, and every chain verifies', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 10 }), (ops) => {
        run++;
        const dbs = [laptop(), laptop(), laptop()];
        const folder = tempDir();
        // Slot → record id: a slot's record is created once on one laptop, then shared by syncs.
        const ids = new Map<number, string>();
        const written = new Set<string>();
        let clock = 0;
        const meta = () => ({ at: new Date(Date.UTC(2026, 5, 1, 0, 0, clock++)).toISOString(), by: 'attorney' });
        const sync = (from: number, to: number, partial: boolean) => {
          if (from === to) return;
          const forDevice = partial && dbs[from]!.prepare(`SELECT 1 FROM devices WHERE id = ?`).get(deviceOf(dbs[to]!)) ? deviceOf(dbs[to]!) : undefined;
          const { file } = exportBundle(dbs[from]!, { folder, passphrase: PASS, now, forDevice });
          dbs[to]!.transaction(() => importBundle(dbs[to]!, { file, passphrase: PASS, now }))();
        };
        try {
          for (const o of ops) {
            if (o.kind === 'sync') {
              sync(o.from, o.to, o.partial);
              continue;
            }
            const db = dbs[o.on]!;
            const id = ids.get(o.slot);
            if (o.kind === 'create') {
              if (id) continue;
              const f = createFacility(db, { ...SAMPLE_FACILITY, name: `Facility ${o.slot}` }, meta());
              ids.set(o.slot, f.id);
              continue;
            }
            if (!id) continue;
            const f = getFacility(db, id, { includeDeleted: true });
            if (!f) continue; // not synced to this laptop yet
            if (o.kind === 'edit' && !f.deletedAt && f.city !== o.city) updateFacility(db, id, f.version, { ...SAMPLE_FACILITY, name: f.name, city: o.city }, meta());
            if (o.kind === 'delete' && !f.deletedAt) setFacilityDeleted(db, id, f.version, true, meta());
            if (o.kind === 'restore' && f.deletedAt) setFacilityDeleted(db, id, f.version, false, meta());
          }
          for (const db of dbs) for (const r of db.prepare(`SELECT device || ':' || seq FROM all_versions`).pluck().all() as string[]) written.add(r);
          // Round the ring and on to the second laptop again: then everyone holds what anyone held.
          for (const [a, b] of [[0, 1], [1, 2], [2, 0], [0, 1]] as const) sync(a, b, false);
          const hashes = dbs.map(officeContentHash);
          expect(new Set(hashes).size, `run ${run}`).toBe(1);
          for (const db of dbs) {
            const held = new Set(db.prepare(`SELECT device || ':' || seq FROM all_versions`).pluck().all() as string[]);
            for (const w of written) expect(held.has(w)).toBe(true);
            expect(verifyRecords(db).firstBroken).toBeNull();
          }
          expect(new Set(dbs.map(openConflictCount)).size).toBe(1);
        } finally {
          for (const db of dbs) db.close();
        }
      }),
      { numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 200), seed: Number(process.env.SYNC_PROPERTY_SEED ?? 13) },
    );
  }, 300_000);
});
