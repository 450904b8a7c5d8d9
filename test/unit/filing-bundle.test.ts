// A filing bundle and a public export's sealed key, from a seeded database through the real
// channels, SQLite, Chromium and pdf-lib, read back with poppler (pdfinfo, pdftotext) as a clerk's
// tools would: page counts and Bates ranges agree with an independent count, every page carries its
// stamp clear of the page footer, nothing sealed lies among the public files.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdfPrinter } from '../../electron/cli/pdf-chromium';
import { runCli } from '../../electron/cli/cli';
import { setReportHost, type PdfPrinter } from '../../electron/core/report-host';
import { openSession, type Session } from '../../electron/core/session';
import { batesOfPage } from '../../shared/report/bundle';
import { SEALED_FOLDER } from '../../shared/report/manifest';
import { compareCodes } from '../../shared/report/model';
import { cleanupTempDirs, fixedClock, tempDbFile, tempDir } from '../helpers';
import { forbiddenStrings, reportCorpus } from '../report-corpus';
import { seedCorpus } from '../report-seed';

const source = reportCorpus({ incidents: 60, seed: 11 });
const DEFINITION = {
  name: 'Bundle',
  caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Doe v. Roe', caseNumber: 'Case No. 2:17-cv-11910', judge: 'Hon. Mark A. Goldsmith' },
  title: 'Status report: incidents reported by class members',
  exhibitLabel: 'Exhibit A',
  periodFrom: '2026-05-01',
  periodTo: '2026-06-30',
  signature: { attorney: 'Jane Doe' },
};
const BATES = { prefix: 'HAM-', start: 1001, digits: 6 };

let session: Session;
let printer: PdfPrinter;
let dbFile: string;

interface Bundled {
  export: { id: string; folder: string; files: { name: string; format: string; sha256: string }[] };
  manifestPath: string;
  pages: number;
  parts: { label: string; kind: string; pages: [number, number]; bates: [string, string] }[];
}

async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await session.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

/** A declaration as a scanner or word processor gives it: its own footer at the bottom centre. */
async function declaration(file: string, pages: number, size: [number, number] = [612, 792]): Promise<string> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.TimesRoman);
  for (let i = 0; i < pages; i++) {
    const p = d.addPage(size);
    p.drawText(`I declare under penalty of perjury, page ${i + 1}.`, { x: 72, y: size[1] - 90, size: 14, font });
    p.drawText(`Declaration page ${i + 1} of ${pages}`, { x: size[0] / 2 - 70, y: 36, size: 14, font });
  }
  writeFileSync(file, await d.save());
  return file;
}

const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const pageTexts = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\f');

/** Every word with its box, page by page (pdftotext -bbox). */
function words(file: string): { page: number; height: number; text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const out: ReturnType<typeof words> = [];
  let page = 0;
  let height = 0;
  for (const line of html.split('\n')) {
    const p = /<page width="[\d.]+" height="([\d.]+)"/.exec(line);
    if (p) {
      page++;
      height = Number(p[1]);
    }
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/.exec(line);
    if (m) out.push({ page, height, text: m[5]!, xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]! });
  }
  return out;
}

beforeAll(async () => {
  dbFile = tempDbFile();
  session = openSession(dbFile, { user: 'test-clerk', now: fixedClock('2026-07-25T12:00:00.000Z') });
  await seedCorpus(session, source);
  const p = await chromiumPdfPrinter();
  if ('unavailable' in p) throw new Error(p.unavailable);
  printer = p;
  setReportHost(session.ctx, { pdf: async () => printer });
  await ok('reports:save-settings', { officeName: 'Clinic', aNumberInPublic: 'omit', bates: BATES });
}, 120_000);

afterAll(async () => {
  await printer?.close?.();
  session?.close();
  cleanupTempDirs();
});

describe('filing bundle', () => {
  it('combines the index, Exhibit A and Exhibits B-1…B-n into one PDF; page counts and Bates ranges agree with pdfinfo and pdftotext; every page is stamped clear of its footer', async () => {
    const dir = tempDir();
    const b1 = await declaration(join(dir, 'decl-1.pdf'), 2);
    const b2 = await declaration(join(dir, 'decl-2.pdf'), 3, [792, 612]);
    const folder = join(dir, 'out');
    const r = await ok<Bundled>('reports:bundle', {
      definition: DEFINITION,
      documents: [
        { path: b1, title: 'Declaration of CM-003' },
        { path: b2, title: 'Declaration of CM-007' },
      ],
      folder,
    });
    const bundle = join(folder, r.export.files.find((f) => f.format === 'bundle-pdf')!.name);
    const pages = pdfPages(bundle);
    expect(r.pages).toBe(pages);
    expect(r.parts.map((p) => p.label)).toEqual(['Exhibit A', 'Exhibit B', 'Exhibit B-1', 'Exhibit B-2']);
    // Parts end to end after the index, and to the last page.
    const indexPages = r.parts[0]!.pages[0] - 1;
    expect(indexPages).toBeGreaterThanOrEqual(1);
    r.parts.forEach((p, i) => expect(p.pages[0]).toBe(i ? r.parts[i - 1]!.pages[1] + 1 : indexPages + 1));
    expect(r.parts.at(-1)!.pages[1]).toBe(pages);
    for (const p of r.parts) expect(p.bates).toEqual([batesOfPage(BATES, p.pages[0]), batesOfPage(BATES, p.pages[1])]);
    expect(batesOfPage(BATES, 1)).toBe('HAM-001001');

    const texts = pageTexts(bundle).slice(0, pages);
    // Independent counts: Exhibit A's pages are those whose footer names them; a document is its
    // slip sheet and the pages it had.
    const aPages = texts.flatMap((t, i) => (/Exhibit A — page \d+ of \d+/.test(t) ? [i + 1] : []));
    expect([aPages[0], aPages.at(-1)]).toEqual(r.parts[0]!.pages);
    expect(aPages).toHaveLength(r.parts[0]!.pages[1] - r.parts[0]!.pages[0] + 1);
    const b1Part = r.parts[2]!;
    const b2Part = r.parts[3]!;
    expect(b1Part.pages[1] - b1Part.pages[0] + 1).toBe(1 + pdfPages(b1));
    expect(b2Part.pages[1] - b2Part.pages[0] + 1).toBe(1 + pdfPages(b2));
    expect(texts[b1Part.pages[0] - 1]).toContain('EXHIBIT B-1');
    expect(texts[b2Part.pages[0]]).toContain('Declaration page 1 of 3');
    expect(texts[0]).toContain('Index of exhibits');
    for (const p of r.parts) expect(texts[0]!.replace(/\s+/g, ' ')).toContain(p.bates[0]);

    // Every page carries its own number once, in the bottom-right corner, clear of every footer.
    const all = words(bundle);
    for (let page = 1; page <= pages; page++) {
      // In the bottom inch (the index lists Bates numbers in its table too).
      const stamp = all.filter((w) => w.page === page && /^HAM-\d{6}$/.test(w.text) && w.yMin > w.height - 72);
      expect(stamp.map((w) => w.text), `page ${page}`).toEqual([batesOfPage(BATES, page)]);
      const s = stamp[0]!;
      const others = all.filter((w) => w.page === page && w !== s);
      const overlaps = others.filter((w) => w.xMin < s.xMax && s.xMin < w.xMax && w.yMin < s.yMax && s.yMin < w.yMax);
      expect(overlaps.map((w) => w.text), `page ${page}`).toEqual([]);
      const footer = others.filter((w) => w.yMin > s.yMin - 60);
      // The footer line ("Exhibit A — page N of M", "Declaration page N of M") ends left of the stamp.
      for (const w of footer) expect(w.xMax < s.xMin || w.yMax < s.yMin, `page ${page}: ${w.text}`).toBe(true);
    }

    // Fonts the bundle itself adds (index, slip sheets, stamps, exhibit) are embedded; the test's
    // declarations use a standard font, which the bundle keeps as given.
    const fonts = execFileSync('pdffonts', [bundle], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    for (const line of fonts.filter((l) => !l.startsWith('Times-Roman'))) expect(line.split(/\s+/).at(-5), line).toBe('yes');

    // The public bundle leaks nothing the exhibit may not show.
    const text = texts.join('\n');
    const forbidden = forbiddenStrings(source);
    expect(forbidden.filter((s) => text.includes(s))).toEqual([]);
    expect(text).toContain('CM-0');

    // The manifest lists the parts, the Bates range and the SHA-256 of every file; the bundle is logged.
    const manifest = JSON.parse(readFileSync(r.manifestPath, 'utf8')) as { bundle: { pages: number; bates: { first: string; last: string }; parts: unknown[] }; files: { name: string; sha256: string }[] };
    expect(manifest.bundle).toMatchObject({ pages, bates: { first: 'HAM-001001', last: batesOfPage(BATES, pages) }, parts: r.parts });
    for (const f of manifest.files) expect(await ok('exports:verify', { exportId: r.export.id, name: f.name }), f.name).toMatchObject({ found: true, matches: true });
    const listed = await ok<{ items: { id: string }[] }>('exports:list', {});
    expect(listed.items[0]!.id).toBe(r.export.id);
  }, 180_000);

  it('refuses a document that is not a PDF, naming it, and writes nothing', async () => {
    const dir = tempDir();
    const notPdf = join(dir, 'notes.pdf');
    writeFileSync(notPdf, 'not a pdf');
    const folder = join(dir, 'out');
    const r = await session.dispatch('reports:bundle', { definition: DEFINITION, documents: [{ path: notPdf, title: 'Notes' }], folder });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['documents', 0, 'path'] }] } });
    expect(readdirSync(dir)).toEqual(['notes.pdf']);
  }, 120_000);

  it('attest bundle writes the same bundle from the command line', async () => {
    const dir = tempDir();
    const def = join(dir, 'def.json');
    writeFileSync(def, JSON.stringify(DEFINITION));
    const out: string[] = [];
    const err: string[] = [];
    const decl = await declaration(join(dir, 'd.pdf'), 1);
    const code = await runCli(['bundle', '--db', dbFile, '--definition', def, '--document', `${decl}=Declaration of CM-003`, '--out', join(dir, 'out')], { out: (s) => out.push(s), err: (s) => err.push(s) }, process.env);
    expect(err.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const res = JSON.parse(out.join('\n')) as { ok: true; data: Bundled };
    expect(res.data.parts.map((p) => p.label)).toEqual(['Exhibit A', 'Exhibit B', 'Exhibit B-1']);
  }, 120_000);
});

describe('sealed key of a public export', () => {
  it('goes into its own owner-only SEALED folder, never among the public files; every file is 0600 and every folder 0700; codes in numeric order', async () => {
    const folder = join(tempDir(), 'new-folder');
    const r = await ok<Bundled>('reports:export', { definition: DEFINITION, formats: ['csv', 'html', 'pdf'], folder });
    const top = readdirSync(folder);
    expect(top).toContain(SEALED_FOLDER);
    expect(top.filter((n) => n !== SEALED_FOLDER && /sealed|key/i.test(n))).toEqual([]);
    const sealed = readdirSync(join(folder, SEALED_FOLDER));
    expect(sealed.sort()).toEqual(['exhibit-a-SEALED-key-2026-06-30.csv', 'exhibit-a-SEALED-key-2026-06-30.html', 'exhibit-a-SEALED-key-2026-06-30.pdf']);
    expect(r.export.files.filter((f) => f.format.startsWith('key-')).map((f) => f.name.split('/')[0])).toEqual([SEALED_FOLDER, SEALED_FOLDER, SEALED_FOLDER]);
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(folder)).toBe(0o700);
    expect(mode(join(folder, SEALED_FOLDER))).toBe(0o700);
    for (const n of top.filter((x) => x !== SEALED_FOLDER)) expect(mode(join(folder, n)), n).toBe(0o600);
    for (const n of sealed) expect(mode(join(folder, SEALED_FOLDER, n)), n).toBe(0o600);
    // No public file names anyone; the key does, in numeric order of its codes.
    const forbidden = forbiddenStrings(source);
    for (const n of top.filter((x) => x !== SEALED_FOLDER && !x.endsWith('.pdf'))) expect(forbidden.filter((s) => readFileSync(join(folder, n), 'utf8').includes(s)), n).toEqual([]);
    const keyCsv = readFileSync(join(folder, SEALED_FOLDER, 'exhibit-a-SEALED-key-2026-06-30.csv'), 'utf8');
    const codes = keyCsv.split(/\r?\n/).slice(1).filter(Boolean).map((l) => l.replace(/^\uFEFF/, '').split(',')[0]!);
    expect(codes.length).toBeGreaterThan(3);
    expect(codes).toEqual([...codes].sort(compareCodes));
    // The manifest pins every record behind the exhibit: its version and content hash in the history.
    const manifest = JSON.parse(readFileSync(r.manifestPath, 'utf8')) as { recordIds: { incidents: string[]; people: string[] }; records: { entity: string; id: string; version: number; contentHash: string }[] };
    const pinned = new Map(manifest.records.map((x) => [x.id, x]));
    for (const id of [...manifest.recordIds.incidents, ...manifest.recordIds.people]) {
      const audit = session.ctx.db.prepare('SELECT MAX(version) AS v, content_hash AS h FROM audit_log WHERE id = ?').get(id) as { v: number; h: string };
      expect(pinned.get(id), id).toMatchObject({ version: audit.v, contentHash: audit.h });
    }
    // A second export to the same folder adds its key beside the first, never over it.
    const again = await ok<Bundled>('reports:export', { definition: DEFINITION, formats: ['csv'], folder });
    expect(again.export.files.filter((f) => f.format === 'key-csv').map((f) => f.name)).toEqual([`${SEALED_FOLDER}/exhibit-a-SEALED-key-2026-06-30-2.csv`]);
    expect(await ok('exports:verify', { exportId: again.export.id, name: `${SEALED_FOLDER}/exhibit-a-SEALED-key-2026-06-30-2.csv` })).toMatchObject({ found: true, matches: true });
  }, 120_000);
});
