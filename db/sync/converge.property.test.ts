// Three laptops, random create / edit / delete / restore on shared and separate records, people
// entered on several laptops (so duplicates and filing codes given twice), merge-people and
// merge-facilities with their undo, new codes for a filing code clash, random sync orders with
// repeats and partial (--for) bundles, then everyone syncs with everyone: every laptop holds the
// same content hash, every version ever written, the same conflicts and code clashes, and every
// device's chain (and every derived row) verifies.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, SAMPLE_FACILITY, tempDir } from '../../test/helpers';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { addLocalDevice } from '../migrations/0007_devices';
import { verifyRecords } from '../history/verify';
import { createFacility, getFacility, setFacilityDeleted, updateFacility } from '../repo/facilities';
import { createIncident } from '../repo/incidents';
import { createPerson, findPersonByANumber } from '../repo/people';
import { exportBundle, importBundle } from './bundle';
import { openCodeClashes, resolveCodeClash } from './codes';
import { mergeRecords, unmergeRecords, type MergeKind } from './merge';
import { officeContentHash, openConflictCount } from './state';

afterAll(() => {
  cleanupTempDirs();
  if (template) rmSync(dirname(template), { recursive: true, force: true });
});

const PASS = 'office bundle passphrase';
const now = new Date('2026-06-21T10:00:00.000Z');

let template = '';
/** A new laptop: a copy of a migrated empty database given its own device and key. */
function laptop(): Db {
  if (!template) {
    // Outside the temporary folders each run removes (it serves every run).
    template = join(mkdtempSync(join(tmpdir(), 'attest-template-')), 'attest.sqlite');
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
  | { kind: 'person'; on: number; slot: number; facility: number }
  | { kind: 'merge'; what: MergeKind; on: number; from: number; into: number }
  | { kind: 'unmerge'; on: number; nth: number }
  | { kind: 'recode'; on: number }
  | { kind: 'sync'; from: number; to: number; partial: boolean };

const laptopOf = fc.nat(2);
const entry: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), on: laptopOf, slot: fc.nat(3) }),
  fc.record({ kind: fc.constant('person' as const), on: laptopOf, slot: fc.nat(2), facility: fc.nat(3) }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), on: laptopOf, slot: fc.nat(3) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('edit' as const), on: laptopOf, slot: fc.nat(3), city: fc.constantFrom('Baldwin', 'Miami', 'Tacoma') }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), on: laptopOf, slot: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('restore' as const), on: laptopOf, slot: fc.nat(3) }), weight: 1 },
  // A person (with one incident at a facility of that laptop): the same slot on two laptops is the same person entered twice.
  { arbitrary: fc.record({ kind: fc.constant('person' as const), on: laptopOf, slot: fc.nat(2), facility: fc.nat(3) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('merge' as const), what: fc.constantFrom<MergeKind>('person', 'facility'), on: laptopOf, from: fc.nat(5), into: fc.nat(4) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('unmerge' as const), on: laptopOf, nth: fc.nat(3) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('recode' as const), on: laptopOf }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), from: laptopOf, to: laptopOf, partial: fc.boolean() }), weight: 4 },
);

function deviceOf(db: Db): string {
  return db.prepare(`SELECT device FROM device_key`).pluck().get() as string;
}

describe('three laptops converge', () => {
  it('to the same content, versions and conflicts in any sync order, and every chain verifies', () => {
    let run = 0;
    const cpu = process.cpuUsage();
    const wall = performance.now();
    // How often each operation really ran (not skipped for want of a record): the runs must reach them.
    const ran = { merge: 0, unmerge: 0, recode: 0, clashAtEnd: 0, conflictAtEnd: 0 };
    fc.assert(
      // A few records entered first, on any laptops (so merges and clashes have material), then anything.
      fc.property(fc.array(entry, { minLength: 2, maxLength: 5 }), fc.array(op, { minLength: 1, maxLength: 12 }), (first, rest) => {
        const ops = [...first, ...rest];
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
        // Merges made, in order (an unmerge picks one).
        const merges: { what: MergeKind; mergeId: string }[] = [];
        try {
          for (const o of ops) {
            if (o.kind === 'sync') {
              sync(o.from, o.to, o.partial);
              continue;
            }
            const db = dbs[o.on]!;
            if (o.kind === 'person') {
              const facility = ids.get(o.facility);
              const aNumber = `00000000${o.slot}`;
              if (findPersonByANumber(db, aNumber)) continue; // this laptop has them (entered or synced): not entered again
              const p = createPerson(db, { familyName: `Family${o.slot}`, givenName: 'Given', aNumber }, meta());
              if (facility && getFacility(db, facility)) {
                createIncident(db, { personId: p.id, facilityId: facility, occurredOn: '2026-05-01', categories: ['WATER'], summary: `incident of ${o.slot}` }, meta());
              }
              continue;
            }
            // Merge, unmerge and new codes run on the first laptop, from the one drawn, where they can.
            const where = <T,>(find: (db: Db) => T | undefined): [Db, T] | undefined => {
              for (let k = 0; k < 3; k++) {
                const d = dbs[(o.on + k) % 3]!;
                const x = find(d);
                if (x !== undefined) return [d, x];
              }
              return undefined;
            };
            if (o.kind === 'merge') {
              // Two of the records of the kind live on that laptop, by id.
              const table = o.what === 'person' ? 'people' : 'facilities';
              const found = where((d) => {
                const all = d.prepare(`SELECT id FROM ${table} WHERE deleted_at IS NULL ORDER BY id`).pluck().all() as string[];
                return all.length < 2 ? undefined : all;
              });
              if (!found) continue;
              const [d, all] = found;
              const from = all[o.from % all.length]!;
              const into = all[(o.from + 1 + (o.into % (all.length - 1))) % all.length]!;
              const m = mergeRecords(d, o.what, { from, into, reason: 'entered twice' }, meta());
              merges.push({ what: o.what, mergeId: m.mergeId });
              ran.merge++;
              continue;
            }
            if (o.kind === 'unmerge') {
              const m = merges[o.nth % Math.max(1, merges.length)];
              if (!m) continue;
              const key = `${m.what === 'person' ? 'people-merge' : 'facility-merge'}:${m.mergeId}`;
              // Where the merge is known and not undone yet.
              const found = where((d) => {
                const raw = d.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(key) as string | undefined;
                return raw && !(JSON.parse(raw) as { undone: boolean }).undone ? true : undefined;
              });
              if (!found) continue;
              unmergeRecords(found[0], m.what, { mergeId: m.mergeId, reason: 'not the same' }, meta());
              ran.unmerge++;
              continue;
            }
            if (o.kind === 'recode') {
              const found = where((d) => openCodeClashes(d)[0]);
              if (!found) continue;
              resolveCodeClash(found[0], { code: found[1].code, reason: 'code given on two laptops' }, meta());
              ran.recode++;
              continue;
            }
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
          expect(new Set(dbs.map((db) => JSON.stringify(openCodeClashes(db)))).size).toBe(1);
          if (openCodeClashes(dbs[0]!).length) ran.clashAtEnd++;
          if (openConflictCount(dbs[0]!)) ran.conflictAtEnd++;
        } finally {
          for (const db of dbs) db.close();
          // Each run's three laptops and bundles go at once: 200 runs' files left to the end take long to remove.
          cleanupTempDirs();
        }
      }),
      { numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 200), seed: Number(process.env.SYNC_PROPERTY_SEED ?? 13) },
    );
    const used = process.cpuUsage(cpu);
    console.log(`sync property: ${run} runs in ${((performance.now() - wall) / 1000).toFixed(1)} s (${((used.user + used.system) / 1e6).toFixed(1)} s of CPU); merges ${ran.merge}, unmerges ${ran.unmerge}, new codes ${ran.recode}; ended with a code clash ${ran.clashAtEnd}, with an open conflict ${ran.conflictAtEnd}`);
    for (const [what, n] of Object.entries(ran)) expect(n, `${what} never happened in ${run} runs`).toBeGreaterThan(run / 50);
    // About 25 s of CPU; the limit only catches a hang on a shared, loaded machine.
  }, 900_000);
});
