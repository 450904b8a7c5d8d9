// Property: random people (Latin names with diacritics, Arabic and Kurdish names in Arabic script,
// A-numbers, birth dates), written into random narratives through random transformations of the
// kinds that used to leak (issue 11), never show in a public exhibit. Thousands of cases on the
// model, a smaller number rendered to every format (HTML, CSV, DOCX and XLSX XML, the manifest).
// The check is the independent reader of test/leak-check.ts, never the production matcher.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { renderLogCsv, renderSummaryCsv } from '../../shared/report/csv';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { renderDocx } from '../../shared/report/docx';
import { renderHtml } from '../../shared/report/html';
import { buildManifest } from '../../shared/report/manifest';
import { buildReportModel, redactorFor, type ReportModel } from '../../shared/report/model';
import type { ReportSourceRow, SourcePerson } from '../../shared/report/source';
import { renderXlsx } from '../../shared/report/xlsx';
import { cleanupTempDirs, tempDir } from '../helpers';
import { leaksIn, type Secret } from '../leak-check';

afterAll(cleanupTempDirs);

const LATIN_SYLLABLES = ['ya', 'su', 'fa', 'ha', 'dad', 'ka', 'rim', 'zu', 'bei', 'dou', 'ra', 'shid', 'qa', 'sim', 'no', 'ur', 'ta', 'riq', 'ji', 'wan', 'rez', 'bar', 'za', 'ni', 'ker', 'kuk', 'mer', 'vin', 'gol', 'ba', 'hoz', 'an'];
const DIACRITICS: Record<string, string[]> = { a: ['á', 'â', 'ā'], e: ['é', 'ê'], i: ['í', 'î'], o: ['ó', 'ô', 'ö'], u: ['ú', 'ü', 'û'], s: ['ş', 'š'], c: ['ç'], g: ['ğ'] };
const ARABIC_LETTERS = [...'بتجحخدذرزسشصضطظعغفقكلمنهيوا'];
const KURDISH_LETTERS = [...'ێڵڕۆەپچژگڤ'];
// Words of the narrative: none may be a generated name part (they are all 3 letters or shorter or not syllable-built).
const FILLER = ['the', 'guard', 'said', 'that', 'he', 'would', 'not', 'eat', 'water', 'was', 'taken', 'to', 'cell', 'officer', 'told', 'him', 'sign', 'form', 'قال', 'الحارس', 'محاميه', 'and', 'then', 'in', 'block', 'C', '—', 'on', 'tuesday', 'with', 'counsel'];
const INVISIBLES = ['\u200B', '\u200C', '\u200D', '\u2060', '\u00AD', '\uFEFF', '\u200E', '\u200F', '\u0000', '\u202A', '\u2066', '\u034F'];
const LOOKALIKE: Record<string, string[]> = { a: ['а', 'α'], e: ['е'], o: ['о', 'ο'], p: ['р', 'ρ'], c: ['с'], y: ['у'], x: ['х'], i: ['і', 'ι'], k: ['κ'], h: ['һ'] };
const PREFIX_CHAINS = ['و', 'ف', 'ب', 'ل', 'ك', 'وب', 'فب', 'ول', 'وال', 'بال', 'وبال', 'فلل', 'لل', 'ال'];
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0xff10, 0x966];
const NUMBER_SEPARATORS = [' ', '-', '–', '\u2011', '/', '.', ' - ', '\n', '  ', ' / ', '\u00A0'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Person {
  given: string;
  family: string;
  original: string | null;
  aNumber: string;
  birthDate: string;
}

const latinPart = fc.array(fc.constantFrom(...LATIN_SYLLABLES), { minLength: 2, maxLength: 3 }).map((s) => s.join(''));
const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
const arabicWord = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ARABIC_LETTERS) }, { weight: 1, arbitrary: fc.constantFrom(...KURDISH_LETTERS) }), { minLength: 3, maxLength: 6 }).map((l) => l.join(''));

const personArb: fc.Arbitrary<Person> = fc.record({
  given: latinPart.map(capital),
  family: latinPart.map(capital),
  original: fc.option(fc.tuple(arabicWord, arabicWord, fc.boolean()).map(([a, b, article]) => `${a} ${article ? 'ال' : ''}${b}`), { nil: null }),
  aNumber: fc.integer({ min: 10_000_000, max: 299_999_999 }).map((n) => String(n).padStart(9, '0')),
  birthDate: fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2007-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
});

const digitsIn = (s: string, zero: number) => s.replace(/\d/g, (d) => String.fromCharCode(zero + Number(d)));
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** One mention of a person: a random piece of them (name, A-number, birth date) through a random transformation. */
function mention(p: Person, kind: number, pick: number, rnd: () => number): string {
  const choose = <T,>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
  const full = `${p.given} ${p.family}`;
  switch (kind) {
    case 0: // case
      return [full, full.toLowerCase(), full.toUpperCase(), `${p.family.toUpperCase()}, ${p.given}`][pick % 4]!;
    case 1: // invisible characters inside the name
      return [...full].map((c, i) => (i > 0 && rnd() < 0.3 ? choose(INVISIBLES) : '') + c).join('');
    case 2: // look-alike letters
      return [...full].map((c) => (LOOKALIKE[c] && rnd() < 0.5 ? choose(LOOKALIKE[c]!) : c)).join('');
    case 3: // run together, spaced out, dotted
      return [`${p.given}${p.family}`, `${p.family.toLowerCase()}${p.given.toLowerCase()}`, [...p.family].join(' '), `${[...p.given.toUpperCase()].join('.')}.`][pick % 4]!;
    case 4: {
      // hyphenated across a line break
      const w = pick % 2 ? p.family : p.given;
      const at = 2 + Math.floor(rnd() * (w.length - 3));
      return `${w.slice(0, at)}-\n${w.slice(at)}`;
    }
    case 5: // inside an e-mail address
      return [`${p.given.toLowerCase()}.${p.family.toLowerCase()}@example.org`, `${p.given.charAt(0).toLowerCase()}${p.family.toLowerCase()}${pick % 100}@mail.com`][pick % 2]!;
    case 6: {
      // Arabic script with a chain of attached prefixes, with or without the article
      if (!p.original) return full;
      const words = p.original.split(' ');
      const w = words[pick % words.length]!;
      const bare = w.replace(/^ال/, '');
      return `${choose(PREFIX_CHAINS)}${rnd() < 0.5 ? bare : w}`;
    }
    case 7: // a right-to-left override showing the name reversed
      return `\u202E${[...full].reverse().join('')}\u202C`;
    case 8: // accents, full-width letters
      return rnd() < 0.5 ? [...full].map((c) => (DIACRITICS[c] && rnd() < 0.5 ? choose(DIACRITICS[c]!) : c)).join('') : [...full].map((c) => (/[A-Za-z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
    case 9: {
      // A-number: any grouping, separators, digit script, with or without A
      const groups: string[] = [];
      let rest = p.aNumber.replace(/^0/, pick % 3 === 0 ? '' : '0');
      while (rest.length) {
        const n = 1 + Math.floor(rnd() * 4);
        groups.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      const sep = choose(NUMBER_SEPARATORS);
      return `${choose(['', 'A', 'A-', 'A# ', 'a'])}${digitsIn(groups.join(sep), choose(DIGIT_ZEROS))}`;
    }
    default: {
      // birth date in a common English form
      const [y, m, d] = p.birthDate.split('-').map(Number) as [number, number, number];
      const mm = String(m).padStart(2, '0');
      const dd = String(d).padStart(2, '0');
      const month = MONTHS[m - 1]!;
      const forms = [
        `${month} ${ordinal(d)}, ${y}`, `${m}/${d}/${String(y).slice(2)}`, `${d} ${month.slice(0, 3)} ${y}`, `the ${ordinal(d)} of ${month} ${y}`, `${y}${mm}${dd}`, p.birthDate,
        `${month.slice(0, 3)}. ${d}, ${y}`, `${mm}/${dd}/${y}`, `${dd}.${mm}.${y}`, `${month.toUpperCase()} ${d} ${y}`,
      ];
      const f = forms[pick % forms.length]!;
      return rnd() < 0.2 ? digitsIn(f, choose(DIGIT_ZEROS)) : f;
    }
  }
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  people: fc.uniqueArray(personArb, { minLength: 1, maxLength: 3, selector: (p) => p.family }),
  parts: fc.array(fc.tuple(fc.nat(2), fc.integer({ min: 0, max: 10 }), fc.nat(1000), fc.nat(FILLER.length - 1)), { minLength: 1, maxLength: 12 }),
  seed: fc.nat(),
});

interface Case {
  people: Person[];
  parts: [number, number, number, number][];
  seed: number;
}

function sourceOf(c: Case) {
  let seed = c.seed + 1;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const people: SourcePerson[] = c.people.map((p, i) => ({
    id: `PER${String(i).padStart(23, '0')}`,
    filingCode: `CM-${String(i + 1).padStart(3, '0')}`,
    familyName: p.family,
    givenName: p.given,
    nameOriginal: p.original,
    nameVariants: [],
    aNumber: p.aNumber,
    birthDate: p.birthDate,
    consent: true,
  }));
  const narrative = (parts = c.parts) => parts.map(([who, kind, pick, filler]) => `${FILLER[filler]} ${mention(c.people[who % c.people.length]!, kind, pick, rnd)} ${FILLER[(filler + 3) % FILLER.length]}`).join(' ');
  const row: ReportSourceRow = {
    incidentId: 'INC00000000000000000000001',
    occurredOn: '2026-05-10',
    occurredUntil: null,
    precision: 'exact',
    categories: ['FOOD'],
    summary: narrative(),
    ownWords: narrative(),
    status: 'verified',
    includeInReport: true,
    counselPresent: null,
    // An "other" document's description: short (200 characters on input), so a few mentions.
    documentType: narrative(c.parts.slice(0, 2)),
    documentSigned: true,
    grievanceFiled: true,
    grievanceAnswer: narrative(),
    facility: { id: 'FAC00000000000000000000001', name: 'North Lake Processing Center', city: 'Baldwin', state: 'MI', standard: 'PBNDS_2011' },
    person: people[0]!,
    witnesses: [{ personId: null, name: 'Daniel Okafor, his cellmate' }],
    interview: null,
  };
  return { source: { rows: [row], people }, methodNote: narrative() };
}

function modelOf(c: Case): ReportModel {
  const { source, methodNote } = sourceOf(c);
  return buildReportModel({
    source,
    definition: ReportDefinitionInput.parse({
      name: 'Property',
      caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Doe v. Agency', caseNumber: 'No. 2:26-cv-00001' },
      title: 'Status report',
      exhibitLabel: 'Exhibit A',
      periodFrom: '2026-05-01',
      periodTo: '2026-05-31',
      columns: ['rowId', 'person', 'aNumber', 'birth', 'facility', 'date', 'categories', 'summary', 'ownWords', 'circumstances', 'source'],
      methodNote,
    }),
    settings: { officeName: '', aNumberInPublic: 'last3' },
    generatedAt: '2026-06-01T09:00:00.000Z',
    appVersion: 'property',
    definitionId: null,
  });
}

const secretsOf = (people: Person[]): Secret[] =>
  people.map((p) => ({ names: [`${p.given} ${p.family}`, p.given, p.family, ...(p.original ? [p.original, ...p.original.split(' ').map((w) => w.replace(/^ال/, ''))] : [])], aNumber: p.aNumber, birthDate: p.birthDate }));

describe('public redaction, as a property', () => {
  it('no name, A-number or birth date of random people survives random transformations through the public redactor (thousands of cases)', () => {
    let cases = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const { source, methodNote } = sourceOf(c);
        const row = source.rows[0]!;
        // The redactor every exported text goes through, as the model builds it for a public exhibit.
        const redact = redactorFor('public', { officeName: '', aNumberInPublic: 'last3' }, source, source.rows, '2026-06-01');
        const out = [row.summary, row.ownWords!, row.documentType!, row.grievanceAnswer!].map((t) => redact.text(t, row)).concat(redact.text(methodNote)).join('\n');
        for (const s of secretsOf(c.people)) expect(leaksIn(out, s)).toEqual([]);
        cases++;
      }),
      // A fixed seed: the same 4,000 cases every run, so CI is repeatable. Random seeds are run by
      // hand (REDACTION_SEED=random) to look for new leaks: one found A-number 259190411 written as
      // Devanagari 25.9.1904.1.1 (fast-check seed -771158575); its regression test is in
      // shared/report/leak-classes.test.ts.
      process.env.REDACTION_SEED === 'random' ? { numRuns: Number(process.env.REDACTION_RUNS ?? 4000) } : { numRuns: 4000, seed: 20261206 },
    );
    console.log(`redaction property: ${cases} random cases, none leaked`);
  }, 300_000);

  it('nor in any rendered format: HTML, CSV, DOCX and XLSX XML, the manifest', async () => {
    const dir = tempDir();
    const unzipXml = async (bytes: Uint8Array, name: string) => {
      const f = join(dir, name);
      writeFileSync(f, bytes);
      return execFileSync('unzip', ['-p', f, '*.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 }).replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
    };
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const m = modelOf(c);
        const files = [
          renderHtml(m),
          renderLogCsv(m),
          renderSummaryCsv(m),
          await unzipXml(await renderDocx(m), 'x.docx'),
          await unzipXml(await renderXlsx(m), 'x.xlsx'),
          JSON.stringify(buildManifest(m, m.definition, []), null, 2),
        ];
        for (const f of files) for (const s of secretsOf(c.people)) expect(leaksIn(f, s)).toEqual([]);
      }),
      { numRuns: 10, seed: 20261206 },
    );
  }, 120_000);
});
