// The builder's preview reads key rows only and builds just the log rows it shows: its counts,
// exclusions and first rows must be exactly what the whole model (the one exports render) gives,
// over the seed corpus and random definitions; and it must see every change to the records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng, seed } from '../../db/seed';
import { buildInput, resolveDefinition } from '../../electron/core/report-export';
import { openSession, type Session } from '../../electron/core/session';
import type { ChannelOutput } from '../../shared/contract';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { renderHtml } from '../../shared/report/html';
import { buildReportModel, type ReportModel, type SummaryCell } from '../../shared/report/model';
import { CATEGORY_CODES, INCIDENT_STATUSES } from '../../shared/vocab';
import { cleanupTempDirs, fixedClock, tempDbFile } from '../helpers';

type Preview = ChannelOutput<'reports:preview'>;
const NOW = '2026-07-25T12:00:00.000Z';
let session: Session;
let file: string;
let facilityIds: string[];

async function ok<T>(s: Session, channel: string, input: unknown): Promise<T> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

/** The whole model as an export builds it, from every row read whole. */
function fullModel(s: Session, definition: unknown): ReportModel {
  const db = s.ctx.db;
  const resolved = resolveDefinition(db, { definition: ReportDefinitionInput.parse(definition) });
  return buildReportModel(buildInput(db, resolved, NOW, s.ctx.appVersion));
}

function expectSameCounts(p: Preview, m: ReportModel): void {
  const count = (c: SummaryCell) => ({ count: c.count });
  expect(p.incidents).toBe(m.recordIds.incidents.length);
  expect(p.exclusions).toEqual(m.exclusions);
  expect(p.summary).toEqual({
    categories: m.summary.categories.map((c) => ({ code: c.code, label: c.label, short: c.short })),
    rows: m.summary.rows.map((r) => ({ facilityId: r.facilityId, facility: r.facility, cells: r.cells.map(count), total: count(r.total) })),
    totals: m.summary.totals.map(count),
    grandTotal: count(m.summary.grandTotal),
  });
}

/** A random definition: period, statuses, consent, inclusion, facilities, categories, sort, profile. */
function randomDefinition(rnd: () => number) {
  const some = <T>(xs: readonly T[], p: number) => xs.filter(() => rnd() < p);
  const day = (d: number) => new Date(Date.UTC(2024, 6, 1) + d * 86_400_000).toISOString().slice(0, 10);
  const from = Math.floor(rnd() * 700);
  return {
    name: 'Random',
    caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'A v. B', caseNumber: 'No. 1' },
    title: 'Status report',
    exhibitLabel: 'Exhibit A',
    periodFrom: day(from),
    periodTo: day(from + 30 + Math.floor(rnd() * 500)),
    profile: (['public', 'sealed', 'internal'] as const)[Math.floor(rnd() * 3)],
    sort: (['date', 'facility', 'filingCode'] as const)[Math.floor(rnd() * 3)],
    filters: {
      statuses: rnd() < 0.3 ? [...INCIDENT_STATUSES] : some(INCIDENT_STATUSES, 0.6),
      consentOnly: rnd() < 0.5,
      includedOnly: rnd() < 0.5,
      facilityIds: rnd() < 0.5 ? [] : some(facilityIds, 0.5),
      categories: rnd() < 0.5 ? [] : some(CATEGORY_CODES, 0.3),
    },
  };
}

beforeAll(() => {
  file = tempDbFile();
  session = openSession(file, { user: 'test', now: fixedClock(NOW) });
  seed(session.ctx.db, { people: 120, incidents: 1_500, seed: 7 });
  facilityIds = session.ctx.db.prepare('SELECT id FROM facilities ORDER BY id').pluck().all() as string[];
}, 120_000);

afterAll(() => {
  session?.vault.closeQuietly();
  cleanupTempDirs();
});

describe('reports:preview', () => {
  it('counts exactly what the whole model counts, and shows its first log rows, over random definitions', async () => {
    const rnd = prng(2026);
    let nonEmpty = 0;
    let previous = randomDefinition(rnd);
    for (let i = 0; i < 40; i++) {
      // Every other definition keeps the period and profile of the one before and changes the rest,
      // as editing the filters in the builder does (what the preview keeps between calls must not leak).
      const fresh = randomDefinition(rnd);
      const definition = i % 2 ? { ...fresh, periodFrom: previous.periodFrom, periodTo: previous.periodTo, profile: previous.profile } : fresh;
      previous = definition;
      const logRows = [0, 1, 7, 200][i % 4]!;
      const p = await ok<Preview>(session, 'reports:preview', { definition, logRows });
      const m = fullModel(session, definition);
      expectSameCounts(p, m);
      if (p.incidents > 0) nonEmpty++;
      // The rows shown are the whole model's first rows, built, redacted and laid out alike.
      const bare = (c: SummaryCell): SummaryCell => ({ count: c.count, incidentIds: [], rowIds: [] });
      const s = m.summary;
      const summary = { ...s, rows: s.rows.map((r) => ({ ...r, cells: r.cells.map(bare), total: bare(r.total) })), totals: s.totals.map(bare), grandTotal: bare(s.grandTotal) };
      expect(p.logRowsShown).toBe(Math.min(logRows, m.log.rows.length));
      expect(p.html).toBe(renderHtml({ ...m, summary, log: { ...m.log, rows: m.log.rows.slice(0, logRows) } }));
      // And a click on any count gives the incidents behind it in the whole model.
      const rowAt = Math.floor(rnd() * (s.rows.length + 1));
      const colAt = Math.floor(rnd() * (s.categories.length + 1));
      const row = s.rows[rowAt];
      const col = s.categories[colAt];
      const want = row ? (col ? row.cells[colAt]! : row.total) : col ? s.totals[colAt]! : s.grandTotal;
      const cell = await ok<SummaryCell>(session, 'reports:cell', { definition, facilityId: row?.facilityId ?? null, category: col?.code ?? null });
      expect(cell).toEqual(want);
    }
    // The random definitions are not all empty (the test would prove little).
    expect(nonEmpty).toBeGreaterThan(20);
  }, 120_000);

  it('sees a change made through dispatch, and one committed by another connection', async () => {
    const definition = { ...randomDefinition(prng(1)), periodFrom: '2000-01-01', periodTo: '2030-12-31', filters: { statuses: [...INCIDENT_STATUSES], consentOnly: false, includedOnly: false } };
    const before = await ok<Preview>(session, 'reports:preview', { definition });
    const db = session.ctx.db;
    const one = db.prepare('SELECT id, version FROM incidents WHERE deleted_at IS NULL ORDER BY id LIMIT 1').get() as { id: string; version: number };
    await ok(session, 'incidents:delete', { id: one.id, expectedVersion: one.version });
    const afterWrite = await ok<Preview>(session, 'reports:preview', { definition });
    expect(afterWrite.incidents).toBe(before.incidents - 1);
    expectSameCounts(afterWrite, fullModel(session, definition));

    const other = openSession(file, { user: 'other', now: fixedClock(NOW) });
    try {
      const two = other.ctx.db.prepare('SELECT id, version FROM incidents WHERE deleted_at IS NULL ORDER BY id LIMIT 1').get() as { id: string; version: number };
      await ok(other, 'incidents:delete', { id: two.id, expectedVersion: two.version });
    } finally {
      other.vault.closeQuietly();
    }
    const afterOther = await ok<Preview>(session, 'reports:preview', { definition });
    expect(afterOther.incidents).toBe(before.incidents - 2);
    expectSameCounts(afterOther, fullModel(session, definition));
  }, 60_000);
});
