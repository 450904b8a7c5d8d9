// Replaces known names (Latin and Arabic script, with their variants), A-numbers and birth dates
// inside free text. Matching runs on a folded copy of the text (case, Latin accents, Arabic
// diacritics and letter variants folded) and maps each hit back to the original characters, so
// "YOUSSEF", "Yoüssef" and "يُوسُف" are all found, and the rest of the text is left untouched.

import { LETTER_FOLDS } from '../text-fold';
import { CONFUSABLE_CAPITALS, CONFUSABLE_LATIN } from './confusables';

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LETTER = /[\p{L}\p{N}]/u;

interface Folded {
  text: string;
  /** For each folded character, the index of the original character it came from (null: the same index). */
  map: number[] | null;
}

/**
 * The letter folds of search (shared/text-fold.ts: Arabic alef, ta marbuta, alef maqsura and hamza
 * seats; the Persian and Kurdish letters ی ێ ک ە ھ ۀ ۆ ڵ ڕ), as a table by code offset from U+0600 so
 * the hot loop folds a letter with one lookup (0: the letter stays). Folding more only ever redacts more.
 */
const ARABIC_LETTER_TO = new Uint16Array(0x100);
for (const [from, to] of Object.entries(LETTER_FOLDS)) ARABIC_LETTER_TO[from.charCodeAt(0) - 0x0600] = to.charCodeAt(0);

/** The folded letter of a code in U+0600-06FF. */
function arabicLetter(code: number): number {
  return ARABIC_LETTER_TO[code - 0x0600] || code;
}

/** Arabic diacritics and tatweel (U+0610-061A, 064B-065F, 0670, 06D6-06ED, 0640), dropped by fold. */
function isArabicMark(code: number): boolean {
  return (code >= 0x0610 && code <= 0x061a) || (code >= 0x064b && code <= 0x065f) || code === 0x0670 || (code >= 0x06d6 && code <= 0x06ed) || code === 0x0640;
}

// Folding one character of another script costs a normalize and a regex; exhibits repeat the
// same few characters thousands of times, so each is folded once.
const otherFolds = new Map<string, string>();

function foldOther(ch: string): string {
  let f = otherFolds.get(ch);
  if (f === undefined) {
    f = ARABIC.test(ch) ? ch : (CONFUSABLE_CAPITALS[ch] ?? latinLookAlike(ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a bound on the cache's memory; folding is the same with or without it
    if (otherFolds.size < 100_000) otherFolds.set(ch, f);
  }
  return f;
}

/** Cyrillic and Greek letters that pass for Latin ones, as the Latin letter (see confusables.ts). */
function latinLookAlike(f: string): string {
  let out = '';
  for (const c of f) out += CONFUSABLE_LATIN[c] ?? c;
  return out;
}

export function fold(s: string): Folded {
  // Plain ASCII folds to lower case, character for character.
  if (!/[^\t\n\r\x20-\x7E]/.test(s)) return { text: s.toLowerCase(), map: null };
  // Runs of characters that fold by toLowerCase alone (ASCII, Arabic letters kept as they are) are
  // copied whole; the position map is only built once a character folds to more or fewer characters.
  let text = '';
  let map: number[] | null = null;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x80) continue;
    let f: string;
    let wide = false;
    if (code >= 0x0600 && code <= 0x06ff) {
      if (isArabicMark(code)) f = '';
      else {
        const to = arabicLetter(code);
        if (to === code) continue;
        f = String.fromCharCode(to);
      }
    } else {
      // Other scripts: decompose, drop combining marks, lower-case (surrogate pairs kept whole).
      wide = code >= 0xd800 && code <= 0xdbff && i + 1 < s.length;
      f = foldOther(wide ? s.slice(i, i + 2) : s[i]!);
    }
    if (from < i) {
      text += s.slice(from, i).toLowerCase();
      if (map) for (let k = from; k < i; k++) map.push(k);
    }
    if (!map && (wide || f.length !== 1)) {
      // Up to here every character folded to exactly one: folded index = original index.
      map = [];
      for (let k = 0; k < i; k++) map.push(k);
    }
    text += f;
    if (map) for (let k = 0; k < f.length; k++) map.push(i);
    if (wide) i++;
    from = i + 1;
  }
  if (from < s.length) {
    text += s.slice(from).toLowerCase();
    if (map) for (let k = from; k < s.length; k++) map.push(k);
  }
  if (map) map.push(s.length);
  return { text, map };
}

export interface NameEntry {
  /** A spelling to find. */
  name: string;
  /** What replaces it. */
  replacement: string;
}

export interface Matcher {
  apply: (s: string) => string;
}

/**
 * Whether text[start, end) may stand between two words of one name: one to three spaces (any \s),
 * commas, full stops, apostrophes (' or ’), slashes or hyphens, as /^[\s\u00A0,.'\u2019/-]{1,3}$/.
 */
function isGap(text: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > 3) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const ok =
      c === 0x20 || c === 0x2c || c === 0x2e || c === 0x27 || c === 0x2f || c === 0x2d || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x2019 || c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
    if (!ok) return false;
  }
  return true;
}

/**
 * Every chain of Arabic proclitics a name may carry: a conjunction (و ف), then a preposition or the
 * future particle (ب ل ك س), then the article (ال), or the contracted لل; longest first, so وبال
 * ("and with the") is peeled whole as well as by parts.
 */
export const ARABIC_PREFIXES: readonly string[] = (() => {
  const out = new Set<string>();
  for (const conj of ['', 'و', 'ف']) {
    for (const prep of ['', 'ب', 'ل', 'ك', 'س']) for (const art of ['', 'ال']) out.add(conj + prep + art);
    out.add(conj + 'لل');
  }
  out.delete('');
  return [...out].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
})();

const WORD_CHAR = /[\p{L}\p{N}]/u;

// Whether each BMP character is a letter or digit, tested once (0: not yet known, 1: yes, 2: no).
const wordClass = new Uint8Array(0x10000);

function isWordChar(code: number): boolean {
  let k = wordClass[code]!;
  if (k === 0) {
    k = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    wordClass[code] = k;
  }
  return k === 1;
}

/**
 * Runs of letters and digits in any script, as start and end offsets: [start0, end0, start1, …]
 * (a hand loop without a string per word: this runs on every text of an exhibit).
 */
export function tokenize(folded: string): number[] {
  const out: number[] = [];
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 32;
    let word: boolean;
    if (c < 0x80) word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    else if (c >= 0xd800 && c <= 0xdbff) {
      word = WORD_CHAR.test(folded.slice(i, i + 2));
      if (word && start < 0) start = i;
      if (word) {
        i++;
        continue;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) word = start >= 0;
    else word = isWordChar(c);
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(start, i);
      start = -1;
    }
  }
  return out;
}

/** A spelling as its folded words, and those joined by single spaces. */
interface SpellingKey {
  key: string;
  words: string[];
}

function spellingKey(name: string): SpellingKey {
  const folded = fold(name).text;
  const toks = tokenize(folded);
  const words: string[] = [];
  for (let k = 0; k < toks.length; k += 2) words.push(folded.slice(toks[k], toks[k + 1]));
  return { key: words.join(' '), words };
}

/** Spellings compiled for matching: folded word sequences and what replaces each. */
export interface NameTable {
  map: Map<string, string>;
  /** Spellings given by several entries with different replacements: every replacement given. */
  shared: Map<string, string[]>;
  firsts: Set<string>;
  maxLen: number;
  /** Filters (see wordFilter) of the words in `firsts` and of the words after the first of a spelling. */
  firstWords: WordFilter;
  laterWords: WordFilter;
}

/**
 * A bit per hash of (first two characters, length) of each word of a set. A word whose bit is
 * clear is not in the set, which is the case of most words of a text: they need no lookup.
 */
type WordFilter = Uint32Array;

function wordHash(c0: number, c1: number, len: number): number {
  const h = Math.imul(c0, 0x9e3779b1) ^ Math.imul(c1 ^ (len << 16), 0x85ebca77);
  return (h ^ (h >>> 15)) >>> 0;
}

function wordFilter(words: Iterable<string>, count: number): WordFilter {
  // About 16 bits per word, a power of two: few words outside the set get past it.
  let size = 2;
  while (size * 2 < count) size *= 2;
  const filter = new Uint32Array(size);
  for (const w of words) {
    const h = wordHash(w.charCodeAt(0), w.length > 1 ? w.charCodeAt(1) : 0, w.length) & (size * 32 - 1);
    filter[h >>> 5]! |= 1 << (h & 31);
  }
  return filter;
}

/** Whether the word text[start, end) may be in the filter's set (false: it is not). */
function mayContain(filter: WordFilter, text: string, start: number, end: number): boolean {
  const h = wordHash(text.charCodeAt(start), end - start > 1 ? text.charCodeAt(start + 1) : 0, end - start) & (filter.length * 32 - 1);
  return (filter[h >>> 5]! & (1 << (h & 31))) !== 0;
}

/** Compiles spellings into a table. */
export function compileNames(entries: NameEntry[], opts: { ambiguous?: string } = {}): NameTable {
  const map = new Map<string, string>();
  const shared = new Map<string, string[]>();
  const firsts = new Set<string>();
  const later = new Set<string>();
  let maxLen = 1;
  for (const e of entries) {
    const k = spellingKey(e.name);
    const key = k.key;
    // A key of 2 characters or more has a word (an empty or one-character key names nobody).
    if (key.length < 2) continue;
    const had = map.get(key);
    if (had !== undefined) {
      const all = shared.get(key) ?? [map.get(key)!];
      if (!all.includes(e.replacement)) {
        all.push(e.replacement);
        shared.set(key, all);
      }
      // One spelling shared by several people: name none of them rather than the wrong one.
      if (had !== e.replacement && opts.ambiguous) map.set(key, opts.ambiguous);
      continue;
    }
    map.set(key, e.replacement);
    firsts.add(k.words[0]!);
    for (let w = 1; w < k.words.length; w++) later.add(k.words[w]!);
    maxLen = Math.max(maxLen, k.words.length);
  }
  return { map, shared, firsts, maxLen, firstWords: wordFilter(firsts, firsts.size), laterWords: wordFilter(later, later.size) };
}

/**
 * Replaces every spelling of the table in one pass over the folded words, longest run first. With
 * `own` (a row's own person, by the replacement their spellings carry), that person's spellings
 * are matched first: where one starts at a word it wins over any other spelling there, even a
 * longer one, so a surname they share with others becomes their code and not "[name]". An Arabic
 * word also matches with a proclitic or the article attached ("and Yusuf", "al-Haddad"), which
 * stays in the text. With `fuzzy`, a capitalised Latin word no spelling matches is replaced when
 * its consonant skeleton is a known name's.
 */
export function redactNames(s: string, t: NameTable, fuzzy?: Map<string, string>, own?: string): string {
  // Stryker disable next-line ConditionalExpression: a shortcut; the empty text has no word and comes back as it is
  if (!s) return s;
  const f = fold(s);
  const text = f.text;
  const toks = tokenize(text);
  const count = toks.length / 2;
  let out = '';
  let last = 0;
  const orig = (i: number) => (f.map ? f.map[i]! : i);
  const owns = (key: string, r: string) => r === own || (t.shared.get(key)?.includes(own!) ?? false);
  for (let i = 0; i < count; ) {
    const start = toks[2 * i]!;
    const end = toks[2 * i + 1]!;
    let matched = 0;
    let skip = 0;
    // Stryker disable next-line StringLiteral: read only once a match has set it
    let replacement = '';
    let ownMatched = 0;
    let ownSkip = 0;
    const c0 = text.charCodeAt(start);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: a speed-up; every prefix starts with an Arabic letter (U+0627-064A), so none is found at the start of a word outside U+0600-06FF
    const arabic = c0 >= 0x0600 && c0 <= 0x06ff;
    // Candidate cores of the first word: itself, then (Arabic) without a prefix.
    for (let p = -1; p < (arabic ? ARABIC_PREFIXES.length : 0); p++) {
      const pre = p < 0 ? '' : ARABIC_PREFIXES[p]!;
      if (pre && !(end - start > pre.length + 1 && text.startsWith(pre, start))) continue;
      // Stryker disable next-line ConditionalExpression: a speed-up; the filter passes every first word, and the lookup below decides
      if (!mayContain(t.firstWords, text, start + pre.length, end)) continue;
      const core = text.slice(start + pre.length, end);
      // Stryker disable next-line ConditionalExpression: a speed-up; a key whose first word is in no spelling is in no map
      if (!t.firsts.has(core)) continue;
      let key = core;
      let bestRep = t.map.get(key);
      let best = bestRep === undefined ? 0 : 1;
      // Stryker disable next-line ConditionalExpression,LogicalOperator: guards only; owns() is false without an own person (r === undefined is never a replacement) and for a key not in the table
      let bestOwn = own !== undefined && bestRep !== undefined && owns(key, bestRep) ? 1 : 0;
      for (let n = 2; n <= t.maxLen && i + n - 1 < count; n++) {
        const prevEnd = toks[2 * (i + n - 2) + 1]!;
        const nextStart = toks[2 * (i + n - 1)]!;
        const nextEnd = toks[2 * (i + n - 1) + 1]!;
        // No spelling goes on with this word: none is longer than the match so far.
        if (!isGap(text, prevEnd, nextStart)) break;
        // Stryker disable next-line ConditionalExpression: a speed-up; a word the filter turns away is in no longer spelling, whose keys are then looked up in vain
        if (!mayContain(t.laterWords, text, nextStart, nextEnd)) break;
        key += ' ' + text.slice(nextStart, nextEnd);
        const r = t.map.get(key);
        if (r !== undefined) {
          best = n;
          bestRep = r;
          // Stryker disable next-line ConditionalExpression,LogicalOperator: a guard only; owns() is false without an own person
          if (own !== undefined && owns(key, r)) bestOwn = n;
        }
      }
      if (best > matched) {
        matched = best;
        skip = pre.length;
        replacement = bestRep!;
      }
      if (bestOwn > ownMatched) {
        ownMatched = bestOwn;
        ownSkip = pre.length;
      }
    }
    if (ownMatched) {
      matched = ownMatched;
      skip = ownSkip;
      replacement = own!;
    }
    if (!matched && fuzzy && end - start >= 4) {
      const ch = s.charCodeAt(orig(start));
      if (ch >= 65 && ch <= 90) {
        const r = fuzzy.get(skeleton(text.slice(start, end)));
        if (r !== undefined) {
          matched = 1;
          replacement = r;
        }
      }
    }
    if (!matched) {
      i++;
      continue;
    }
    const from = orig(start + skip);
    const to = orig(toks[2 * (i + matched - 1) + 1]!);
    out += s.slice(last, from) + replacement;
    last = to;
    i += matched;
  }
  // Stryker disable next-line ConditionalExpression: a shortcut; with nothing replaced, out + s.slice(0) is s
  return last === 0 ? s : out + s.slice(last);
}

/** One table as a matcher. */
export function nameMatcher(entries: NameEntry[], opts: { ambiguous?: string } = {}): Matcher {
  const t = compileNames(entries, opts);
  // Stryker disable next-line ConditionalExpression: a shortcut; an empty table replaces nothing
  return { apply: (s) => (t.map.size ? redactNames(s, t) : s) };
}

/**
 * Consonant skeleton of a Latin-script word: transliterations of one Arabic name differ mostly in
 * vowels, doubled letters and k/q (Saleh, Salih; Mariam, Maryam; Tariq, Tarek).
 */
const skeletons = new Map<string, string>();

export function skeleton(word: string): string {
  const cached = skeletons.get(word);
  if (cached !== undefined) return cached;
  const k = computeSkeleton(word);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a bound on the cache's memory; the skeleton is the same with or without it
  if (skeletons.size < 100_000) skeletons.set(word, k);
  return k;
}

function computeSkeleton(word: string): string {
  let w = fold(word).text.replace(/[^a-z]/g, '');
  w = w.replace(/ph/g, 'f').replace(/ou/g, 'u').replace(/q/g, 'k').replace(/ck/g, 'k').replace(/ah$/, 'a');
  const first = w.charAt(0);
  const rest = w.slice(1).replace(/[aeiouy]/g, '');
  return (/[aeiouy]/.test(first) ? 'a' : first) + rest.replace(/(.)\1+/g, '$1');
}

/**
 * Skeletons of the Latin name parts, for spellings nobody recorded (see redactNames). Only long
 * skeletons count, so ordinary words are rarely caught.
 */
export function fuzzyNames(entries: NameEntry[], ambiguous = '[name]'): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of entries) {
    for (const w of e.name.split(/[^\p{L}]+/u)) {
      if (w.length < 4 || !/^[\p{Script=Latin}]+$/u.test(w)) continue;
      const k = skeleton(w);
      if (k.length < 3) continue;
      const had = map.get(k);
      map.set(k, had === undefined || had === e.replacement ? e.replacement : ambiguous);
    }
  }
  return map;
}

/** Every spelling of a person's name worth searching for: full forms, variants and each part. */
export function nameSpellings(p: { familyName: string; givenName: string; nameOriginal: string | null; nameVariants: string[] }): string[] {
  const whole = [
    `${p.givenName} ${p.familyName}`,
    p.familyName,
    p.givenName,
    `${p.familyName} ${p.givenName}`,
    ...(p.nameOriginal ? [p.nameOriginal] : []),
    ...p.nameVariants,
  ];
  // A particle alone ("al" of "al-Haddad", "bin", "de") names nobody: as a part of its own it would
  // turn "et al." in a caption into "et CM-001.". It stays inside the whole names.
  const parts = whole.flatMap((w) => w.split(/[\s,\-‐]+/)).filter((t) => t.length >= 2 && LETTER.test(t) && !NAME_PARTICLES.has(t.toLowerCase()));
  // An Arabic name stored with its article is also written without it (الحداد, حداد).
  const bare = [...whole, ...parts].filter((w) => ARTICLE.test(w)).map((w) => w.replace(ARTICLE_G, ''));
  return [...new Set([...whole, ...parts, ...bare])];
}

/** Articles and particles of names (Arabic in Latin letters, Kurdish, Persian, European). */
const NAME_PARTICLES = new Set('al el ul ad an ar as at az ash bin ibn bint bnt abu abi abou umm um ben ould de da di del della der den du la le van von y'.split(' '));

const ARTICLE = /(?:^|\s)ال[\u0621-\u064A]{3}/;
const ARTICLE_G = /(?<=^|\s)ال(?=[\u0621-\u064A]{3})/g;

/** Initials of a name, for minors: "Y. H.". */
export function initials(givenName: string, familyName: string): string {
  const first = (w: string) => [...w.trim()][0]?.toUpperCase() ?? '';
  return [givenName, familyName].map((w) => `${first(w)}.`).join(' ');
}
