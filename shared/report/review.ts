import stopwords from 'stopwords-iso/stopwords-iso.json' with { type: 'json' };
import type { ReviewDecision } from './definition';
import type { LogRow, ReportModel } from './model';
import { decisionIndex, HAND_REDACTED } from './review-choices';

export { decisionIndex, HAND_REDACTED };

// The redaction review a paralegal does before filing a public exhibit. Pure: it compares each
// exported text before and after automatic redaction (so it needs nothing of the redactor's
// internals), lists every span the redactor replaced, and every capitalised word, number group or
// date-like string left in the public text that no safe list explains. Each item is then accepted
// or redacted by hand; the choices live in the report definition and are applied to the one model,
// before any renderer runs.

export type ReviewKind = 'replaced' | 'suspicious';
export type ReviewReason = 'name' | 'capitalised' | 'number' | 'date';

export interface ReviewItem {
  /** Where the text is: "incident:<id>:summary", "methodNote:0", "title". */
  at: string;
  /** Where, for a person: "A-003, summary". */
  where: string;
  kind: ReviewKind;
  reason: ReviewReason;
  /** The span as the public text shows it (the key of a choice, with `at`). */
  text: string;
  /** For a replaced span: what the records say there. */
  original: string;
  /** The public text around the span. */
  before: string;
  after: string;
  /** Times the span occurs in this text. */
  occurrences: number;
  choice: ReviewDecision['choice'] | null;
}

export interface ReviewCounts {
  replaced: number;
  suspicious: number;
  /** Suspicious spans without a choice: what `--strict` and the export button wait on. */
  unreviewed: number;
  accepted: number;
  redacted: number;
}

export interface ReportReview {
  items: ReviewItem[];
  counts: ReviewCounts;
}

/** What may stay in a public text without a person looking: names of institutions and vocabulary. */
export interface SafeList {
  /** Single words or phrases whose every word is safe anywhere (facility names, vocabulary, caption). */
  words: string[];
  /** Phrases safe only whole (staff and judges: their given name alone could be a detainee's). */
  phrases: string[];
  /** Dates inside this range (reporting period, with a year either side) are not flagged. */
  period: { from: string; to: string };
}


/** Months, weekdays and words of the trade, safe capitalised anywhere. */
const ALWAYS_SAFE = new Set(
  (
    'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'monday tuesday wednesday thursday friday saturday sunday i ice ero dhs uscis eoir cbp usa us u.s officer officers guard guards sergeant sgt lieutenant lt ' +
    'captain capt deputy warden director supervisor nurse doctor dr medical staff form forms i-210 cfr pbnds nds detention center centre facility county jail ' +
    'processing correctional department homeland security immigration customs enforcement court judge magistrate petitioner petitioners plaintiff plaintiffs ' +
    'respondent respondents defendant defendants class action exhibit status report table no case english arabic spanish french kurdish farsi persian ' +
    'dari pashto somali tigrinya amharic chaldean assyrian iraqi syrian christian muslim islam ramadan eid quran bible god allah voluntary departure ' +
    'stipulated removal travel document grievance unit pod block dorm housing segregation shu intake cell yard chapel kitchen library law north south east west ' +
    'am pm ok tv id filed'
  ).split(' '),
);

/**
 * Words of the stopwords-iso lists that are also given names (Will, Bill, May, Said, …): a capital
 * on them may mark a person even at the start of a sentence.
 */
const NAMES_AMONG_STOPWORDS = new Set(['will', 'bill', 'may', 'said', 'mark', 'hope', 'grace', 'faith', 'joy', 'rose', 'sue', 'pat', 'art', 'frank', 'rich', 'june', 'ali', 'omar', 'amin']);

/**
 * Common English words (stopwords-iso's list, and words of these accounts), safe capitalised at the
 * start of a sentence; elsewhere a capital may mark a name.
 */
const SENTENCE_START_SAFE = new Set(
  [
    ...stopwords.en,
    ...(
      'date dates born answer none unknown meals food water restroom toilet shower lights phone calls call mail visit visits lawyer lawyers attorney ' +
      'counsel family wife husband son daughter brother sister mother father cousin friend cellmate detainee detainees people person men women ' +
      'everybody nobody told asked says sign signed signing forced refused denied withheld given moved transferred placed held kept put taken ' +
      'brought sent returned witness witnesses afterwards approximately'
    ).split(' '),
  ].filter((w) => !NAMES_AMONG_STOPWORDS.has(w)),
);

/** Arabic function words (stopwords-iso): Arabic has no capitals, so every other Arabic word is looked at. */
const ARABIC_SAFE = new Set(stopwords.ar);

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const UPPER_START = /^\p{Lu}/u;

interface Word {
  text: string;
  start: number;
  end: number;
}

function words(s: string): Word[] {
  const out: Word[] = [];
  for (const m of s.matchAll(WORD)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const lower = (s: string) => s.toLowerCase();

/** A span without the spaces and punctuation of the sentence around it. */
function trimmed(s: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /[\s,.;:!?"'\u2018\u2019\u201C\u201D]/.test(s[start]!)) start++;
  while (end > start && /[\s,.;:!?"'\u2018\u2019\u201C\u201D]/.test(s[end - 1]!)) end--;
  return { start, end };
}

/** Longest common subsequence of two word lists, as matched index pairs (texts here are short). */
function matchWords(a: Word[], b: Word[]): [number, number][] {
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo]!.text === b[lo]!.text) lo++;
  let ea = a.length;
  let eb = b.length;
  while (ea > lo && eb > lo && a[ea - 1]!.text === b[eb - 1]!.text) {
    ea--;
    eb--;
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < lo; i++) pairs.push([i, i]);
  const n = ea - lo;
  const m = eb - lo;
  // A very long changed middle (megabytes of text) is taken as one replaced span rather than a
  // quadratic table; it is still listed whole for review.
  if (n > 0 && m > 0 && n * m <= 4_000_000) {
    const w = m + 1;
    const t = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        t[i * w + j] = a[lo + i]!.text === b[lo + j]!.text ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[lo + i]!.text === b[lo + j]!.text) {
        pairs.push([lo + i, lo + j]);
        i++;
        j++;
      } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) i++;
      else j++;
    }
  }
  for (let k = 0; k < a.length - ea; k++) pairs.push([ea + k, eb + k]);
  return pairs;
}

interface Span {
  start: number;
  end: number;
  original: string;
}

/** The spans of `after` that stand where `before` had other words: what redaction replaced. */
export function replacedSpans(before: string, after: string): Span[] {
  if (before === after) return [];
  const a = words(before);
  const b = words(after);
  const pairs = matchWords(a, b);
  const out: Span[] = [];
  let pa = -1;
  let pb = -1;
  for (const [ia, ib] of [...pairs, [a.length, b.length] as [number, number]]) {
    if (ia > pa + 1 || ib > pb + 1) {
      const aFrom = pa >= 0 ? a[pa]!.end : 0;
      const aTo = ia < a.length ? a[ia]!.start : before.length;
      const bFrom = pb >= 0 ? b[pb]!.end : 0;
      const bTo = ib < b.length ? b[ib]!.start : after.length;
      const s = trimmed(after, bFrom, bTo);
      const o = trimmed(before, aFrom, aTo);
      // A span only removed (invisible characters, say) leaves nothing in public to review.
      if (s.end > s.start && ib > pb + 1) out.push({ start: s.start, end: s.end, original: before.slice(o.start, o.end) });
    }
    pa = ia;
    pb = ib;
  }
  return out;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const ORD = '(?:st|nd|rd|th)?';
// Common written forms of a full date: ISO, US and European numeric, "June 2nd, 1975",
// "2 Jun 1975", "the 2nd of June 1975", and 8 digits run together.
const DATE_FORMS: { re: RegExp; parts: (m: RegExpExecArray) => [string, string, string] | null }[] = [
  { re: /(?<!\p{N})(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\p{N})/gu, parts: (m) => [m[1]!, m[2]!, m[3]!] },
  { re: /(?<!\p{N})(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\p{N})/gu, parts: (m) => [m[3]!, m[1]!, m[2]!] },
  { re: new RegExp(`\\b(${MONTH})\\s+(\\d{1,2})${ORD},?\\s+(\\d{4})(?!\\d)`, 'giu'), parts: (m) => [m[3]!, monthOf(m[1]!), m[2]!] },
  { re: new RegExp(`\\b(?:the\\s+)?(\\d{1,2})${ORD}\\s+(?:of\\s+)?(${MONTH}),?\\s+(\\d{4})(?!\\d)`, 'giu'), parts: (m) => [m[3]!, monthOf(m[2]!), m[1]!] },
  { re: /(?<!\p{N})((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\p{N})/gu, parts: (m) => [m[1]!, m[2]!, m[3]!] },
];

function monthOf(name: string): string {
  return String(MONTH_NAMES.indexOf(lower(name).slice(0, 3)) + 1);
}

function isoOf([y, mo, d]: [string, string, string]): string | null {
  const year = y.length === 2 ? (Number(y) > 30 ? `19${y}` : `20${y}`) : y;
  const month = Number(mo);
  const day = Number(d);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function shiftYear(iso: string, by: number): string {
  return `${String(Number(iso.slice(0, 4)) + by).padStart(4, '0')}${iso.slice(4)}`;
}

/** Lower-cased words of the safe list, and its whole phrases. */
export interface CompiledSafeList {
  words: Set<string>;
  phrases: string[];
  from: string;
  to: string;
}

export function compileSafeList(safe: SafeList): CompiledSafeList {
  const w = new Set<string>();
  for (const s of safe.words) for (const x of words(s)) w.add(lower(x.text));
  const phrases = [...new Set(safe.phrases.map((p) => lower(p.trim())).filter((p) => p.length >= 2))];
  return { words: w, phrases, from: shiftYear(safe.period.from, -1), to: shiftYear(safe.period.to, 1) };
}

/** Whether the word starting at `start` opens a sentence (or a quotation, a line, a bracket). */
function sentenceStart(s: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && /[\s"'\u2018\u201C([\u2014-]/.test(s[i]!)) {
    if (s[i] === '\n' || s[i] === '"' || s[i] === '\u201C' || s[i] === '\u2014') return true;
    i--;
  }
  return i < 0 || /[.!?:;]/.test(s[i]!);
}

/** Spans of a public text that a person should look at: capitalised words, number groups, dates. */
export function suspiciousSpans(s: string, safe: CompiledSafeList, skip: Span[] = []): (Span & { reason: ReviewReason })[] {
  const covered = new Uint8Array(s.length);
  for (const k of skip) covered.fill(1, k.start, k.end);
  const low = lower(s);
  // Lower-casing a few letters changes the length (İ): then offsets would not match, and no phrase is taken as safe.
  for (const p of low.length === s.length ? safe.phrases : []) {
    for (let i = low.indexOf(p); i >= 0; i = low.indexOf(p, i + 1)) {
      const before = i === 0 ? '' : low[i - 1]!;
      const after = low[i + p.length] ?? '';
      if (/[\p{L}\p{N}]/u.test(before) || /[\p{L}\p{N}]/u.test(after)) continue;
      covered.fill(1, i, i + p.length);
    }
  }
  const out: (Span & { reason: ReviewReason })[] = [];
  const free = (a: number, b: number) => {
    for (let i = a; i < b; i++) if (covered[i]) return false;
    return true;
  };
  // Dates first: their digits are not also number groups.
  for (const f of DATE_FORMS) {
    for (const m of s.matchAll(f.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!free(start, end)) continue;
      const parts = f.parts(m as RegExpExecArray);
      const iso = parts && isoOf(parts);
      if (!iso) continue;
      covered.fill(1, start, end);
      if (iso >= safe.from && iso <= safe.to) continue;
      out.push({ start, end, original: '', reason: 'date' });
    }
  }
  // Number groups: three or more digits with what may join them (A-numbers, phone numbers, badge
  // numbers); a year alone and codes such as CM-001, W-02, A-014 or I-210 pass.
  for (const m of s.matchAll(/\p{N}+(?:[ .\-/\u2010-\u2015]?\p{N}+)*/gu)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!free(start, end)) continue;
    const digits = m[0].replace(/\P{N}/gu, '');
    if (digits.length < 3) continue;
    if (/^(?:19|20)\d{2}$/.test(m[0])) continue;
    const prefix = s.slice(Math.max(0, start - 3), start);
    if (/^\d{3}$/.test(m[0]) && /(?:\b(?:CM|A|I)-|\bW-)$/.test(prefix)) continue;
    out.push({ start, end, original: '', reason: 'number' });
  }
  // Capitalised words (and Arabic-script words, which have no capitals), runs of them joined.
  let run: (Span & { reason: ReviewReason }) | null = null;
  for (const w of words(s)) {
    const isCandidate = (UPPER_START.test(w.text) || ARABIC.test(w.text)) && !/^\p{N}/u.test(w.text);
    const l = lower(w.text);
    const safeWord =
      !isCandidate ||
      !free(w.start, w.end) ||
      ALWAYS_SAFE.has(l) ||
      ARABIC_SAFE.has(w.text) ||
      safe.words.has(l) ||
      (sentenceStart(s, w.start) && SENTENCE_START_SAFE.has(l)) ||
      // A code's letters (CM-001, W-02, A-014, I-210).
      /^(?:CM|W|A|I)$/.test(w.text) && /^-\d/.test(s.slice(w.end, w.end + 2));
    if (safeWord) {
      run = null;
      continue;
    }
    if (run && /^[ \-'\u2019]$/.test(s.slice(run.end, w.start))) {
      run.end = w.end;
      continue;
    }
    run = { start: w.start, end: w.end, original: '', reason: 'capitalised' };
    out.push(run);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** One text of the exhibit: where it is, and its words before and after automatic redaction. */
export interface ReviewText {
  at: string;
  where: string;
  before: string;
  after: string;
}

const CONTEXT = 60;

function contextOf(s: string, start: number, end: number): { before: string; after: string } {
  const b = s.slice(Math.max(0, start - CONTEXT), start);
  const a = s.slice(end, end + CONTEXT);
  return { before: (start > CONTEXT ? '…' : '') + b, after: a + (end + CONTEXT < s.length ? '…' : '') };
}

type Found = Span & { kind: ReviewKind; reason: ReviewReason };

/** The review of a set of texts: every replaced and every suspicious span, with the choice made for each. */
/** How many distinct texts the review remembers the spans of before it starts over (a long log streams through it). */
const TEXTS_REMEMBERED = 20_000;

export function reviewTexts(texts: Iterable<ReviewText>, safe: SafeList, decisions: readonly ReviewDecision[]): ReportReview {
  const compiled = compileSafeList(safe);
  const choiceFor = decisionIndex(decisions);
  const items: ReviewItem[] = [];
  const counts: ReviewCounts = { replaced: 0, suspicious: 0, unreviewed: 0, accepted: 0, redacted: 0 };
  // Texts repeat across incidents ("No answer yet", a document's name): each pair is read once.
  const seen = new Map<string, Map<string, Found[]>>();
  let remembered = 0;
  for (const t of texts) {
    if (!t.after) continue;
    if (remembered >= TEXTS_REMEMBERED) {
      seen.clear();
      remembered = 0;
    }
    let byAfter = seen.get(t.before);
    if (!byAfter) seen.set(t.before, (byAfter = new Map()));
    let found = byAfter.get(t.after);
    if (!found) {
      const replaced = replacedSpans(t.before, t.after);
      found = [
        ...replaced.map((r) => ({ ...r, kind: 'replaced' as const, reason: 'name' as const })),
        ...suspiciousSpans(t.after, compiled, replaced).map((r) => ({ ...r, kind: 'suspicious' as const })),
      ].sort((a, b) => a.start - b.start);
      byAfter.set(t.after, found);
      remembered++;
    }
    const byKey = new Map<string, ReviewItem>();
    for (const f of found) {
      const text = t.after.slice(f.start, f.end);
      const key = `${f.kind}\u0000${text}`;
      const had = byKey.get(key);
      if (had) {
        had.occurrences++;
        if (f.original && !had.original.split(' / ').includes(f.original)) had.original += ` / ${f.original}`;
        continue;
      }
      const choice = choiceFor(t.at, text);
      const item: ReviewItem = { at: t.at, where: t.where, kind: f.kind, reason: f.reason, text, original: f.original, ...contextOf(t.after, f.start, f.end), occurrences: 1, choice };
      byKey.set(key, item);
      items.push(item);
      if (f.kind === 'replaced') counts.replaced++;
      else counts.suspicious++;
      if (choice === 'accept') counts.accepted++;
      else if (choice === 'redact') counts.redacted++;
      else if (f.kind === 'suspicious') counts.unreviewed++;
    }
  }
  return { items, counts };
}

/** Free-text fields of a log row, and how the review names them. */
export const REVIEWED_ROW_FIELDS = { summary: 'summary', ownWords: 'in their words', documentType: 'document', grievance: 'grievance' } as const satisfies Partial<Record<keyof LogRow, string>>;
type RowField = keyof typeof REVIEWED_ROW_FIELDS;
const ROW_FIELDS = Object.keys(REVIEWED_ROW_FIELDS) as RowField[];

/**
 * The texts of a public model, each with its unredacted counterpart from the sealed model of the
 * same definition. `userParagraphs`: how many method-note paragraphs the paralegal typed.
 */
export function modelReviewTexts(sealed: ReportModel, pub: ReportModel, userParagraphs: number): ReviewText[] {
  const raw = new Map(sealed.log.rows.map((r) => [r.incidentId, r]));
  return [...reviewTextsOf(sealed, pub, userParagraphs, pub.log.rows.map((r): [LogRow | undefined, LogRow] => [raw.get(r.incidentId), r]))];
}

/**
 * The same texts, from the two models' heads (title, method note) and their log rows in pairs
 * (sealed, public), which may be a stream: one row pair at a time, nothing of the log kept.
 */
export function* reviewTextsOf(
  sealed: Pick<ReportModel, 'title' | 'methodNote'>,
  pub: Pick<ReportModel, 'title' | 'methodNote'>,
  userParagraphs: number,
  rows: Iterable<[LogRow | undefined, LogRow]>,
): Generator<ReviewText> {
  yield { at: 'title', where: 'Title', before: sealed.title, after: pub.title };
  // The paragraphs after the typed ones are the app's own (sources, counting, exclusions, redaction): fixed wording, not reviewed.
  const typed = pub.methodNote.slice(0, userParagraphs);
  for (let i = 0; i < typed.length; i++) yield { at: `methodNote:${i}`, where: `Method note, paragraph ${i + 1}`, before: sealed.methodNote[i] ?? typed[i]!, after: typed[i]! };
  for (const [s, r] of rows) {
    for (const f of ROW_FIELDS) {
      if (!r[f]) continue;
      yield { at: `incident:${r.incidentId}:${f}`, where: `${r.rowId}, ${REVIEWED_ROW_FIELDS[f]}`, before: s ? s[f] : r[f], after: r[f] };
    }
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces each span chosen for redaction, in any case, where it stands as whole words. */
function redactIn(s: string, spans: string[]): string {
  let out = s;
  for (const span of spans.sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(span)}(?![\\p{L}\\p{N}])`, 'giu'), HAND_REDACTED);
  }
  return out;
}

/** The public model with every "redact by hand" choice applied, in every text the review covers. */
export function applyReviewDecisions(model: ReportModel, decisions: readonly ReviewDecision[]): ReportModel {
  const apply = reviewApplier(decisions);
  if (!apply) return model;
  return { ...apply.head(model), log: { ...model.log, rows: model.log.rows.map(apply.row) } };
}

/**
 * The "redact by hand" choices as functions: one for a model's title and method note, one for a log
 * row (so rows streamed from the model get them one at a time); null when there is none to apply.
 */
export function reviewApplier(decisions: readonly ReviewDecision[]): { head: <M extends Pick<ReportModel, 'title' | 'methodNote'>>(m: M) => M; row: (r: LogRow) => LogRow } | null {
  const redact = decisions.filter((d) => d.choice === 'redact');
  if (!redact.length) return null;
  const everywhere = redact.filter((d) => d.at === '*').map((d) => d.text);
  const byAt = new Map<string, string[]>();
  for (const d of redact) if (d.at !== '*') byAt.set(d.at, [...(byAt.get(d.at) ?? []), d.text]);
  const apply = (at: string, s: string) => {
    const spans = [...everywhere, ...(byAt.get(at) ?? [])];
    return spans.length && s ? redactIn(s, spans) : s;
  };
  return {
    head: (m) => ({ ...m, title: apply('title', m.title), methodNote: m.methodNote.map((p, i) => apply(`methodNote:${i}`, p)) }),
    row: (r) => {
      let changed: LogRow | null = null;
      for (const f of ROW_FIELDS) {
        const v = apply(`incident:${r.incidentId}:${f}`, r[f]);
        if (v !== r[f]) (changed ??= { ...r })[f] = v;
      }
      return changed ?? r;
    },
  };
}

/** Items in the order a person works through them: unreviewed suspicious spans, decided ones, then replacements. */
export function reviewOrder(items: readonly ReviewItem[]): ReviewItem[] {
  const rank = (i: ReviewItem) => (i.kind === 'suspicious' ? (i.choice === null ? 0 : 1) : 2);
  return items.map((item, k) => ({ item, k })).sort((a, b) => rank(a.item) - rank(b.item) || a.k - b.k).map((x) => x.item);
}
