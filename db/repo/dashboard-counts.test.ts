import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbFile, tempDir } from '../../test/helpers';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { seed } from '../seed';
import { exportBundle, importBundle } from '../sync/bundle';
import { mergeRecords, unmergeRecords } from '../sync/merge';
import { openConflictCount } from '../sync/state';
import { createIncident, getIncident, setIncidentDeleted, updateIncident, type IncidentCreateFields } from './incidents';

// The dashboard's counts (incident_counts, migration 0010) against counts made here from the
// incidents, in plain JavaScript, after every kind of write: the app's creates, edits, deletes and
// restores, a row deleted outright, a bundle from another laptop (new incidents, edits, a conflict)
// and a facility merge and its undoing.

afterAll(cleanupTempDirs);

interface Row {
  id: string;
  facility_id: string;
  occurred_on: string;
  occurred_until: string | null;
  categories: string;
  status: string;
  counsel_present: number | null;
  document_signed: number | null;
  created_at: string;
  deleted_at: string | null;
}

const DAY = 86_400_000;
const monday = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return new Date(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
};
const month = (d: string) => `${d.slice(0, 7)}-01`;
const answer = (v: number | null) => (v === 1 ? 1 : v === 0 ? 0 : 2);

/** Every grain's counts, made from the live incidents. */
function recount(db: Db): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of db.prepare(`SELECT * FROM incidents WHERE deleted_at IS NULL`).all() as Row[]) {
    const until = r.occurred_until ?? r.occurred_on;
    const full = [r.status, answer(r.counsel_present), answer(r.document_signed)];
    const grains: [string, unknown[], string, string][] = [
      ['D', full, r.occurred_on, until],
      ['W', full, monday(r.occurred_on), monday(until)],
      ['M', full, month(r.occurred_on), month(until)],
      ['Ws', full, monday(r.occurred_on), monday(until)],
      ['Ms', full, month(r.occurred_on), month(until)],
      ['w', ['*', 9, 9], monday(r.occurred_on), monday(until)],
      ['d', ['*', 9, 9], r.occurred_on, until],
      ['Df', ['*', 9, 9], r.occurred_on, until],
      ['m', ['*', 9, 9], month(r.occurred_on), month(until)],
    ];
    for (const category of new Set(['', ...(JSON.parse(r.categories) as string[])])) {
      for (const [grain, flags, g1, g2] of grains) {
        const facility = ['D', 'W', 'M', 'Df'].includes(grain) ? r.facility_id : '*';
        const key = JSON.stringify([grain, ...flags, category, facility, g1, g2]);
        const v = out.get(key) ?? [0, 0, 0, 0, 0];
        const add = [1, Number(r.counsel_present === 1), Number(r.counsel_present !== null), Number(r.document_signed === 1), Number(r.document_signed !== null)];
        out.set(key, v.map((x, i) => x + add[i]!));
      }
    }
  }
  return out;
}

function kept(db: Db): Map<string, number[]> {
  const rows = db.prepare(`SELECT * FROM incident_counts`).raw().all() as unknown[][];
  return new Map(rows.map((r) => [JSON.stringify(r.slice(0, 8)), r.slice(8) as number[]]));
}

function expectCountsRight(db: Db) {
  const want = recount(db);
  const got = kept(db);
  // Compared as sorted lists, so a failure shows the rows that differ.
  const list = (m: Map<string, number[]>) => [...m].map(([k, v]) => `${k} ${v.join(',')}`).sort();
  expect(list(got)).toEqual(list(want));
}

const meta = (at = '2026-06-20T10:00:00.000Z') => ({ at, by: 'attorney' });
const PASS = 'office bundle passphrase';
const now = new Date('2026-06-21T10:00:00.000Z');
function send(from: Db, to: Db) {
  const { file } = exportBundle(from, { folder: tempDir(), passphrase: PASS, now });
  return to.transaction(() => importBundle(to, { file, passphrase: PASS, now }))();
}
function fieldsOf(db: Db, id: string): IncidentCreateFields & { version: number } {
  const { id: _id, createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest } = getIncident(db, id, { includeDeleted: true }) as unknown as Record<string, unknown>;
  return rest as unknown as IncidentCreateFields & { version: number };
}

describe('incident_counts follows every write', () => {
  const a = openDatabase(tempDbFile());
  seed(a, { people: 25, incidents: 250, seed: 11 });
  const ids = () => a.prepare(`SELECT id FROM incidents WHERE deleted_at IS NULL ORDER BY id`).pluck().all() as string[];
  const facilities = a.prepare(`SELECT id FROM facilities ORDER BY id`).pluck().all() as string[];

  it('counts the seeded incidents', () => {
    expect(kept(a).size).toBeGreaterThan(100);
    expectCountsRight(a);
  });

  it('after creates, with every status and answer', () => {
    const { version: _v, ...f } = fieldsOf(a, ids()[0]!);
    a.transaction(() => {
      createIncident(a, { ...f, status: 'excluded', counselPresent: true, documentPressed: 'i210_voluntary_departure', documentSigned: false, occurredUntil: null }, meta());
      createIncident(a, { ...f, status: 'verified', counselPresent: false, documentPressed: 'i210_voluntary_departure', documentSigned: true, occurredOn: '2025-01-30', occurredUntil: '2025-02-03' }, meta('2026-06-21T09:00:00.000Z'));
    })();
    expectCountsRight(a);
  });

  it('after edits of each key: status, answers, facility, dates, categories', () => {
    const some = ids().slice(0, 12);
    some.forEach((id, k) => {
      const { version, ...f } = fieldsOf(a, id);
      const change: Partial<IncidentCreateFields>[] = [
        { status: f.status === 'verified' ? 'new' : 'verified' },
        { counselPresent: f.counselPresent === true ? false : true },
        { documentPressed: 'i210_voluntary_departure', documentSigned: f.documentSigned === true ? false : true },
        { facilityId: facilities.find((x) => x !== f.facilityId)! },
        { occurredOn: '2025-12-29', occurredUntil: '2026-01-05', datePrecision: 'approximate' },
        { categories: ['FOOD', 'MEDICAL', 'WATER'] },
      ];
      a.transaction(() => updateIncident(a, id, version, { ...f, ...change[k % change.length] }, meta()))();
      expectCountsRight(a);
    });
  });

  it('after one column changed in SQL, each key column in turn', () => {
    const id = ids()[5]!;
    const sets = [
      `status = 'excluded'`,
      `counsel_present = 1`,
      `document_signed = 0`,
      `facility_id = '${facilities[1]}'`,
      `occurred_on = '2025-03-03'`,
      `occurred_until = '2025-04-01'`,
      `categories = '["RELIGIOUS"]'`,
      `deleted_at = '2026-06-19T08:00:00.000Z'`,
      `deleted_at = NULL`,
    ];
    for (const set of sets) {
      a.prepare(`UPDATE incidents SET ${set} WHERE id = ?`).run(id);
      expectCountsRight(a);
    }
  });

  it('after deletes and restores, and a row deleted outright', () => {
    const [x, y, z] = ids();
    a.transaction(() => setIncidentDeleted(a, x!, fieldsOf(a, x!).version, true, meta()))();
    expectCountsRight(a);
    a.transaction(() => setIncidentDeleted(a, y!, fieldsOf(a, y!).version, true, meta()))();
    a.transaction(() => setIncidentDeleted(a, y!, fieldsOf(a, y!).version, false, meta()))();
    expectCountsRight(a);
    a.pragma('foreign_keys = OFF');
    a.prepare(`DELETE FROM incidents WHERE id = ?`).run(z);
    a.prepare(`DELETE FROM incident_categories WHERE incident_id = ?`).run(z);
    a.pragma('foreign_keys = ON');
    expectCountsRight(a);
  });

  it('after bundles between laptops: new incidents, edits, a conflict', () => {
    const b = openDatabase(tempDbFile());
    send(a, b);
    expectCountsRight(b);
    const [p, q] = ids();
    // Edited on both laptops: a conflict, one head shown on each.
    const fp = fieldsOf(b, p!);
    b.transaction(() => updateIncident(b, p!, fp.version, { ...fp, status: 'excluded', counselPresent: null }, meta('2026-06-22T10:00:00.000Z')))();
    const fa = fieldsOf(a, p!);
    a.transaction(() => updateIncident(a, p!, fa.version, { ...fa, status: 'verified', facilityId: facilities[2]! }, meta('2026-06-22T11:00:00.000Z')))();
    const fq = fieldsOf(b, q!);
    b.transaction(() => updateIncident(b, q!, fq.version, { ...fq, categories: ['THREATS'], occurredOn: '2024-11-11' }, meta('2026-06-22T10:00:00.000Z')))();
    const { version: _v, ...nf } = fq;
    b.transaction(() => createIncident(b, { ...nf, status: 'new', occurredOn: '2026-06-01' }, meta('2026-06-22T12:00:00.000Z')))();
    send(b, a);
    expect(openConflictCount(a)).toBe(1);
    expectCountsRight(a);
    send(a, b);
    expectCountsRight(b);
  });

  it('after a facility merge and its undoing', () => {
    const [from, into] = facilities;
    const r = a.transaction(() => mergeRecords(a, 'facility', { from: from!, into: into!, reason: 'same place' }, meta()))();
    expect(a.prepare(`SELECT count(*) FROM incidents WHERE facility_id = ?`).pluck().get(from)).toBe(0);
    expectCountsRight(a);
    a.transaction(() => unmergeRecords(a, 'facility', { mergeId: r.mergeId, reason: 'not the same' }, meta()))();
    expectCountsRight(a);
  });
});
