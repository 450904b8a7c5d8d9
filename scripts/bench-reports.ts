// npm run bench:reports: speed goals of exhibits, on a deterministic generated corpus. Prints
// medians and p95, with ratios against baselines measured in the same run.
//   model for 30,000 incidents (goal ≤ 150 ms); each format for a 2,000-row exhibit;
//   CSV within 2× a bare write of the same rows; DOCX ≤ 1.5 s; the 2,000-row exhibit PDF's page
//   count (goal ≤ 300) and its print time against a bare Chromium print of the same HTML in the
//   same run (goal ≤ 1.1×). Chromium's time follows the page count, so density is the lever.
//   the builder's preview through dispatch over a database of 30,000 incidents (goal ≤ 150 ms),
//   the first one after a write and a repeat, against the preview from every incident's key row
//   (what each first preview after a write cost before the database counted) in the same run.
// `-- --only model` runs the 30,000-incident model and review rows alone, `-- --only formats` the
// 2,000-row formats and PDF rows alone, `-- --only preview` the preview rows alone (on a busy
// machine, a re-run of one part).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPdfPrinter, findChromium } from '../electron/cli/pdf-chromium';
import { seed } from '../db/seed';
import { resolveDefinition } from '../electron/core/report-export';
import { previewFromKeyRows, previewReport } from '../electron/core/report-preview';
import { openSession } from '../electron/core/session';
import { renderLogCsv } from '../shared/report/csv';
import { ReportDefinitionInput } from '../shared/report/definition';
import { renderDocx } from '../shared/report/docx';
import { renderHtml } from '../shared/report/html';
import { buildAutoRedactedModel, buildReportModel, type BuildInput, type LogRow } from '../shared/report/model';
import { modelReviewTexts, reviewTexts } from '../shared/report/review';
import { exhibitPdfOptions, forPrinting } from '../shared/report/pdf-options';
import { renderXlsx } from '../shared/report/xlsx';
import { reportCorpus } from '../test/report-corpus';

interface Stat {
  name: string;
  n: number;
  median: number;
  p95: number;
}

async function measure(name: string, n: number, fn: () => unknown, warm = 2): Promise<Stat> {
  for (let i = 0; i < warm; i++) await fn();
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    s.push(performance.now() - t);
  }
  s.sort((a, b) => a - b);
  return { name, n, median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]! };
}

function input(incidents: number, people: number): BuildInput {
  return {
    source: reportCorpus({ incidents, people, seed: 2026 }),
    definition: ReportDefinitionInput.parse({
      name: 'Bench',
      caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Bench v. Bench', caseNumber: 'No. 1' },
      title: 'Status report',
      exhibitLabel: 'Exhibit A',
      periodFrom: '2026-01-01',
      periodTo: '2026-12-31',
      filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
    }),
    settings: { officeName: '', aNumberInPublic: 'omit' },
    generatedAt: '2026-07-01T00:00:00.000Z',
    appVersion: 'bench',
    definitionId: null,
  };
}

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (only !== undefined && only !== 'model' && only !== 'formats' && only !== 'preview') throw new Error(`--only: give model, formats or preview, not ${only ?? 'nothing'}`);
const runs = (part: 'model' | 'formats' | 'preview') => only === undefined || only === part;

const rows: { stat: Stat; goal: string; verdict: string }[] = [];
let pageCount: { pages: number; verdict: string } | null = null;
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

if (runs('model')) {
  // Model over 30,000 incidents (1,444 people, as in the intake bench), public profile: the slowest,
  // since every summary and own-words text goes through redaction.
  const big = input(30_000, 1_444);
  const model30k = await measure('model, 30,000 incidents (public)', 7, () => buildReportModel(big));
  rows.push({ stat: model30k, goal: '≤ 150 ms', verdict: model30k.median <= 150 ? 'ok' : 'MISSED' });
  const sealed = await measure('model, 30,000 incidents (sealed)', 7, () => buildReportModel({ ...big, definition: { ...big.definition, profile: 'sealed' } }));
  rows.push({ stat: sealed, goal: 'baseline: no redaction', verdict: `public ${(model30k.median / sealed.median).toFixed(2)}×` });

  // The redaction review of the same exhibit (the builder rebuilds it after each change, as the
  // preview): the public and sealed models without hand redaction, compared text by text.
  const pubModel = buildAutoRedactedModel(big);
  const sealedModel = buildAutoRedactedModel({ ...big, definition: { ...big.definition, profile: 'sealed' } });
  const safe = { words: ['North Lake Processing Center', 'Calhoun County Correctional Center', 'Monroe County Jail', 'St. Clair County Jail', 'Baldwin', 'Battle Creek', 'Monroe', 'Port Huron', 'MI'], phrases: [], period: { from: '2026-01-01', to: '2026-12-31' } };
  const review = await measure('redaction review, 30,000 incidents', 5, () => reviewTexts(modelReviewTexts(sealedModel, pubModel, 0), safe, []));
  rows.push({ stat: review, goal: '≤ 3× the public model', verdict: `${(review.median / model30k.median).toFixed(2)}× ${review.median <= 3 * model30k.median ? 'ok' : 'MISSED'}` });
}

if (runs('formats')) {
  // Each format for a 2,000-row exhibit.
  const m2k = buildReportModel(input(2_000, 400));
  if (m2k.log.rows.length !== 2_000) throw new Error(`expected 2,000 rows, got ${m2k.log.rows.length}`);
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-reports-'));
  try {
    // Baseline: the same fields joined with commas and written, no quoting or neutralising.
    const fields = (r: LogRow) => [r.rowId, r.person, r.facilityName, r.facilityCity, r.facilityState, r.date, r.dateIso, r.dateApprox ? 'approx.' : '', r.categories.join('; '), r.categoryCodes.join('; '), r.summary, r.counselPresent, r.documentType, r.documentSigned, r.grievance, r.interviewDate, r.declaration];
    const bare = await measure('bare write of the 2,000 rows', 15, () => writeFileSync(join(dir, 'bare.csv'), m2k.log.rows.map((r) => fields(r).join(',')).join('\n')));
    const csv = await measure('CSV, 2,000 rows (render + write)', 15, () => writeFileSync(join(dir, 'x.csv'), renderLogCsv(m2k, { bom: true })));
    rows.push({ stat: bare, goal: 'baseline', verdict: '' });
    const ratio = csv.median / bare.median;
    rows.push({ stat: csv, goal: '≤ 2× bare write', verdict: `${ratio.toFixed(2)}× ${ratio <= 2 ? 'ok' : 'MISSED'}` });
    const html = await measure('HTML, 2,000 rows', 7, () => renderHtml(m2k));
    rows.push({ stat: html, goal: '', verdict: '' });
    const xlsx = await measure('XLSX, 2,000 rows', 3, () => renderXlsx(m2k), 1);
    rows.push({ stat: xlsx, goal: '', verdict: '' });
    const docx = await measure('DOCX, 2,000 rows', 5, () => renderDocx(m2k), 1);
    rows.push({ stat: docx, goal: '≤ 1.5 s', verdict: docx.median <= 1500 ? 'ok' : 'MISSED' });
    const printer = await chromiumPdfPrinter();
    if ('unavailable' in printer) {
      console.log(`PDF not measured: ${printer.unavailable}`);
    } else {
      const html = renderHtml(m2k);
      const page = forPrinting(html);
      let bytes: Uint8Array = new Uint8Array();
      const pdf = await measure('PDF, 2,000 rows (the exhibit printer)', 3, async () => (bytes = await printer.print(page, exhibitPdfOptions(m2k))), 1);
      await printer.close?.();
      // Baseline: the same HTML printed by a bare Chromium (playwright's page.pdf with its CSS page
      // size, nothing else), launched the same way, in this run.
      const browser = await chromium.launch({ executablePath: findChromium()!, args: CHROMIUM_FLAGS, headless: true });
      const bare = await measure('PDF, 2,000 rows (bare Chromium print, same HTML)', 3, async () => {
        const p = await browser.newPage();
        await p.setContent(html, { waitUntil: 'load' });
        await p.pdf({ preferCSSPageSize: true });
        await p.close();
      }, 1);
      await browser.close();
      rows.push({ stat: bare, goal: 'baseline', verdict: '' });
      const ratio = pdf.median / bare.median;
      rows.push({ stat: pdf, goal: '≤ 1.1× bare print', verdict: `${ratio.toFixed(2)}× ${ratio <= 1.1 ? 'ok' : 'MISSED'}` });
      writeFileSync(join(dir, 'exhibit.pdf'), bytes);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(dir, 'exhibit.pdf')], { encoding: 'utf8' }))?.[1]);
      pageCount = { pages, verdict: pages <= 300 ? 'ok' : 'MISSED' };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (runs('preview')) {
  // The builder's preview through dispatch, over a database seeded as the intake bench seeds it.
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-preview-'));
  const session = openSession(join(dir, 'bench.sqlite'), { user: 'bench' });
  try {
    const { db } = session.ctx;
    const call = async (channel: string, x: unknown) => {
      const r = await session.dispatch(channel, x);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.message}`);
      return r.data as Record<string, unknown> & { version: number };
    };
    await call('backup:configure', { everyWrites: 0, everyMinutes: 0, onClose: false }); // no backup inside a timed call
    seed(db, { people: 1_444, incidents: 30_000, seed: 2026 });
    db.pragma('optimize');
    const definition = {
      name: 'Bench',
      caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Bench v. Bench', caseNumber: 'No. 1' },
      title: 'Status report',
      exhibitLabel: 'Exhibit A',
      periodFrom: '2000-01-01',
      periodTo: new Date().toISOString().slice(0, 10),
      filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
    };
    const resolved = resolveDefinition(db, { definition: ReportDefinitionInput.parse(definition) });
    // This process's CPU time in the previews too: on a shared machine, wall time also counts waiting
    // for a core; the CPU time is what an idle machine would take, near enough.
    const cpu: number[] = [];
    const preview = async () => {
      const c = process.cpuUsage();
      await call('reports:preview', { definition });
      const u = process.cpuUsage(c);
      cpu.push((u.user + u.system) / 1000);
    };
    const cpuMedian = () => {
      const s = cpu.splice(0).sort((a, b) => a - b);
      return `cpu ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms`;
    };
    // Baseline: the same preview from a key row of every incident of the period, ordered and
    // counted in JavaScript, the redactor made over them: what the first preview after each write cost.
    const keyRows = await measure('  baseline: preview from every key row (each first one after a write, before)', 3, () => {
      const c = process.cpuUsage();
      previewReport(db, resolved, new Date().toISOString(), 'bench', 200, previewFromKeyRows);
      const u = process.cpuUsage(c);
      cpu.push((u.user + u.system) / 1000);
    }, 1);
    rows.push({ stat: keyRows, goal: 'baseline', verdict: cpuMedian() });
    const verdict = (s: Stat) => `${(s.median / keyRows.median).toFixed(2)}× ${s.median <= 150 ? 'ok' : 'MISSED'}  ${cpuMedian()}`;
    const after = async (name: string, n: number, write: (i: number) => Promise<unknown>) => {
      await preview();
      cpu.length = 0;
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        await write(i);
        const t = performance.now();
        await preview();
        samples.push(performance.now() - t);
      }
      samples.sort((a, b) => a - b);
      const stat = { name, n, median: samples[Math.floor(n / 2)]!, p95: samples[Math.min(n - 1, Math.floor(n * 0.95))]! };
      rows.push({ stat, goal: '≤ 150 ms', verdict: verdict(stat) });
    };
    await after('reports:preview via dispatch, first after a write (a draft saved)', 9, (i) => call('drafts:save', { key: 'bench', kind: 'other', data: { i } }));
    // An incident deleted and restored in turn: the counts change each time.
    const incident = db.prepare('SELECT id FROM incidents WHERE deleted_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
    await after('reports:preview via dispatch, first after an incident changed', 9, async (i) => {
      const r = await call('incidents:get', { id: incident });
      await call(i % 2 ? 'incidents:restore' : 'incidents:delete', { id: incident, expectedVersion: r.version });
    });
    // A person's name changed: the redactor's name tables are made again.
    const person = db.prepare('SELECT id FROM people ORDER BY id LIMIT 1').pluck().get() as string;
    await after('reports:preview via dispatch, first after a person renamed', 5, async (i) => {
      const p = await call('people:get', { id: person });
      await call('people:update', { ...p, id: person, expectedVersion: p.version, givenName: `Bench${i}`, reason: 'bench' });
    });
    cpu.length = 0;
    const repeat = await measure('reports:preview via dispatch, repeat (nothing written)', 9, preview, 0);
    rows.push({ stat: repeat, goal: '≤ 150 ms', verdict: verdict(repeat) });
  } finally {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const w = Math.max(...rows.map((r) => r.stat.name.length));
console.log(`\n${'reports'.padEnd(w)}  ${'n'.padStart(3)}  ${'median'.padStart(9)}  ${'p95'.padStart(9)}  goal`);
for (const r of rows) {
  console.log(`${r.stat.name.padEnd(w)}  ${String(r.stat.n).padStart(3)}  ${fmt(r.stat.median).padStart(9)}  ${fmt(r.stat.p95).padStart(9)}  ${r.goal}${r.verdict ? `  ${r.verdict}` : ''}`);
}
if (pageCount) console.log(`\nexhibit PDF, 2,000 rows: ${pageCount.pages} pages (goal ≤ 300)  ${pageCount.verdict}`);
