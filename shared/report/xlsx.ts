import ExcelJS from 'exceljs';
import { flatColumns, neutralise } from './columns';
import type { ReportModel } from './model';

// The workbook for analysis: Summary, Log and Manifest sheets, each with a frozen header row and
// filters. Every text cell is neutralised against formula injection. Times come from the model.

export interface XlsxManifestInfo {
  /** Extra manifest lines (e.g. the definition as JSON). */
  lines: [string, string][];
}

function header(ws: ExcelJS.Worksheet, columns: { header: string; width: number }[]): void {
  ws.columns = columns.map((c) => ({ header: neutralise(c.header), width: c.width }));
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

export async function renderXlsx(model: ReportModel, info: XlsxManifestInfo = { lines: [] }): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const at = new Date(model.generatedAt);
  wb.creator = `Attest ${model.appVersion}`;
  wb.created = at;
  wb.modified = at;
  wb.title = `${model.exhibitLabel}: ${model.title}`;

  const s = model.summary;
  const sum = wb.addWorksheet('Summary');
  header(sum, [
    { header: 'Facility', width: 36 },
    { header: 'Place', width: 20 },
    ...s.categories.map((c) => ({ header: c.label, width: 14 })),
    { header: 'All incidents', width: 12 },
    { header: 'Rows', width: 40 },
  ]);
  for (const r of s.rows) sum.addRow([neutralise(r.facility), neutralise(r.place), ...r.cells.map((c) => c.count), r.total.count, r.total.rowIds.join(' ')]);
  const totalRow = sum.addRow(['All facilities', '', ...s.totals.map((c) => c.count), s.grandTotal.count, '']);
  totalRow.font = { bold: true };

  const log = wb.addWorksheet('Log');
  const cols = flatColumns(model);
  header(log, cols.map((c) => ({ header: c.header, width: c.width })));
  for (const r of model.log.rows) log.addRow(cols.map((c) => neutralise(c.value(r))));
  // A definition may leave the summary column out (getColumn(0) throws).
  const summaryCol = cols.findIndex((c) => c.header === 'Summary');
  if (summaryCol >= 0) log.getColumn(summaryCol + 1).alignment = { wrapText: true, vertical: 'top' };

  const man = wb.addWorksheet('Manifest');
  header(man, [
    { header: 'Item', width: 28 },
    { header: 'Value', width: 100 },
  ]);
  const lines: [string, string][] = [
    ['Exhibit', model.exhibitLabel],
    ['Title', model.title],
    ['Case', `${model.caption.caseName}, ${model.caption.caseNumber}`],
    ['Reporting period', `${model.period.from} to ${model.period.to}`],
    ['Redaction profile', model.profile],
    ['Definition', model.definitionId ? `${model.definitionName} (${model.definitionId})` : model.definitionName],
    ['Generated at', model.generatedAt],
    ['App version', `Attest ${model.appVersion}`],
    ['Incidents', String(model.recordIds.incidents.length)],
    ...model.exclusions.map((e): [string, string] => [`Excluded (${e.reason})`, String(e.count)]),
    ...info.lines,
    ...model.log.rows.map((r): [string, string] => [`Row ${r.rowId}`, `incident ${r.incidentId}`]),
  ];
  for (const [k, v] of lines) man.addRow([neutralise(k), neutralise(v)]);

  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
