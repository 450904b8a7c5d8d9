import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { reportCorpus } from '../../test/report-corpus';
import { ReportDefinitionInput } from './definition';
import { buildReportModel } from './model';
import { renderXlsx, writeXlsx } from './xlsx';

const model = buildReportModel({
  source: reportCorpus({ incidents: 40, seed: 5 }),
  definition: ReportDefinitionInput.parse({
    name: 'x',
    caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'DOE v. ROE,', caseNumber: 'Case No. 2:17-cv-11910', judge: 'Hon. Mark A. Goldsmith' },
    title: 'Status report',
    exhibitLabel: 'Exhibit A',
    periodFrom: '2026-05-01',
    periodTo: '2026-06-30',
    columns: ['rowId', 'person', 'facility', 'date', 'summary', 'source'],
  }),
  settings: { officeName: '', aNumberInPublic: 'omit' },
  generatedAt: '2026-07-01T00:00:00.000Z',
  appVersion: 'test',
  definitionId: null,
});

describe('the workbook as a paralegal uses it', () => {
  it('has a Caption sheet, real date cells, landscape print setup fit to width with the header row repeated, and human labels', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(model)).buffer as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Caption', 'Summary', 'Log', 'Manifest']);
    const log = wb.getWorksheet('Log')!;
    const headers = (log.getRow(1).values as unknown[]).slice(1);
    const iso = headers.indexOf('Date (ISO)') + 1;
    const interview = headers.indexOf('Interview date') + 1;
    expect(iso).toBeGreaterThan(0);
    const first = model.log.rows[0]!;
    expect(log.getRow(2).getCell(iso).value).toEqual(new Date(`${first.dateIso}T00:00:00.000Z`));
    expect(log.getRow(2).getCell(iso).numFmt).toBe('yyyy-mm-dd');
    expect(log.getRow(2).getCell(interview).value).toBeInstanceOf(Date);
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup, ws.name).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      if (ws.name !== 'Caption') expect(ws.pageSetup.printTitlesRow, ws.name).toBe('1:1');
    }
    const text = (name: string) => {
      const out: string[] = [];
      wb.getWorksheet(name)!.eachRow((r) => r.eachCell((c) => out.push(String(c.value))));
      return out.join('\n');
    };
    expect(text('Caption')).toContain('Hon. Mark A. Goldsmith');
    expect(text('Caption')).not.toContain('Hon. Hon.');
    const manifest = text('Manifest');
    expect(manifest).toContain('DOE v. ROE, Case No. 2:17-cv-11910');
    expect(manifest).not.toMatch(/,,|Excluded \(|\bnotIncluded\b/);
    expect(manifest).toContain('Public docket version (redacted)');
  });

  it('keeps its texts in the sheets (no shared-strings table, which would hold every text of a long log) and writes no empty text cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-xlsx-'));
    try {
      const file = join(dir, 'x.xlsx');
      writeFileSync(file, await renderXlsx(model));
      expect(execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' })).not.toContain('sharedStrings');
      const log = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet3.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(log).toContain(`<v>${model.log.rows[0]!.rowId}</v>`);
      expect(log).not.toMatch(/<v\/>|<v><\/v>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is written to the stream it is given, from rows that may be a stream, and is done once the stream has the whole file', async () => {
    const chunks: Buffer[] = [];
    let finished = false;
    const out = new Writable({
      write(chunk: Buffer, _e, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        finished = true;
        done();
      },
    });
    function* rows() {
      yield* model.log.rows;
    }
    await writeXlsx(model, rows(), out);
    expect(finished).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Log')!.rowCount).toBe(model.log.rows.length + 1);
    expect(wb.lastModifiedBy).toBe('Attest test');
  });
});
