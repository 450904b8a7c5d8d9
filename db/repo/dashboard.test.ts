import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../electron/core/session';
import { cleanupTempDirs, fixedClock, tempDbFile, tempDir } from '../../test/helpers';
import { openDatabase, type Db } from '../connect';
import { defaultMigrationsDir } from '../migrate';
import { seed } from '../seed';
import { openConflictCount } from '../sync/state';
import type { DashboardOutput } from '../../shared/contract/dashboard';
import { countQueries, type DashboardFilter } from './dashboard';

// The dashboard's numbers against counts made here, independently: every live incident read whole
// from the real database and counted in plain JavaScript, day by day.

afterAll(cleanupTempDirs);

interface Row {
  id: string;
  facility_id: string;
  person_id: string;
  occurred_on: string;
  occurred_until: string | null;
  categories: string;
  status: string;
  counsel_present: number | null;
  document_signed: number | null;
  created_at: string;
  deleted_at: string | null;
  version: number;
}

type Filter = { facilityId?: string; category?: string; from?: string; to?: string; personId?: string; status?: string; counselPresent?: boolean; documentSigned?: boolean; bucket?: 'week' | 'month' };

const DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
function periodStart(d: string, bucket: 'week' | 'month'): string {
  if (bucket === 'month') return `${d.slice(0, 7)}-01`;
  const t = Date.parse(`${d}T00:00:00Z`);
  return day(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY);
}

/** What the dashboard should say, counted from the rows. */
function expected(rows: Row[], f: Filter, today: string) {
  const bucket = f.bucket ?? 'month';
  const flag = (v: number | null, want: boolean | undefined) => want === undefined || v === (want ? 1 : 0);
  const matches = (r: Row, dated: boolean) =>
    r.deleted_at === null &&
    (!f.facilityId || r.facility_id === f.facilityId) &&
    (!f.personId || r.person_id === f.personId) &&
    (!f.status || r.status === f.status) &&
    flag(r.counsel_present, f.counselPresent) &&
    flag(r.document_signed, f.documentSigned) &&
    (!f.category || (JSON.parse(r.categories) as string[]).includes(f.category)) &&
    (!dated || ((!f.to || r.occurred_on <= f.to) && (!f.from || (r.occurred_until ?? r.occurred_on) >= f.from)));
  const live = rows.filter((r) => matches(r, true));
  const periods = new Map<string, { incidents: number; cats: Map<string, number> }>();
  const cats = new Map<string, number>();
  const facilities = new Map<string, number>();
  for (const r of live) {
    const mine = (JSON.parse(r.categories) as string[]).filter((c) => !f.category || c === f.category);
    for (const c of mine) cats.set(c, (cats.get(c) ?? 0) + 1);
    facilities.set(r.facility_id, (facilities.get(r.facility_id) ?? 0) + 1);
    const touched = new Set<string>();
    for (let t = Date.parse(`${r.occurred_on}T00:00:00Z`); day(t) <= (r.occurred_until ?? r.occurred_on); t += DAY) {
      const d = day(t);
      if ((!f.from || d >= f.from) && (!f.to || d <= f.to)) touched.add(periodStart(d, bucket));
    }
    for (const p of touched) {
      const s = periods.get(p) ?? { incidents: 0, cats: new Map<string, number>() };
      s.incidents++;
      for (const c of mine) s.cats.set(c, (s.cats.get(c) ?? 0) + 1);
      periods.set(p, s);
    }
  }
  const monday = periodStart(today, 'week');
  return {
    total: live.length,
    periods,
    categories: Object.fromEntries(cats),
    facilities: Object.fromEntries(facilities),
    counselPresent: { yes: live.filter((r) => r.counsel_present === 1).length, answered: live.filter((r) => r.counsel_present !== null).length },
    documentSigned: { yes: live.filter((r) => r.document_signed === 1).length, answered: live.filter((r) => r.document_signed !== null).length },
    newThisWeek: rows.filter((r) => matches(r, false) && r.created_at.slice(0, 10) >= monday).length,
  };
}

function compare(got: DashboardOutput, want: ReturnType<typeof expected>) {
  expect(got.total).toBe(want.total);
  expect(Object.fromEntries(got.categories.map((c) => [c.category, c.n]))).toEqual(want.categories);
  expect(Object.fromEntries(got.facilities.map((c) => [c.facilityId, c.n]))).toEqual(want.facilities);
  expect(got.counselPresent).toEqual(want.counselPresent);
  expect(got.documentSigned).toEqual(want.documentSigned);
  expect(got.newThisWeek.n).toBe(want.newThisWeek);
  const nonEmpty = got.periods.filter((p) => p.incidents > 0);
  expect(nonEmpty.map((p) => periodStart(p.from, got.bucket)).sort()).toEqual([...want.periods.keys()].sort());
  for (const p of nonEmpty) {
    const w = want.periods.get(periodStart(p.from, got.bucket))!;
    expect(p.incidents).toBe(w.incidents);
    expect(Object.fromEntries(p.categories.map((c) => [c.category, c.n]))).toEqual(Object.fromEntries(w.cats));
  }
  // Periods follow one another with none skipped.
  for (let i = 1; i < got.periods.length; i++) expect(got.periods[i]!.from > got.periods[i - 1]!.to).toBe(true);
}

const TODAY = '2026-06-20';
let s: Session;
let db: Db;
let all: () => Row[];

async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
}

beforeAll(async () => {
  s = openSession(tempDbFile(), { user: 'test-attorney', now: fixedClock(`${TODAY}T10:00:00.000Z`) });
  db = s.ctx.db;
  seed(db, { people: 60, incidents: 1200, seed: 7 });
  all = () => db.prepare(`SELECT * FROM incidents`).all() as Row[];
  // Edits through the app after the seed: the triggers must follow deletes, restores, moves,
  // new categories, new dates and new answers.
  const some = all().slice(0, 60);
  // Three entered "today" (the clock of the session), for "new this week".
  for (const [k, r] of all().slice(100, 103).entries()) {
    await ok('incidents:create', {
      personId: r.person_id,
      facilityId: r.facility_id,
      occurredOn: '2026-06-1' + k,
      categories: k ? ['WATER'] : ['MEDICAL', 'THREATS'],
      summary: 'Entered this week.',
    });
  }
  for (const [k, r] of some.entries()) {
    const full = await ok<Record<string, unknown>>('incidents:get', { id: r.id });
    const { id, version, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = full as Record<string, unknown> & { id: string; version: number };
    if (k % 4 === 0) await ok('incidents:delete', { id, expectedVersion: version, reason: 'entered twice' });
    else if (k % 4 === 1) {
      await ok('incidents:update', {
        ...fields,
        id,
        expectedVersion: version,
        reason: 'corrected',
        categories: ['FOOD', 'MEDICAL'],
        occurredOn: '2026-03-30',
        occurredUntil: '2026-04-02',
        datePrecision: 'approximate',
        counselPresent: true,
        documentPressed: 'i210_voluntary_departure',
        documentSigned: false,
      });
    } else if (k % 4 === 2) {
      const other = db.prepare(`SELECT id FROM facilities WHERE id <> ? LIMIT 1`).pluck().get(r.facility_id) as string;
      await ok('incidents:update', { ...fields, id, expectedVersion: version, reason: 'moved', facilityId: other });
    } else {
      await ok('incidents:delete', { id, expectedVersion: version, reason: 'test' });
      await ok('incidents:restore', { id, expectedVersion: version + 1, reason: 'undo' });
    }
  }
}, 120_000);

describe('dashboard:summary against counts made in the test', () => {
  const facility = () => db.prepare(`SELECT facility_id FROM incidents GROUP BY facility_id ORDER BY count(*) DESC LIMIT 1`).pluck().get() as string;
  const person = () => db.prepare(`SELECT person_id FROM incidents GROUP BY person_id ORDER BY count(*) DESC LIMIT 1`).pluck().get() as string;
  const cases: [string, () => Filter][] = [
    ['no filter, by month', () => ({})],
    ['no filter, by week', () => ({ bucket: 'week' })],
    ['a facility', () => ({ facilityId: facility() })],
    ['a category, by week', () => ({ category: 'MEDICAL', bucket: 'week' })],
    ['a period cutting through months and ranges', () => ({ from: '2025-03-15', to: '2025-09-10' })],
    ['a period by week, ranges crossing its ends', () => ({ from: '2026-03-31', to: '2026-04-01', bucket: 'week' })],
    ['facility + category + period', () => ({ facilityId: facility(), category: 'FOOD', from: '2025-01-01', to: '2026-12-31' })],
    ['a person (counted from the incidents)', () => ({ personId: person() })],
    ['status + counsel present', () => ({ status: 'verified', counselPresent: false, bucket: 'week' })],
    ['document signed + category + period', () => ({ documentSigned: true, category: 'COERCED_DEPARTURE', from: '2025-02-01' })],
    // Each filter the counts carry, alone and with a period that cuts through months and weeks.
    ['status alone', () => ({ status: 'excluded' })],
    ['counsel present alone, by week', () => ({ counselPresent: true, bucket: 'week' })],
    ['document signed no + facility', () => ({ documentSigned: false, facilityId: facility() })],
    ['status + facility + period cutting months', () => ({ status: 'new', facilityId: facility(), from: '2025-02-14', to: '2026-04-01' })],
    ['status + category + period cutting weeks, by week', () => ({ status: 'verified', category: 'MEDICAL', from: '2025-03-05', to: '2025-08-13', bucket: 'week' })],
    ['whole months (no days read)', () => ({ from: '2025-03-01', to: '2025-08-31', counselPresent: false })],
    ['a period inside one month, by week', () => ({ from: '2026-03-30', to: '2026-03-31', bucket: 'week', category: 'FOOD' })],
    ['from only, cutting a month', () => ({ from: '2025-11-17', status: 'new' })],
    ['to only, cutting a week', () => ({ to: '2025-05-07', bucket: 'week' })],
    // The cut days of a status or an answer, from the D grain by key and day (migration 0011).
    ['status + counsel + category + period cutting weeks, by week', () => ({ status: 'verified', counselPresent: false, category: 'FOOD', from: '2025-03-05', to: '2025-09-17', bucket: 'week' })],
    ['document signed + facility + period cutting weeks, by week', () => ({ documentSigned: true, facilityId: facility(), from: '2025-01-08', to: '2026-04-01', bucket: 'week' })],
    ['counsel present + period cutting months', () => ({ counselPresent: true, from: '2025-04-16', to: '2026-03-31' })],
  ];
  for (const [name, filter] of cases) {
    it(name, async () => {
      const f = filter();
      const got = await ok<DashboardOutput>('dashboard:summary', f);
      const want = expected(all(), f, TODAY);
      expect(want.total).toBeGreaterThan(0);
      compare(got, want);
    });
  }

  it('says "new this week" from the entry day, and keeps an empty filter empty', async () => {
    const got = await ok<DashboardOutput>('dashboard:summary', {});
    expect(got.newThisWeek.since).toBe('2026-06-15');
    expect(got.newThisWeek.n).toBeGreaterThan(0);
    const none = await ok<DashboardOutput>('dashboard:summary', { from: '1990-01-01', to: '1990-02-15' });
    expect(none).toMatchObject({ total: 0, categories: [], facilities: [], counselPresent: { yes: 0, answered: 0 } });
    // The period asked is shown whole, with zeros.
    expect(none.periods.map((p) => [p.from, p.to, p.incidents])).toEqual([
      ['1990-01-01', '1990-01-31', 0],
      ['1990-02-01', '1990-02-15', 0],
    ]);
    // A filter from 1990 by week does not draw 1,900 empty weeks: the axis keeps to the data.
    const wide = await ok<DashboardOutput>('dashboard:summary', { from: '1990-01-01', bucket: 'week' });
    expect(wide.periods.length).toBeLessThan(120);
    expect(wide.periods[0]!.incidents).toBeGreaterThan(0);
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const r = await s.dispatch('dashboard:summary', { from: '2026-02-01', to: '2026-01-01' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: ['to'] }] });
  });

  it('counts open conflicts as the sync status does', async () => {
    expect((await ok<DashboardOutput>('dashboard:summary', {})).openConflicts).toBe(0);
    // A second head on one record, as a merge from another laptop leaves it.
    const head = db.prepare(`SELECT * FROM record_heads WHERE entity = 'incident' LIMIT 1`).get() as Record<string, unknown>;
    db.prepare(`INSERT INTO record_heads (entity, id, device, seq, version, shown) VALUES (?, ?, 'other-laptop', 1, ?, 0)`).run(head.entity, head.id, head.version);
    try {
      const got = await ok<DashboardOutput>('dashboard:summary', {});
      expect(got.openConflicts).toBe(1);
      expect(got.openConflicts).toBe(openConflictCount(db));
    } finally {
      db.prepare(`DELETE FROM record_heads WHERE device = 'other-laptop'`).run();
    }
  });

  it('counts kept edits of records that changed since the edit began', async () => {
    const [a, b] = all().filter((r) => r.deleted_at === null);
    await ok('drafts:save', { key: `incident.${a!.id}`, kind: 'incident', data: { v: 1, baseVersion: a!.version, values: {} } });
    await ok('drafts:save', { key: `incident.${b!.id}`, kind: 'incident', data: { v: 1, baseVersion: b!.version, values: {} } });
    await ok('drafts:save', { key: 'interview.new', kind: 'interview', data: { values: {} } });
    expect((await ok<DashboardOutput>('dashboard:summary', {})).outOfDateDrafts).toBe(0);
    const full = await ok<{ version: number }>('incidents:get', { id: a!.id });
    await ok('incidents:delete', { id: a!.id, expectedVersion: full.version, reason: 'changed elsewhere' });
    expect((await ok<DashboardOutput>('dashboard:summary', {})).outOfDateDrafts).toBe(1);
    for (const key of [`incident.${a!.id}`, `incident.${b!.id}`, 'interview.new']) await ok('drafts:discard', { key });
  });
});

describe('the cut days of a status or an answer (migration 0011)', () => {
  // With a status or an answer asked, the days of a cut week or month come from the D grain (every
  // key, with the facility). Each cut period must be found by the key asked and the day, not among
  // the days of every key (a week or a month of the whole grain: 842 ms at a million incidents).
  const cuts: DashboardFilter[] = [
    { status: 'verified', counselPresent: false, category: 'FOOD', from: '2025-03-05', to: '2025-09-17', bucket: 'week' },
    { status: 'new', from: '2025-02-14', to: '2026-04-01', bucket: 'month' },
    { documentSigned: true, from: '2025-01-08', bucket: 'week' },
    { counselPresent: true, facilityId: 'any-facility', to: '2025-05-07', bucket: 'month' },
  ];
  for (const f of cuts) {
    it(`searches D by key and day: ${JSON.stringify(f)}`, () => {
      const q = countQueries(f);
      for (const { sql, params } of [q.spans, q.facilities]) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
        const days = plan.filter((d) => /incident_counts_(day|until)\b/.test(d));
        // Both ends cut a period: each query reads the days of both (the `to` end and the `from` end).
        expect(days.length).toBe((f.from ? 1 : 0) + (f.to ? 1 : 0));
        for (const d of days) expect(d).toMatch(/USING INDEX incident_counts_(day|until) \(status=\? AND counsel=\? AND signed=\? AND category=\? AND g[12]>/);
      }
    });
  }
});

describe('migration 0008 (dashboard tallies)', () => {
  it('counts the incidents a database held before it', async () => {
    // A database at schema version 7, seeded (some incidents deleted), then opened by today's Attest.
    const dir = tempDir();
    for (const f of readdirSync(defaultMigrationsDir()).filter((f) => /^000[1-7]_.*\.sql$/.test(f))) {
      copyFileSync(join(defaultMigrationsDir(), f), join(dir, f));
    }
    const file = tempDbFile();
    const old = openDatabase(file, { migrationsDir: dir });
    seed(old, { people: 30, incidents: 400, seed: 3 });
    old.prepare(`UPDATE incidents SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE rowid % 9 = 0`).run();
    expect(old.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'incident_tally'`).pluck().get()).toBe(0);
    old.close();
    const now = openSession(file, { user: 'test-attorney', now: fixedClock(`${TODAY}T10:00:00.000Z`) });
    try {
      const rows = now.ctx.db.prepare(`SELECT * FROM incidents`).all() as Row[];
      for (const f of [{}, { bucket: 'week' as const, category: 'WATER' }]) {
        const r = await now.dispatch('dashboard:summary', f);
        if (!r.ok) throw new Error(r.error.message);
        compare(r.data as DashboardOutput, expected(rows, f, TODAY));
      }
    } finally {
      now.close();
    }
  });
});
