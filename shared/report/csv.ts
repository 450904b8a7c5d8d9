import { stringify } from 'csv-stringify/sync';
import { flatColumns, neutralise } from './columns';
import type { ReportModel } from './model';

// CSV for analysis: UTF-8, RFC 4180 (CRLF, quotes doubled), an optional BOM so Excel reads UTF-8,
// and every cell that a spreadsheet would run as a formula neutralised.

export interface CsvOptions {
  bom?: boolean;
}

// csv-stringify quotes a field holding a quote, a comma or the full CRLF pair; a lone CR or LF
// inside a cell would end the record in Excel, so those fields are quoted too.
export function toCsv(records: string[][], opts: CsvOptions = {}): string {
  const body = stringify(
    records.map((r) => r.map(neutralise)),
    { record_delimiter: 'windows', quoted_match: /[\r\n]/ },
  );
  return (opts.bom ? '\uFEFF' : '') + body;
}

/** Table 2, one incident per line, every field in its own column. */
export function renderLogCsv(model: ReportModel, opts: CsvOptions = {}): string {
  const cols = flatColumns(model);
  return toCsv([cols.map((c) => c.header), ...model.log.rows.map((r) => cols.map((c) => c.value(r)))], opts);
}

/** Table 1: one line per facility, a column per category, then the row ids behind the total. */
export function renderSummaryCsv(model: ReportModel, opts: CsvOptions = {}): string {
  const s = model.summary;
  const head = ['Facility', 'Place', ...s.categories.map((c) => c.label), 'All incidents', 'Rows'];
  const rows = s.rows.map((r) => [r.facility, r.place, ...r.cells.map((c) => String(c.count)), String(r.total.count), r.total.rowIds.join(' ')]);
  const total = ['All facilities', '', ...s.totals.map((c) => String(c.count)), String(s.grandTotal.count), ''];
  return toCsv([head, ...rows, total], opts);
}
