// Every text field of every record and of the report definition goes through the one redactor.
// The test walks the zod input schemas (shared/schemas.ts, shared/report/definition.ts) for their
// text fields, fills every one of them through the real channels with a name, A-number or birth
// date in one of the forms that used to slip through, exports a public exhibit in all five formats
// with Chromium, and reads every file (and the manifest) as a reader would. A text field added
// later and not filled here fails the first test; one that reaches an export unredacted, the second.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../electron/core/session';
import { chromiumPdfPrinter } from '../../electron/cli/pdf-chromium';
import { setReportHost, type PdfPrinter } from '../../electron/core/report-host';
import { ReportDefinitionInput, OfficeSettings } from '../../shared/report/definition';
import { FacilityInput, IncidentInput, InterviewInput, PersonInput, StaffInput } from '../../shared/schemas';
import { cleanupTempDirs, fixedClock, tempDbFile, tempDir } from '../helpers';
import { leaksIn, type Secret } from '../leak-check';
import { openSession } from '../../electron/core/session';

type Def = Record<string, unknown> & { type: string; checks?: { _zod: { def: Record<string, unknown> } }[] };
const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;

/** Paths of the free-text strings of a schema: strings with no pattern or format (ids, dates and codes have one). */
function textPaths(schema: unknown, path: string, out: string[] = []): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const checks = (def.checks ?? []).map((c) => c._zod.def);
      if (!def.format && !def.pattern && !checks.some((c) => c.pattern || (c.format && c.format !== 'regex' && c.check === 'string_format'))) out.push(path);
      break;
    }
    case 'array':
      textPaths(def.element, `${path}[]`, out);
      break;
    case 'object':
      for (const [k, v] of Object.entries(def.shape as object)) textPaths(v, path ? `${path}.${k}` : k, out);
      break;
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
      textPaths(def.innerType, path, out);
      break;
    case 'pipe':
      textPaths(def.in, path, out);
      break;
    case 'union':
      for (const o of def.options as unknown[]) textPaths(o, path, out);
      break;
    default:
  }
  return out;
}

/** The values at a path ("caption.parties[]") of an object. */
function valuesAt(o: unknown, path: string): unknown[] {
  let cur: unknown[] = [o];
  for (const part of path.split('.')) {
    const arr = part.endsWith('[]');
    const key = arr ? part.slice(0, -2) : part;
    cur = cur.flatMap((v) => {
      const x = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      return arr ? (Array.isArray(x) ? x : [undefined]) : [x];
    });
  }
  return cur;
}

// Hiwa Barzani is in the records but in no incident of her own: she appears only in free text.
const HIWA = { familyName: 'Barzani', givenName: 'Hiwa', aNumber: '087654321', birthDate: '1980-11-23' };
const YUSUF = { familyName: 'Haddad', givenName: 'Yusuf', nameOriginal: 'يوسف حداد', aNumber: '200123456', birthDate: '1975-06-02' };
const SECRETS: Secret[] = [
  { names: ['Hiwa Barzani', 'Barzani', 'Hiwa', 'بارزاني'], aNumber: HIWA.aNumber, birthDate: HIWA.birthDate },
  { names: ['Yusuf Haddad', 'Haddad', 'Yusuf', 'يوسف حداد'], aNumber: YUSUF.aNumber, birthDate: YUSUF.birthDate },
];
// Forms that leaked before (issue 11), none longer than 40 characters (the shortest text field).
const FORMS = [
  'Hiwa Barzani A087654321 1980-11-23',
  'hiwa bar\u200Bzani, 087–654–321',
  'HIWA BARZANI, b. Nov 23, 1980',
  'H i w a  B a r z a n i',
  'بارزاني ٠٨٧٦٥٤٣٢١',
  'Barzani, A 87 654 321, 23/11/1980',
  'Hiwa B\u0430rz\u0430ni',
  'HiwaBarzani 11/23/80',
  'hiwa.barzani@example.org',
  'Bar-\nzani, the 23rd of November 1980',
  'yusuf haddad ２００１２３４５６',
  'Y.U.S.U.F. 2 Jun 1975',
  'وبيوسف 200\u2011123\u2011456',
  'Youssef Hadad 19750602',
];
const planted = new Set<string>();
let next = 0;
function plant(): string {
  const s = FORMS[next++ % FORMS.length]!;
  planted.add(s);
  return s;
}

let session: Session;
let printer: PdfPrinter;
const inputs: Record<string, unknown> = {};
const EXEMPT: Record<string, string> = {
  'PersonInput.familyName': 'the name itself',
  'PersonInput.givenName': 'the name itself',
  'PersonInput.nameOriginal': 'the name itself',
  'PersonInput.aNumber': 'the A-number itself',
};
const SCHEMAS = { FacilityInput, PersonInput, InterviewInput, IncidentInput, StaffInput, ReportDefinitionInput, OfficeSettings };

async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await session.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

beforeAll(async () => {
  session = openSession(tempDbFile(), { user: 'test-paralegal', now: fixedClock('2026-07-25T12:00:00.000Z') });
  const caption = () => ({ court: plant(), division: plant(), caseName: plant(), parties: [plant(), plant()], caseNumber: plant(), judge: plant(), magistrateJudge: plant(), classAction: true });
  const signature = () => ({ attorney: plant(), barNumber: plant(), firm: plant(), address: [plant(), plant()], email: plant(), phone: plant(), dated: plant(), role: plant() });
  inputs.OfficeSettings = { officeName: plant(), aNumberInPublic: 'last3', caption: caption(), signature: signature() };
  await ok('reports:save-settings', inputs.OfficeSettings);
  inputs.StaffInput = { name: plant(), role: plant() };
  await ok('staff:create', inputs.StaffInput);
  inputs.FacilityInput = { name: plant(), city: plant(), state: 'MI', operator: 'PRIVATE', operatorName: plant(), standard: 'PBNDS_2011' };
  const facility = await ok<{ id: string }>('facilities:create', inputs.FacilityInput);
  const hiwa = await ok<{ id: string }>('people:create', { ...HIWA, consentGiven: false });
  inputs.PersonInput = {
    ...YUSUF,
    nationality: plant(),
    languages: [plant(), plant()],
    counsel: plant(),
    consentGiven: true,
    consentDate: '2026-04-01',
    consentScope: plant(),
  };
  const yusuf = await ok<{ id: string }>('people:create', inputs.PersonInput);
  inputs.InterviewInput = { personId: yusuf.id, startedAt: '2026-05-02T10:00', place: plant(), interviewer: plant(), interpreter: plant(), interpreterLanguage: plant(), notes: plant() };
  const interview = await ok<{ id: string }>('interviews:create', inputs.InterviewInput);
  const summaries = FORMS.map((f) => `Held without water; ${f}; said so.`);
  inputs.IncidentInput = {
    personId: yusuf.id,
    interviewId: interview.id,
    facilityId: facility.id,
    occurredOn: '2026-05-01',
    categories: ['FOOD', 'COERCED_DEPARTURE'],
    summary: `${summaries.join(' ')} ${plant()}`,
    ownWords: plant(),
    staffInvolved: [{ role: 'contract_guard', name: plant(), badge: plant() }],
    witnesses: [{ personId: null, description: plant() }, { personId: hiwa.id, description: null }],
    documentPressed: 'other',
    documentOther: plant(),
    documentSigned: true,
    grievanceFiled: true,
    grievanceAnswer: plant(),
    corroboration: plant(),
    status: 'verified',
  };
  await ok('incidents:create', inputs.IncidentInput);
  inputs.ReportDefinitionInput = {
    name: plant(),
    caption: caption(),
    title: plant(),
    exhibitLabel: plant(),
    periodFrom: '2026-05-01',
    periodTo: '2026-05-31',
    columns: ['rowId', 'person', 'aNumber', 'birth', 'facility', 'date', 'categories', 'standard', 'summary', 'ownWords', 'circumstances', 'source'],
    methodNote: `${plant()}\n\n${plant()}`,
    signature: signature(),
    // The review's choices are part of the definition, and a public manifest holds the definition.
    review: [
      { at: '*', text: plant(), choice: 'redact' },
      { at: 'title', text: plant(), choice: 'accept' },
    ],
  };
  const p = await chromiumPdfPrinter();
  if ('unavailable' in p) throw new Error(p.unavailable);
  printer = p;
  setReportHost(session.ctx, { pdf: async () => printer });
}, 120_000);

afterAll(async () => {
  await printer?.close?.();
  session?.close();
  cleanupTempDirs();
});

const xmlText = (xml: string) =>
  xml
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');

/** A file's text as a reader gets it: pdftotext, the XML of DOCX and XLSX, CSV, HTML with and without tags, the manifest's strings. */
function readAsReader(file: string): string {
  if (file.endsWith('.pdf')) return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }) + '\n' + execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
  // Every XML part of DOCX and XLSX: the document, headers and footers, shared strings, sheets, properties.
  if (file.endsWith('.docx') || file.endsWith('.xlsx')) return xmlText(execFileSync('unzip', ['-p', file, '*.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const raw = readFileSync(file, 'utf8');
  if (file.endsWith('.html')) return `${raw}\n${xmlText(raw)}`;
  if (file.endsWith('.json')) {
    const strings: string[] = [];
    JSON.parse(raw, (_k, v: unknown) => (typeof v === 'string' && strings.push(v), v));
    return `${raw}\n${strings.join('\n')}`;
  }
  return raw;
}

describe('every text field goes through the redactor', () => {
  it('fills every text field of every input schema (a field added later must be added here)', () => {
    const missing: string[] = [];
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      const paths = textPaths(schema, '');
      expect(paths.length, name).toBeGreaterThan(0);
      for (const p of paths) {
        if (EXEMPT[`${name}.${p}`]) continue;
        const values = valuesAt(inputs[name], p);
        if (!values.some((v) => typeof v === 'string' && [...planted].some((x) => v.includes(x)))) missing.push(`${name}.${p}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the walker finds the fields it must (checked against a known list)', () => {
    expect(textPaths(IncidentInput, '')).toEqual(expect.arrayContaining(['summary', 'ownWords', 'documentOther', 'grievanceAnswer', 'staffInvolved[].name', 'witnesses[].description']));
    expect(textPaths(ReportDefinitionInput, '')).toEqual(expect.arrayContaining(['methodNote', 'caption.parties[]', 'signature.address[]', 'title']));
    expect(textPaths(IncidentInput, '')).not.toContain('personId');
    expect(textPaths(IncidentInput, '')).not.toContain('occurredOn');
  });

  it('leaves no name, A-number or birth date in any public file or the manifest, read as a reader would', async () => {
    const folder = tempDir();
    const r = await ok<{ export: { files: { name: string; format: string }[] }; manifestPath: string }>('reports:export', {
      definition: inputs.ReportDefinitionInput,
      formats: ['pdf', 'docx', 'xlsx', 'csv', 'html'],
      folder,
    });
    const files = r.export.files.filter((f) => !f.format.startsWith('key-')).map((f) => join(folder, f.name));
    expect(files).toContain(r.manifestPath);
    expect(files.map((f) => f.replace(/^.*\./, '')).sort()).toEqual(['csv', 'csv', 'docx', 'html', 'json', 'pdf', 'xlsx']);
    for (const f of files) {
      const text = readAsReader(f);
      expect(text.length, f).toBeGreaterThan(50);
      for (const s of SECRETS) expect(leaksIn(text, s), `${f}: ${s.names[0]}`).toEqual([]);
    }
    // The exhibit still says something: the codes stand where the names were.
    const html = readFileSync(files.find((f) => f.endsWith('.html'))!, 'utf8');
    expect(html).toContain('CM-002');
    expect(html).toContain('Held without water');
  }, 120_000);
});
