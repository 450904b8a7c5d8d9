import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { reportCorpus } from '../../test/report-corpus';
import { ReportDefinitionInput } from './definition';
import { buildReportModel } from './model';
import { renderXlsx } from './xlsx';

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
});
