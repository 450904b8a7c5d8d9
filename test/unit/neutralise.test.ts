// Every text cell of the spreadsheets an exhibit ships (the log and summary CSVs, the workbook's
// Summary, Log and Manifest sheets) is neutralised: a cell a spreadsheet would run as a formula
// starts with an apostrophe. Built from a model whose facility, place, text and title all start
// with a formula character; the files are read back (the workbook with ExcelJS) as a reader's
// spreadsheet would.
import ExcelJS from 'exceljs';
import { csvParseRows } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { renderLogCsv, renderSummaryCsv, toCsv } from '../../shared/report/csv';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { buildReportModel } from '../../shared/report/model';
import { renderXlsx } from '../../shared/report/xlsx';
import { reportCorpus } from '../report-corpus';

const HOSTILE_FACILITY = '=HYPERLINK("http://x","y")';
const HOSTILE_CITY = '+Detroit';
const HOSTILE_SUMMARY = '@SUM(A1:A9) and -1+1';
const HOSTILE_TITLE = '-2+3 status';

/** What a spreadsheet would run as a formula: a text starting with = + - @, a tab or a CR. */
const runsAsFormula = (v: string) => /^[=+\-@\t\r]/.test(v);

function hostileModel() {
  const source = reportCorpus({ incidents: 40, seed: 3 });
  const rows = source.rows.map((r) => ({
    ...r,
    status: 'verified' as const,
    includeInReport: true,
    person: { ...r.person, consent: true },
    facility: { ...r.facility, name: HOSTILE_FACILITY, city: HOSTILE_CITY },
    summary: HOSTILE_SUMMARY,
  }));
  const definition = ReportDefinitionInput.parse({
    name: 'June',
    caption: { court: 'COURT', caseName: 'Doe v. Agency', caseNumber: 'No. 1' },
    title: HOSTILE_TITLE,
    exhibitLabel: 'Exhibit A',
    periodFrom: '2026-05-01',
    periodTo: '2026-06-30',
    columns: ['rowId', 'facility', 'summary'],
  });
  return buildReportModel({ source: { rows, people: source.people }, definition, settings: { officeName: '', aNumberInPublic: 'omit' }, generatedAt: '2026-07-20T12:00:00.000Z', appVersion: '0.1.0', definitionId: null });
}

describe('formula neutralising in the spreadsheets', () => {
  const model = hostileModel();

  it('neutralises exactly the cells that start with a formula character', () => {
    const cells = ['=1+2', '+1', '-3', '@x', '\tt', '\rr', 'ok', '', ' =1', 'a=1', '1-2', '\n=1', "'=1"];
    const out = csvParseRows(toCsv([cells]))[0]!;
    expect(out).toEqual(cells.map((c) => (runsAsFormula(c) ? `'${c}` : c)));
  });

  // Catches: the summary CSV writing its rows without neutralise (a facility named "=…").
  it('summary CSV: the facility and its place start with an apostrophe', () => {
    const rows = csvParseRows(renderSummaryCsv(model));
    expect(rows.length).toBeGreaterThan(2);
    expect(rows[1]!.slice(0, 2)).toEqual([`'${HOSTILE_FACILITY}`, `'${HOSTILE_CITY}, MI`]);
    for (const cell of rows.flat()) expect(runsAsFormula(cell), cell).toBe(false);
  });

  it('log CSV: no cell would run as a formula', () => {
    const rows = csvParseRows(renderLogCsv(model));
    expect(rows.flat()).toContain(`'${HOSTILE_SUMMARY}`);
    for (const cell of rows.flat()) expect(runsAsFormula(cell), cell).toBe(false);
  });

  // Catches: the workbook's Summary sheet writing the facility or place without neutralise (and the
  // same for the Log and Manifest sheets).
  it('workbook: no text cell of the Summary, Log or Manifest sheet would run as a formula', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await renderXlsx(model, { lines: [['Note', '=cmd|calc']] })) as unknown as ArrayBuffer);
    const texts = (name: string) => {
      const out: string[] = [];
      wb.getWorksheet(name)!.eachRow((row) => row.eachCell((cell) => {
        expect(cell.type, `${name} ${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string') out.push(cell.value);
      }));
      return out;
    };
    const summary = texts('Summary');
    expect(summary).toContain(`'${HOSTILE_FACILITY}`);
    expect(summary).toContain(`'${HOSTILE_CITY}, MI`);
    expect(texts('Log')).toContain(`'${HOSTILE_SUMMARY}`);
    const manifest = texts('Manifest');
    expect(manifest).toContain(`'${HOSTILE_TITLE}`);
    expect(manifest).toContain(`'=cmd|calc`);
    for (const name of ['Summary', 'Log', 'Manifest']) for (const v of texts(name)) expect(runsAsFormula(v), `${name}: ${v}`).toBe(false);
  });
});
