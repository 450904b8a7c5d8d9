// Reading a roster file: its bytes decoded in the encoding detected (or given), CSV parsed with
// d3-dsv, XLSX with exceljs (one sheet of several), the header row found under any title rows, and
// every cell as text. Nothing here touches the database.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { analyse } from 'chardet';
import { dsvFormat } from 'd3-dsv';
import ExcelJS from 'exceljs';
import { sha256 } from '../../../db/history/audit';
import { AppError } from '../../../shared/errors';
import { headerScore, type ImportKind, type RosterEncoding } from '../../../shared/roster/fields';

export type { RosterEncoding };

export interface RosterRow {
  /** The row's number as the spreadsheet shows it (CSV: the record's number, the header being 1). */
  line: number;
  cells: string[];
}

export interface RosterTable {
  fileName: string;
  sha256: string;
  bytes: number;
  format: 'csv' | 'xlsx';
  /** CSV only: the encoding read, and whether it was detected (false: given by the caller). */
  encoding: RosterEncoding | null;
  encodingDetected: boolean;
  sheets: string[];
  sheet: string | null;
  headerLine: number;
  /** Column names, made unique ("Name (2)") and named by letter when blank. */
  headers: string[];
  rows: RosterRow[];
  /** Rows with no text at all, skipped. */
  emptyRows: number;
}

export interface ReadOptions {
  sheet?: string | null | undefined;
  encoding?: RosterEncoding | null | undefined;
  kind?: ImportKind;
}

/** The encoding of a text file: a byte-order mark, valid UTF-8, UTF-16 by its zero bytes, else Arabic or Western Windows. */
export function detectEncoding(bytes: Uint8Array): RosterEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  // UTF-16 without a mark: Latin text has a zero byte in every other position (never so in UTF-8).
  const n = Math.min(bytes.length, 4096) & ~1;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  if (n >= 4 && oddZero > n / 8 && oddZero > evenZero * 4) return 'utf-16le';
  if (n >= 4 && evenZero > n / 8 && evenZero > oddZero * 4) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    // not UTF-8: a single-byte Windows code page
  }
  // Arabic words are runs of bytes over 0x7F; Latin accents stand alone between ASCII letters
  // ("Nuñez"). Where the runs do not decide it (a few names in a long file can mislead chardet's
  // statistics, a short file can mislead both), chardet's ranking does.
  let high = 0;
  let paired = 0;
  const m = Math.min(bytes.length, 65536);
  for (let i = 0; i < m; i++) {
    if (bytes[i]! < 0x80) continue;
    high++;
    if ((i > 0 && bytes[i - 1]! >= 0x80) || (i + 1 < m && bytes[i + 1]! >= 0x80)) paired++;
  }
  if (high >= 4 && paired >= high * 0.6) return 'windows-1256';
  if (high >= 4 && paired <= high * 0.2) return 'windows-1252';
  // Between the two single-byte Windows code pages a roster comes in, chardet's statistics decide.
  const sample = bytes.length > 65536 ? bytes.subarray(0, 65536) : bytes;
  for (const m of analyse(sample)) {
    if (m.name === 'windows-1256' || m.name === 'ISO-8859-6') return 'windows-1256';
    if (/^(windows-1252|ISO-8859-1|ISO-8859-15|ISO-8859-2|ISO-8859-9)$/.test(m.name)) return 'windows-1252';
  }
  return 'windows-1252';
}

export function decodeText(bytes: Uint8Array, encoding: RosterEncoding): string {
  const text = new TextDecoder(encoding).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function delimiterOf(text: string): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function uniqueHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const base = c.trim().replace(/\s+/g, ' ') || `Column ${columnLetter(i)}`;
    const k = base.toLowerCase();
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/** Finds the header row (the first ten rows' best match with the field names) and splits off the data. */
function tableOf(lines: RosterRow[], kind: ImportKind): { headerLine: number; headers: string[]; rows: RosterRow[]; emptyRows: number } {
  const filled = lines.filter((l) => !blank(l.cells));
  let best = 0;
  let bestScore = 0;
  for (let i = 0; i < Math.min(filled.length, 10); i++) {
    const score = headerScore(filled[i]!.cells, kind);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  const head = filled[best];
  if (!head) return { headerLine: 0, headers: [], rows: [], emptyRows: lines.length };
  const width = Math.max(head.cells.length, ...filled.slice(best + 1, best + 200).map((l) => l.cells.length));
  const headers = uniqueHeaders(Array.from({ length: width }, (_, i) => head.cells[i] ?? ''));
  const after = lines.filter((l) => l.line > head.line);
  const rows = after.filter((l) => !blank(l.cells));
  return { headerLine: head.line, headers, rows, emptyRows: after.length - rows.length };
}

function csvLines(text: string): RosterRow[] {
  return dsvFormat(delimiterOf(text))
    .parseRows(text)
    .map((cells, i) => ({ line: i + 1, cells }));
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

async function xlsxBook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `file: this is not a readable .xlsx workbook (${(e as Error).message})`, [{ path: ['file'], message: 'not a readable .xlsx workbook' }]);
  }
  return wb;
}

function sheetLines(ws: ExcelJS.Worksheet): RosterRow[] {
  const out: RosterRow[] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    // A merged cell gives its text to every cell it covers (a header over two columns names both).
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.isMerged ? cell.master.value : cell.value);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    out.push({ line: n, cells });
  });
  return out;
}

const tooLarge = (bytes: number) =>
  new AppError('INVALID_INPUT', `file: ${Math.round(bytes / 1e6)} MB is larger than a roster can be (200 MB)`, [{ path: ['file'], message: 'too large' }]);

function formatOf(path: string, bytes: Uint8Array): 'csv' | 'xlsx' {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 && ext !== '.csv' && ext !== '.txt') return 'xlsx';
  if (ext === '.xls') throw new AppError('INVALID_INPUT', 'file: old .xls workbooks cannot be read; save it as .xlsx or CSV in Excel', [{ path: ['file'], message: 'an .xls workbook' }]);
  return 'csv';
}

function csvTable(path: string, bytes: Uint8Array, o: ReadOptions): RosterTable {
  const encoding = o.encoding ?? detectEncoding(bytes);
  const t = tableOf(csvLines(decodeText(bytes, encoding)), o.kind ?? 'people');
  return { fileName: basename(path), sha256: sha256(bytes), bytes: bytes.length, format: 'csv', encoding, encodingDetected: !o.encoding, sheets: [], sheet: null, ...t };
}

function readBytes(path: string, data: Buffer): Uint8Array {
  if (data.length > 200e6) throw tooLarge(data.length);
  void path;
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** Reads a roster file (CSV or XLSX). */
export async function readRoster(path: string, o: ReadOptions = {}): Promise<RosterTable> {
  const bytes = readBytes(path, await readFile(path));
  if (formatOf(path, bytes) === 'csv') return csvTable(path, bytes, o);
  const wb = await xlsxBook(bytes);
  const sheets = wb.worksheets.map((w) => w.name);
  let ws = o.sheet ? wb.getWorksheet(o.sheet) : wb.worksheets.find((w) => w.actualRowCount > 0) ?? wb.worksheets[0];
  if (!ws) {
    throw new AppError('INVALID_INPUT', o.sheet ? `sheet: this workbook has no sheet "${o.sheet}" (it has ${sheets.join(', ')})` : 'file: this workbook has no sheet', [
      { path: [o.sheet ? 'sheet' : 'file'], message: o.sheet ? 'no such sheet' : 'no sheet' },
    ]);
  }
  ws = ws as ExcelJS.Worksheet;
  const t = tableOf(sheetLines(ws), o.kind ?? 'people');
  return { fileName: basename(path), sha256: sha256(bytes), bytes: bytes.length, format: 'xlsx', encoding: null, encodingDetected: false, sheets, sheet: ws.name, ...t };
}

/**
 * Reads a CSV roster synchronously, for the import's write (which runs in one synchronous
 * transaction); an XLSX must have been read by readRoster first (exceljs only reads asynchronously).
 */
export function readRosterSync(path: string, o: ReadOptions = {}): { sha256: string; parse: (() => RosterTable) | null } {
  const bytes = readBytes(path, readFileSync(path));
  return { sha256: sha256(bytes), parse: formatOf(path, bytes) === 'xlsx' ? null : () => csvTable(path, bytes, o) };
}
