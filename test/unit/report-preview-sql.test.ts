// The preview counts in the database and builds only the log rows it shows: over a corpus whose
// free text names people, witnesses and A-numbers, its rows must be the export model's first rows,
// redacted alike, and its counts the export model's, whatever the profile, order and filters; a
// change to a person must reach its redaction, and an order the database cannot give must fall
// back to ordering every key row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReportPreview } from '../../db/repo/report-source';
import { buildInput, officeSettings, resolveDefinition } from '../../electron/core/report-export';
import { previewFrame } from '../../electron/core/report-preview';
import { openSession, type Session } from '../../electron/core/session';
import type { ChannelOutput } from '../../shared/contract';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { renderHtml } from '../../shared/report/html';
import { buildReportModel, type ReportModel, type SummaryCell } from '../../shared/report/model';
import { INCIDENT_STATUSES } from '../../shared/vocab';
import { forbiddenStrings, reportCorpus } from '../report-corpus';
import { seedCorpus } from '../report-seed';
import { cleanupTempDirs, fixedClock, tempDbFile } from '../helpers';

const NOW = '2026-07-25T12:00:00.000Z';
const source = reportCorpus({ incidents: 90, seed: 12 });
let session: Session;
let facilities: string[];

async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await session.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

const base = {
  name: 'Preview',
  caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'HAMAMA, et al.,', caseNumber: 'Case No. 2:17-cv-11910' },
  title: 'Status report',
  exhibitLabel: 'Exhibit A',
  periodFrom: '2026-05-01',
  periodTo: '2026-06-30',
  columns: ['rowId', 'person', 'aNumber', 'birth', 'facility', 'date', 'categories', 'summary', 'ownWords', 'circumstances', 'source'],
};

/** Definitions over the corpus: each profile and order, with no filters, the defaults, and narrow ones. */
function definitions() {
  const filters = [
    { statuses: [...INCIDENT_STATUSES], consentOnly: false, includedOnly: false },
    {},
    { statuses: ['verified'], consentOnly: true, includedOnly: true, facilityIds: facilities.slice(1, 3) },
    { statuses: ['new', 'verified', 'excluded'], consentOnly: false, includedOnly: true, categories: ['FOOD', 'WATER', 'THREATS', 'FORCE', 'MEDICAL'] },
    { statuses: ['new'], consentOnly: true, includedOnly: false, facilityIds: facilities.slice(0, 1), categories: ['RESTROOM', 'OTHER', 'TRANSFER'] },
  ];
  const out = [];
  for (const profile of ['public', 'internal', 'sealed'] as const) {
    for (const sort of ['date', 'facility', 'filingCode'] as const) {
      for (const f of filters) out.push(ReportDefinitionInput.parse({ ...base, profile, sort, filters: f }));
    }
  }
  return out;
}

function exportModel(definition: ReturnType<typeof definitions>[number]): ReportModel {
  const db = session.ctx.db;
  return buildReportModel(buildInput(db, resolveDefinition(db, { definition }), NOW, session.ctx.appVersion));
}

const counts = (s: ReportModel['summary']) => {
  const c = (x: SummaryCell) => x.count;
  return { categories: s.categories, rows: s.rows.map((r) => ({ ...r, cells: r.cells.map(c), total: c(r.total) })), totals: s.totals.map(c), grandTotal: c(s.grandTotal) };
};

/** The preview's frame and the export's model agree: counts, exclusions, legend, texts, and the first `shown` rows. */
function expectPreviewIsExport(definition: ReturnType<typeof definitions>[number], shown: number): ReportModel {
  const db = session.ctx.db;
  const frame = previewFrame(db, resolveDefinition(db, { definition }), officeSettings(db), NOW, session.ctx.appVersion, shown);
  const m = exportModel(definition);
  expect(frame.count).toBe(m.log.rows.length);
  expect(counts(frame.model.summary)).toEqual(counts(m.summary));
  expect(frame.model.exclusions).toEqual(m.exclusions);
  expect(frame.model.facilities).toEqual(m.facilities);
  expect(frame.model.methodNote).toEqual(m.methodNote);
  expect(frame.model.definition).toEqual(m.definition);
  expect([...frame.rows(0, shown)]).toEqual(m.log.rows.slice(0, shown));
  return m;
}

beforeAll(async () => {
  session = openSession(tempDbFile(), { user: 'test', now: fixedClock(NOW) });
  await seedCorpus(session, source);
  facilities = session.ctx.db.prepare('SELECT id FROM facilities ORDER BY id').pluck().all() as string[];
}, 120_000);

afterAll(() => {
  session?.vault.closeQuietly();
  cleanupTempDirs();
});

describe('the preview, counted in the database', () => {
  it('shows the export model’s first rows, redacted alike, and its counts, for each profile, order and filters', () => {
    const db = session.ctx.db;
    let rowsCompared = 0;
    for (const definition of definitions()) {
      // The database orders and counts here (the key-row path is tested below).
      const src = loadReportPreview(db, definition, 30);
      expect(src.first).not.toBeNull();
      expect(src.witnessRows.length).toBeGreaterThan(0);
      const m = expectPreviewIsExport(definition, 30);
      rowsCompared += Math.min(30, m.log.rows.length);
      if (definition.profile === 'sealed' && definition.filters.consentOnly === false && m.log.rows.length) {
        // The corpus's texts name people and give A-numbers: the public rows above hid them.
        const text = m.log.rows.map((r) => `${r.summary} ${r.ownWords}`).join('\n');
        expect(source.people.some((p) => text.includes(p.aNumber))).toBe(true);
        expect(source.people.some((p) => text.includes(`${p.givenName} ${p.familyName}`))).toBe(true);
        expect(text).toContain('Daniel Okafor');
      }
      if (definition.profile === 'public') {
        const text = [...previewFrame(db, resolveDefinition(db, { definition }), officeSettings(db), NOW, 'v', 30).rows()].map((r) => `${r.person} ${r.summary} ${r.ownWords}`).join('\n');
        for (const s of forbiddenStrings(source)) expect(text, s).not.toContain(s);
      }
    }
    expect(rowsCompared).toBeGreaterThan(500);
  }, 120_000);

  it('lays out through dispatch what the export model lays out', async () => {
    for (const definition of definitions().filter((_, i) => i % 4 === 0)) {
      const p = await ok<ChannelOutput<'reports:preview'>>('reports:preview', { definition, logRows: 12 });
      const m = exportModel(definition);
      const bare = (c: SummaryCell): SummaryCell => ({ count: c.count, incidentIds: [], rowIds: [] });
      const s = m.summary;
      const summary = { ...s, rows: s.rows.map((r) => ({ ...r, cells: r.cells.map(bare), total: bare(r.total) })), totals: s.totals.map(bare), grandTotal: bare(s.grandTotal) };
      expect(p.incidents).toBe(m.log.rows.length);
      expect(p.html).toBe(renderHtml({ ...m, summary, log: { ...m.log, rows: m.log.rows.slice(0, 12) } }));
    }
  }, 60_000);

  it('redacts with a person’s new name as soon as it is saved', async () => {
    const definition = definitions()[0]!;
    const before = expectPreviewIsExport(definition, 40);
    // "The guard" in Arabic, in many accounts, becomes a person's name in the original script (not
    // a witness's name, which the redactor's key holds anyway): in public it is their code now.
    const guard = 'الحارس';
    expect(before.log.rows.some((r) => r.summary.includes(guard))).toBe(true);
    const db = session.ctx.db;
    const id = db.prepare('SELECT id FROM people ORDER BY filing_code LIMIT 1').pluck().get() as string;
    const p = await ok<Record<string, unknown> & { version: number }>('people:get', { id });
    await ok('people:update', { ...p, id, expectedVersion: p.version, nameOriginal: guard, reason: 'test' });
    const after = expectPreviewIsExport(definition, 40);
    expect(after.log.rows.some((r) => r.summary.includes(guard))).toBe(false);
  }, 60_000);

  it('orders every key row itself when the database would order a facility name otherwise', async () => {
    const db = session.ctx.db;
    // U+1D400 sorts before U+FB01 by UTF-16 code units (the log's order), after it by code point (SQL's).
    for (const [i, name] of [[1, 'Center \u{1D400}'], [2, 'Center \uFB01']] as const) {
      const f = await ok<Record<string, unknown> & { version: number }>('facilities:get', { id: facilities[i]! });
      await ok('facilities:update', { ...f, id: facilities[i]!, expectedVersion: f.version, name, reason: 'test' });
    }
    for (const definition of definitions().filter((d) => d.sort === 'facility')) {
      expect(loadReportPreview(db, definition, 30).first).toBeNull();
      expectPreviewIsExport(definition, 30);
    }
  }, 60_000);
});
