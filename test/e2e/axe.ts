// Accessibility, measured: axe-core (injected from its package) run in the page against the WCAG 2.2
// AA rules, at the default window and at the smallest supported one (1024×700). The page's CSP
// refuses inline scripts (so addScriptTag cannot inject it); its source is evaluated over the
// DevTools protocol instead, which the CSP does not govern, and which the app itself cannot do.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: string | undefined;
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const SIZES = [
  { width: 1280, height: 900 },
  { width: 1024, height: 700 },
] as const;

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

/** Serious and critical violations on the page as it is now, one line per element. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource ??= readFileSync(AXE_PATH, 'utf8'));
  const result = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  }, WCAG_AA) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}) at ${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 220)}`),
    );
}

/**
 * Checks the page at both sizes and adds what fails to `found` under `where`; the window is left at
 * the size it had. Collecting (rather than failing at the first) prints every screen's problems.
 */
export async function checkBothSizes(page: Page, where: string, found: string[]): Promise<void> {
  const before = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    // Let layout and transitions settle at the new size.
    await page.waitForTimeout(150);
    for (const v of await axeViolations(page)) found.push(`${where} @${size.width}×${size.height}: ${v}`);
  }
  if (before) await page.setViewportSize(before);
}
