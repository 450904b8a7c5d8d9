import ExcelJS from 'exceljs';
import { captionRightLines, caseLine } from './caption';
import { flatColumns, neutralise } from './columns';
import { EXCLUSION_LABELS, type ReportModel } from './model';

// The workbook a paralegal works in: Caption, Summary, Log and Manifest sheets, each with a frozen
// header row and filters; dates are date cells; every sheet prints landscape on US Letter, fit to
// the page width, its header row repeated on every page. Every text cell is neutralised against
// formula injection. Times come from the model.

const PROFILE_LABELS = { public: 'Public docket version (redacted)', sealed: 'Filed under seal (unredacted)', internal: 'Internal working copy (not for filing)' } as const;

/** Landscape US Letter, 1-inch margins, fit to one page wide (as many long as it takes), header row repeated. */
function printSetup(ws: ExcelJS.Worksheet, repeatHeader = true): void {
  ws.pageSetup = {
    paperSize: 1 as unknown as ExcelJS.PaperSize, // US Letter (the enum's types leave it out)
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 1, right: 1, top: 1, bottom: 1, header: 0.5, footer: 0.5 },
    ...(repeatHeader ? { printTitlesRow: '1:1' } : {}),
  };
  ws.headerFooter = { oddFooter: '&C&"Times New Roman"&14&A \u2014 page &P of &N' };
}

/** "2026-05-03" as a date cell (midnight UTC, so no time zone moves its day). */
function dateCell(iso: string): Date | string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00.000Z`) : iso;
}

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

  // The caption, as the filed exhibit gives it.
  const cap = wb.addWorksheet('Caption');
  cap.columns = [{ width: 28 }, { width: 90 }];
  const c = model.caption;
  const capLines: [string, string][] = [
    ['Court', c.court],
    ...(c.division ? [['Division', c.division] as [string, string]] : []),
    ['Case', [c.caseName, ...c.parties].join(' ')],
    ...captionRightLines(c).map((l, i): [string, string] => [i === 0 ? 'Case number' : '', l]),
    ['Exhibit', `${model.exhibitLabel}: ${model.title}`],
    ['Reporting period', model.periodLabel],
    ['Version', PROFILE_LABELS[model.profile]],
  ];
  for (const [k, v] of capLines) cap.addRow([neutralise(k), neutralise(v)]);
  cap.getColumn(1).font = { bold: true, size: 14 };
  cap.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  printSetup(cap, false);

  const s = model.summary;
  const sum = wb.addWorksheet('Summary');
  header(sum, [
    { header: 'Facility', width: 36 },
    { header: 'Place', width: 20 },
    ...s.categories.map((c) => ({ header: c.label, width: 14 })),
    { header: 'All incidents', width: 12 },
    { header: 'Rows', width: 40 },
  ]);
  for (const r of s.rows) sum.addRow([neutralise(r.facility), neutralise(r.place), ...r.cells.map((x) => x.count), r.total.count, r.total.rowIds.join(' ')]);
  const totalRow = sum.addRow(['All facilities', '', ...s.totals.map((x) => x.count), s.grandTotal.count, '']);
  totalRow.font = { bold: true };
  printSetup(sum);

  const log = wb.addWorksheet('Log');
  const cols = flatColumns(model);
  header(log, cols.map((c) => ({ header: c.header, width: c.width })));
  // Date columns hold dates (the ISO date, interview date); every other cell is text.
  const isDate = cols.map((x) => x.header === 'Date (ISO)' || x.header === 'Interview date');
  for (const r of model.log.rows) log.addRow(cols.map((x, i) => (isDate[i] ? dateCell(x.value(r)) : neutralise(x.value(r)))));
  cols.forEach((x, i) => {
    if (isDate[i]) log.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
  });
  // A definition may leave the summary column out (getColumn(0) throws).
  const summaryCol = cols.findIndex((c) => c.header === 'Summary');
  if (summaryCol >= 0) log.getColumn(summaryCol + 1).alignment = { wrapText: true, vertical: 'top' };
  printSetup(log);

  const man = wb.addWorksheet('Manifest');
  header(man, [
    { header: 'Item', width: 28 },
    { header: 'Value', width: 100 },
  ]);
  const lines: [string, string][] = [
    ['Exhibit', model.exhibitLabel],
    ['Title', model.title],
    ['Case', caseLine(model.caption)],
    ['Reporting period', model.periodLabel],
    ['Redaction profile', PROFILE_LABELS[model.profile]],
    ['Definition', model.definitionId ? `${model.definitionName} (${model.definitionId})` : model.definitionName],
    ['Generated at', model.generatedAt],
    ['App version', `Attest ${model.appVersion}`],
    ['Incidents', String(model.recordIds.incidents.length)],
    ...model.exclusions.map((e): [string, string] => [`Left out: ${(EXCLUSION_LABELS[e.reason] ?? e.reason).toLowerCase()}`, String(e.count)]),
    ...info.lines,
    ...model.log.rows.map((r): [string, string] => [`Row ${r.rowId}`, `incident ${r.incidentId}`]),
  ];
  for (const [k, v] of lines) man.addRow([neutralise(k), neutralise(v)]);
  printSetup(man);

  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
