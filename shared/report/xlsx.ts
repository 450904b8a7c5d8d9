import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { captionRightLines, caseLine } from './caption';
import { flatColumns, neutralise } from './columns';
import { EXCLUSION_LABELS, type LogRow, type ReportModel } from './model';

// The workbook a paralegal works in: Caption, Summary, Log and Manifest sheets, each with a frozen
// header row and filters; dates are date cells; every sheet prints landscape on US Letter, fit to
// the page width, its header row repeated on every page. Every text cell is neutralised against
// formula injection. Times come from the model.

const PROFILE_LABELS = { public: 'Public docket version (redacted)', sealed: 'Filed under seal (unredacted)', internal: 'Internal working copy (not for filing)' } as const;

type Sheet = ExcelJS.Worksheet;

/**
 * A text cell's value, neutralised; an empty text is no cell at all. The streaming writer keeps
 * texts in the sheet itself (no shared-strings table to hold every text of a long log until the
 * end), and an empty one there would be an empty formula result, not an empty cell.
 */
function text(s: string): string | null {
  const t = neutralise(s);
  return t === '' ? null : t;
}

/** Landscape US Letter, 1-inch margins, fit to one page wide (as many long as it takes), header row repeated. */
function printSetup(repeatHeader = true): Pick<Partial<ExcelJS.AddWorksheetOptions>, 'pageSetup' | 'headerFooter'> {
  return {
    pageSetup: {
      paperSize: 1 as unknown as ExcelJS.PaperSize, // US Letter (the enum's types leave it out)
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 1, right: 1, top: 1, bottom: 1, header: 0.5, footer: 0.5 },
      ...(repeatHeader ? { printTitlesRow: '1:1' } : {}),
    },
    headerFooter: { oddFooter: '&C&"Times New Roman"&14&A \u2014 page &P of &N' },
  };
}

/** "2026-05-03" as a date cell (midnight UTC, so no time zone moves its day). */
function dateCell(iso: string): Date | string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00.000Z`) : text(iso);
}

export interface XlsxManifestInfo {
  /** Extra manifest lines (e.g. the definition as JSON). */
  lines: [string, string][];
}

/** A sheet with a header row: frozen under it, with filters over its columns, printed as printSetup says. */
function withHeader(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: { header: string; width: number }[]): Sheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    ...printSetup(),
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  ws.columns = columns.map((c) => ({ header: neutralise(c.header), width: c.width }));
  ws.getRow(1).font = { bold: true, size: 14 };
  return ws;
}

/** Rows of the log written between pauses, so the file is written as the rows come (not buffered whole). */
const ROWS_BETWEEN_PAUSES = 500;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The workbook in memory (the whole file): for callers with the model's rows at hand. */
export async function renderXlsx(model: ReportModel, info: XlsxManifestInfo = { lines: [] }): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeXlsx(model, model.log.rows, out, info);
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * The workbook, written to `out` as it is built (exceljs's streaming writer): the log's rows, which
 * may be a stream of the model's rows, each written and let go, so a long log is never held whole.
 * Resolves when `out` has taken the whole file.
 */
export async function writeXlsx(model: ReportModel, rows: Iterable<LogRow>, out: Writable, info: XlsxManifestInfo = { lines: [] }): Promise<void> {
  const at = new Date(model.generatedAt);
  // Inline strings: a shared-strings table would hold every text of the log until the end.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = `Attest ${model.appVersion}`;
  wb.lastModifiedBy = wb.creator;
  wb.created = at;
  wb.modified = at;
  wb.title = `${model.exhibitLabel}: ${model.title}`;

  // The caption, as the filed exhibit gives it.
  const cap = wb.addWorksheet('Caption', printSetup(false));
  cap.columns = [{ width: 28 }, { width: 90 }];
  cap.getColumn(1).font = { bold: true, size: 14 };
  cap.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
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
  for (const [k, v] of capLines) cap.addRow([text(k), text(v)]).commit();
  cap.commit();

  const s = model.summary;
  const sum = withHeader(wb, 'Summary', [
    { header: 'Facility', width: 36 },
    { header: 'Place', width: 20 },
    ...s.categories.map((c) => ({ header: c.label, width: 14 })),
    { header: 'All incidents', width: 12 },
    { header: 'Rows', width: 40 },
  ]);
  for (const r of s.rows) sum.addRow([text(r.facility), text(r.place), ...r.cells.map((x) => x.count), r.total.count, text(r.total.rowIds.join(' '))]).commit();
  const totalRow = sum.addRow(['All facilities', null, ...s.totals.map((x) => x.count), s.grandTotal.count]);
  totalRow.font = { bold: true };
  totalRow.commit();
  sum.commit();

  const cols = flatColumns(model);
  const log = withHeader(wb, 'Log', cols.map((c) => ({ header: c.header, width: c.width })));
  // Date columns hold dates (the ISO date, interview date); every other cell is text. The columns'
  // formats are set before the rows are written: each cell takes its column's.
  const isDate = cols.map((x) => x.header === 'Date (ISO)' || x.header === 'Interview date');
  cols.forEach((x, i) => {
    if (isDate[i]) log.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
  });
  // A definition may leave the summary column out (getColumn(0) throws).
  const summaryCol = cols.findIndex((c) => c.header === 'Summary');
  if (summaryCol >= 0) log.getColumn(summaryCol + 1).alignment = { wrapText: true, vertical: 'top' };
  log.getRow(1).commit();
  // Each row's number and incident, for the manifest sheet after the log.
  const rowLines: [string, string][] = [];
  let n = 0;
  for (const r of rows) {
    log.addRow(cols.map((x, i) => (isDate[i] ? dateCell(x.value(r)) : text(x.value(r))))).commit();
    rowLines.push([`Row ${r.rowId}`, `incident ${r.incidentId}`]);
    if (++n % ROWS_BETWEEN_PAUSES === 0) await pause();
  }
  log.commit();

  const man = withHeader(wb, 'Manifest', [
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
    ...rowLines,
  ];
  for (const [k, v] of lines) man.addRow([text(k), text(v)]).commit();
  man.commit();
  await wb.commit();
}
