// Reading a roster file: its bytes decoded in the encoding detected (or given), CSV streamed 1 MB at
// a time and parsed with d3-dsv a block of whole records at a time, XLSX with exceljs (one sheet of
// several), the header row found under any title rows, and every cell as text, each row handed to
// the caller as it is read. Nothing here touches the database.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { analyse } from 'chardet';
import { dsvFormat } from 'd3-dsv';
import ExcelJS from 'exceljs';
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
  let utf8 = true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    utf8 = false;
  }
  return encodingOf(bytes.subarray(0, HEAD), utf8);
}

/** The same from the file's first 64 KB and whether the whole file is valid UTF-8. */
function encodingOf(bytes: Uint8Array, validUtf8: boolean): RosterEncoding {
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
  if (validUtf8) return 'utf-8';
  // not UTF-8: a single-byte Windows code page
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

const HEAD = 65536;
const CHUNK = 1 << 20;

/** Hands the file to fn in chunks of 1 MB (the buffer is reused: fn copies what it keeps). */
function eachChunk(path: string, fn: (chunk: Uint8Array) => void, chunkSize = CHUNK): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > 200e6) throw tooLarge(size);
    const buf = Buffer.allocUnsafe(chunkSize);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, chunkSize, pos);
      if (n === 0) return pos;
      pos += n;
      fn(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

export interface FileFacts {
  fileName: string;
  sha256: string;
  bytes: number;
  format: 'csv' | 'xlsx';
  /** The first 64 KB (what the encoding is told by). */
  head: Uint8Array;
  validUtf8: boolean;
}

/** One pass over the file, 1 MB at a time: its SHA-256, its first 64 KB, whether it is all valid UTF-8. */
export function fileFacts(path: string): FileFacts {
  const hash = createHash('sha256');
  const head = new Uint8Array(HEAD);
  let headLength = 0;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  const bytes = eachChunk(path, (chunk) => {
    hash.update(chunk);
    if (headLength < HEAD) {
      const n = Math.min(HEAD - headLength, chunk.length);
      head.set(chunk.subarray(0, n), headLength);
      headLength += n;
    }
    if (validUtf8) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        validUtf8 = false;
      }
    }
  });
  if (validUtf8) {
    try {
      utf8.decode();
    } catch {
      validUtf8 = false;
    }
  }
  const first = head.subarray(0, headLength);
  return { fileName: basename(path), sha256: hash.digest('hex'), bytes, format: formatOf(path, first), head: first, validUtf8 };
}

/**
 * Where the last whole record of a CSV text ends (the index of its newline, -1 when none does): a
 * newline inside a quoted field is not one. Quotes are read as d3-dsv reads them: a field is quoted
 * when it starts with one, and "" inside it is a quote.
 */
function lastRecordEnd(text: string, delimiter: number): number {
  // 0: at a field's start, 1: in an unquoted field, 2: in a quoted one, 3: just after a quote in one.
  let state = 0;
  let end = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (state === 2) {
      if (c === 34) state = 3;
      continue;
    }
    if (state === 3) {
      if (c === 34) {
        state = 2;
        continue;
      }
      state = 1;
    }
    if (c === delimiter || c === 13) state = 0;
    else if (c === 10) {
      state = 0;
      end = i;
    } else if (state === 0 && c === 34) state = 2;
    else state = 1;
  }
  return end;
}

/**
 * Streams a CSV file's records to fn: decoded and parsed (d3-dsv) a block of whole records at a
 * time, so neither the file's text nor its rows are ever all in memory. Lines are numbered as one
 * parse of the whole text numbers them (the first record is 1).
 */
export function eachCsvRecord(path: string, encoding: RosterEncoding, fn: (r: RosterRow) => void, chunkSize = CHUNK): void {
  const decoder = new TextDecoder(encoding);
  let carry = '';
  let started = false;
  let line = 0;
  let parser: ReturnType<typeof dsvFormat> | null = null;
  let delimiter = 44;
  const parse = (block: string) => {
    parser!.parseRows(block, (cells) => {
      fn({ line: ++line, cells });
      return null;
    });
  };
  const take = (text: string, last: boolean) => {
    if (!started && text) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!parser) {
      // The delimiter is the first line's: wait until the first line is whole.
      if (!last && !/[\r\n]/.test(text)) return text;
      const d = delimiterOf(text);
      parser = dsvFormat(d);
      delimiter = d.charCodeAt(0);
    }
    if (last) {
      if (text) parse(text);
      return '';
    }
    const end = lastRecordEnd(text, delimiter);
    if (end < 0) return text;
    parse(text.slice(0, end + 1));
    return text.slice(end + 1);
  };
  eachChunk(path, (chunk) => {
    carry = take(carry + decoder.decode(chunk, { stream: true }), false);
  }, chunkSize);
  take(carry + decoder.decode(), true);
}

/** The table's facts, without its rows (those went to the caller's onRow). */
export type RosterInfo = Omit<RosterTable, 'rows'> & { rowCount: number };

/**
 * Finds the header row (the best match with the field names among the first ten rows with text)
 * and hands on every row under it, holding only the first rows until the header is decided.
 */
class HeaderFinder {
  private held: RosterRow[] = [];
  private filled = 0;
  private decided = false;
  headerLine = 0;
  headers: string[] = [];
  rowCount = 0;
  emptyRows = 0;

  constructor(private readonly kind: ImportKind, private readonly onRow: (r: RosterRow) => void) {}

  push(r: RosterRow): void {
    if (this.decided) return this.emit(r);
    this.held.push(r);
    // Ten rows to choose the header from and 200 under it to see how wide the table is.
    if (!blank(r.cells) && ++this.filled >= 210) this.decide();
  }

  end(): { headerLine: number; headers: string[]; rowCount: number; emptyRows: number } {
    if (!this.decided) this.decide();
    return { headerLine: this.headerLine, headers: this.headers, rowCount: this.rowCount, emptyRows: this.emptyRows };
  }

  private emit(r: RosterRow): void {
    if (blank(r.cells)) this.emptyRows++;
    else {
      this.rowCount++;
      this.onRow(r);
    }
  }

  private decide(): void {
    this.decided = true;
    const lines = this.held;
    this.held = [];
    const filled = lines.filter((l) => !blank(l.cells));
    let best = 0;
    let bestScore = 0;
    for (let i = 0; i < Math.min(filled.length, 10); i++) {
      const score = headerScore(filled[i]!.cells, this.kind);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    const head = filled[best];
    if (!head) {
      this.emptyRows = lines.length;
      return;
    }
    const width = Math.max(head.cells.length, ...filled.slice(best + 1, best + 200).map((l) => l.cells.length));
    this.headers = uniqueHeaders(Array.from({ length: width }, (_, i) => head.cells[i] ?? ''));
    this.headerLine = head.line;
    for (const l of lines) if (l.line > head.line) this.emit(l);
  }
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

/**
 * A CSV roster streamed: the rows under its header go to onRow (synchronously, as they are parsed).
 * `facts` is the file's first pass (fileFacts).
 */
export function scanCsv(path: string, facts: FileFacts, o: ReadOptions, onRow: (r: RosterRow) => void): RosterInfo {
  const encoding = o.encoding ?? encodingOf(facts.head, facts.validUtf8);
  const h = new HeaderFinder(o.kind ?? 'people', onRow);
  eachCsvRecord(path, encoding, (r) => h.push(r));
  return { fileName: facts.fileName, sha256: facts.sha256, bytes: facts.bytes, format: 'csv', encoding, encodingDetected: !o.encoding, sheets: [], sheet: null, ...h.end() };
}

/**
 * Any roster, its rows under the header handed to onRow: a CSV streamed; an XLSX loaded by exceljs
 * (its merged cells are only known once the sheet is read), its rows handed on, the workbook dropped.
 */
export async function scanRoster(path: string, o: ReadOptions, onRow: (r: RosterRow) => void, facts = fileFacts(path)): Promise<RosterInfo> {
  if (facts.format === 'csv') return scanCsv(path, facts, o, onRow);
  const wb = await xlsxBook(await readFile(path));
  const sheets = wb.worksheets.map((w) => w.name);
  const ws = o.sheet ? wb.getWorksheet(o.sheet) : wb.worksheets.find((w) => w.actualRowCount > 0) ?? wb.worksheets[0];
  if (!ws) {
    throw new AppError('INVALID_INPUT', o.sheet ? `sheet: this workbook has no sheet "${o.sheet}" (it has ${sheets.join(', ')})` : 'file: this workbook has no sheet', [
      { path: [o.sheet ? 'sheet' : 'file'], message: o.sheet ? 'no such sheet' : 'no sheet' },
    ]);
  }
  const h = new HeaderFinder(o.kind ?? 'people', onRow);
  for (const l of sheetLines(ws)) h.push(l);
  return { fileName: facts.fileName, sha256: facts.sha256, bytes: facts.bytes, format: 'xlsx', encoding: null, encodingDetected: false, sheets, sheet: ws.name, ...h.end() };
}

/** Reads a roster file (CSV or XLSX) whole: every row in memory (the import itself streams: scanRoster). */
export async function readRoster(path: string, o: ReadOptions = {}): Promise<RosterTable> {
  const rows: RosterRow[] = [];
  const { rowCount, ...info } = await scanRoster(path, o, (r) => rows.push(r));
  void rowCount;
  return { ...info, rows };
}
