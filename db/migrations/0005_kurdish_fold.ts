// Frozen step of migration 5 (after 0005_kurdish_fold.sql, in its transaction): rewrites people's
// name keys and the incidents' full-text index with the folding rules of migration 5. A frozen copy
// of shared/text-fold.ts as it was then, so what this migration does never changes with today's code.
// Derived data only: no record, version or audit row; each incident keeps its index rowid.
import type { Db } from '../driver';

const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
const FOLDS: Readonly<Record<string, string>> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ة': 'ه', 'ە': 'ه', 'ھ': 'ه', 'ۀ': 'ه', 'ى': 'ي',
  'ی': 'ي', 'ێ': 'ي', 'ئ': 'ي', 'ؤ': 'و', 'ۆ': 'و', 'ک': 'ك', 'ڵ': 'ل', 'ڕ': 'ر',
};
const VARIANT = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'g');
const PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك'];

function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(ARABIC_MARKS, '')
    .replace(VARIANT, (c) => FOLDS[c] ?? c)
    .toLowerCase();
}

const words = (s: string): string[] => fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];

function indexText(s: string): string {
  const folded = fold(s);
  const extra = new Set<string>();
  for (const w of folded.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (!/^[\u0621-\u064A]+$/.test(w)) continue;
    for (const p of PREFIXES) if (w.startsWith(p) && w.length - p.length >= 3) extra.add(w.slice(p.length));
  }
  return extra.size ? `${folded}\n${[...extra].join(' ')}` : folded;
}

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

function nameKey(familyName: string, givenName: string): string {
  const part = (s: string) => words(s).map((w) => w.replace(/[^a-z0-9]/g, '')).join('');
  return [skeleton(part(familyName)), skeleton(part(givenName))].sort().join('|');
}

function originalNameKey(name: string | null): string | null {
  if (!name) return null;
  const w = words(name);
  return w.length ? [...w].sort().join(' ') : null;
}

export function refoldDerivedColumns(db: Db): void {
  const setKeys = db.prepare(`UPDATE people SET name_key = ?, original_key = ?, folded_name = ? WHERE id = ?`);
  const people = db
    .prepare(`SELECT id, family_name AS familyName, given_name AS givenName, name_original AS nameOriginal FROM people WHERE name_key IS NOT NULL`)
    .all() as { id: string; familyName: string; givenName: string; nameOriginal: string | null }[];
  for (const p of people) {
    setKeys.run(nameKey(p.familyName, p.givenName), originalNameKey(p.nameOriginal), fold(`${p.familyName} ${p.givenName} ${p.nameOriginal ?? ''}`), p.id);
  }
  // Emptying the contentless index and inserting every body again is one pass over the text.
  db.exec(`INSERT INTO incident_text (incident_text) VALUES ('delete-all')`);
  const add = db.prepare(`INSERT INTO incident_text (rowid, body) VALUES (?, ?)`);
  const incidents = db
    .prepare(`SELECT search_rowid AS rowid, summary, own_words AS ownWords FROM incidents WHERE search_rowid IS NOT NULL`)
    .all() as { rowid: number; summary: string; ownWords: string | null }[];
  for (const i of incidents) add.run(i.rowid, indexText(i.ownWords ? `${i.summary}\n${i.ownWords}` : i.summary));
}
