// PDF through a headless Chromium (Debian's chromium, or CHROMIUM_PATH), for the CLI and tests.
import { existsSync } from 'node:fs';
import type { ExhibitPdfOptions } from '../../shared/report/pdf-options';
import type { PdfPrinter } from '../core/report-host';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export const NO_CHROMIUM =
  'PDF needs a Chromium browser and none was found (install chromium, or set CHROMIUM_PATH to its binary); the other formats do not need it';

/** The exhibit's one options object, in Playwright's names (Electron's printToPDF takes it as is). */
export function playwrightPdfOptions(o: ExhibitPdfOptions) {
  return {
    preferCSSPageSize: o.preferCSSPageSize,
    printBackground: o.printBackground,
    displayHeaderFooter: o.displayHeaderFooter,
    tagged: o.generateTaggedPDF,
    outline: o.generateDocumentOutline,
  };
}

/** Launches Chromium lazily; every page is offline (requests other than the document are refused). */
export async function chromiumPdfPrinter(env: NodeJS.ProcessEnv = process.env): Promise<PdfPrinter | { unavailable: string }> {
  const path = findChromium(env);
  if (!path) return { unavailable: NO_CHROMIUM };
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    return { unavailable: 'PDF from the command line needs the playwright-core package, which is not installed' };
  }
  const browser = await playwright.chromium.launch({ executablePath: path, args: CHROMIUM_FLAGS, headless: true });
  return {
    async print(html: string, o: ExhibitPdfOptions): Promise<Uint8Array> {
      const page = await browser.newPage();
      try {
        await page.route('**/*', (route) => route.abort('blockedbyclient'));
        await page.setContent(html, { waitUntil: 'load' });
        const buf = await page.pdf(playwrightPdfOptions(o));
        return new Uint8Array(buf);
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}
