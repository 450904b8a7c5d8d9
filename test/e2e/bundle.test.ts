// Reports → Filing bundle in Chromium, bridged to the real dispatch and SQLite, with a real PDF
// printer: the Bates prefix and first number are set in the office settings, a bundle is written with
// one declaration as Exhibit B-1, and the file is read back with poppler (pdfinfo, pdftotext).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { chromiumPdfPrinter } from '../../electron/cli/pdf-chromium';
import { setReportHost } from '../../electron/core/report-host';
import { tempDbFile, tempDir } from '../helpers';
import { reportCorpus } from '../report-corpus';
import { seedCorpus } from '../report-seed';
import { signIn } from './foundation-scenario';
import { openBrowserApp, SCREENSHOT_DIR, useChromium } from './harness';

const browser = useChromium();

async function declaration(file: string, pages: number): Promise<string> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.TimesRoman);
  for (let i = 0; i < pages; i++) {
    const p = d.addPage([612, 792]);
    p.drawText(`I declare under penalty of perjury, page ${i + 1}.`, { x: 72, y: 700, size: 14, font });
  }
  writeFileSync(file, await d.save());
  return file;
}

describe('Filing bundle panel in Chromium', () => {
  it('stamps continuous Bates numbers from the office settings across the exhibit and Exhibit B-1, and lists the bundle among past exports', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    await seedCorpus(app.session, reportCorpus({ incidents: 20, seed: 3 }));
    const printer = await chromiumPdfPrinter();
    if ('unavailable' in printer) throw new Error(printer.unavailable);
    setReportHost(app.session.ctx, { pdf: async () => printer });
    const page = app.page;
    const dir = tempDir();
    const decl = await declaration(join(dir, 'declaration.pdf'), 2);
    try {
      await app.open();
      await signIn(page, 'Paula Reyes');
      await page.getByTestId('nav-reports').click();
      const builder = page.getByTestId('report-builder');
      await builder.getByRole('textbox', { name: 'Case name', exact: true }).fill('HAMAMA, et al.,');
      await builder.getByRole('textbox', { name: 'Case number', exact: true }).fill('Case No. 2:17-cv-11910');
      await builder.getByLabel('Period from').fill('2026-05-01');
      await builder.getByLabel('Period to').fill('2026-06-30');
      await builder.getByRole('textbox', { name: 'Attorney', exact: true }).fill('Jane Doe');

      const office = page.getByTestId('office-settings');
      await office.getByRole('textbox', { name: 'Bates prefix', exact: true }).fill('HAM-');
      await office.getByRole('textbox', { name: 'First Bates number', exact: true }).fill('1001');
      await office.getByRole('button', { name: 'Save office settings' }).click();
      await office.getByText('Office settings saved').waitFor();
      expect(await app.session.dispatch('reports:settings', {})).toMatchObject({ ok: true, data: { bates: { prefix: 'HAM-', start: 1001, digits: 6 } } });

      const panel = page.getByTestId('report-bundle');
      await panel.getByRole('button', { name: 'Add a document' }).click();
      await panel.getByRole('textbox', { name: 'Exhibit B-1: PDF file', exact: true }).fill(decl);
      await panel.getByRole('textbox', { name: 'Title', exact: true }).fill('Declaration of CM-003');
      const folder = join(dir, 'out');
      await panel.getByRole('textbox', { name: 'Folder', exact: false }).fill(folder);
      await panel.getByRole('button', { name: 'Write bundle' }).click();
      const result = panel.getByTestId('bundle-result');
      await result.waitFor({ timeout: 60_000 });
      // Clear of the app's fixed header, which an element shot would otherwise draw over the panel.
      await panel.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 120));
      await panel.screenshot({ path: join(SCREENSHOT_DIR, 'bundle-panel.png') });

      const bundleName = readdirSync(folder).find((n) => n.endsWith('.pdf'));
      expect(bundleName).toBeDefined();
      const bundle = join(folder, bundleName!);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [bundle], { encoding: 'utf8' }))![1]);
      expect(await result.textContent()).toContain(`Wrote a ${pages}-page bundle`);
      // Every page carries its own number, from HAM-001001 on, with no gap.
      const texts = execFileSync('pdftotext', ['-layout', bundle, '-'], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\f').slice(0, pages);
      const stamps = texts.map((t) => [...t.matchAll(/HAM-(\d{6})/g)].map((m) => Number(m[1])));
      stamps.forEach((s, i) => expect(s, `page ${i + 1}`).toContain(1001 + i));
      expect(await result.textContent()).toContain(`HAM-${String(1000 + pages).padStart(6, '0')}`);
      expect(texts.at(-1)).toContain('I declare under penalty of perjury, page 2.');

      // The bundle is logged like any export, and verifies.
      const past = page.getByTestId('past-exports');
      await past.getByText(bundleName!, { exact: true }).waitFor({ timeout: 10_000 });
      // Past exports sit at the foot of the sticky preview pane: scrolled there first, as a user
      // would, or the click lands while the pane is still moving.
      const verifyButton = past.getByRole('button', { name: `Verify ${bundleName}` });
      await verifyButton.scrollIntoViewIfNeeded();
      await verifyButton.click();
      await expect.poll(() => past.getByTestId('verify-result').first().textContent()).toBe('matches');
      await past.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 120));
      await past.screenshot({ path: join(SCREENSHOT_DIR, 'bundle-past-exports.png') });
      await app.screenshot('bundle-reports-page');

      const prefix = join(SCREENSHOT_DIR, 'bundle-page');
      execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '4', bundle, prefix]);
      expect(existsSync(`${prefix}-1.png`) || existsSync(`${prefix}-01.png`)).toBe(true);
      execFileSync('pdftoppm', ['-png', '-r', '50', '-f', String(pages - 2), '-l', String(pages), bundle, `${prefix}-end`]);
    } finally {
      await printer.close?.();
      await app.close();
    }
  }, 180_000);
});
