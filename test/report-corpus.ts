// A deterministic corpus for report tests and benchmarks: people with Arabic-script names and name
// variants, minors, witnesses, approximate dates, and free text that names people every way the
// redaction must catch.
import type { CategoryCode } from '../shared/vocab';
import { CATEGORY_CODES } from '../shared/vocab';
import type { ReportSource, ReportSourceRow, SourcePerson } from '../shared/report/source';

const NAMES: [string, string, string, string[]][] = [
  ['Haddad', 'Yusuf', 'يوسف حداد', ['Youssef Haddad', 'Yousef al-Haddad']],
  ['Ahmed', 'Sara', 'سارة أحمد', ['Sarah Ahmad']],
  ['Khalil', 'Omar', 'عمر خليل', ['Umar Khaleel']],
  ['Nasser', 'Layla', 'ليلى ناصر', ['Leila Nasser']],
  ['Saleh', 'Mariam', 'مريم صالح', ['Maryam Salih']],
  ['Mansour', 'Tariq', 'طارق منصور', ['Tarek Mansour']],
  ['Farouk', 'Amina', 'أمينة فاروق', ['Aminah Farouq']],
  ['Ibrahim', 'Karim', 'كريم إبراهيم', ['Kareem Ibraheem']],
  ['Jaber', 'Huda', 'هدى جابر', []],
  ['Rashid', 'Bilal', 'بلال راشد', ['Belal Rashed']],
  ['Morales', 'Lucía', '', ['Lucia Morales Pérez']],
  ['Nguyen', 'Thanh', '', []],
];

const FACILITIES = [
  { id: 'FAC00000000000000000000001', name: 'North Lake Processing Center', city: 'Baldwin', state: 'MI', standard: 'PBNDS_2011' },
  { id: 'FAC00000000000000000000002', name: 'Calhoun County Correctional Center', city: 'Battle Creek', state: 'MI', standard: 'NDS_2019' },
  { id: 'FAC00000000000000000000003', name: 'Monroe County Jail', city: 'Monroe', state: 'MI', standard: 'NDS_2019' },
  { id: 'FAC00000000000000000000004', name: 'St. Clair County Jail', city: 'Port Huron', state: 'MI', standard: 'PBNDS_2011' },
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function corpusPerson(i: number): SourcePerson {
  const [family, given, original, variants] = NAMES[i % NAMES.length]!;
  const round = Math.floor(i / NAMES.length);
  // Names stay unique per person so a leak points at one person.
  const familyName = round ? `${family}-${['Zein', 'Aoun', 'Hilal', 'Qasim', 'Daher'][round % 5]}${round > 4 ? round : ''}` : family;
  const minor = i % 9 === 4;
  return {
    id: `PER${pad(i, 23)}`,
    filingCode: `CM-${pad(i + 1, 3)}`,
    familyName,
    givenName: given,
    nameOriginal: original || null,
    nameVariants: round ? [] : variants,
    aNumber: `2${pad(10_000_000 + i * 7919, 8)}`.slice(0, 9),
    birthDate: minor ? `2010-0${1 + (i % 9)}-1${i % 10}` : `19${70 + (i % 29)}-${pad(1 + (i % 12), 2)}-${pad(1 + (i % 27), 2)}`,
    consent: i % 7 !== 3,
  };
}

const SUMMARIES = [
  (p: SourcePerson, w: string) => `${p.givenName} ${p.familyName} was held in the intake cell for 14 hours without water; ${w} saw guards refuse restroom access.`,
  (p: SourcePerson) => `An officer told ${p.givenName} to sign Form I-210 or stay detained for a year; his A-number ${p.aNumber} was written on the form.`,
  (p: SourcePerson, w: string) => `Meals were withheld for two days after ${p.familyName.toUpperCase()} joined the class action. Witness: ${w}.`,
  (p: SourcePerson) => `قال الحارس إن ${p.nameOriginal ?? p.givenName} لن يرى محاميه أبداً. Date of birth ${p.birthDate} was read aloud.`,
  (p: SourcePerson) => `Staff said the lawsuit "was over" and that ${p.nameVariants[0] ?? p.givenName} would be deported anyway.`,
];

export interface CorpusOptions {
  incidents: number;
  people?: number;
  seed?: number;
}

export function reportCorpus(opts: CorpusOptions): ReportSource {
  const r = rng(opts.seed ?? 42);
  const nPeople = opts.people ?? Math.max(12, Math.ceil(opts.incidents / 4));
  const people = Array.from({ length: nPeople }, (_, i) => corpusPerson(i));
  const rows: ReportSourceRow[] = [];
  for (let i = 0; i < opts.incidents; i++) {
    const person = people[Math.floor(r() * nPeople)]!;
    const other = people[(people.indexOf(person) + 1) % nPeople]!;
    const facility = FACILITIES[Math.floor(r() * FACILITIES.length)]!;
    const day = 1 + Math.floor(r() * 28);
    const month = 5 + Math.floor(r() * 2);
    const occurredOn = `2026-${pad(month, 2)}-${pad(i % 5 !== 0 && i % 11 === 0 ? 1 : day, 2)}`;
    const nCats = 1 + Math.floor(r() * 3);
    const cats = new Set<CategoryCode>();
    while (cats.size < nCats) cats.add(CATEGORY_CODES[Math.floor(r() * CATEGORY_CODES.length)]!);
    const witness = i % 3 === 0 ? `${other.givenName} ${other.familyName}` : 'Daniel Okafor';
    const precision = i % 5 === 0 ? 'approximate' : i % 11 === 0 ? 'month' : 'exact';
    const docs = ['I-210 voluntary departure', 'Stipulated removal', null, null];
    const doc = docs[i % docs.length] ?? null;
    rows.push({
      incidentId: `INC${pad(i, 23)}`,
      occurredOn,
      occurredUntil: i % 13 === 0 && precision === 'exact' && day <= 26 ? `2026-${pad(month, 2)}-${pad(day + 2, 2)}` : null,
      precision,
      categories: [...cats],
      summary: SUMMARIES[i % SUMMARIES.length]!(person, witness),
      ownWords: i % 2 ? `"They told me, ${person.givenName}, your lawyer cannot help you." — ${person.nameOriginal ?? person.familyName}` : null,
      status: i % 17 === 0 ? 'excluded' : i % 4 === 0 ? 'new' : 'verified',
      includeInReport: i % 19 !== 0 && i % 17 !== 0,
      counselPresent: i % 3 === 0 ? null : i % 3 === 1,
      documentType: doc,
      documentSigned: doc ? i % 2 === 0 : null,
      grievanceFiled: i % 4 === 1,
      grievanceAnswer: i % 4 === 1 ? 'No answer yet' : null,
      facility,
      person,
      witnesses: i % 3 === 0 ? [{ name: witness, personId: other.id }] : [{ name: witness, personId: null }],
      interview: { id: `INT${pad(i, 23)}`, date: `2026-07-${pad(1 + (i % 20), 2)}`, declaration: i % 2 ? 'signed' : 'not taken' },
    });
  }
  return { rows, people };
}

/** Strings that must never appear in a public exhibit of this corpus. */
export function forbiddenStrings(source: ReportSource): string[] {
  const out = new Set<string>();
  for (const p of source.people) {
    out.add(`${p.givenName} ${p.familyName}`);
    out.add(`${p.familyName}, ${p.givenName}`);
    out.add(p.familyName);
    if (p.nameOriginal) {
      out.add(p.nameOriginal);
      for (const part of p.nameOriginal.split(' ')) out.add(part);
    }
    for (const v of p.nameVariants) out.add(v);
    out.add(p.aNumber);
    out.add(`${p.aNumber.slice(0, 3)}-${p.aNumber.slice(3, 6)}-${p.aNumber.slice(6)}`);
    if (p.birthDate) out.add(p.birthDate);
  }
  out.add('Daniel Okafor');
  return [...out];
}

export const CORPUS_FACILITIES = FACILITIES;
