// Replaces known names (Latin and Arabic script, with their variants), A-numbers and birth dates
// inside free text. Matching runs on a folded copy of the text (case, Latin accents, Arabic
// diacritics and letter variants folded) and maps each hit back to the original characters, so
// "YOUSSEF", "Yoüssef" and "يُوسُف" are all found, and the rest of the text is left untouched.

const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/;
const ARABIC_FOLD: Record<string, string> = { 'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ة': 'ه', 'ى': 'ي', 'ؤ': 'و', 'ئ': 'ي' };
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LETTER = /[\p{L}\p{N}]/u;

interface Folded {
  text: string;
  /** For each folded character, the index of the original character it came from (null: the same index). */
  map: number[] | null;
}

export function fold(s: string): Folded {
  // Plain ASCII folds to lower case, character for character.
  if (!/[^\t\n\r\x20-\x7E]/.test(s)) return { text: s.toLowerCase(), map: null };
  let text = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of s) {
    const start = i;
    i += ch.length;
    if (ARABIC_MARKS.test(ch)) continue;
    let f = ARABIC_FOLD[ch] ?? ch;
    if (!ARABIC.test(f)) f = f.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    for (const c of f) {
      text += c;
      for (let k = 0; k < c.length; k++) map.push(start);
    }
  }
  map.push(i);
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

const WORD = /[\p{L}\p{N}]+/gu;
const GAP = /^[\s\u00A0,.'\u2019/-]{1,3}$/;
const ARABIC_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك'];

function tokenize(folded: string): Token[] {
  const out: Token[] = [];
  for (const m of folded.matchAll(WORD)) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  return out;
}

/**
 * One matcher for many spellings (names, written dates). Text and spellings are folded and split
 * into words; a spelling matches a run of whole words, longest first. An Arabic word also matches
 * with a proclitic or the article attached ("and Yusuf", "al-Haddad"), which stays in the text.
 */
export function nameMatcher(entries: NameEntry[], opts: { ambiguous?: string } = {}): Matcher {
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
  if (map.size === 0) return { apply: (s) => s };
  return {
    apply(s: string): string {
      if (!s) return s;
      const f = fold(s);
      const toks = tokenize(f.text);
      let out = '';
      let last = 0;
      for (let i = 0; i < toks.length; ) {
        const first = toks[i]!;
        // Candidate cores of the first word: itself, then without an Arabic prefix.
        const cores: { core: string; skip: number }[] = [];
        if (firsts.has(first.text)) cores.push({ core: first.text, skip: 0 });
        if (ARABIC.test(first.text[0] ?? '')) {
          for (const p of ARABIC_PREFIXES) {
            if (first.text.length > p.length + 1 && first.text.startsWith(p) && firsts.has(first.text.slice(p.length))) {
              cores.push({ core: first.text.slice(p.length), skip: p.length });
            }
          }
        }
        let matched = 0;
        let skip = 0;
        let replacement = '';
        for (const c of cores) {
          let key = c.core;
          let best = map.has(key) ? 1 : 0;
          let bestRep = map.get(key) ?? '';
          for (let n = 2; n <= maxLen && i + n - 1 < toks.length; n++) {
            const prev = toks[i + n - 2]!;
            const next = toks[i + n - 1]!;
            if (!GAP.test(f.text.slice(prev.end, next.start))) break;
            key += ' ' + next.text;
            const r = map.get(key);
            if (r !== undefined) {
              best = n;
              bestRep = r;
            }
          }
          if (best > matched) {
            matched = best;
            skip = c.skip;
            replacement = bestRep;
          }
        }
        if (!matched) {
          i++;
          continue;
        }
        const start = f.map ? f.map[first.start + skip]! : first.start + skip;
        const endF = toks[i + matched - 1]!.end;
        const end = f.map ? f.map[endF]! : endF;
        out += s.slice(last, start) + replacement;
        last = end;
        i += matched;
      }
      return last === 0 ? s : out + s.slice(last);
    },
  };
}

/**
 * Consonant skeleton of a Latin-script word: transliterations of one Arabic name differ mostly in
 * vowels, doubled letters and k/q (Saleh, Salih; Mariam, Maryam; Tariq, Tarek).
 */
export function skeleton(word: string): string {
  let w = fold(word).text.replace(/[^a-z]/g, '');
  w = w.replace(/ph/g, 'f').replace(/ou/g, 'u').replace(/q/g, 'k').replace(/ck/g, 'k').replace(/ah$/, 'a');
  const first = w.charAt(0);
  const rest = w.slice(1).replace(/[aeiouy]/g, '');
  return (/[aeiouy]/.test(first) ? 'a' : first) + rest.replace(/(.)\1+/g, '$1');
}

/**
 * Catches spellings nobody recorded: a capitalised Latin word whose skeleton is that of a known
 * name part is replaced too. Only long skeletons count, so ordinary words are rarely caught.
 */
export function fuzzyNameMatcher(entries: NameEntry[], ambiguous = '[name]'): Matcher {
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
  if (!map.size) return { apply: (s) => s };
  return {
    apply: (s) =>
      s.replace(/(?<![\p{L}\p{N}])\p{Lu}[\p{Script=Latin}]{3,}(?![\p{L}\p{N}])/gu, (w) => map.get(skeleton(w)) ?? w),
  };
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
