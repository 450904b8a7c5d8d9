// Folding for search and name matching, shared by the index and the query so both see the same
// letters: case, Latin diacritics, Arabic harakat and tatweel, and Arabic, Persian and Kurdish
// letter variants.

const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;

/**
 * Letters written interchangeably, each mapped to the one spelling search and name matching use:
 * Arabic alef with hamza or madda, ta marbuta, alef maqsura and the hamza seats; and the Persian and
 * Kurdish (Sorani) letters a word may be typed with on another keyboard (ی ێ, ک, ە ھ ۀ, ۆ, ڵ, ڕ). Every
 * letter here is in the Arabic block, U+0600-06FF (report redaction indexes it by code).
 * Changing it changes stored search data: add a migration that re-folds it with its own frozen copy
 * of the rules (as db/migrations/0005_kurdish_fold.ts does).
 */
export const LETTER_FOLDS: Readonly<Record<string, string>> = {
  'أ': 'ا',
  'إ': 'ا',
  'آ': 'ا',
  'ٱ': 'ا',
  'ة': 'ه',
  'ە': 'ه',
  'ھ': 'ه',
  'ۀ': 'ه',
  'ى': 'ي',
  'ی': 'ي',
  'ێ': 'ي',
  'ئ': 'ي',
  'ؤ': 'و',
  'ۆ': 'و',
  'ک': 'ك',
  'ڵ': 'ل',
  'ڕ': 'ر',
};

const LETTER_VARIANT = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');

/** Lower case, no Latin diacritics, no Arabic marks, one spelling of each letter variant. */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(ARABIC_MARKS, '')
    .replace(LETTER_VARIANT, (c) => LETTER_FOLDS[c] ?? c)
    .toLowerCase();
}

/** Words of a text, folded: runs of letters and digits in any script. */
export function foldedWords(s: string): string[] {
  return foldText(s).match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Arabic attaches the conjunction, some prepositions and the article to the word ("والماء" = "and
// the water"). The index also gets each word without them, so a search for "ماء" or "الماء" finds it.
const ARABIC_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك'];
const ARABIC_WORD = /^[\u0621-\u064A]+$/;

function arabicVariants(word: string): string[] {
  if (!ARABIC_WORD.test(word)) return [];
  const out = new Set<string>();
  for (const p of ARABIC_PREFIXES) {
    if (word.startsWith(p) && word.length - p.length >= 3) out.add(word.slice(p.length));
  }
  return [...out];
}

/** The text as the full-text index stores it: folded, plus Arabic words without attached prefixes. */
export function searchIndexText(s: string): string {
  const folded = foldText(s);
  const extra = new Set<string>();
  for (const w of folded.match(/[\p{L}\p{N}]+/gu) ?? []) for (const v of arabicVariants(w)) extra.add(v);
  return extra.size ? `${folded}\n${[...extra].join(' ')}` : folded;
}

/**
 * An FTS5 MATCH expression for what a person typed: every word must occur; a word ending in "*"
 * matches as a prefix. Returns null when nothing searchable was typed.
 */
export function ftsQuery(typed: string): string | null {
  const parts: string[] = [];
  for (const m of typed.matchAll(/([\p{L}\p{M}\p{N}\u0640]+)(\*?)/gu)) {
    const words = foldedWords(m[1]!);
    words.forEach((w, i) => parts.push(`"${w}"${m[2] && i === words.length - 1 ? '*' : ''}`));
  }
  return parts.length ? parts.join(' ') : null;
}

// Transliterations of one Arabic name differ mostly in vowels and doubled letters
// (Mohammed, Muhammad, Mohamed; Ahmed, Ahmad; Youssef, Yusuf): compare consonant skeletons.
function skeleton(word: string): string {
  let w = word
    .replace(/ph/g, 'f')
    .replace(/ou/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/aa/g, 'a')
    .replace(/([aeiou])h$/, '$1')
    .replace(/^(?:el|al)(?=[a-z]{3})/, 'al');
  const first = /^[aeiou]/.test(w) ? 'a' : '';
  w = w.replace(/^[aeiou]+/, '').replace(/[aeiou]/g, '');
  return first + w.replace(/(.)\1+/g, '$1');
}

/** Similarity key of a Latin-script name: the same for case, diacritics, spacing, word order and common transliterations. */
export function nameKey(familyName: string, givenName: string): string {
  const part = (s: string) =>
    foldedWords(s)
      .map((w) => w.replace(/[^a-z0-9]/g, ''))
      .join('');
  const a = skeleton(part(familyName));
  const b = skeleton(part(givenName));
  return [a, b].sort().join('|');
}

/** Similarity key of a name in its original script (Arabic letter variants folded, word order ignored). */
export function originalNameKey(name: string | null): string | null {
  if (!name) return null;
  const words = foldedWords(name);
  return words.length ? [...words].sort().join(' ') : null;
}

// Articles written before a family name, apart or joined ("Al-Jubouri", "Al Jubouri", "Aljubouri",
// "الجبوري"): a search may give them or leave them out.
const LATIN_ARTICLES = new Set(['al', 'el']);

function nameWordForms(word: string): string[] {
  const forms = [word];
  const latin = /^[a-z]+$/.test(word);
  if (latin) {
    const bare = word.replace(/^(?:al|el)(?=[a-z]{3})/, '');
    if (bare !== word) forms.push(bare);
  } else if (word.startsWith('ال') && word.length >= 5) {
    forms.push(word.slice(2));
  }
  return forms;
}

/**
 * The words a person search looks for, folded; articles are dropped when other words remain. Empty
 * when nothing searchable was typed.
 */
export function nameSearchTerms(typed: string): string[] {
  const words = foldedWords(typed);
  const kept = words.filter((w) => !LATIN_ARTICLES.has(w) && w !== 'ال');
  return kept.length ? kept : words;
}

/**
 * Whether a person's folded name (family, given and original-script names) holds every search term,
 * in any order: a term matches a word it is part of, or that spells the same name another way (the
 * transliteration skeleton `people:similar` uses: Ahmad/Ahmed, Jubori/Jubouri), with or without an
 * article ("Al-Jubouri" and "Aljubouri" and "Jubouri"). With `variants: false` a term must begin a
 * word of the name (no skeletons), so a word searched in incident text ("food") does not name Fadi.
 */
export function nameMatches(foldedName: string, terms: readonly string[], variants = true): boolean {
  return nameMatcher(terms, variants)(foldedName);
}

/** nameMatches with the terms worked out once, for testing many names against one search. */
export function nameMatcher(terms: readonly string[], variants = true): (foldedName: string) => boolean {
  if (!terms.length) return () => false;
  const prepared = terms.map((t) => ({
    t,
    skeletons: variants && /^[a-z]+$/.test(t) && t.length >= 3 ? nameWordForms(t).map(skeleton) : [],
  }));
  return (foldedName) => {
    const { forms, skeletons } = analysedName(foldedName);
    return prepared.every(({ t, skeletons: ts }) => {
      if (!variants) return forms.some((f) => f.startsWith(t));
      if (forms.some((f) => f.includes(t))) return true;
      return ts.some((k) => skeletons.has(k));
    });
  };
}

// A search tests every person's name: each name's word forms and skeletons are worked out once and
// kept (a name is a few dozen bytes; the cache is emptied when it holds as many names as a large office).
const ANALYSED = new Map<string, { forms: string[]; skeletons: Set<string> }>();

function analysedName(foldedName: string): { forms: string[]; skeletons: Set<string> } {
  const hit = ANALYSED.get(foldedName);
  if (hit) return hit;
  const words = foldedName.match(/[\p{L}\p{N}]+/gu) ?? [];
  const forms: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    forms.push(...nameWordForms(w));
    // "Al-Jubouri" is stored as two words; "Aljubouri" as one.
    if (LATIN_ARTICLES.has(w) && words[i + 1]) forms.push(w + words[i + 1]);
  }
  const skeletons = new Set(forms.filter((f) => /^[a-z]+$/.test(f) && f.length >= 3).map(skeleton));
  if (ANALYSED.size >= 250_000) ANALYSED.clear();
  const out = { forms, skeletons };
  ANALYSED.set(foldedName, out);
  return out;
}

/**
 * Text every matching name contains, for a cheap first test in SQL before nameMatches: a term
 * without its article, when it is matched as written (no transliteration variants).
 */
export function nameTermCore(term: string): string {
  return term.replace(/^(?:al|el)(?=[a-z]{3})/, '').replace(/^ال(?=.{3})/, '');
}
