import { formatANumber } from '../a-number';
import { CATEGORIES, CATEGORY_CODES, MONTH_NAMES, type CategoryCode } from '../vocab';
import type { Caption, LogColumn, OfficeSettings, RedactionProfile, ReportDefinition, SignatureBlock } from './definition';
import { exportText } from '../text-clean';
import { aNumberKey, redactBirthDates, redactNumberRuns } from './patterns';
import { compileNames, fold, fuzzyNames, initials, nameMatcher, nameSpellings, redactNames, type NameEntry } from './redact';
import { compileVariants, redactVariants } from './variants';
import { applyReviewDecisions } from './review';
import { HAND_REDACTED } from './review-choices';
import { sortStrings } from './sort-strings';
import type { ReportKeyRow, ReportKeySource, ReportSource, ReportSourceRow, SourcePerson, SourceWitness, TallyGroup } from './source';

// The one report model every format renders. Filtering, counting, numbering and redaction all
// happen here, once; renderers only lay the model out. Pure: no clock (generatedAt is an input).

export interface SummaryCell {
  count: number;
  incidentIds: string[];
  rowIds: string[];
}

export interface SummaryRow {
  facilityId: string;
  facility: string;
  /** The facility's short name, as the log and the facility legend give it. */
  short: string;
  place: string;
  cells: SummaryCell[];
  total: SummaryCell;
}

export interface SummaryCategory {
  code: CategoryCode;
  label: string;
  short: string;
  standard: string;
}

export interface LogRow {
  rowId: string;
  incidentId: string;
  /** Filing code in public; name as the profile allows otherwise. */
  person: string;
  /** The name in its original script (sealed profile only; empty otherwise). */
  personOriginal: string;
  filingCode: string;
  aNumber: string;
  birth: string;
  facilityName: string;
  /** A short name for the printed log ("North Lake"); the facility legend gives the full name and place. */
  facilityShort: string;
  facilityCity: string;
  facilityState: string;
  date: string;
  dateIso: string;
  dateApprox: boolean;
  categories: string[];
  categoryCodes: CategoryCode[];
  standards: string[];
  summary: string;
  ownWords: string;
  counselPresent: string;
  documentType: string;
  documentSigned: string;
  grievance: string;
  interviewDate: string;
  declaration: string;
}

export interface ReportModel {
  profile: RedactionProfile;
  generatedAt: string;
  appVersion: string;
  definitionId: string | null;
  definitionName: string;
  /** The definition as exported: its texts through the redactor (the manifest holds this one). */
  definition: ReportDefinition;
  caption: Caption;
  title: string;
  exhibitLabel: string;
  period: { from: string; to: string };
  periodLabel: string;
  summary: { categories: SummaryCategory[]; rows: SummaryRow[]; totals: SummaryCell[]; grandTotal: SummaryCell };
  /** Every facility in the log once: its short name, full name and place, in short-name order. */
  facilities: FacilityLegendEntry[];
  log: { columns: LogColumn[]; rows: LogRow[] };
  exclusions: { reason: string; count: number }[];
  methodNote: string[];
  signature: SignatureBlock;
  recordIds: { incidents: string[]; people: string[]; facilities: string[]; interviews: string[] };
}

export interface FacilityLegendEntry {
  facilityId: string;
  short: string;
  name: string;
  place: string;
}

export interface BuildInput {
  source: ReportSource;
  definition: ReportDefinition;
  settings: OfficeSettings;
  generatedAt: string;
  appVersion: string;
  definitionId: string | null;
}

/** Short category headings for the summary table, where 14-point type leaves little width. */
export const SHORT_LABELS: Record<CategoryCode, string> = {
  FOOD: 'Meals',
  WATER: 'Water',
  RESTROOM: 'Restroom',
  COERCED_DEPARTURE: 'Vol. departure',
  STIPULATED_REMOVAL: 'Stip. removal',
  COUNSEL_INTERFERENCE: 'Counsel access',
  MISREPRESENTATION: 'Misrep.',
  THREATS: 'Threats',
  RETALIATION: 'Retaliation',
  SEGREGATION: 'Segregation',
  FORCE: 'Force',
  MEDICAL: 'Medical',
  SEXUAL_ABUSE: 'Sexual abuse',
  RELIGIOUS: 'Religious',
  TRANSFER: 'Transfer',
  OTHER: 'Other',
};

const EXCLUSION_TEXT = {
  notIncluded: (n: number) => `${n} ${n === 1 ? 'incident was' : 'incidents were'} not marked for inclusion in reports`,
  status: (n: number) => `${n} ${n === 1 ? 'incident' : 'incidents'} with a status outside this report (excluded or not yet verified)`,
  consent: (n: number) => `${n} ${n === 1 ? 'incident' : 'incidents'} without consent to use in filings`,
  facility: (n: number) => `${n} ${n === 1 ? 'incident' : 'incidents'} at facilities outside this report`,
  category: (n: number) => `${n} ${n === 1 ? 'incident' : 'incidents'} in categories outside this report`,
} as const;
type ExclusionKey = keyof typeof EXCLUSION_TEXT;

/** Why incidents were left out, as a person reads it (spreadsheets, manifests). */
export const EXCLUSION_LABELS: Record<string, string> = {
  notIncluded: 'Not marked for inclusion in reports',
  status: 'Status outside this report (excluded or not yet verified)',
  consent: 'No consent to use in filings',
  facility: 'At facilities outside this report',
  category: 'In categories outside this report',
};


export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${MONTH_NAMES[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}`;
}

function displayDate(r: ReportKeyRow): { text: string; approx: boolean } {
  if (r.precision === 'month') {
    const m = /^(\d{4})-(\d{2})/.exec(r.occurredOn);
    return { text: m ? `${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}` : r.occurredOn, approx: false };
  }
  const range = r.occurredUntil && r.occurredUntil !== r.occurredOn ? `${r.occurredOn} to ${r.occurredUntil}` : r.occurredOn;
  return r.precision === 'approximate' ? { text: `approx. ${range}`, approx: true } : { text: range, approx: false };
}

function yesNo(v: boolean | null): string {
  return v === null ? 'Unknown' : v ? 'Yes' : 'No';
}

function ageOn(birthDate: string, on: string): number {
  const b = birthDate.slice(0, 10).split('-').map(Number);
  const d = on.slice(0, 10).split('-').map(Number);
  let age = (d[0] ?? 0) - (b[0] ?? 0);
  if ((d[1] ?? 0) < (b[1] ?? 0) || ((d[1] ?? 0) === (b[1] ?? 0) && (d[2] ?? 0) < (b[2] ?? 0))) age--;
  return age;
}

export function isMinor(p: SourcePerson, on: string): boolean {
  return p.birthDate !== null && ageOn(p.birthDate, on) < 18;
}

const CATEGORY_ORDER = new Map<CategoryCode, number>(CATEGORY_CODES.map((c, i) => [c, i]));

const byCategoryOrder = (a: CategoryCode, b: CategoryCode) => (CATEGORY_ORDER.get(a) ?? -1) - (CATEGORY_ORDER.get(b) ?? -1);

/** A row's categories in vocabulary order, their labels, and the standards they implicate (each once). */
interface RowCategories {
  codes: CategoryCode[];
  labels: string[];
  standards: string[];
}

function rowCategories(categories: CategoryCode[]): RowCategories {
  const codes = categories.slice().sort(byCategoryOrder);
  const standards: string[] = [];
  for (const code of codes) {
    const s = CATEGORIES[code].standard;
    if (s && !standards.includes(s)) standards.push(s);
  }
  const labels = codes.map((code) => CATEGORIES[code].label);
  return { codes: Object.freeze(codes) as CategoryCode[], labels: Object.freeze(labels) as string[], standards: Object.freeze(standards) as string[] };
}

/**
 * RowCategories worked out once per combination of categories (a set of known codes, as bits):
 * a few dozen combinations cover thousands of rows, which then share the same arrays (frozen, so
 * none can be changed through one row).
 */
function categoriesByCombination(): (categories: CategoryCode[]) => RowCategories {
  const seen = new Map<number, RowCategories>();
  return (categories) => {
    let bits = 0;
    for (const c of categories) {
      const k = CATEGORY_ORDER.get(c);
      if (k === undefined || bits & (1 << k)) return rowCategories(categories); // unknown or repeated
      bits |= 1 << k;
    }
    let c = seen.get(bits);
    if (!c) {
      c = rowCategories(categories);
      seen.set(bits, c);
    }
    return c;
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Words that say what kind of place a facility is, not which one: left out of its short name.
const FACILITY_KIND = new Set(
  'county correctional correction corrections processing detention service services center centre facility jail institution contract regional complex annex immigration ice federal'.split(' '),
);

/**
 * Short names for facilities ("Calhoun County Correctional Center" → "Calhoun"), so the printed log
 * gives a facility in a word or two and the legend gives it in full once. A short name that would
 * be empty or that two facilities would share stays the full name.
 */
export function facilityShortNames(names: readonly string[]): Map<string, string> {
  const shortOf = (name: string) => {
    const words = name.split(/\s+/).filter(Boolean);
    const kept = words.filter((w) => !FACILITY_KIND.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')));
    return kept.length ? kept.join(' ') : name;
  };
  const byShort = new Map<string, Set<string>>();
  for (const n of new Set(names)) {
    const k = shortOf(n);
    byShort.set(k, (byShort.get(k) ?? new Set()).add(n));
  }
  const out = new Map<string, string>();
  for (const n of new Set(names)) {
    const k = shortOf(n);
    // Shared with another facility's short name, or another facility's full name: stays in full.
    const taken = byShort.get(k)!.size > 1 || (k !== n && names.includes(k));
    out.set(n, taken ? n : k);
  }
  return out;
}

/** What choosing an incident of the period reads of it (a key row, or a group of alike incidents). */
export type Choosable = Pick<ReportKeyRow, 'includeInReport' | 'status' | 'categories'> & { person: { consent: boolean }; facility: { id: string } };

/**
 * The definition's filters as one test: why an incident of the period is left out (the first
 * reason that applies), or null when the report takes it.
 */
export function exclusionTest(d: ReportDefinition): (r: Choosable) => ExclusionKey | null {
  const f = d.filters;
  const facilities = f.facilityIds.length ? new Set(f.facilityIds) : null;
  const categories = f.categories.length ? new Set<string>(f.categories) : null;
  const statuses = new Set<string>(f.statuses);
  return (r) => {
    if (f.includedOnly && !r.includeInReport) return 'notIncluded';
    if (!statuses.has(r.status)) return 'status';
    if (f.consentOnly && !r.person.consent) return 'consent';
    if (facilities && !facilities.has(r.facility.id)) return 'facility';
    if (categories && !r.categories.some((c) => categories.has(c))) return 'category';
    return null;
  };
}

/** Which incidents a definition takes, and why each other one in the period was left out. */
export function selectRows<R extends ReportKeyRow>(source: { rows: readonly R[] }, d: ReportDefinition): { rows: R[]; excluded: Record<ExclusionKey, number> } {
  const test = exclusionTest(d);
  const excluded: Record<ExclusionKey, number> = { notIncluded: 0, status: 0, consent: 0, facility: 0, category: 0 };
  const rows: R[] = [];
  for (const r of source.rows) {
    const end = r.occurredUntil ?? r.occurredOn;
    if (r.occurredOn > d.periodTo || end < d.periodFrom) continue;
    const why = test(r);
    if (why) excluded[why]++;
    else rows.push(r);
  }
  return { rows, excluded };
}

/** The incidents a definition takes, in the log's order (as the model numbers them). */
export function selectSorted<R extends ReportKeyRow>(source: { rows: readonly R[] }, d: ReportDefinition): R[] {
  return sortRows(selectRows(source, d).rows, d.sort);
}

/**
 * Codes for witnesses who are not people in the records, numbered in order of appearance: by
 * folded name, and by the name as written.
 */
function witnessCodes(witnesses: SourceWitness[], people: Map<string, SourcePerson>): { byKey: Map<string, string>; byName: Map<string, string> } {
  const byKey = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const w of witnesses) {
    if (w.personId && people.has(w.personId)) continue;
    if (byName.has(w.name)) continue; // the same few names recur on many rows: each folded once
    const key = fold(w.name.trim()).text;
    let code = byKey.get(key);
    if (code === undefined) {
      code = `W-${String(byKey.size + 1).padStart(2, '0')}`;
      byKey.set(key, code);
    }
    byName.set(w.name, code);
  }
  return { byKey, byName };
}

export interface Redactor {
  person: (p: SourcePerson) => string;
  aNumber: (p: SourcePerson) => string;
  birth: (p: SourcePerson) => string;
  /**
   * The one redactor every exported text goes through (free text, facility names, the definition's
   * caption, method note and signature): normalised for export (exportText) in every profile, then
   * redacted as the profile requires. With the row, its own person is matched first.
   */
  text: (s: string, row?: ReportKeyRow) => string;
}

/** How many redacted texts a redactor keeps before it starts over: the log rows of a long export
 * stream through it, and a cache of every text would hold the whole log's text again. */
export const REDACTED_TEXTS_KEPT = 20_000;

/**
 * Each text redacted once (per row owner when `byOwner`, where the result depends on whose row it
 * is in): texts repeat across incidents ("No answer yet"). At most REDACTED_TEXTS_KEPT are kept.
 */
function cached(redact: (s: string, row?: ReportKeyRow) => string, byOwner = false): Redactor['text'] {
  const done = new Map<string | null, Map<string, string>>();
  let kept = 0;
  return (s, row) => {
    if (kept >= REDACTED_TEXTS_KEPT) {
      done.clear();
      kept = 0;
    }
    const owner = byOwner && row ? row.person.id : null;
    let texts = done.get(owner);
    if (!texts) {
      texts = new Map();
      done.set(owner, texts);
    }
    let out = texts.get(s);
    if (out === undefined) {
      out = redact(s, row);
      texts.set(s, out);
      kept++;
    }
    return out;
  };
}

export function redactorFor(profile: RedactionProfile, settings: OfficeSettings, source: { people: readonly SourcePerson[] }, rows: readonly ReportKeyRow[], on: string): Redactor {
  if (profile === 'sealed') {
    return {
      person: (p) => exportText(`${p.filingCode} ${p.familyName}, ${p.givenName}`),
      aNumber: (p) => formatANumber(p.aNumber),
      birth: (p) => p.birthDate ?? '',
      text: cached((s) => exportText(s)),
    };
  }
  const people = new Map<string, SourcePerson>();
  for (const p of source.people) people.set(p.id, p);
  const witnesses: SourceWitness[] = [];
  for (const r of rows) {
    people.set(r.person.id, r.person);
    for (const w of r.witnesses) witnesses.push(w);
  }
  const last3 = (p: SourcePerson) => `xxx-xxx-${p.aNumber.slice(6)}`;
  const year = (p: SourcePerson) => (p.birthDate ? p.birthDate.slice(0, 4) : '');
  // Birth dates written out in free text become their year, in every profile but sealed.
  const births = new Set<string>();
  for (const p of people.values()) if (p.birthDate) births.add(p.birthDate.slice(0, 10));
  const aNumbers = new Set<string>();
  for (const p of people.values()) if (p.aNumber) aNumbers.add(aNumberKey(p.aNumber.replace(/\D/g, '')));
  const datesAndNumbers = (s: string, number: (digits: string) => string) => redactNumberRuns(redactBirthDates(exportText(s), births), number, aNumbers);
  if (profile === 'internal') {
    // Names stay for the office's own use, except minors, who appear by initials everywhere;
    // A-numbers show their last three digits and birth dates their year, in free text too.
    const entries: NameEntry[] = [];
    for (const p of people.values()) {
      if (!isMinor(p, on)) continue;
      for (const n of nameSpellings(p)) entries.push({ name: n, replacement: initials(p.givenName, p.familyName) });
    }
    const m = nameMatcher(entries);
    const variants = compileVariants(entries, '[name]');
    return {
      person: (p) => exportText(`${p.filingCode} ${isMinor(p, on) ? initials(p.givenName, p.familyName) : `${p.familyName}, ${p.givenName}`}`),
      aNumber: last3,
      birth: year,
      text: cached((s) => redactVariants(m.apply(redactVariants(datesAndNumbers(s, (d) => `xxx-xxx-${d.slice(-3)}`), variants, true)), variants)),
    };
  }
  // Public docket: codes for people, witnesses by code, birth dates by year, no A-numbers in free
  // text. One table of everyone's spellings; each row's own person is preferred through the filing
  // code their spellings carry, so a shared surname takes their code; a spelling several other
  // people share becomes "[name]".
  const entries: NameEntry[] = [];
  for (const p of people.values()) {
    for (const n of nameSpellings(p)) entries.push({ name: n, replacement: p.filingCode });
  }
  // Witnesses who are people in the records are in the list already.
  for (const [name, code] of witnessCodes(witnesses, people).byName) for (const n of witnessSpellings(name)) entries.push({ name: n, replacement: code });
  const fuzzy = fuzzyNames(entries);
  const global = compileNames(entries, { ambiguous: '[name]' });
  const variants = compileVariants(entries, '[name]');
  return {
    person: (p) => p.filingCode,
    aNumber: (p) => (settings.aNumberInPublic === 'last3' ? last3(p) : ''),
    birth: year,
    text: cached((s, row) => {
      const split = redactVariants(datesAndNumbers(s, () => '[A-number redacted]'), variants, true);
      return redactVariants(redactNames(split, global, fuzzy, row?.person.filingCode), variants);
    }, true),
  };
}

// Common words a witness description holds around a name ("the cook, known as abu ali"): never
// taken for the name itself.
const NOT_NAMES = new Set(
  'the a an of from in at on to and or his her their my our your by with for is was who that this he she they him them known as called nicknamed aka alias named his also another other one man woman guard officer cellmate detainee friend brother sister cousin father mother son daughter wife husband uncle aunt block unit dorm pod cell'.split(' '),
);

/**
 * A witness description ("Daniel Okafor, his cellmate"; "the cook, known as 'el flaco'"; "abu
 * khalid from block C") may hold a name among ordinary words: the capitalised and Arabic-script
 * words and runs of them, quoted words, the words after "known as", "called", "aka"…, and a kunya
 * or patronymic (abu, umm, ibn, bin, أبو …) with the word after it, in any case.
 */
export function witnessSpellings(description: string): string[] {
  const d = exportText(description);
  const words = d.split(/[\s,;:()]+/).filter(Boolean);
  const isName = (w: string) => /^\p{Lu}/u.test(w) || /[\u0600-\u06FF]/.test(w);
  const out: string[] = [];
  let run: string[] = [];
  for (const w of [...words, '']) {
    if (w && isName(w)) {
      run.push(w);
      continue;
    }
    if (run.length) out.push(run.join(' '), ...run.filter((x) => x.length >= 2));
    run = [];
  }
  const phrase = (p: string) => {
    const ws = p.split(/[^\p{L}\p{M}'’-]+/u).filter((w) => w && !NOT_NAMES.has(w.toLowerCase()));
    if (!ws.length || ws.length > 4) return;
    out.push(ws.join(' '), ...ws.filter((w) => w.length >= 3));
  };
  for (const m of d.matchAll(/(?:["“”«»„]|(?<![\p{L}])['‘])([^"“”«»„'‘’\n]{2,40})(?:["“”«»]|['’](?![\p{L}]))/gu)) phrase(m[1]!);
  for (const m of d.matchAll(/(?<![\p{L}])(?:known as|called|nicknamed|nickname|a\.?k\.?a\.?|alias|named|goes by)\s+((?:[\p{L}\p{M}'’-]+[ ]?){1,3})/giu)) phrase(m[1]!);
  for (const m of d.matchAll(/(?<![\p{L}])(abu|abou|abo|umm|um|om|ibn|bin|bint|أبو|ابو|أم|ام|ابن|بن|بنت)[\s-]+([\p{L}\p{M}]{2,})/giu)) out.push(`${m[1]} ${m[2]}`, m[2]!);
  return [...new Set(out)].filter((w) => !NOT_NAMES.has(w.toLowerCase()));
}

type RowField = (r: ReportKeyRow) => string;
const dateField: RowField = (r) => r.occurredOn;
const facilityField: RowField = (r) => r.facility.name;
const codeField: RowField = (r) => r.person.filingCode;
const paddedCodeField: RowField = (r) => r.person.filingCode.padStart(12, '0');

/**
 * Rows ordered field by field, each field in code-unit order, then by incident id; rows equal in
 * all of them keep their order. The leading fields are ranked and packed into one number per row,
 * so most of the work is a numeric sort without a comparator.
 */
function sortRows<R extends ReportKeyRow>(rows: R[], by: ReportDefinition['sort']): R[] {
  const fields = by === 'facility' ? [facilityField, dateField, codeField] : by === 'filingCode' ? [paddedCodeField, dateField] : [dateField, facilityField, codeField];
  const n = rows.length;
  const rank = new Float64Array(n);
  let combinations = 1;
  const values: string[] = new Array(n);
  for (const field of fields) {
    // Each distinct value once, then its place in order.
    const place = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const v = field(rows[i]!);
      values[i] = v;
      if (!place.has(v)) place.set(v, 0);
    }
    const distinct = [...place.keys()].sort();
    for (let k = 0; k < distinct.length; k++) place.set(distinct[k]!, k);
    for (let i = 0; i < n; i++) rank[i] = rank[i]! * distinct.length + place.get(values[i]!)!;
    combinations *= distinct.length;
  }
  const byFields = (a: number, b: number) => rank[a]! - rank[b]! || compare(rows[a]!.incidentId, rows[b]!.incidentId) || a - b;
  let order: ArrayLike<number>;
  if (combinations * n <= Number.MAX_SAFE_INTEGER) {
    // rank × n + index: a plain numeric sort orders by rank, then source order.
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = rank[i]! * n + i;
    packed.sort();
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = packed[i]! % n;
    // Rows of equal rank (same date, facility and person, say) go by incident id.
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && rank[idx[j]!] === rank[idx[i]!]) j++;
      if (j - i === 2 && byFields(idx[i]!, idx[i + 1]!) > 0) [idx[i], idx[i + 1]] = [idx[i + 1]!, idx[i]!];
      else if (j - i > 2) idx.subarray(i, j).sort(byFields);
      i = j;
    }
    order = idx;
  } else {
    order = Uint32Array.from({ length: n }, (_, i) => i).sort(byFields);
  }
  const out: R[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[order[i]!]!;
  return out;
}

export function rowIdFor(n: number): string {
  return `A-${String(n).padStart(3, '0')}`;
}

/** What a row shows of its person, as the profile allows. */
type PersonCells = Pick<LogRow, 'person' | 'personOriginal' | 'aNumber' | 'birth'>;

/** A person's cells worked out once: each person has many rows. */
function personCellsOnce(redact: Redactor, sealed: boolean): (p: SourcePerson) => PersonCells {
  const seen = new Map<SourcePerson, PersonCells>();
  return (p) => {
    let c = seen.get(p);
    if (!c) {
      c = { person: redact.person(p), personOriginal: sealed ? (p.nameOriginal ?? '') : '', aNumber: redact.aNumber(p), birth: redact.birth(p) };
      seen.set(p, c);
    }
    return c;
  };
}

/** displayDate, once per date of a single day (most rows; a period has a few hundred days). */
function displayDatesOnce(): (r: ReportKeyRow) => { text: string; approx: boolean } {
  const byPrecision = new Map<string, Map<string, { text: string; approx: boolean }>>();
  return (r) => {
    if (r.occurredUntil !== null) return displayDate(r);
    let days = byPrecision.get(r.precision);
    if (!days) {
      days = new Map();
      byPrecision.set(r.precision, days);
    }
    let d = days.get(r.occurredOn);
    if (!d) {
      d = displayDate(r);
      days.set(r.occurredOn, d);
    }
    return d;
  };
}

function logRow(r: ReportSourceRow, i: number, cats: RowCategories, who: PersonCells, date: { text: string; approx: boolean }, redact: Redactor, short: (name: string) => string): LogRow {
  const facilityName = redact.text(r.facility.name);
  return {
    rowId: rowIdFor(i + 1),
    incidentId: r.incidentId,
    person: who.person,
    personOriginal: who.personOriginal,
    filingCode: r.person.filingCode,
    aNumber: who.aNumber,
    birth: who.birth,
    facilityName,
    facilityShort: short(facilityName),
    facilityCity: redact.text(r.facility.city),
    facilityState: r.facility.state,
    date: date.text,
    dateIso: r.occurredOn,
    dateApprox: date.approx,
    categories: cats.labels,
    categoryCodes: cats.codes,
    standards: cats.standards,
    summary: redact.text(r.summary, r),
    ownWords: r.ownWords ? redact.text(r.ownWords, r) : '',
    counselPresent: yesNo(r.counselPresent),
    documentType: r.documentType ? redact.text(r.documentType, r) : '',
    documentSigned: r.documentType ? yesNo(r.documentSigned) : '',
    grievance: r.grievanceFiled ? `Filed${r.grievanceAnswer ? `; answer: ${redact.text(r.grievanceAnswer, r)}` : ''}` : r.grievanceFiled === false ? 'None' : 'Unknown',
    interviewDate: r.interview?.date ?? '',
    declaration: r.interview?.declaration ?? '',
  };
}

const emptyCell = (): SummaryCell => ({ count: 0, incidentIds: [], rowIds: [] });

function addToWithIds(cell: SummaryCell, incidentId: string, rowId: string): void {
  cell.count++;
  cell.incidentIds.push(incidentId);
  cell.rowIds.push(rowId);
}

function countIn(cell: SummaryCell, _incidentId: string, _rowId: string, n = 1): void {
  cell.count += n;
}

/**
 * Table 1, filled row by row: facility rows × category columns, each cell with the incidents
 * behind it. Cells are kept by category until the end, when the columns are known: the
 * categories asked for, or else those that occur.
 */
function summaryTable(only: CategoryCode[], countsOnly = false) {
  const addTo = countsOnly ? countIn : addToWithIds;
  const wanted = only.length ? new Set<CategoryCode>(only) : null;
  const byFacility = new Map<string, { row: SummaryRow; cells: SummaryCell[] }>();
  const totals: SummaryCell[] = [];
  const grandTotal = emptyCell();
  return {
    /** One log row: its facility as the log shows it (redacted), its ids and category codes. */
    add(facility: ReportSourceRow['facility'], shown: { name: string; city: string; short: string }, incidentId: string, rowId: string, codes: readonly CategoryCode[], n = 1): void {
      let f = byFacility.get(facility.id);
      if (!f) {
        f = { row: { facilityId: facility.id, facility: shown.name, short: shown.short, place: `${shown.city}, ${facility.state}`, cells: [], total: emptyCell() }, cells: [] };
        byFacility.set(facility.id, f);
      }
      addTo(f.row.total, incidentId, rowId, n);
      addTo(grandTotal, incidentId, rowId, n);
      for (const c of codes) {
        const k = CATEGORY_ORDER.get(c);
        if (k === undefined || (wanted && !wanted.has(c))) continue;
        addTo((f.cells[k] ??= emptyCell()), incidentId, rowId, n);
        addTo((totals[k] ??= emptyCell()), incidentId, rowId, n);
      }
    },
    result(): ReportModel['summary'] {
      const columns = CATEGORY_CODES.flatMap((c, k) => (wanted ? wanted.has(c) : totals[k]) ? [k] : []);
      const rows = [...byFacility.values()].map(({ row, cells }) => ({ ...row, cells: columns.map((k) => cells[k] ?? emptyCell()) }));
      return {
        categories: columns.map((k) => CATEGORY_CODES[k]!).map((c) => ({ code: c, label: CATEGORIES[c].label, short: SHORT_LABELS[c], standard: CATEGORIES[c].standard })),
        rows: rows.sort((a, b) => compare(a.facility, b.facility) || compare(a.facilityId, b.facilityId)),
        totals: columns.map((k) => totals[k] ?? emptyCell()),
        grandTotal,
      };
    },
  };
}

/** Each value once, in code-unit order. */
function distinctSorted(values: string[]): string[] {
  const sorted = sortStrings(values);
  const out: string[] = [];
  for (const v of sorted) if (v !== out[out.length - 1]) out.push(v);
  return out;
}

/**
 * Table 1, the facility legend and the record ids, in one pass over the sorted key rows: no free
 * text is read or redacted (facility names and cities are, each once), so counting 30,000
 * incidents is quick. `short` gives a redacted facility name's short form for the log rows.
 */
function tabulate(
  rows: readonly ReportKeyRow[],
  redact: Redactor,
  d: ReportDefinition,
  countsOnly: boolean,
): Pick<ReportModel, 'summary' | 'recordIds' | 'facilities'> & { short: (name: string) => string } {
  const { shownFacility, short } = shownFacilities(rows, redact);
  const categoriesOf = categoriesByCombination();
  const summary = summaryTable(d.filters.categories, countsOnly);
  const incidents: string[] = [];
  const people = new Set<string>();
  const interviews: string[] = []; // mostly one per incident: sorted then deduplicated, no Set
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const codes = categoriesOf(r.categories).codes;
    if (countsOnly) {
      summary.add(r.facility, shownFacility.get(r.facility.id)!, '', '', codes);
      continue;
    }
    summary.add(r.facility, shownFacility.get(r.facility.id)!, r.incidentId, rowIdFor(i + 1), codes);
    incidents.push(r.incidentId);
    people.add(r.person.id);
    if (r.interview) interviews.push(r.interview.id);
  }
  const table = summary.result();
  return {
    facilities: legendOf(table),
    summary: table,
    recordIds: countsOnly
      ? { incidents: [], people: [], facilities: [], interviews: [] }
      : { incidents, people: [...people].sort(), facilities: [...shownFacility.keys()].sort(), interviews: distinctSorted(interviews) },
    short,
  };
}

/** Each facility's name and city as the exhibit shows them (redacted), and its short name. */
function shownFacilities(rows: Iterable<{ facility: ReportSourceRow['facility'] }>, redact: Redactor) {
  const shownFacility = new Map<string, { name: string; city: string; short: string }>();
  for (const r of rows) {
    if (!shownFacility.has(r.facility.id)) shownFacility.set(r.facility.id, { name: redact.text(r.facility.name), city: redact.text(r.facility.city), short: '' });
  }
  const shortNames = facilityShortNames([...shownFacility.values()].map((f) => f.name));
  const short = (name: string) => shortNames.get(name) ?? name;
  for (const f of shownFacility.values()) f.short = short(f.name);
  return { shownFacility, short };
}

/** The facility legend: every facility of Table 1, by short name. */
function legendOf(table: ReportModel['summary']): FacilityLegendEntry[] {
  return table.rows
    .map((x) => ({ facilityId: x.facilityId, short: x.short, name: x.facility, place: x.place }))
    .sort((a, b) => compare(a.short, b.short) || compare(a.facilityId, b.facilityId));
}

/**
 * Table 1 (counts only), the facility legend and the exclusions from groups of alike incidents (a
 * GROUP BY in the database) instead of the rows: the same filters (exclusionTest), the same
 * redacted facility names and the same cells as tabulate gives over the rows one by one.
 */
function tally(groups: readonly TallyGroup[], redact: Redactor, d: ReportDefinition) {
  const test = exclusionTest(d);
  const excluded: Record<ExclusionKey, number> = { notIncluded: 0, status: 0, consent: 0, facility: 0, category: 0 };
  const chosen: TallyGroup[] = [];
  for (const g of groups) {
    const why = test(g);
    if (why) excluded[why] += g.n;
    else chosen.push(g);
  }
  const { shownFacility, short } = shownFacilities(chosen, redact);
  const categoriesOf = categoriesByCombination();
  const summary = summaryTable(d.filters.categories, true);
  let count = 0;
  for (const g of chosen) {
    summary.add(g.facility, shownFacility.get(g.facility.id)!, '', '', categoriesOf(g.categories).codes, g.n);
    count += g.n;
  }
  const table = summary.result();
  return { summary: table, facilities: legendOf(table), short, excluded, count };
}

/** How many whole rows a stream of log rows reads at a time. */
const LOAD_CHUNK = 500;

/**
 * The log rows from..to of the sorted key rows, built and redacted one by one; the whole rows are
 * read `LOAD_CHUNK` at a time, so a long log never holds every text at once.
 */
function* logRowsOf(
  rows: readonly ReportKeyRow[],
  load: ReportKeySource['load'],
  redact: Redactor,
  d: ReportDefinition,
  short: (name: string) => string,
  from: number,
  to: number,
): Generator<LogRow> {
  const categoriesOf = categoriesByCombination();
  const personCells = personCellsOnce(redact, d.profile === 'sealed');
  const displayDates = displayDatesOnce();
  for (let start = from; start < to; start += LOAD_CHUNK) {
    const keys = rows.slice(start, Math.min(to, start + LOAD_CHUNK));
    const full = load(keys);
    if (full.length !== keys.length) throw new Error(`report: ${keys.length - full.length} incidents went missing while the report was read`);
    for (let k = 0; k < full.length; k++) {
      const r = full[k]!;
      yield logRow(r, start + k, categoriesOf(r.categories), personCells(r.person), displayDates(r), redact, short);
    }
  }
}

// Definition fields that are codes, ids or ISO dates, not text anyone typed.
const DEFINITION_CODES = new Set(['profile', 'columns', 'sort', 'filters', 'periodFrom', 'periodTo']);

/**
 * The definition with every text in it (name, title, caption, method note, signature, and any
 * text field added later) through the redactor: the exhibit shows these and the manifest holds them.
 */
export function redactDefinition(d: ReportDefinition, text: (s: string) => string): ReportDefinition {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) out[k] = DEFINITION_CODES.has(k) ? v : walk(v);
  // A review choice keeps its locator and choice; a span redacted by hand never travels on in the
  // clear (a public manifest holds this definition), an accepted one goes through the redactor.
  out.review = (d.review ?? []).map((r) => ({ at: r.at, choice: r.choice, text: r.choice === 'redact' ? HAND_REDACTED : text(r.text) }));
  return out as ReportDefinition;
}

/**
 * The exhibit's model. A public one also carries the paralegal's "redact by hand" choices from the
 * redaction review (shared/report/review.ts), so every format shows them.
 */
export function buildReportModel(input: BuildInput): ReportModel {
  const model = buildAutoRedactedModel(input);
  return model.profile === 'public' ? applyReviewDecisions(model, input.definition.review ?? []) : model;
}

/**
 * A report whose log rows are not built yet: its model holds everything but the log rows (counts,
 * exclusions, record ids, the redacted definition), and `rows` builds and redacts log rows on
 * demand, as a stream. The preview takes the first page of them; an export takes them all.
 * Automatic redaction only: apply the review's choices (applyReviewDecisions) to what is built.
 */
export interface ReportFrame {
  /** The model with `log.rows` empty. */
  model: ReportModel;
  /** How many log rows the report has. */
  count: number;
  /** Log rows from..to (default: all), in order, each built and redacted as it is taken. */
  rows: (from?: number, to?: number) => Generator<LogRow>;
  /** Which of these record ids (incidents, their people, facilities, interviews) the report holds. */
  holds: (ids: ReadonlySet<string>) => Set<string>;
  /** Each log row's number and incident, in order, without building the rows (a manifest lists these). */
  rowKeys: () => { rowId: string; incidentId: string }[];
}

export type FrameInput = Omit<BuildInput, 'source'> & {
  source: ReportKeySource;
  memo?: FrameMemo;
  /**
   * Counts only: Table 1's cells without the incidents behind them and no record ids (left empty),
   * which is what a preview shows; an export, or a click on a count, takes the whole frame.
   */
  countsOnly?: boolean;
};

/** The incidents a definition takes, in order, why the others were left out, and their redactor. */
interface Selection {
  rows: ReportKeyRow[];
  excluded: Record<ExclusionKey, number>;
  redact: Redactor;
}

function select(source: ReportKeySource, d: ReportDefinition, settings: OfficeSettings, on: string): Selection {
  const { rows: selected, excluded } = selectRows(source, d);
  const rows = sortRows(selected, d.sort);
  return { rows, excluded, redact: redactorFor(d.profile, settings, source, rows, on) };
}

/**
 * The last selection made (rows chosen and sorted, and the redactor over them), kept for the next
 * build over the same key rows (the same source object) with the same period, filters, sort,
 * profile, settings and day: building the public name tables and sorting are most of a preview's
 * work, and typing a caption or a title changes none of them.
 */
export class FrameMemo {
  private last: { source: object; key: string; selection: Selection } | null = null;
  /** How many selections were made rather than reused (for tests). */
  made = 0;

  select(source: ReportKeySource, d: ReportDefinition, settings: OfficeSettings, on: string): Selection {
    const key = JSON.stringify([d.periodFrom, d.periodTo, d.filters, d.sort, d.profile, settings, on]);
    if (this.last && this.last.source === source && this.last.key === key) return this.last.selection;
    const selection = select(source, d, settings, on);
    this.made++;
    this.last = { source, key, selection };
    return selection;
  }
}

/** The model as automatic redaction leaves it: what the review compares with the records. */
export function buildAutoRedactedModel(input: BuildInput): ReportModel {
  const frame = buildReportFrame({ ...input, source: { ...input.source, load: (keys) => keys as ReportSourceRow[] } });
  return { ...frame.model, log: { ...frame.model.log, rows: [...frame.rows()] } };
}

export function buildReportFrame(input: FrameInput): ReportFrame {
  const { source, settings, generatedAt } = input;
  const on = generatedAt.slice(0, 10);
  const { rows, excluded, redact } = input.memo ? input.memo.select(source, input.definition, settings, on) : select(source, input.definition, settings, on);
  const d = redactDefinition(input.definition, (s) => redact.text(s));
  const { summary, recordIds, facilities, short } = tabulate(rows, redact, d, input.countsOnly ?? false);
  return {
    model: modelOf(input, d, { summary, recordIds, facilities, excluded }),
    count: rows.length,
    rows: (from = 0, to = rows.length) => logRowsOf(rows, source.load, redact, d, short, Math.max(0, from), Math.min(rows.length, to)),
    holds: (ids) => {
      const found = new Set<string>();
      if (ids.size === 0) return found;
      for (const r of rows) for (const x of [r.incidentId, r.person.id, r.facility.id, r.interview?.id]) if (x && ids.has(x)) found.add(x);
      return found;
    },
    rowKeys: () => rows.map((r, i) => ({ rowId: rowIdFor(i + 1), incidentId: r.incidentId })),
  };
}

/**
 * A preview's frame from what the database counted and the first rows it ordered, not from every
 * incident's key row: `groups` are the period's incidents grouped by what choosing and counting
 * read (their counts give Table 1 and the exclusions, as tabulate would over the rows), `first` the
 * first rows the definition takes, in the log's order, and `redact` the redactor the whole
 * selection has (redactorFor over the period's people and the chosen rows' witnesses). Counts only:
 * no record ids; `rows` builds log rows among `first` alone, numbered as the whole log numbers them.
 */
export interface PreviewFrameInput extends Omit<BuildInput, 'source'> {
  groups: readonly TallyGroup[];
  first: readonly ReportKeyRow[];
  load: ReportKeySource['load'];
  redact: Redactor;
  holds: ReportFrame['holds'];
}

/** A preview's frame knows its first rows only: no list of every row's number and incident. */
export type PreviewFrame = Omit<ReportFrame, 'rowKeys'>;

export function buildPreviewFrame(input: PreviewFrameInput): PreviewFrame {
  const { redact, first } = input;
  const d = redactDefinition(input.definition, (s) => redact.text(s));
  const { summary, facilities, short, excluded, count } = tally(input.groups, redact, d);
  const recordIds = { incidents: [], people: [], facilities: [], interviews: [] };
  return {
    model: modelOf(input, d, { summary, recordIds, facilities, excluded }),
    count,
    rows: (from = 0, to = first.length) => logRowsOf(first, input.load, redact, d, short, Math.max(0, from), Math.min(first.length, to)),
    holds: input.holds,
  };
}

/** The model around the log rows: the redacted definition's texts, Table 1, the method note. */
function modelOf(
  input: Omit<BuildInput, 'source'>,
  d: ReportDefinition,
  parts: Pick<ReportModel, 'summary' | 'recordIds' | 'facilities'> & { excluded: Record<ExclusionKey, number> },
): ReportModel {
  const { settings, generatedAt } = input;
  const { summary, recordIds, facilities, excluded } = parts;
  const columns = d.columns.filter((c) => !(c === 'aNumber' && d.profile === 'public' && settings.aNumberInPublic === 'omit'));

  const exclusions = (Object.keys(excluded) as ExclusionKey[])
    .filter((k) => excluded[k] > 0)
    .map((k) => ({ reason: k, count: excluded[k] }));
  const methodNote = [
    ...d.methodNote.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
    `Source: accounts given by class members to counsel in interviews, with the reported date of each incident between ${longDate(d.periodFrom)} and ${longDate(d.periodTo)}. Each entry cites the interview and whether a declaration was taken.`,
    'These are allegations as reported to counsel, not findings. Dates marked "approx." are as the person recalled them.',
    'Counting: an incident reported in several categories is counted once in each category; row and column totals count each incident once.',
    exclusions.length
      ? `Not included in this exhibit: ${exclusions.map((e) => EXCLUSION_TEXT[e.reason as ExclusionKey](e.count)).join('; ')}.`
      : 'No incident in the reporting period was left out.',
    d.profile === 'public'
      ? `Redacted for the public docket (Fed. R. Civ. P. 5.2; E.D. Mich. LR 5.3): each person appears by filing code (CM-###), and names of people and witnesses in the text are replaced by codes; ${
          settings.aNumberInPublic === 'last3' ? 'A-numbers show their last three digits only' : 'A-numbers are omitted'
        }; birth dates appear by year only. The key to the codes is filed under seal.`
      : d.profile === 'sealed'
        ? 'Unredacted version, to be filed under seal.'
        : 'Internal working copy, not for filing: minors appear by initials, A-numbers by their last three digits, birth dates by year.',
  ];

  return {
    profile: d.profile,
    generatedAt,
    appVersion: input.appVersion,
    definitionId: input.definitionId,
    definitionName: d.name,
    definition: d,
    caption: d.caption,
    title: d.title,
    exhibitLabel: d.exhibitLabel,
    period: { from: d.periodFrom, to: d.periodTo },
    periodLabel: `${longDate(d.periodFrom)} to ${longDate(d.periodTo)}`,
    summary,
    facilities,
    log: { columns, rows: [] },
    exclusions,
    methodNote,
    signature: { ...d.signature, dated: d.signature.dated || longDate(generatedAt) },
    recordIds,
  };
}

/** The sealed key: every code in an exhibit and who it stands for. Never part of a public model. */
export interface ReferenceEntry {
  code: string;
  name: string;
  nameOriginal: string;
  aNumber: string;
  birthDate: string;
  rowIds: string[];
}

/** Filing codes (CM-001) and witness codes (W-01) as they stand in exported text. */
const CODE_IN_TEXT = /(?<![\p{L}\p{N}-])(?:CM-\d{3,}|W-\d{2,})(?!\p{N})/gu;

/** Codes in numeric order: CM-103 before CM-1005, filing codes (CM) before witness codes (W). */
export function compareCodes(a: string, b: string): number {
  const [, pa = a, na = ''] = /^(\D*)(\d*)$/.exec(a) ?? [];
  const [, pb = b, nb = ''] = /^(\D*)(\d*)$/.exec(b) ?? [];
  const x = na.replace(/^0+(?=\d)/, '');
  const y = nb.replace(/^0+(?=\d)/, '');
  return compare(pa, pb) || x.length - y.length || compare(x, y) || compare(a, b);
}

export function codesIn(text: string): string[] {
  return [...new Set(text.match(CODE_IN_TEXT) ?? [])];
}

/**
 * The sealed key: every code the public files show, and nothing else. `shown` is the text of the
 * rendered public files (the HTML the PDF prints, the CSV), so a code given to someone named in
 * another person's account, or to a witness who is a person in the records, is listed too, and a
 * code a column left out of the files or a hand redaction removed is not.
 */
/** What the sealed key is numbered over: the report's incidents (key rows will do) and people. */
export type ReferenceInput = Omit<BuildInput, 'source'> & { source: Pick<ReportKeySource, 'rows' | 'people'> };

export function buildReferenceList(input: ReferenceInput, model: ReportModel, shown: string[]): { exhibitLabel: string; caption: Caption; generatedAt: string; entries: ReferenceEntry[] } {
  const codes = new Set(shown.flatMap(codesIn));
  const { rows: selected } = selectRows(input.source, input.definition);
  const people = new Map<string, SourcePerson>();
  for (const p of input.source.people) people.set(p.filingCode, p);
  for (const r of selected) people.set(r.person.filingCode, r.person);
  // Witness codes are numbered over the rows as the model numbers them.
  const rows = sortRows(selected, input.definition.sort);
  const byId = new Map([...people.values()].map((p) => [p.id, p] as const));
  const wc = witnessCodes(rows.flatMap((r) => r.witnesses), byId).byKey;
  const witnessName = new Map<string, string>();
  for (const r of rows) {
    for (const w of r.witnesses) {
      const code = wc.get(fold(w.name.trim()).text);
      if (code && !witnessName.has(code)) witnessName.set(code, w.name);
    }
  }
  const rowIdsOf = new Map<string, string[]>();
  for (const r of model.log.rows) {
    for (const code of codesIn([r.person, r.summary, r.ownWords, r.documentType, r.grievance].join('\n'))) rowIdsOf.set(code, [...(rowIdsOf.get(code) ?? []), r.rowId]);
  }
  const entries: ReferenceEntry[] = [...codes].map((code) => {
    const p = people.get(code);
    const rowIds = rowIdsOf.get(code) ?? [];
    if (p) return { code, name: `${p.familyName}, ${p.givenName}`, nameOriginal: p.nameOriginal ?? '', aNumber: formatANumber(p.aNumber), birthDate: p.birthDate ?? '', rowIds };
    const w = witnessName.get(code);
    return { code, name: w !== undefined ? `${w} (witness)` : '(no one in the records has this code)', nameOriginal: '', aNumber: '', birthDate: '', rowIds };
  });
  return {
    exhibitLabel: input.definition.exhibitLabel,
    caption: input.definition.caption,
    generatedAt: input.generatedAt,
    entries: entries.sort((a, b) => compareCodes(a.code, b.code)),
  };
}
