// An export's log rows as a stream: the CSV and the workbook are written as the model's rows are
// built (the first bytes go out long before the last row is built), with the same content as from
// the whole model; formats laid out whole build the rows once. And the manifest of an export holds
// the history's tip just before the export is logged, even when a write is answered while the
// manifest is written on another thread.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { headTip } from '../../db/history/anchors';
import { newId } from '../../db/ids';
import { buildAndStageExport, commitExport, memorySink, stageManifest, writeExportFiles, type FileSink } from '../../electron/core/report-export';
import { openSession } from '../../electron/core/session';
import { renderLogCsv } from '../../shared/report/csv';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { buildReportModel, type LogRow, type ReportModel } from '../../shared/report/model';
import { renderXlsx } from '../../shared/report/xlsx';
import { cleanupTempDirs, fixedClock, tempDbFile, tempDir } from '../helpers';
import { reportCorpus } from '../report-corpus';
import { seedCorpus } from '../report-seed';

afterAll(() => cleanupTempDirs());

function model(incidents: number, profile: 'public' | 'sealed' = 'sealed'): ReportModel {
  return buildReportModel({
    source: reportCorpus({ incidents, seed: 3 }),
    definition: ReportDefinitionInput.parse({
      name: 'Stream',
      caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'DOE v. ROE,', caseNumber: 'Case No. 1' },
      title: 'Status report',
      exhibitLabel: 'Exhibit C',
      periodFrom: '2026-01-01',
      periodTo: '2026-12-31',
      profile,
      filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
    }),
    settings: { officeName: '', aNumberInPublic: 'last3' },
    generatedAt: '2026-07-02T09:30:00.000Z',
    appVersion: '1.0.0',
    definitionId: null,
  });
}

/** The model's rows as a stream that counts how many have been taken so far. */
function counted(rows: readonly LogRow[]) {
  const c = { taken: 0, passes: 0 };
  function* stream(): Generator<LogRow> {
    c.passes++;
    for (const r of rows) {
      c.taken++;
      yield r;
    }
  }
  return { c, stream };
}

/** A memory sink that notes, for each file, how many rows had been taken when its first bytes came. */
function watching(c: { taken: number }): FileSink & { files: { name: string; bytes: Uint8Array }[]; firstWrite: Map<string, number> } {
  const inner = memorySink();
  const firstWrite = new Map<string, number>();
  return {
    files: inner.files,
    firstWrite,
    put: inner.put,
    open: (name, format) => {
      const out = inner.open(name, format);
      const note = () => void (firstWrite.has(name) || firstWrite.set(name, c.taken));
      const writable = out.writable;
      return {
        ...out,
        write: (chunk) => {
          note();
          out.write(chunk);
        },
        writable: () => {
          const w = writable();
          const write = w.write.bind(w);
          w.write = ((chunk: unknown, ...rest: unknown[]) => {
            note();
            return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
          }) as typeof w.write;
          return w;
        },
      };
    },
  };
}

describe('an export of CSV and workbook from a stream of rows', () => {
  const m = model(1_500);
  const head = { ...m, log: { ...m.log, rows: [] } };

  it('writes the first bytes of each file long before the last row is built, with the content the whole model gives', async () => {
    expect(m.log.rows.length).toBe(1_500);
    const { c, stream } = counted(m.log.rows);
    const sink = watching(c);
    await writeExportFiles({ input: { ...m, source: { rows: [], people: [] }, definition: m.definition, settings: { officeName: '', aNumberInPublic: 'last3' } }, model: head, rows: stream }, sink, {
      formats: ['csv', 'xlsx'],
      bom: true,
      includeKey: false,
      pdf: null,
    });
    // One pass per streamed file, each row taken once in each.
    expect(c.passes).toBe(2);
    expect(c.taken).toBe(3_000);
    const log = sink.files.find((f) => f.name.endsWith('-log.csv'))!;
    const xlsx = sink.files.find((f) => f.name.endsWith('.xlsx'))!;
    expect(sink.firstWrite.get(log.name)).toBeLessThan(500);
    expect(sink.firstWrite.get(xlsx.name)! - 1_500).toBeLessThan(1_000);
    expect(Buffer.from(log.bytes).toString('utf8')).toBe(renderLogCsv(m, { bom: true }));
    // The workbook read back holds what the whole model's workbook holds.
    const cells = async (bytes: Uint8Array) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
      const out: unknown[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => out.push(ws.name, row.values)));
      return out;
    };
    expect(await cells(xlsx.bytes)).toEqual(await cells(await renderXlsx(m)));
  }, 120_000);

  it('builds the rows once, whole, when a format is laid out from the whole model', async () => {
    const { c, stream } = counted(m.log.rows);
    const sink = watching(c);
    await writeExportFiles({ input: { ...m, source: { rows: [], people: [] }, definition: m.definition, settings: { officeName: '', aNumberInPublic: 'last3' } }, model: head, rows: stream }, sink, {
      formats: ['html', 'csv'],
      bom: false,
      includeKey: false,
      pdf: null,
    });
    expect(c).toEqual({ taken: 1_500, passes: 1 });
    expect(Buffer.from(sink.files.find((f) => f.name.endsWith('-log.csv'))!.bytes).toString('utf8')).toBe(renderLogCsv(m));
  }, 60_000);
});

describe('the manifest and the log at an export\'s end', () => {
  it('holds the tip just before the log even when a write was answered while the manifest was written', async () => {
    const source = reportCorpus({ incidents: 12, seed: 4 });
    const session = openSession(tempDbFile(), { user: 'test', now: fixedClock('2026-07-25T12:00:00.000Z') });
    try {
      await seedCorpus(session, source);
      const db = session.ctx.db;
      const folder = tempDir('attest-export-tip-');
      const req = {
        ref: { definition: ReportDefinitionInput.parse({ name: 'x', caption: { court: 'C', caseName: 'A v. B', caseNumber: '1' }, title: 'T', exhibitLabel: 'Exhibit T', periodFrom: '2026-01-01', periodTo: '2026-12-31', profile: 'sealed' }) },
        formats: ['csv'] as const,
        bom: false,
        includeKey: false,
        generatedAt: '2026-07-25T12:00:00.000Z',
        appVersion: 'test',
      };
      const staged = await buildAndStageExport(db, { ...req, formats: [...req.formats] }, folder, newId(), null);
      let during: { seq: number; hash: string } | null = null;
      const out = await commitExport(db, { folder, generatedBy: 'test' }, staged, {
        stageManifest: async (...a) => {
          stageManifest(...a);
          // Another call answered meanwhile: a write that adds to the history.
          const r = await session.dispatch('reports:save-settings', { officeName: 'Clinic', aNumberInPublic: 'omit' });
          expect(r.ok).toBe(true);
          during = headTip(db);
        },
        finishExport: async (f, id) => {
          const { finishExport } = await import('../../electron/core/report-export');
          finishExport(f, id);
        },
      });
      const manifest = JSON.parse(readFileSync(out.manifestPath, 'utf8')) as { history: { seq: number; hash: string }; files: { name: string; sha256: string }[] };
      expect(during).not.toBeNull();
      expect(manifest.history).toEqual(during);
      // Every file the manifest lists is in place with its hash, and the log lists the manifest's.
      for (const f of manifest.files) {
        const v = await session.dispatch('exports:verify', { exportId: out.export.id, name: f.name });
        expect(v, JSON.stringify(v)).toMatchObject({ ok: true, data: { matches: true } });
      }
      const m = await session.dispatch('exports:verify', { exportId: out.export.id, name: out.manifestPath.split('/').at(-1) });
      expect(m).toMatchObject({ ok: true, data: { matches: true } });
    } finally {
      session.close();
    }
  }, 120_000);
});
