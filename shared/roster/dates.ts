// Dates as rosters write them: ISO (2024-03-05), US (03/05/2024), day first (05/03/2024), Excel
// serial numbers (45356), and the dates an XLSX file stores as dates. Whether 03/05/2024 is March
// or May is decided for a whole column, from the values that can only be one, or asked: never guessed.

export type DateOrder = 'mdy' | 'dmy';

const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const SERIAL = /^\d{4,5}(?:\.\d+)?$/;

function iso(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1800 || y > 2999) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Excel's 1900 date system: day 1 is 1900-01-01, and its phantom 1900-02-29 (day 60) is skipped. */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return null;
  const days = Math.floor(serial);
  if (days === 60) return null;
  const base = Date.UTC(1899, 11, days < 60 ? 31 : 30);
  return new Date(base + days * 86_400_000).toISOString().slice(0, 10);
}

function fullYear(y: string): number {
  if (y.length === 4) return Number(y);
  // Two-digit years: a birth date of "5/3/85" is 1985; one of "5/3/05" is 2005. Up to this year's two digits → 20xx.
  const n = Number(y);
  return n <= 40 ? 2000 + n : 1900 + n;
}

export type DateParse = { ok: true; value: string } | { ok: false; message: string };

/** One cell's date, with the column's day/month order when it was decided or given. */
export function parseDate(raw: string, order: DateOrder | null): DateParse {
  const s = raw.trim();
  let m = ISO.exec(s);
  if (m) {
    const v = iso(Number(m[1]), Number(m[2]), Number(m[3]));
    return v ? { ok: true, value: v } : { ok: false, message: `${s} is not a real date` };
  }
  m = SLASHED.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = fullYear(m[3]!);
    let use = order;
    if (!use) {
      if (a > 12 && b <= 12) use = 'dmy';
      else if (b > 12 && a <= 12) use = 'mdy';
      else if (a === b) use = 'mdy';
      else return { ok: false, message: `${s}: is it day/month or month/day? Choose the order for this column` };
    }
    const v = use === 'mdy' ? iso(y, a, b) : iso(y, b, a);
    return v ? { ok: true, value: v } : { ok: false, message: `${s} is not a real date (read as ${use === 'mdy' ? 'month/day/year' : 'day/month/year'})` };
  }
  if (SERIAL.test(s)) {
    const v = excelSerialToIso(Number(s));
    return v ? { ok: true, value: v } : { ok: false, message: `${s} is not a spreadsheet date number` };
  }
  return { ok: false, message: `${s.slice(0, 40)} is not a date (write it YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY)` };
}

export interface ColumnOrder {
  /** The order the values themselves decide, or null when none decides it. */
  order: DateOrder | null;
  /** Some values can be read either way (both numbers 12 or less, and different): the user must choose. */
  ambiguous: boolean;
  /** Up to three values that can be read either way, to show with the question. */
  samples: string[];
  /** Values proving day first and values proving month first were both found. */
  mixed: boolean;
}

/** What a whole column says about its day/month order, told one value at a time. */
export class DateOrderTally {
  private dayFirst = false;
  private monthFirst = false;
  private ambiguous = false;
  private readonly samples: string[] = [];

  add(raw: string): void {
    const m = SLASHED.exec(raw.trim());
    if (!m) return;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) this.dayFirst = true;
    else if (b > 12 && a <= 12) this.monthFirst = true;
    else if (a !== b && a <= 12 && b <= 12) {
      this.ambiguous = true;
      if (this.samples.length < 3) this.samples.push(raw.trim());
    }
  }

  result(): ColumnOrder {
    const { dayFirst, monthFirst } = this;
    const order = dayFirst && !monthFirst ? 'dmy' : monthFirst && !dayFirst ? 'mdy' : null;
    return { order, ambiguous: (this.ambiguous || (dayFirst && monthFirst)) && order === null, samples: [...this.samples], mixed: dayFirst && monthFirst };
  }
}

/** What a whole column says about its day/month order. */
export function columnDateOrder(values: Iterable<string>): ColumnOrder {
  const t = new DateOrderTally();
  for (const v of values) t.add(v);
  return t.result();
}
