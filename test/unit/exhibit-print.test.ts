// The app prints an exhibit by serving it from memory through its own scheme (attest://exhibit/…)
// to a hidden window. Here the same handler and the same print function serve Chromium (Debian's,
// through playwright-core): the browser's requests are routed to handleAppRequest, as Electron's
// protocol.handle routes them in the app. A 2,000-row exhibit is far above the 2 MB a data: URL
// may hold, which is how the app used to load it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, findChromium, playwrightPdfOptions } from '../../electron/cli/pdf-chromium';
import { ExhibitPages, handleAppRequest, printExhibitThroughScheme } from '../../electron/shell/protocol';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { renderHtml } from '../../shared/report/html';
import { buildReportModel } from '../../shared/report/model';
import { exhibitPdfOptions, forPrinting } from '../../shared/report/pdf-options';
import { cleanupTempDirs, tempDir } from '../helpers';
import { reportCorpus } from '../report-corpus';

/** Chromium's cap on a URL's length (url/url_constants.cc, kMaxURLChars). */
const CHROMIUM_MAX_URL_CHARS = 2 * 1024 * 1024;

function exhibit2000() {
  const model = buildReportModel({
    source: reportCorpus({ incidents: 2_000, people: 400, seed: 2026 }),
    definition: ReportDefinitionInput.parse({
      name: 'Print',
      caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Doe v. Roe', caseNumber: 'No. 1' },
      title: 'Status report',
      exhibitLabel: 'Exhibit A',
      periodFrom: '2026-01-01',
      periodTo: '2026-12-31',
      filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
    }),
    settings: { officeName: '', aNumberInPublic: 'omit' },
    generatedAt: '2026-07-01T00:00:00.000Z',
    appVersion: 'test',
    definitionId: null,
  });
  expect(model.log.rows).toHaveLength(2_000);
  return { model, html: forPrinting(renderHtml(model)) };
}

/** Routes the page's requests to the app's scheme handler; anything else is refused. */
async function serveThroughScheme(page: Page, exhibits: ExhibitPages, rendererDir: string): Promise<void> {
  await page.route('**/*', async (route) => {
    const req = route.request();
    const host = new URL(req.url()).hostname;
    if (host !== 'exhibit' && host !== 'app') return route.abort('blockedbyclient');
    const res = await handleAppRequest(new Request(req.url(), { method: req.method() }), { rendererDir, exhibits });
    await route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
  });
}

const chromiumPath = findChromium();
let browser: Browser;

describe.skipIf(!chromiumPath)('printing an exhibit through the app scheme', () => {
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_FLAGS, headless: true });
  });
  afterAll(async () => browser?.close());
  afterEach(cleanupTempDirs);

  it('prints a 2,000-row exhibit served from memory, every row in the PDF, and forgets it afterwards', async () => {
    const { model, html } = exhibit2000();
    // The old path: too long for Chromium to load as a data: URL; it refuses the navigation.
    const dataUrl = `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
    expect(dataUrl.length).toBeGreaterThan(CHROMIUM_MAX_URL_CHARS);

    const exhibits = new ExhibitPages();
    const page = await browser.newPage();
    try {
      const old = await page.goto(dataUrl).then(
        () => 'loaded',
        (e: Error) => e.message.slice(0, 40), // the message repeats the whole URL
      );
      expect(old).toMatch(/net::ERR_/);

      await serveThroughScheme(page, exhibits, tempDir());
      let served = '';
      const pdf = await printExhibitThroughScheme(exhibits, html, 'http://exhibit', {
        load: async (url) => {
          served = url;
          const res = await page.goto(url, { waitUntil: 'load' });
          expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
        },
        print: async () => new Uint8Array(await page.pdf(playwrightPdfOptions(exhibitPdfOptions(model)))),
      });
      expect(exhibits.size).toBe(0);
      // Once printed, the page is gone: its URL answers 404.
      expect((await handleAppRequest(new Request(served), { rendererDir: tempDir(), exhibits })).status).toBe(404);

      const file = join(tempDir(), 'exhibit.pdf');
      writeFileSync(file, pdf);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(pages).toBeGreaterThan(100);
      expect(text).toContain('A-001 ');
      expect(text).toContain('A-2000');
      expect(text).toContain(`page ${pages} of ${pages}`);
    } finally {
      await page.close();
    }
  }, 120_000);
});
