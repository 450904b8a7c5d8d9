// Replaces known names (Latin and Arabic script, with their variants), A-numbers and birth dates
// inside free text. Matching runs on a folded copy of the text (case, Latin accents, Arabic
// diacritics and letter variants folded) and maps each hit back to the original characters, so
// "YOUSSEF", "Yoüssef" and "يُوسُف" are all found, and the rest of the text is left untouched.

const ARABIC_FOLD: Record<string, string> = { 'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ة': 'ه', 'ى': 'ي', 'ؤ': 'و', 'ئ': 'ي' };
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LETTER = /[\p{L}\p{N}]/u;

interface Folded {
  text: string;
  /** For each folded character, the index of the original character it came from (null: the same index). */
  map: number[] | null;
}

// Folding one character of another script costs a normalize and a regex; exhibits repeat the
// same few characters thousands of times, so each is folded once.
const otherFolds = new Map<string, string>();

function foldOther(ch: string): string {
  let f = otherFolds.get(ch);
  if (f === undefined) {
    f = ARABIC.test(ch) ? ch : ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    if (otherFolds.size < 100_000) otherFolds.set(ch, f);
  }
  return f;
}

export function fold(s: string): Folded {
  // Plain ASCII folds to lower case, character for character.
  if (!/[^\t\n\r\x20-\x7E]/.test(s)) return { text: s.toLowerCase(), map: null };
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x80) {
      text += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : s[i];
      map.push(i);
      continue;
    }
    if (code >= 0x0600 && code <= 0x06ff) {
      // Arabic diacritics and tatweel (U+0610-061A, 064B-065F, 0670, 06D6-06ED, 0640) are dropped.
      if ((code >= 0x0610 && code <= 0x061a) || (code >= 0x064b && code <= 0x065f) || code === 0x0670 || (code >= 0x06d6 && code <= 0x06ed) || code === 0x0640) continue;
      const ch = s[i]!;
      text += ARABIC_FOLD[ch] ?? ch;
      map.push(i);
      continue;
    }
    // Other scripts: decompose, drop combining marks, lower-case (surrogate pairs kept whole).
    const wide = code >= 0xd800 && code <= 0xdbff && i + 1 < s.length;
    const ch = wide ? s.slice(i, i + 2) : s[i]!;
    const f = foldOther(ch);
    for (let k = 0; k < f.length; k++) map.push(i);
    text += f;
    if (wide) i++;
  }
  map.push(s.length);
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

interface Token {
  start: number;
  end: number;
  text: string;
}

const GAP = /^[\s\u00A0,.'\u2019/-]{1,3}$/;
const ARABIC_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك'];

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Runs of letters and digits in any script (a hand loop: this runs on every text of an exhibit). */
function tokenize(folded: string): Token[] {
  const out: Token[] = [];
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
    else word = WORD_CHAR.test(folded[i]!);
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push({ start, end: i, text: folded.slice(start, i) });
      start = -1;
    }
  }
  return out;
}

/** Spellings compiled for matching: folded word sequences and what replaces each. */
export interface NameTable {
  map: Map<string, string>;
  firsts: Set<string>;
  maxLen: number;
}

export function compileNames(entries: NameEntry[], opts: { ambiguous?: string } = {}): NameTable {
  const map = new Map<string, string>();
  const firsts = new Set<string>();
  let maxLen = 1;
  for (const e of entries) {
    const toks = tokenize(fold(e.name).text).map((t) => t.text);
    const key = toks.join(' ');
    if (!toks.length || key.length < 2) continue;
    const had = map.get(key);
    if (had !== undefined) {
      // One spelling shared by several people: name none of them rather than the wrong one.
      if (had !== e.replacement && opts.ambiguous) map.set(key, opts.ambiguous);
      continue;
    }
    map.set(key, e.replacement);
    firsts.add(toks[0]!);
    maxLen = Math.max(maxLen, toks.length);
  }
  return { map, firsts, maxLen };
}

/**
 * Replaces every spelling of the tables in one pass over the folded words, longest run first; at
 * each word the first table that matches wins (a row's own person before everyone else). An
 * Arabic word also matches with a proclitic or the article attached ("and Yusuf", "al-Haddad"),
 * which stays in the text. With `fuzzy`, a capitalised Latin word no table knows is replaced when
 * its consonant skeleton is a known name's.
 */
export function redactNames(s: string, tables: NameTable[], fuzzy?: Map<string, string>): string {
  if (!s) return s;
  const f = fold(s);
  const toks = tokenize(f.text);
  let out = '';
  let last = 0;
  const orig = (i: number) => (f.map ? f.map[i]! : i);
  for (let i = 0; i < toks.length; ) {
    const first = toks[i]!;
    let matched = 0;
    let skip = 0;
    let replacement = '';
    const arabic = first.text.charCodeAt(0) >= 0x0600 && first.text.charCodeAt(0) <= 0x06ff;
    for (const t of tables) {
      // Candidate cores of the first word: itself, then (Arabic) without a prefix.
      for (let p = -1; p < (arabic ? ARABIC_PREFIXES.length : 0); p++) {
        const pre = p < 0 ? '' : ARABIC_PREFIXES[p]!;
        if (pre && !(first.text.length > pre.length + 1 && first.text.startsWith(pre))) continue;
        const core = pre ? first.text.slice(pre.length) : first.text;
        if (!t.firsts.has(core)) continue;
        let key = core;
        let best = t.map.has(key) ? 1 : 0;
        let bestRep = t.map.get(key) ?? '';
        for (let n = 2; n <= t.maxLen && i + n - 1 < toks.length; n++) {
          const prev = toks[i + n - 2]!;
          const next = toks[i + n - 1]!;
          if (!GAP.test(f.text.slice(prev.end, next.start))) break;
          key += ' ' + next.text;
          const r = t.map.get(key);
          if (r !== undefined) {
            best = n;
            bestRep = r;
          }
        }
        if (best > matched) {
          matched = best;
          skip = pre.length;
          replacement = bestRep;
        }
      }
      if (matched) break;
    }
    if (!matched && fuzzy && first.text.length >= 4) {
      const o = orig(first.start);
      const ch = s[o] ?? '';
      if (ch >= 'A' && ch <= 'Z') {
        const r = fuzzy.get(skeleton(first.text));
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
    const start = orig(first.start + skip);
    const end = orig(toks[i + matched - 1]!.end);
    out += s.slice(last, start) + replacement;
    last = end;
    i += matched;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** One table as a matcher. */
export function nameMatcher(entries: NameEntry[], opts: { ambiguous?: string } = {}): Matcher {
  const t = compileNames(entries, opts);
  return { apply: (s) => (t.map.size ? redactNames(s, [t]) : s) };
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
  const parts = whole.flatMap((w) => w.split(/[\s,\-‐]+/)).filter((t) => t.length >= 2 && LETTER.test(t));
  return [...new Set([...whole, ...parts])];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Written forms of an ISO date: 1990-03-14, 03/14/1990, 14.03.1990, March 14, 1990, 14 March 1990, Mar. 14, 1990. */
export function dateSpellings(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return [iso];
  const [y, mo, d] = [m[1]!, m[2]!, m[3]!];
  const month = MONTHS[Number(mo) - 1] ?? '';
  const dn = String(Number(d));
  const mn = String(Number(mo));
  return [
    iso,
    `${mo}/${d}/${y}`,
    `${mn}/${dn}/${y}`,
    `${d}/${mo}/${y}`,
    `${dn}/${mn}/${y}`,
    `${d}.${mo}.${y}`,
    `${month} ${dn}, ${y}`,
    `${dn} ${month} ${y}`,
    `${month.slice(0, 3)} ${dn}, ${y}`,
  ];
}

const A_NUMBER_IN_TEXT = /(?<![\p{L}\p{N}])A?[\s#:.-]{0,2}\d{3}[\s.-]?\d{3}[\s.-]?\d{3}(?!\p{N})|(?<![\p{L}\p{N}])A[\s#:.-]{0,2}\d{7,8}(?!\p{N})/gu;

/** Any nine-digit number (or "A" and seven or eight digits) in free text is taken for an A-number. */
export function redactANumbers(s: string, replacement = '[A-number redacted]'): string {
  return s.replace(A_NUMBER_IN_TEXT, replacement);
}

/** Initials of a name, for minors: "Y. H.". */
export function initials(givenName: string, familyName: string): string {
  const first = (w: string) => [...w.trim()][0]?.toUpperCase() ?? '';
  return [givenName, familyName].map((w) => `${first(w)}.`).join(' ');
}
