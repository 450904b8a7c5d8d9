import { csvFormatRow } from 'd3-dsv';
import { flatColumns, neutralise } from './columns';
import type { LogRow, ReportModel } from './model';

// CSV for analysis: UTF-8, RFC 4180 (CRLF, quotes doubled), an optional BOM so Excel reads UTF-8,
// and every cell that a spreadsheet would run as a formula neutralised.

export interface CsvOptions {
  bom?: boolean;
}

// d3-dsv quotes a field holding a quote, a comma, a CR or an LF (so a line break inside a cell never
// ends the record) and doubles its quotes; each record ends with CRLF, the last one too.
const line = (cells: string[]) => `${csvFormatRow(cells)}\r\n`;

function csvText(lines: Iterable<string[]>, opts: CsvOptions): string {
  let out = opts.bom ? '\uFEFF' : '';
  for (const cells of lines) out += line(cells);
  return out;
}

export function toCsv(records: string[][], opts: CsvOptions = {}): string {
  return csvText(
    records.map((r) => r.map(neutralise)),
    opts,
  );
}

/** Table 2, one incident per line, every field in its own column. */
export function renderLogCsv(model: ReportModel, opts: CsvOptions = {}): string {
  return [...logCsvLines(model, model.log.rows, opts)].join('');
}

/**
 * The log CSV line by line (the BOM, if asked for, with the first), from log rows that may be a
 * stream (the model's rows built and redacted as they are taken): a long log is written without
 * its whole text in memory.
 */
export function* logCsvLines(model: ReportModel, rows: Iterable<LogRow>, opts: CsvOptions = {}): Generator<string> {
  const cols = flatColumns(model);
  yield (opts.bom ? '\uFEFF' : '') + line(cols.map((c) => neutralise(c.header)));
  for (const r of rows) yield line(cols.map((c) => neutralise(c.value(r))));
}

/** Table 1: one line per facility, a column per category, then the row ids behind the total. */
export function renderSummaryCsv(model: ReportModel, opts: CsvOptions = {}): string {
  const s = model.summary;
  const head = ['Facility', 'Place', ...s.categories.map((c) => c.label), 'All incidents', 'Rows'];
  const rows = s.rows.map((r) => [r.facility, r.place, ...r.cells.map((c) => String(c.count)), String(r.total.count), r.total.rowIds.join(' ')]);
  const total = ['All facilities', '', ...s.totals.map((c) => String(c.count)), String(s.grandTotal.count), ''];
  return toCsv([head, ...rows, total], opts);
}
