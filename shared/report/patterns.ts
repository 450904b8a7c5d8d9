// Numbers and dates found by their shape, not from a list of spellings: any run of 8 or more digits
// in any digit script and with any separators is taken for an A-number, and any full date in an
// English form equal to a person's birth date is cut to its year.

const digitValues = new Map<number, number>();
const DIGIT = /\p{Nd}/u;

/** The value of a decimal digit of any script (Arabic-Indic, Persian, full-width…), or -1. */
function digitValue(code: number): number {
  // Stryker disable next-line ArithmeticOperator,ConditionalExpression,EqualityOperator,LogicalOperator: never reached with an ASCII digit or a code under U+0660 (asciiDigits skips those first)
  if (code >= 48 && code <= 57) return code - 48;
  // Stryker disable next-line UnaryOperator,ConditionalExpression,EqualityOperator: never reached with a code under U+0660 (asciiDigits skips those first)
  if (code < 0x660) return -1;
  let v = digitValues.get(code);
  // Stryker disable next-line ConditionalExpression: a cache; working the value out again gives the same
  if (v === undefined) {
    v = -1;
    if (DIGIT.test(String.fromCharCode(code))) {
      // Digits come in runs of ten from zero: count down to the run's start.
      let z = code;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: no run of digits in U+0660-FFFF is longer than ten (checked), so the count stops at the run's start with or without the bound
      while (z > code - 9 && DIGIT.test(String.fromCharCode(z - 1))) z--;
      v = (code - z) % 10;
    }
    digitValues.set(code, v);
  }
  return v;
}

/** The text with every digit of another script as an ASCII digit (same length, same offsets). */
export function asciiDigits(s: string): string {
  // Stryker disable next-line ConditionalExpression: a shortcut; ASCII text has no digit of another script to change
  if (!/[\u0080-\uFFFF]/.test(s)) return s;
  let out = '';
  let from = 0;
  // Stryker disable next-line EqualityOperator: past the end charCodeAt is NaN, which is no digit
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Stryker disable next-line ConditionalExpression: a shortcut; digitValue is -1 under U+0660
    if (c < 0x660) continue;
    const v = digitValue(c);
    if (v < 0) continue;
    out += s.slice(from, i) + String.fromCharCode(48 + v);
    from = i + 1;
  }
  // Stryker disable next-line ConditionalExpression: with nothing changed, out is empty and out + s.slice(0) is s
  return from === 0 ? s : out + s.slice(from);
}

// What may stand between the digits of one number: spaces and line breaks, any dash or hyphen,
// the minus sign, slash, full stop, underscore and middle dot; up to three of them (" - ").
const SEP = /[\s\p{Pd}\u2212/._\u00B7]/u;

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Stryker disable next-line ConditionalExpression,LogicalOperator: a month outside 1-12 has no MONTH_DAYS entry, and d <= undefined is false
const validDay = (m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= MONTH_DAYS[m - 1]!;

/**
 * Spans left alone though they hold 8 digits or more: a date written with separators, its year
 * between 1900 and 2099 (2026-06-02, 06/02/2026), a ZIP+4 code after a state (MI 48201-1234) and a US phone number (313-555-0100).
 */
function protectedSpans(d: string): [number, number][] {
  // Stryker disable next-line ArrayDeclaration: a string put first is no pair of offsets and covers no position
  const out: [number, number][] = [];
  const year = (y: string) => Number(y) >= 1900 && Number(y) <= 2099;
  for (const m of d.matchAll(/(?<![\d])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)/g)) {
    if (year(m[1]!) && validDay(Number(m[3]), Number(m[4]))) out.push([m.index, m.index + m[0].length]);
  }
  for (const m of d.matchAll(/(?<![\d])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)/g)) {
    const [a, b] = [Number(m[1]), Number(m[3])];
    if (year(m[4]!) && (validDay(a, b) || validDay(b, a))) out.push([m.index, m.index + m[0].length]);
  }
  for (const m of d.matchAll(/(?<=\b[A-Z]{2}\s{1,2})\d{5}-\d{4}(?!\d)/g)) out.push([m.index, m.index + m[0].length]);
  for (const m of d.matchAll(/(?<![\d])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)/g)) out.push([m.index, m.index + m[0].length]);
  // A span that more digits go on from ("20.12.1975.1") is part of a longer number, not a date,
  // unless those digits are themselves a protected span (a range "05/10/2026 - 05/12/2026"). Two
  // spans that overlap ("25.9.1904.1.1" reads as 25.9.1904 and as 1904.1.1) share digits no two
  // dates would: neither is a date. Dropping a span can expose its neighbour, so the rule runs
  // until nothing changes.
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: of these shapes no two overlapping spans share their first or last character, and none ends where another starts (each ends before a non-digit, a date or phone number starts after one)
  let kept = out.filter(([a, b]) => !out.some(([c, e]) => (c !== a || e !== b) && c < b && a < e));
  for (let changed = true; changed; ) {
    // Stryker disable next-line EqualityOperator: a span's end is never a digit's position (each ends before a non-digit)
    const inSpan = (i: number) => kept.some(([a, b]) => i >= a && i < b);
    const next = kept.filter(([a, b]) => {
      const left = /\d(?=[\s\p{Pd}\u2212/._\u00B7]{1,3}$)/u.exec(d.slice(Math.max(0, a - 4), a));
      // Stryker disable next-line ArithmeticOperator: a few characters left of the digit are in the same span as it, or in none (spans end before a non-digit)
      if (left && !inSpan(Math.max(0, a - 4) + left.index)) return false;
      const right = /^[\s\p{Pd}\u2212/._\u00B7]{1,3}\d/u.exec(d.slice(b, b + 4));
      // Stryker disable next-line ArithmeticOperator: a digit after the span that is in no span drops the span; a span starting two characters on is dropped by that same digit in the same pass
      return !(right && !inSpan(b + right[0].length - 1));
    });
    changed = next.length !== kept.length;
    kept = next;
  }
  return kept;
}

/** Runs of digits in `d`, each next digit after at most three separators, skipping digits `skip` says. */
function digitChains(d: string, skip: (i: number) => boolean): { from: number; to: number; digits: string }[] {
  const out: { from: number; to: number; digits: string }[] = [];
  // Stryker disable next-line EqualityOperator: past the end charCodeAt is NaN, which is no digit
  for (let i = 0; i < d.length; i++) {
    if (!isDigit(d, i) || skip(i)) continue;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a chain takes every digit it reaches, and a skipped span never touches a digit, so no chain starts right after a digit
    if (i > 0 && isDigit(d, i - 1)) continue;
    let end = i + 1;
    let digits = d[i]!;
    // Stryker disable next-line EqualityOperator: at the end nothing is read (no separator, no digit past it)
    for (let j = end; j < d.length; ) {
      let k = j;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end d[k] is undefined, no separator
      while (k < d.length && k - j < 3 && SEP.test(d[k]!)) k++;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end charCodeAt is NaN, which is no digit
      if (k < d.length && isDigit(d, k) && !skip(k)) {
        digits += d[k]!;
        end = k + 1;
        j = k + 1;
      } else break;
    }
    out.push({ from: i, to: end, digits });
    i = end - 1;
  }
  return out;
}

/** An A-number's digits without leading zeros: how a known one is compared with what was written. */
export const aNumberKey = (digits: string) => digits.replace(/^0+/, '');

/**
 * Replaces every number of 8 digits or more (A-numbers have 8 or 9) in any digit script, whatever
 * separates its digits, with an "A" before it taken along: by what `replacement` makes of its
 * digits (ASCII). A date-shaped number is left alone (2026-06-02), unless its digits are one of
 * the `known` A-numbers (keys from `aNumberKey`): "11.12.1999" is A-number 011121999 when a person
 * in the report has it.
 */
export function redactNumberRuns(s: string, replacement: (digits: string) => string, known: ReadonlySet<string> = new Set()): string {
  // Stryker disable next-line ConditionalExpression: a shortcut; the empty text has fewer than 8 digits
  if (!s) return s;
  const d = asciiDigits(s);
  // Cheap test first: fewer than 8 digits in the whole text, nothing to do.
  let n = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; counting on past 8, or counting more than digits, only does more work
  for (let i = 0; i < d.length && n < 8; i++) {
    const c = d.charCodeAt(i);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a shortcut; counting more than digits only does more work
    if (c >= 48 && c <= 57) n++;
  }
  // Stryker disable next-line ConditionalExpression: a shortcut; a text of fewer than 8 digits has no chain of 8
  if (n < 8) return s;
  // Stryker disable next-line ArrowFunction: a skip returning undefined skips nothing, as false does
  const forced = known.size ? digitChains(d, () => false).filter((c) => c.digits.length >= 8 && known.has(aNumberKey(c.digits))) : [];
  // Stryker disable next-line EqualityOperator: a forced chain's first digit, and the non-digit after it, start no chain of 8 (a chain takes every digit it reaches)
  const inForced = (i: number) => forced.some((c) => i >= c.from && i < c.to);
  const safe = protectedSpans(d);
  // Stryker disable next-line EqualityOperator: a span's first digit, with the rest of it skipped, starts no chain of 8, and its end is no digit
  const inSafe = (i: number) => safe.some(([a, b]) => i >= a && i < b);
  const chains = [...forced, ...digitChains(d, (i) => inSafe(i) || inForced(i)).filter((c) => c.digits.length >= 8)].sort((x, y) => x.from - y.from);
  let out = '';
  let last = 0;
  for (const c of chains) {
    // A leading "A" (A200…, A# 200…, A-200…), not the end of a word.
    let from = c.from;
    const before = /(?<![\p{L}\p{N}])[Aa][\s#:.\p{Pd}]{0,3}$/u.exec(s.slice(Math.max(0, from - 6), from));
    if (before) from -= before[0].length;
    out += s.slice(last, from) + replacement(c.digits);
    last = c.to;
  }
  // Stryker disable next-line ConditionalExpression: with nothing replaced, out is empty and out + s.slice(0) is s
  return last === 0 ? s : out + s.slice(last);
}

function isDigit(d: string, i: number): boolean {
  const c = d.charCodeAt(i);
  return c >= 48 && c <= 57;
}

const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = "'?(\\d{4}|\\d{2})";
const DASH = '[-/.\\u2010-\\u2015\\u2212]';
// Each form with the order of its groups: m (month name), M (month number), d, y.
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{N}])';
const DATE_FORMS: [RegExp, string][] = [
  [new RegExp(`${B}${MONTH}\\.?[\\s,\\-]*(?:the\\s+)?${DAY}(?:\\s*,\\s*|[\\s\\-/.]+)${YEAR}${E}`, 'giu'), 'mdy'],
  [new RegExp(`${B}(?:the\\s+)?${DAY}[\\s\\-/.]*(?:of\\s+)?${MONTH}\\.?(?:\\s*,\\s*|[\\s\\-/.]+)${YEAR}${E}`, 'giu'), 'dmy'],
  [new RegExp(`${B}(\\d{4})\\s*${DASH}\\s*(\\d{1,2})\\s*${DASH}\\s*(\\d{1,2})${E}`, 'gu'), 'yMd'],
  [new RegExp(`${B}(\\d{1,2})\\s*${DASH}\\s*(\\d{1,2})\\s*${DASH}\\s*(\\d{4}|\\d{2})${E}`, 'gu'), 'MdyOrdMy'],
  [new RegExp(`${B}(\\d{8})${E}`, 'gu'), 'compact'],
];
const MAY_BE_DATE = /\d\s*[-/.\u2010-\u2015\u2212]\s*\d{1,2}\s*[-/.\u2010-\u2015\u2212]\s*\d|\d{8}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s,-]*(?:the\s+)?\d|\d(?:st|nd|rd|th)?[\s\-/.]*(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;
const MONTH_INDEX: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const years = (y: string) => (y.length === 4 ? [Number(y)] : [1900 + Number(y), 2000 + Number(y)]);

/** The dates a written date may mean (a two-digit year is either century; 6/2 is June 2 or 6 February). */
function readings(form: string, g: string[]): string[] {
  // Stryker disable next-line ArrayDeclaration: a string put first is no ISO date of a person
  const out: string[] = [];
  const add = (y: number, m: number, d: number) => {
    // Stryker disable next-line ConditionalExpression: an impossible date (13th month, 30 February) is no person's birth date
    if (validDay(m, d)) out.push(iso(y, m, d));
  };
  if (form === 'mdy') for (const y of years(g[2]!)) add(y, MONTH_INDEX[g[0]!.slice(0, 3).toLowerCase()]!, Number(g[1]));
  if (form === 'dmy') for (const y of years(g[2]!)) add(y, MONTH_INDEX[g[1]!.slice(0, 3).toLowerCase()]!, Number(g[0]));
  // Stryker disable next-line ConditionalExpression: read in another form's groups the numbers make no possible date (a month name is NaN, a 1-2 digit year)
  if (form === 'yMd') add(Number(g[0]), Number(g[1]), Number(g[2]));
  if (form === 'MdyOrdMy') {
    for (const y of years(g[2]!)) {
      add(y, Number(g[0]), Number(g[1]));
      add(y, Number(g[1]), Number(g[0]));
    }
  }
  // Stryker disable next-line ConditionalExpression: read in another form's groups the numbers make no possible date (a month name is NaN, a 1-2 digit year)
  if (form === 'compact') {
    const s = g[0]!;
    add(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6)));
    add(Number(s.slice(4)), Number(s.slice(0, 2)), Number(s.slice(2, 4)));
    add(Number(s.slice(4)), Number(s.slice(2, 4)), Number(s.slice(0, 2)));
  }
  return out;
}

/**
 * Every full date that may be one of `births` (ISO dates), in any common English form ("June 2nd,
 * 1975", "6/2/75", "2 Jun 1975", "the 2nd of June 1975", "19750602", ISO), in any digit script,
 * reduced to its year.
 */
export function redactBirthDates(s: string, births: ReadonlySet<string>): string {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a shortcut; without birth dates nothing matches, and the empty text holds no date
  if (!s || !births.size) return s;
  const d = asciiDigits(s);
  // One cheap test first: a month's name, a date's numeric shape or eight digits in a row.
  // Stryker disable next-line ConditionalExpression: a shortcut; every date form matches MAY_BE_DATE
  if (!MAY_BE_DATE.test(d)) return s;
  const hits: { from: number; to: number; year: string }[] = [];
  for (const [re, form] of DATE_FORMS) {
    re.lastIndex = 0;
    for (const m of d.matchAll(re)) {
      const from = m.index;
      const to = from + m[0].length;
      const match = readings(form, m.slice(1)).find((r) => births.has(r));
      // Stryker disable next-line EqualityOperator: two dates never touch (each starts after a non-letter, non-digit and ends before a non-digit)
      if (match && !hits.some((h) => from < h.to && h.from < to)) hits.push({ from, to, year: match.slice(0, 4) });
    }
  }
  // Stryker disable next-line ConditionalExpression: with nothing replaced, out + s.slice(0) is s
  if (!hits.length) return s;
  hits.sort((a, b) => a.from - b.from);
  let out = '';
  let last = 0;
  for (const h of hits) {
    out += s.slice(last, h.from) + h.year;
    last = h.to;
  }
  return out + s.slice(last);
}
