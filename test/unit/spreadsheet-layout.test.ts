// The spreadsheets an exhibit ships, read back cell by cell against what the model says they hold:
// the workbook's four sheets (caption lines, summary counts as numbers, the total row, date cells,
// the manifest's lines), their print setup, and the two CSVs' exact text. Written for the mutants
// `npm run mutate` found alive in shared/report/xlsx.ts, csv.ts and columns.ts (flatColumns).
import ExcelJS from 'exceljs';
import { csvParseRows } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { renderLogCsv, renderSummaryCsv } from '../../shared/report/csv';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { buildReportModel, type ReportModel } from '../../shared/report/model';
import { renderXlsx } from '../../shared/report/xlsx';
import { reportCorpus } from '../report-corpus';

const ALL_COLUMNS = ['rowId', 'person', 'aNumber', 'birth', 'facility', 'date', 'categories', 'standard', 'summary', 'ownWords', 'circumstances', 'source'] as const;

function model(profile: 'public' | 'sealed' | 'internal', over: Record<string, unknown> = {}): ReportModel {
  const source = reportCorpus({ incidents: 30, seed: 11 });
  return buildReportModel({
    source,
    definition: ReportDefinitionInput.parse({
      name: 'June report',
      caption: {
        court: 'UNITED STATES DISTRICT COURT',
        division: 'EASTERN DISTRICT OF MICHIGAN',
        caseName: 'DOE, et al.,',
        parties: ['Petitioners,', 'v.', 'ROE.'],
        caseNumber: 'Case No. 2:17-cv-11910',
        judge: 'Hon. Mark A. Goldsmith',
      },
      title: 'Status report',
      exhibitLabel: 'Exhibit B',
      periodFrom: '2026-05-01',
      periodTo: '2026-06-30',
      profile,
      columns: [...ALL_COLUMNS],
      ...over,
    }),
    settings: { officeName: '', aNumberInPublic: 'last3' },
    generatedAt: '2026-07-02T09:30:00.000Z',
    appVersion: '1.2.3',
    definitionId: 'def-7',
  });
}

async function workbook(m: ReportModel, lines: [string, string][] = []): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await renderXlsx(m, { lines })) as unknown as ArrayBuffer);
  return wb;
}

/**
 * A sheet's rows as plain values (row 1 first), each as wide as the sheet: an empty text is no cell
 * in the workbook (shared/report/xlsx.ts), read here as ''.
 */
function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => out.push(Array.from({ length: ws.columnCount }, (_, i) => row.getCell(i + 1).value ?? '')));
  return out;
}

describe('the workbook, cell by cell', () => {
  const sealed = model('sealed');

  it('names its author, time and title; the caption sheet lists the caption in order', async () => {
    const wb = await workbook(sealed);
    expect(wb.creator).toBe('Attest 1.2.3');
    expect(wb.created.toISOString()).toBe('2026-07-02T09:30:00.000Z');
    expect(wb.modified.toISOString()).toBe('2026-07-02T09:30:00.000Z');
    expect(wb.title).toBe('Exhibit B: Status report');
    const cap = wb.getWorksheet('Caption')!;
    expect(rowsOf(cap)).toEqual([
      ['Court', 'UNITED STATES DISTRICT COURT'],
      ['Division', 'EASTERN DISTRICT OF MICHIGAN'],
      ['Case', 'DOE, et al., Petitioners, v. ROE.'],
      ['Case number', 'Case No. 2:17-cv-11910'],
      ['', 'Hon. Mark A. Goldsmith'],
      ['', 'Class Action'],
      ['Exhibit', 'Exhibit B: Status report'],
      ['Reporting period', sealed.periodLabel],
      ['Version', 'Filed under seal (unredacted)'],
    ]);
    expect(cap.getColumn(1).width).toBe(28);
    expect(cap.getColumn(2).width).toBe(90);
    expect(cap.getCell('A1').font).toMatchObject({ bold: true, size: 14 });
    expect(cap.getCell('B1').alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    // No header row on the caption sheet: nothing repeated on each printed page.
    expect(cap.pageSetup.printTitlesRow).toBeUndefined();
  });

  it('leaves out the division line when there is none, and labels each profile', async () => {
    const m = model('internal', { caption: { court: 'COURT', caseName: 'A v. B', caseNumber: 'No. 1', classAction: false } });
    const rows = rowsOf((await workbook(m)).getWorksheet('Caption')!);
    expect(rows.map((r) => r[0])).toEqual(['Court', 'Case', 'Case number', 'Exhibit', 'Reporting period', 'Version']);
    expect(rows.at(-1)).toEqual(['Version', 'Internal working copy (not for filing)']);
    const pub = rowsOf((await workbook(model('public'))).getWorksheet('Caption')!);
    expect(pub.at(-1)).toEqual(['Version', 'Public docket version (redacted)']);
  });

  it('summary: a header, a line per facility with its counts as numbers, and a bold total line', async () => {
    const wb = await workbook(sealed);
    const sum = wb.getWorksheet('Summary')!;
    const s = sealed.summary;
    expect(s.rows.length).toBeGreaterThan(1);
    expect(rowsOf(sum)).toEqual([
      ['Facility', 'Place', ...s.categories.map((c) => c.label), 'All incidents', 'Rows'],
      ...s.rows.map((r) => [r.facility, r.place, ...r.cells.map((c) => c.count), r.total.count, r.total.rowIds.join(' ')]),
      ['All facilities', '', ...s.totals.map((c) => c.count), s.grandTotal.count, ''],
    ]);
    expect(sum.getRow(sum.rowCount).font).toMatchObject({ bold: true });
    expect(sum.getRow(2).font?.bold).toBeFalsy();
    const widths = sum.columns.map((c) => c.width);
    expect(widths).toEqual([36, 20, ...s.categories.map(() => 14), 12, 40]);
  });

  it('every sheet with a header row: bold 14-point header, frozen under it, filters over exactly its columns', async () => {
    const wb = await workbook(sealed);
    for (const name of ['Summary', 'Log', 'Manifest']) {
      const ws = wb.getWorksheet(name)!;
      const n = (ws.getRow(1).values as unknown[]).slice(1).length;
      expect(ws.getRow(1).font, name).toMatchObject({ bold: true, size: 14 });
      expect(ws.views[0], name).toMatchObject({ state: 'frozen', ySplit: 1 });
      const last = ws.getRow(1).getCell(n).address.replace(/\d+$/, '');
      expect(String(ws.autoFilter), name).toBe(`A1:${last}1`);
    }
  });

  it('every sheet prints on US Letter with 1-inch margins and names the sheet and page in its footer', async () => {
    const wb = await workbook(sealed);
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup.paperSize, ws.name).toBe(1);
      expect(ws.pageSetup.margins, ws.name).toEqual({ left: 1, right: 1, top: 1, bottom: 1, header: 0.5, footer: 0.5 });
      expect(ws.headerFooter.oddFooter, ws.name).toBe('&C&"Times New Roman"&14&A \u2014 page &P of &N');
    }
  });

  it('log: one column per flat field, the two date columns as date cells, every other cell as its text', async () => {
    const wb = await workbook(sealed);
    const log = wb.getWorksheet('Log')!;
    const rows = rowsOf(log);
    const headers = rows[0] as string[];
    expect(headers).toEqual([
      'No.', 'Person', 'Name in original script', 'A-number', 'Birth date', 'Facility', 'City', 'State', 'Date', 'Date (ISO)', 'Approximate',
      'Categories', 'Category codes', 'Standard implicated', 'Summary', 'In their words', 'Counsel present', 'Document', 'Document signed', 'Grievance',
      'Interview date', 'Declaration',
    ]);
    const r0 = sealed.log.rows[0]!;
    const byHeader = (row: unknown[]) => Object.fromEntries(headers.map((h, i) => [h, row[i]]));
    const first = byHeader(rows[1]!);
    expect(first).toMatchObject({
      'No.': r0.rowId,
      Person: r0.person,
      'Birth date': r0.birth,
      Facility: r0.facilityName,
      City: r0.facilityCity,
      State: r0.facilityState,
      Date: r0.date,
      'Date (ISO)': new Date(`${r0.dateIso}T00:00:00.000Z`),
      Categories: r0.categories.join('; '),
      'Category codes': r0.categoryCodes.join('; '),
      'Standard implicated': r0.standards.join('; '),
      Summary: r0.summary,
      'Counsel present': r0.counselPresent,
      Grievance: r0.grievance,
    });
    expect(rows.length).toBe(sealed.log.rows.length + 1);
    const approx = sealed.log.rows.map((r) => (r.dateApprox ? 'approx.' : ''));
    expect(rows.slice(1).map((r) => byHeader(r).Approximate)).toEqual(approx);
    expect(approx).toContain('approx.');
    // Only the two date columns have a date format; the summary column wraps.
    headers.forEach((h, i) => {
      const fmt = log.getColumn(i + 1).numFmt;
      if (h === 'Date (ISO)' || h === 'Interview date') expect(fmt, h).toBe('yyyy-mm-dd');
      else expect(fmt, h).toBeFalsy();
    });
    expect(log.getColumn(headers.indexOf('Summary') + 1).alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(log.getColumn(headers.indexOf('Facility') + 1).alignment?.wrapText).toBeFalsy();
    expect(log.getColumn(headers.indexOf('Summary') + 1).width).toBe(60);
    expect(headers.map((_, i) => log.getColumn(i + 1).width)).toEqual([10, 28, 24, 10, 10, 30, 16, 7, 22, 12, 11, 30, 24, 30, 60, 50, 10, 22, 10, 24, 12, 14]);
    // The original script is a sealed column: the other profiles leave it out.
    for (const profile of ['public', 'internal'] as const) {
      const other = rowsOf((await workbook(model(profile))).getWorksheet('Log')!)[0] as string[];
      expect(other, profile).not.toContain('Name in original script');
      expect(other.length, profile).toBe(headers.length - 1);
    }
  });

  it('a date that is not a whole ISO date stays text', async () => {
    const m = model('sealed');
    const rows = m.log.rows.map((r, i) => (i === 0 ? { ...r, dateIso: '2026-05' } : i === 1 ? { ...r, dateIso: 'x2026-05-01' } : i === 2 ? { ...r, dateIso: '2026-05-01x' } : r));
    const log = (await workbook({ ...m, log: { ...m.log, rows } })).getWorksheet('Log')!;
    const col = (rowsOf(log)[0] as string[]).indexOf('Date (ISO)') + 1;
    expect(log.getRow(2).getCell(col).value).toBe('2026-05');
    expect(log.getRow(3).getCell(col).value).toBe('x2026-05-01');
    expect(log.getRow(4).getCell(col).value).toBe('2026-05-01x');
    expect(log.getRow(5).getCell(col).value).toBeInstanceOf(Date);
  });

  it('a log without a summary column has no wrapped column; a summary put first wraps the first', async () => {
    const m = model('sealed', { columns: ['rowId', 'facility'] });
    const log = (await workbook(m)).getWorksheet('Log')!;
    for (let i = 1; i <= 4; i++) expect(log.getColumn(i).alignment?.wrapText, String(i)).toBeFalsy();
    const first = (await workbook(model('sealed', { columns: ['summary', 'rowId'] }))).getWorksheet('Log')!;
    expect(first.getColumn(1).alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(first.getColumn(2).alignment?.wrapText).toBeFalsy();
  });

  it('manifest: the exhibit, its definition with its id, what was left out, extra lines, then a line per row', async () => {
    const m = model('public');
    expect(m.exclusions.length).toBeGreaterThan(0);
    const rows = rowsOf((await workbook(m, [['Definition (JSON)', '{"a":1}']])).getWorksheet('Manifest')!);
    expect(rows).toEqual([
      ['Item', 'Value'],
      ['Exhibit', 'Exhibit B'],
      ['Title', 'Status report'],
      ['Case', 'DOE, et al., Case No. 2:17-cv-11910'],
      ['Reporting period', m.periodLabel],
      ['Redaction profile', 'Public docket version (redacted)'],
      ['Definition', 'June report (def-7)'],
      ['Generated at', '2026-07-02T09:30:00.000Z'],
      ['App version', 'Attest 1.2.3'],
      ['Incidents', String(m.recordIds.incidents.length)],
      ...m.exclusions.map((e) => [`Left out: ${e.reason === 'consent' ? 'no consent to use in filings' : e.reason === 'status' ? 'status outside this report (excluded or not yet verified)' : e.reason === 'notIncluded' ? 'not marked for inclusion in reports' : e.reason}`, String(e.count)]),
      ['Definition (JSON)', '{"a":1}'],
      ...m.log.rows.map((r) => [`Row ${r.rowId}`, `incident ${r.incidentId}`]),
    ]);
    // Without extra lines (the default), the manifest holds exactly the rest.
    const plain = new ExcelJS.Workbook();
    await plain.xlsx.load(Buffer.from(await renderXlsx(m)) as unknown as ArrayBuffer);
    expect(rowsOf(plain.getWorksheet('Manifest')!)).toEqual(rows.filter((r) => r[0] !== 'Definition (JSON)'));
    const noId = rowsOf((await workbook({ ...m, definitionId: null, exclusions: [{ reason: 'someNewReason', count: 2 }] })).getWorksheet('Manifest')!);
    expect(noId).toContainEqual(['Definition', 'June report']);
    expect(noId).toContainEqual(['Left out: somenewreason', '2']);
  });
});

describe('the CSVs, as text', () => {
  const m = model('sealed', { columns: ['rowId', 'facility', 'date'] });

  it('summary CSV: header, a line per facility, the total line, CRLF after each, BOM only on request', () => {
    const s = m.summary;
    const expected = [
      ['Facility', 'Place', ...s.categories.map((c) => c.label), 'All incidents', 'Rows'],
      ...s.rows.map((r) => [r.facility, r.place, ...r.cells.map((c) => String(c.count)), String(r.total.count), r.total.rowIds.join(' ')]),
      ['All facilities', '', ...s.totals.map((c) => String(c.count)), String(s.grandTotal.count), ''],
    ];
    const csv = renderSummaryCsv(m);
    expect(csv.startsWith('\uFEFF')).toBe(false);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csvParseRows(csv.replace(/\r\n$/, ''))).toEqual(expected);
    expect(renderSummaryCsv(m, { bom: true })).toBe(`\uFEFF${csv}`);
  });

  it('log CSV: the flat headers, then one line per row, BOM only on request', () => {
    const csv = renderLogCsv(m);
    const rows = csvParseRows(csv.replace(/\r\n$/, ''));
    expect(rows[0]).toEqual(['No.', 'Facility', 'City', 'State', 'Date', 'Date (ISO)', 'Approximate']);
    expect(rows.slice(1)).toEqual(m.log.rows.map((r) => [r.rowId, r.facilityName, r.facilityCity, r.facilityState, r.date, r.dateIso, r.dateApprox ? 'approx.' : '']));
    expect(csv.split('\r\n').length).toBe(m.log.rows.length + 2);
    expect(renderLogCsv(m, { bom: true })).toBe(`\uFEFF${csv}`);
  });
});
