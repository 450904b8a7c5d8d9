import { stringify } from 'csv-stringify/sync';
import { flatColumns, neutralise } from './columns';
import type { ReportModel } from './model';

// CSV for analysis: UTF-8, RFC 4180 (CRLF, quotes doubled), an optional BOM so Excel reads UTF-8,
// and every cell that a spreadsheet would run as a formula neutralised.

export interface CsvOptions {
  bom?: boolean;
}

const NEEDS_QUOTES = /[",]|\r\n/;

/**
 * One RFC 4180 field, exactly as csv-stringify writes a string with its defaults: quoted when it
 * holds a quote, comma, CR or LF, inner quotes doubled. csv-stringify's per-field option handling
 * costs about 4× a bare write, and its options offer no leaner path for plain strings.
 */
function field(v: string): string {
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function toCsv(records: string[][], opts: CsvOptions = {}): string {
  let body = '';
  for (const r of records) {
    for (let i = 0; i < r.length; i++) body += (i ? ',' : '') + field(neutralise(r[i]!));
    body += '\r\n';
  }
  return (opts.bom ? '\uFEFF' : '') + body;
}

/** The same records through csv-stringify, kept to prove the fast writer byte-identical in tests. */
export function toCsvReference(records: string[][], opts: CsvOptions = {}): string {
  const body = stringify(records.map((r) => r.map(neutralise)), { record_delimiter: 'windows' });
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
