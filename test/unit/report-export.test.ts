import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../electron/core/session';
import { chromiumPdfPrinter } from '../../electron/cli/pdf-chromium';
import { setReportHost, type PdfPrinter } from '../../electron/core/report-host';
import { runCli } from '../../electron/cli/cli';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { openSession } from '../../electron/core/session';
import { cleanupTempDirs, fixedClock, tempDbFile, tempDir } from '../helpers';
import { forbiddenStrings, reportCorpus } from '../report-corpus';
import { seedCorpus } from '../report-seed';

// Exports a seeded corpus through the real channels, SQLite, file system and Chromium, then reads
// every file back the way a court clerk or opposing counsel would.

const source = reportCorpus({ incidents: 60, seed: 11 });
const DEFINITION = {
  name: 'May–June status report',
  caption: {
    court: 'UNITED STATES DISTRICT COURT',
    division: 'EASTERN DISTRICT OF MICHIGAN, SOUTHERN DIVISION',
    caseName: 'HAMAMA, et al.,',
    parties: ['Petitioners/Plaintiffs,', 'v.', 'REBECCA ADDUCCI, et al.,', 'Respondents/Defendants.'],
    caseNumber: 'Case No. 2:17-cv-11910',
    judge: 'Mark A. Goldsmith',
    magistrateJudge: 'David R. Grand',
  },
  title: 'Status report: incidents reported by class members',
  exhibitLabel: 'Exhibit A',
  periodFrom: '2026-05-01',
  periodTo: '2026-06-30',
  columns: ['rowId', 'person', 'aNumber', 'birth', 'facility', 'date', 'categories', 'summary', 'ownWords', 'circumstances', 'source'],
  signature: { attorney: 'Jane Doe', barNumber: 'P12345', address: ['2966 Woodward Ave.', 'Detroit, MI 48201'], email: 'jdoe@example.org', phone: '(313) 555-0100' },
};

let session: Session;
// The corpus has interviews in July 2026; the clock stands after them (dates later than today are refused).
const reportSession = (file: string) => openSession(file, { user: 'test-paralegal', now: fixedClock('2026-07-25T12:00:00.000Z') });
let printer: PdfPrinter;
let dbFile: string;

async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await session.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

interface Exported {
  export: { id: string; folder: string; files: { name: string; format: string; sha256: string }[] };
  manifestPath: string;
}

function text(file: string): string {
  if (file.endsWith('.pdf')) return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (file.endsWith('.docx')) {
    return execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 })
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&');
  }
  return readFileSync(file, 'utf8');
}

async function xlsxText(file: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value ?? '')))));
  return out.join('\n');
}

beforeAll(async () => {
  dbFile = tempDbFile();
  session = reportSession(dbFile);
  await seedCorpus(session, source);
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

describe('report export from a seeded database', () => {
  it('counts in the preview equal an independent tally of the seeded corpus', async () => {
    const preview = await ok<{ incidents: number; summary: { rows: { facility: string; total: { count: number }; cells: { count: number }[] }[]; categories: { code: string }[] } }>(
      'reports:preview',
      { definition: DEFINITION },
    );
    const kept = source.rows.filter((r) => r.includeInReport && r.status !== 'excluded' && r.person.consent && r.occurredOn <= '2026-06-30');
    expect(preview.incidents).toBe(kept.length);
    for (const row of preview.summary.rows) {
      const here = kept.filter((r) => r.facility.name === row.facility);
      expect(row.total.count).toBe(here.length);
      preview.summary.categories.forEach((c, i) => expect(row.cells[i]!.count).toBe(here.filter((r) => (r.categories as string[]).includes(c.code)).length));
    }
  });

  it('lays out only the first rows of the log in the preview when asked, with every count kept', async () => {
    type Preview = { incidents: number; logRowsShown: number; html: string; summary: { grandTotal: { count: number; incidentIds?: string[] } } };
    const all = await ok<Preview>('reports:preview', { definition: DEFINITION });
    expect(all.logRowsShown).toBe(all.incidents);
    const some = await ok<Preview>('reports:preview', { definition: DEFINITION, logRows: 5 });
    expect(some).toMatchObject({ incidents: all.incidents, logRowsShown: 5, summary: { grandTotal: { count: all.summary.grandTotal.count } } });
    const logRows = (html: string) => html.match(/<tr id="A-\d+"/g) ?? [];
    expect(logRows(some.html)).toEqual(['<tr id="A-001"', '<tr id="A-002"', '<tr id="A-003"', '<tr id="A-004"', '<tr id="A-005"']);
    expect(logRows(all.html)).toHaveLength(all.incidents);
    // The preview carries counts only; the incidents behind a count come from reports:cell, and
    // not in the HTML's cells either.
    expect(some.summary.grandTotal.incidentIds).toBeUndefined();
    const cell = await ok<{ count: number; incidentIds: string[]; rowIds: string[] }>('reports:cell', { definition: DEFINITION, facilityId: null, category: null });
    expect(cell.count).toBe(all.incidents);
    expect(cell.incidentIds).toHaveLength(all.incidents);
    expect(cell.rowIds.slice(0, 2)).toEqual(['A-001', 'A-002']);
    expect(some.html).not.toMatch(/data-incidents="[^"]/);
    expect(await session.dispatch('reports:preview', { definition: DEFINITION, logRows: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['logRows'] }] } });
  });

  it('public export in every format leaks no name, A-number or birth date (and the sealed key does hold them)', async () => {
    const folder = tempDir();
    const r = await ok<Exported>('reports:export', { definition: DEFINITION, formats: ['pdf', 'docx', 'xlsx', 'csv', 'html'], folder });
    const forbidden = forbiddenStrings(source);
    const exhibitFiles = r.export.files.filter((f) => !f.name.includes('SEALED'));
    expect(exhibitFiles.map((f) => f.format).sort()).toEqual(['csv', 'csv', 'docx', 'html', 'manifest', 'pdf', 'xlsx']);
    for (const f of exhibitFiles) {
      const path = join(folder, f.name);
      const body = f.format === 'xlsx' ? await xlsxText(path) : text(path);
      expect(body.length, f.name).toBeGreaterThan(500);
      if (f.format !== 'manifest' && !f.name.includes('summary')) expect(body, f.name).toContain('CM-0');
      expect(forbidden.filter((s) => body.includes(s)), f.name).toEqual([]);
      // pdftotext may split Arabic words differently; also check name parts without spaces.
      const squeezed = body.replace(/\s+/g, '');
      expect(forbidden.filter((s) => s.length > 5 && squeezed.includes(s.replace(/\s+/g, ''))), f.name).toEqual([]);
    }
    const key = text(join(folder, r.export.files.find((f) => f.format === 'key-csv')!.name));
    const consented = source.people.find((p) => key.includes(p.filingCode))!;
    expect(key).toContain(`${consented.familyName}, ${consented.givenName}`);
  });

  it('prints a PDF with every font embedded, "Exhibit A — page N of M" on every page, letter size, landscape log, and an extractable caption', async () => {
    const folder = tempDir();
    const r = await ok<Exported>('reports:export', { definition: { ...DEFINITION, profile: 'sealed' }, formats: ['pdf'], folder });
    const pdf = join(folder, r.export.files.find((f) => f.format === 'pdf')!.name);
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line.split(/\s+/).at(-5), line).toBe('yes');
    expect(fonts.some((l) => /Arabic/.test(l))).toBe(true);
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '999', pdf], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => `${m[1]}x${m[2]}`);
    expect(sizes).toHaveLength(pages);
    expect(sizes.every((s) => s === '612x792' || s === '792x612')).toBe(true);
    expect(sizes.at(-1)).toBe('792x612'); // the incident log ends the exhibit, in landscape
    const perPage = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, pages);
    perPage.forEach((t, i) => expect(t, `page ${i + 1}`).toContain(`Exhibit A — page ${i + 1} of ${pages}`));
    const all = perPage.join('\n');
    for (const s of ['UNITED STATES DISTRICT COURT', 'Case No. 2:17-cv-11910', 'Class Action', 'Magistrate Judge David R. Grand', 'Table 2. Incident log', '/s/ Jane Doe']) {
      expect(all).toContain(s);
    }
    // The sealed version names people, Arabic script included, as searchable text.
    const raw = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    const arabic = source.people.find((p) => p.nameOriginal && raw.includes(`${p.filingCode}`) && p.consent)!;
    expect(raw).toContain(`${arabic.familyName},`);
    for (const word of arabic.nameOriginal!.split(' ')) expect(raw).toContain(word);
  });

  it('gives byte-identical HTML and CSV for the same records, definition and time', async () => {
    const a = await ok<Exported>('reports:export', { definition: DEFINITION, formats: ['html', 'csv'], folder: tempDir() });
    const b = await ok<Exported>('reports:export', { definition: DEFINITION, formats: ['html', 'csv'], folder: tempDir() });
    const hashes = (e: Exported) => e.export.files.filter((f) => f.format === 'html' || f.format === 'csv').map((f) => `${f.name} ${f.sha256}`);
    expect(hashes(a)).toHaveLength(3);
    expect(hashes(a)).toEqual(hashes(b));
  });

  it('logs every export, lists it, and verifies files on disk against their SHA-256', async () => {
    const folder = tempDir();
    const r = await ok<Exported>('reports:export', { definition: DEFINITION, formats: ['csv', 'xlsx'], folder });
    const listed = await ok<{ items: { id: string; files: unknown[] }[] }>('exports:list', {});
    expect(listed.items[0]!.id).toBe(r.export.id);
    const manifest = JSON.parse(readFileSync(r.manifestPath, 'utf8')) as { files: { name: string; sha256: string }[]; recordIds: { incidents: string[] }; definition: { name: string } };
    expect(manifest.definition.name).toBe(DEFINITION.name);
    expect(manifest.recordIds.incidents.length).toBeGreaterThan(0);
    const csv = r.export.files.find((f) => f.name.endsWith('-log.csv'))!;
    expect(manifest.files.find((f) => f.name === csv.name)!.sha256).toBe(csv.sha256);
    expect(await ok('exports:verify', { exportId: r.export.id, name: csv.name })).toMatchObject({ found: true, matches: true });
    const path = join(folder, csv.name);
    writeFileSync(path, readFileSync(path, 'utf8').replace('CM-0', 'CM-9'));
    expect(await ok('exports:verify', { exportId: r.export.id, name: csv.name })).toMatchObject({ found: true, matches: false });
    expect(await ok('exports:verify', { exportId: r.export.id, name: csv.name, path: join(folder, 'gone.csv') })).toMatchObject({ found: false, matches: false });
  });

  it('never overwrites an earlier export in the same folder', async () => {
    const folder = tempDir();
    const a = await ok<Exported>('reports:export', { definition: DEFINITION, formats: ['html'], folder, includeKey: false });
    const b = await ok<Exported>('reports:export', { definition: DEFINITION, formats: ['html'], folder, includeKey: false });
    expect(a.export.files[0]!.name).not.toBe(b.export.files[0]!.name);
    expect(existsSync(join(folder, a.export.files[0]!.name))).toBe(true);
  });

  it('saves definitions with versions, refuses a stale save, and exports by saved id', async () => {
    const saved = await ok<{ id: string; version: number }>('reports:save', { definition: DEFINITION });
    const again = await ok<{ version: number }>('reports:save', { id: saved.id, expectedVersion: 1, definition: { ...DEFINITION, title: 'Renamed' } });
    expect(again.version).toBe(2);
    const stale = await session.dispatch('reports:save', { id: saved.id, expectedVersion: 1, definition: DEFINITION });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const bad = await session.dispatch('reports:save', { definition: { ...DEFINITION, periodTo: '2026-04-01' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['definition', 'periodTo'] }] } });
    const list = await ok<{ items: { id: string; definition: { title: string } }[] }>('reports:list', {});
    expect(list.items.find((d) => d.id === saved.id)!.definition.title).toBe('Renamed');
    const r = await ok<Exported & { export: { definitionId: string; definitionVersion: number } }>('reports:export', { definitionId: saved.id, formats: ['csv'], folder: tempDir() });
    expect(r.export).toMatchObject({ definitionId: saved.id, definitionVersion: 2 });
  });

  it('neutralises cells a spreadsheet would run as formulas, in CSV and XLSX', async () => {
    const s = reportSession(tempDbFile());
    const f = await s.dispatch('facilities:create', { name: '=HYPERLINK("http://x","y")', city: '+Detroit', state: 'MI', operator: 'PRIVATE', operatorName: null, standard: 'PBNDS_2011' });
    const p = await s.dispatch('people:create', { familyName: 'Doe', givenName: 'Ann', aNumber: '200000001', consentGiven: true, consentDate: '2026-01-01' });
    if (!f.ok || !p.ok) throw new Error('seed');
    const inc = await s.dispatch('incidents:create', {
      personId: (p.data as { id: string }).id,
      facilityId: (f.data as { id: string }).id,
      occurredOn: '2026-05-05',
      categories: ['FOOD'],
      summary: '@SUM(A1:A9) and -1+1',
      status: 'verified',
    });
    expect(inc.ok).toBe(true);
    const folder = tempDir();
    const r = await s.dispatch('reports:export', { definition: { ...DEFINITION, columns: ['rowId', 'facility', 'summary'] }, formats: ['csv', 'xlsx'], folder, bom: false });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const files = (r.data as Exported).export.files;
    const csv = readFileSync(join(folder, files.find((x) => x.name.endsWith('-log.csv'))!.name), 'utf8');
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")",'+Detroit`);
    expect(csv).toContain(`'@SUM(A1:A9) and -1+1`);
    expect(csv.split('\r\n').length).toBeGreaterThan(2); // RFC 4180 line ends
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(folder, files.find((x) => x.format === 'xlsx')!.name));
    const log = wb.getWorksheet('Log')!;
    expect(log.getRow(2).getCell(2).value).toBe(`'=HYPERLINK("http://x","y")`);
    expect(log.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(log.autoFilter).toBeTruthy();
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Caption', 'Summary', 'Log', 'Manifest']);
    s.close();
  });
});

describe('attest export (CLI)', () => {
  async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('without a definition exports every included incident under the office default caption', async () => {
    const out = tempDir();
    const r = await cli(['export', '--db', dbFile, '--format', 'csv,html', '--profile', 'public', '--out', out]);
    expect(r.err).toMatch(/^redaction review: \d+ suspicious/);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out) as { ok: true; data: Exported };
    const html = readFileSync(join(out, res.data.export.files.find((f) => f.format === 'html')!.name), 'utf8');
    expect(html).toContain('UNITED STATES DISTRICT COURT');
    expect(html).toContain('EASTERN DISTRICT OF MICHIGAN');
  });

  it('says clearly when no Chromium is found: refuses --format pdf, writes the rest with --format all', async () => {
    const env = { CHROMIUM_PATH: join(tempDir(), 'no-chromium') };
    const pdfOnly = await cli(['export', '--db', dbFile, '--format', 'pdf', '--out', tempDir()], env);
    expect(pdfOnly.code).toBe(2);
    expect(pdfOnly.err).toMatch(/PDF needs a Chromium browser and none was found/);
    const out = tempDir();
    const all = await cli(['export', '--db', dbFile, '--format', 'all', '--out', out], env);
    expect(all.code).toBe(0);
    expect(all.err).toMatch(/writing the other formats/);
    const formats = (JSON.parse(all.out) as { data: Exported }).data.export.files.map((f) => f.format);
    expect(formats).toEqual(expect.arrayContaining(['docx', 'xlsx', 'csv', 'html']));
    expect(formats).not.toContain('pdf');
  });

  it('reads a definition from a JSON file and names the bad field', async () => {
    const file = join(tempDir(), 'def.json');
    writeFileSync(file, JSON.stringify({ ...DEFINITION, exhibitLabel: '' }));
    const r = await cli(['export', '--db', dbFile, '--definition', file, '--format', 'csv', '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/exhibitLabel: Exhibit label is required/);
    expect(ReportDefinitionInput.safeParse(DEFINITION).success).toBe(true);
  });
});
