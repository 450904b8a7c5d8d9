// Name spellings nobody recorded, found the way a careful reader would: a name split or spaced
// out ("Y u s u f", "Y.U.S.U.F", "Had-\ndad", "Abdul Rahman" for Abdulrahman), run together
// ("YusufHaddad"), inside an e-mail address, transliterated differently in any case ("youssef"
// for Yusuf), or a Latin-only name written in Arabic letters (a Kurdish surname, "بارزاني").
// Runs after the exact spellings (redact.ts) on what they left; every hit is replaced whole.
import { ARABIC_PREFIXES, fold, tokenize, type NameEntry } from './redact';

export interface VariantTable {
  /** Letters of a name part (3 letters or more) or of name parts run together → replacement. */
  joined: Map<string, string>;
  /** Every prefix of a key of `joined`, so a run of words stops as soon as no name can follow. */
  prefixes: Set<string>;
  /** Vowel shape (vowelShape) of Latin name parts of 5 letters or more → replacement. */
  shapes: Map<string, string>;
  /** Consonant skeletons (latinSkeleton) of Latin name parts, 3 consonants or more → replacement. */
  skeletons: Map<string, string>;
}

const LATIN_WORD = /^[a-z]+$/;

function put(map: Map<string, string>, key: string, replacement: string, ambiguous: string): void {
  const had = map.get(key);
  map.set(key, had === undefined || had === replacement ? replacement : ambiguous);
}

function wordsOf(name: string): string[] {
  const f = fold(name).text;
  const t = tokenize(f);
  const out: string[] = [];
  for (let k = 0; k < t.length; k += 2) {
    // Stryker disable next-line Regex: one digit at a time with the g flag removes every digit too
    const w = f.slice(t[k], t[k + 1]).replace(/\d+/g, '');
    if (w) out.push(w);
  }
  return out;
}

export function compileVariants(entries: NameEntry[], ambiguous = '[name]'): VariantTable {
  const joined = new Map<string, string>();
  const shapes = new Map<string, string>();
  const skeletons = new Map<string, string>();
  for (const e of entries) {
    const words = wordsOf(e.name);
    // Stryker disable next-line ConditionalExpression: a shortcut; a name without words adds no key
    if (!words.length) continue;
    for (const w of words) {
      if (w.length >= 3) put(joined, w, e.replacement, ambiguous);
      if (LATIN_WORD.test(w)) {
        if (w.length >= 5) {
          const v = vowelShape(w);
          if (v.length >= 4) put(shapes, v, e.replacement, ambiguous);
        }
        const k = latinSkeleton(w);
        if (k.length >= 3) put(skeletons, k, e.replacement, ambiguous);
      }
    }
    if (words.length > 1 && words.length <= 4) {
      put(joined, words.join(''), e.replacement, ambiguous);
      // Two parts of one name run together, in either order (YusufHaddad, haddadyusuf).
      for (let a = 0; a < words.length; a++) for (let b = 0; b < words.length; b++) if (a !== b) put(joined, words[a]! + words[b]!, e.replacement, ambiguous);
    }
  }
  const prefixes = new Set<string>();
  for (const k of joined.keys()) for (let n = 1; n <= k.length; n++) prefixes.add(k.slice(0, n));
  return { joined, prefixes, shapes, skeletons };
}

const shapeCache = new Map<string, string>();

/**
 * A Latin word with each run of vowels as one "a" and doubled letters single: transliterations of
 * one name share it (Youssef, Yusuf, Yousef: "yasaf"; Mohammed, Muhammad: "mahamad").
 */
export function vowelShape(w: string): string {
  let v = shapeCache.get(w);
  // Stryker disable next-line ConditionalExpression: a cache; working the shape out again gives the same
  if (v === undefined) {
    v = w
      .replace(/ph/g, 'f')
      .replace(/ck|q|c(?=[aou]|$)/g, 'k')
      .replace(/(?<=.)y/g, 'i')
      .replace(/(?<=[aeiou])h$/, '')
      .replace(/[aeiou]+/g, 'a')
      .replace(/([^a])\1+/g, '$1');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a bound on the cache's memory; the shape is the same with or without it
    if (shapeCache.size < 100_000) shapeCache.set(w, v);
  }
  return v;
}

/** Consonants of a Latin word, its first letter kept (a vowel as "a"), doubles single, q as k. */
export function latinSkeleton(w: string): string {
  const x = w.replace(/ph/g, 'f').replace(/q/g, 'k').replace(/ck/g, 'k');
  const first = /[aeiouy]/.test(x.charAt(0)) ? 'a' : x.charAt(0);
  // Stryker disable next-line MethodExpression: the first letter read twice is a double and made single, a vowel is dropped
  return (first + x.slice(1).replace(/[aeiouy]/g, '')).replace(/(.)\1+/g, '$1');
}

/**
 * Arabic-script letters (Arabic, Persian, Kurdish) as the Latin consonants a transliteration
 * writes for them; '' for letters written as vowels or not at all (ا ع ى ة ء, and ی ێ ۆ ە).
 */
const ARABIC_LATIN: Record<string, string> = {
  'ب': 'b', 'ت': 't', 'ث': 'th', 'ج': 'j', 'ح': 'h', 'خ': 'kh', 'د': 'd', 'ذ': 'dh', 'ر': 'r', 'ز': 'z', 'س': 's', 'ش': 'sh',
  'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z', 'غ': 'gh', 'ف': 'f', 'ق': 'k', 'ك': 'k', 'ک': 'k', 'ل': 'l', 'م': 'm', 'ن': 'n',
  'ه': 'h', 'ھ': 'h', 'پ': 'p', 'چ': 'ch', 'ژ': 'zh', 'گ': 'g', 'ڤ': 'v', 'ڵ': 'l', 'ڕ': 'r',
  'ا': '', 'أ': '', 'إ': '', 'آ': '', 'ٱ': '', 'ع': '', 'ى': '', 'ة': '', 'ء': '', 'ئ': '', 'ؤ': '', 'ی': '', 'ێ': '', 'ۆ': '', 'ە': '', 'ۀ': '',
};

/**
 * Latin consonant skeletons an Arabic-script word may be transliterated to: و as a vowel or as w,
 * ه as h or as the vowel a Kurdish keyboard writes with it. Marks are ignored.
 */
const arabicCache = new Map<string, string[]>();

export function arabicSkeletons(word: string): string[] {
  let k = arabicCache.get(word);
  // Stryker disable next-line ConditionalExpression: a cache; working the skeletons out again gives the same
  if (k === undefined) {
    k = computeArabicSkeletons(word);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a bound on the cache's memory; the skeletons are the same with or without it
    if (arabicCache.size < 100_000) arabicCache.set(word, k);
  }
  return k;
}

function computeArabicSkeletons(word: string): string[] {
  const letters = [...word].filter((c) => /[\u0621-\u064A\u0671-\u06D3\u06D5]/.test(c));
  if (!letters.length) return [];
  const out = new Set<string>();
  for (const w of [false, true]) {
    for (const h of [true, false]) {
      let k = '';
      letters.forEach((c, i) => {
        if (i === 0 && (c === 'ي' || c === 'ی')) k += 'y';
        else if (c === 'و') k += i === 0 || w ? 'w' : '';
        else if (c === 'ي' || c === 'ی') k += '';
        else if (c === 'ه' && !h && i > 0) k += '';
        else k += ARABIC_LATIN[c] ?? '';
      });
      // Stryker disable next-line ConditionalExpression,StringLiteral: ARABIC_LATIN has no ي, so the first test is already false for it
      const first = ARABIC_LATIN[letters[0]!] === '' && !(letters[0] === 'ي' || letters[0] === 'ی') ? 'a' : '';
      out.add((first + k).replace(/(.)\1+/g, '$1'));
    }
  }
  return [...out];
}

/** Characters that may stand between the pieces of one split name (spaces, dots, hyphens, underscores). */
const SPLIT_GAP = /^[\s.\-_·‐‑‒–—/'’]{1,3}$/;

/**
 * Whether a split name may go on across this gap, between pieces of these lengths: 'split' where
 * the gap splits a word (letters spaced out, a hyphen or line break, a dot or underscore),
 * 'space' for two pieces of 3 letters or more ("Abdul Rahman" for Abdulrahman; not "am in a").
 */
function joinable(gap: string, allSingle: boolean, prevLen: number, nextLen: number): 'split' | 'space' | null {
  if (!SPLIT_GAP.test(gap)) return null;
  if (allSingle && nextLen === 1) return 'split'; // spaced out letter by letter
  if (/[-‐‑‒–—\n]/.test(gap)) return 'split'; // hyphenated, or broken across lines
  if (!/\s/.test(gap)) return 'split'; // dotted or joined by _ (handles, e-mail addresses)
  return prevLen >= 3 && nextLen >= 3 ? 'space' : null;
}

// A text where some word may be split: a dot, underscore or apostrophe between letters, a hyphen
// after a letter (a line break may follow), or three letters standing alone. Texts without one
// skip the first pass.
const MAY_BE_SPLIT = /\p{L}[._·'’]\p{L}|\p{L}\p{Pd}\s*\p{L}|(?<!\p{L})\p{L}[\s.]{1,3}\p{L}[\s.]{1,3}\p{L}(?!\p{L})/u;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+/gu;

/**
 * Replaces, in one pass, what the exact spellings cannot find (see the top of this file). With
 * `splitOnly`, only names split inside a word ("Bar-\nzani", "Y u s u f"): that pass runs before
 * the exact spellings, so a short spelling ("Bar") cannot take half of a split name first.
 */
export function redactVariants(s: string, t: VariantTable, splitOnly = false): string {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a shortcut; an empty table finds nothing (every shape and skeleton comes with a joined key), the empty text has no word
  if (!s || !t.joined.size) return s;
  if (splitOnly && !MAY_BE_SPLIT.test(s)) return s;
  // Stryker disable next-line StringLiteral: every e-mail address holds an @, so looking for them in every text changes nothing
  if (!splitOnly && s.includes('@')) s = redactEmails(s, t);
  const f = fold(s);
  const text = f.text;
  const toks = tokenize(text);
  const count = toks.length / 2;
  const orig = (i: number) => (f.map ? f.map[i]! : i);
  let out = '';
  let last = 0;
  const replace = (from: number, to: number, r: string) => {
    out += s.slice(last, orig(from)) + r;
    last = orig(to);
  };
  for (let i = 0; i < count; ) {
    const start = toks[2 * i]!;
    const end = toks[2 * i + 1]!;
    const word = text.slice(start, end);
    // Pieces of a split or joined name, longest run first.
    // Stryker disable next-line ConditionalExpression: a shortcut; a word that starts no key is no key, nor is anything longer
    if (t.prefixes.has(word)) {
      let acc = word;
      let best = -1;
      // Stryker disable next-line StringLiteral: read only once a match has set it
      let rep = '';
      let allSingle = word.length === 1;
      let prevLen = word.length;
      let split = false;
      for (let j = i; ; ) {
        const r = t.joined.get(acc);
        if (r !== undefined && (j > i || acc.length >= 3) && (split || !splitOnly)) {
          best = j;
          rep = r;
        }
        // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: past the last word the gap is the text's tail and the next word the whole text, which continue no key
        if (j + 1 >= count) break;
        const ns = toks[2 * (j + 1)]!;
        const ne = toks[2 * (j + 1) + 1]!;
        const next = text.slice(ns, ne);
        const gap = joinable(text.slice(toks[2 * j + 1]!, ns), allSingle, prevLen, next.length);
        if (!gap || !t.prefixes.has(acc + next)) break;
        split ||= gap === 'split';
        acc += next;
        allSingle &&= next.length === 1;
        prevLen = next.length;
        j++;
      }
      if (best >= i) {
        replace(start, toks[2 * best + 1]!, rep);
        i = best + 1;
        continue;
      }
    }
    const c0 = text.charCodeAt(start);
    if (splitOnly) {
      i++;
      continue;
    }
    if (c0 >= 97 && c0 <= 122 && end - start >= 5 && LATIN_WORD.test(word)) {
      const r = t.shapes.get(vowelShape(word));
      if (r !== undefined) {
        replace(start, end, r);
        i++;
        continue;
      }
    } else if (c0 >= 0x0621 && c0 <= 0x06ff && t.skeletons.size) {
      // An Arabic-script word, with or without attached prefixes, read as a Latin-only name (on
      // the folded word: Kurdish ە is then ه, which arabicSkeletons also reads as a vowel).
      let hit: { skip: number; r: string } | null = null;
      // Stryker disable next-line EqualityOperator: one step past the end reads no prefix and tries the word whole again
      for (let p = -1; p < ARABIC_PREFIXES.length && !hit; p++) {
        const pre = p < 0 ? '' : ARABIC_PREFIXES[p]!;
        if (pre && !(word.length - pre.length >= 3 && word.startsWith(pre))) continue;
        for (const k of arabicSkeletons(pre ? word.slice(pre.length) : word)) {
        // Stryker disable next-line ConditionalExpression: no skeleton key is shorter than 3 letters
          const r = k.length >= 3 ? t.skeletons.get(k) : undefined;
          if (r !== undefined) {
            hit = { skip: pre.length, r };
            break;
          }
        }
      }
      if (hit) {
        replace(start + hit.skip, end, hit.r);
        i++;
        continue;
      }
    }
    i++;
  }
  // Stryker disable next-line ConditionalExpression: with nothing replaced, out is empty and out + s.slice(0) is s
  return last === 0 ? s : out + s.slice(last);
}

/** An e-mail address whose local part holds any name part (3 letters or more) is replaced whole. */
function redactEmails(s: string, t: VariantTable): string {
  return s.replace(EMAIL, (addr) => {
    const local = fold(addr.slice(0, addr.indexOf('@'))).text.replace(/[^\p{L}]/gu, '');
    // Stryker disable next-line EqualityOperator: at the end the inner loop runs no step
    for (let a = 0; a < local.length; a++) {
      for (let b = local.length; b >= a + 3; b--) {
        const r = t.joined.get(local.slice(a, b));
        if (r !== undefined) return r;
      }
    }
    return addr;
  });
}
