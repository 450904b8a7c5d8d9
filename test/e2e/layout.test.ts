// The smallest supported window (1024×700) and the default one: the report preview stays in view
// beside the definition form, the lists use the window's height, and the definition being built
// survives leaving the Reports page. Screenshots of the window as seen (not the whole page).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { tempDbFile } from '../helpers';
import { signIn } from './foundation-scenario';
import { openBrowserApp, SCREENSHOT_DIR, useChromium } from './harness';

const browser = useChromium();
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 900 },
] as const;

/** Rows of a table wholly inside the window as it is scrolled now. */
async function rowsInView(page: Page, table: string): Promise<number> {
  return page.getByRole('table', { name: table }).evaluate((grid) => {
    const box = grid.getBoundingClientRect();
    return [...grid.querySelectorAll('[role=rowgroup]:not(:first-child) > [role=row]')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= Math.max(0, box.top) && b.bottom <= Math.min(window.innerHeight, box.bottom) && b.height > 0;
    }).length;
  });
}

const windowShot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });

describe('Layout at 1024×700 and 1280×900', () => {
  it('keeps the preview beside the form in view, fills the window with list rows, and keeps the definition across pages', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    const page = app.page;
    try {
      seed(app.session.ctx.db, { people: 200, incidents: 400, seed: 5 });
      await page.setViewportSize(SIZES[0]);
      await app.open();
      await signIn(page, 'Dana Whitfield');

      for (const size of SIZES) {
        await page.setViewportSize(size);
        const tag = `${size.width}x${size.height}`;
        // ---- Lists: rows down to the window's bottom; the page itself does not scroll for them.
        await page.getByTestId('nav-incidents').click();
        await page.getByTestId('incident-count').getByText('400 incidents', { exact: false }).waitFor();
        await expect.poll(() => rowsInView(page, 'Incidents'), { message: `incident rows in view at ${tag}` }).toBeGreaterThanOrEqual(size.height >= 900 ? 9 : 6);
        await windowShot(page, `layout-incidents-${tag}`);
        // Category tags too long for their column end in an ellipsis inside the tag (never a tag cut
        // mid-word by the cell's edge), and every label is there in full for hover and screen readers.
        const tags = await page.getByRole('table', { name: 'Incidents' }).evaluate((grid) =>
          [...grid.querySelectorAll('[data-testid=category-tags]')].flatMap((box) => {
            // The box the cell clips its content to.
            const cell = box.parentElement!.getBoundingClientRect();
            return [...box.children].map((t) => {
              const el = t as HTMLElement;
              const b = el.getBoundingClientRect();
              const style = getComputedStyle(el);
              return {
                label: el.textContent ?? '',
                cut: el.scrollWidth > el.clientWidth + 1 || b.right > cell.right + 0.5,
                ellipsis: style.textOverflow === 'ellipsis' && style.overflowX === 'hidden',
                inside: b.width === 0 || (b.right <= cell.right + 0.5 && b.left >= cell.left - 0.5),
                hover: el.title || box.getAttribute('title') || '',
              };
            });
          }),
        );
        expect(tags.filter((t) => t.cut).length, `some category tag is long enough to be cut at ${tag}`).toBeGreaterThan(0);
        for (const t of tags) {
          expect(t.inside, `tag "${t.label}" lies inside its cell at ${tag}`).toBe(true);
          if (t.cut) expect(t.ellipsis, `cut tag "${t.label}" ends in an ellipsis at ${tag}`).toBe(true);
          expect(t.hover, `tag "${t.label}" has its full label on hover`).toContain(t.label);
        }
        await page.getByTestId('nav-people').click();
        await page.getByTestId('people-count').getByText('200 people', { exact: false }).waitFor();
        await expect.poll(() => rowsInView(page, 'People'), { message: `people rows in view at ${tag}` }).toBeGreaterThanOrEqual(size.height >= 900 ? 10 : 7);
        await windowShot(page, `layout-people-${tag}`);
      }

      // ---- Reports: the definition typed, the page left at once and opened again: still there.
      await page.setViewportSize(SIZES[0]);
      await page.getByTestId('nav-reports').click();
      const builder = page.getByTestId('report-builder');
      await builder.getByRole('textbox', { name: 'Case name', exact: true }).fill('HAMAMA, et al.,');
      await builder.getByRole('textbox', { name: 'Case number', exact: true }).fill('Case No. 2:17-cv-11910');
      await builder.getByLabel('Period from').fill('2000-01-01');
      await builder.getByRole('textbox', { name: 'Attorney', exact: true }).fill('Jane Doe');
      await page.getByTestId('nav-people').click();
      await page.getByTestId('people-count').waitFor();
      await page.getByTestId('nav-reports').click();
      await expect.poll(() => builder.getByRole('textbox', { name: 'Case name', exact: true }).inputValue()).toBe('HAMAMA, et al.,');
      expect(await builder.getByRole('textbox', { name: 'Attorney', exact: true }).inputValue()).toBe('Jane Doe');
      expect(await builder.getByLabel('Period from').inputValue()).toBe('2000-01-01');
      await page.getByTestId('preview-count').waitFor();

      for (const size of SIZES) {
        await page.setViewportSize(size);
        const tag = `${size.width}x${size.height}`;
        // Scrolled to the form's end (the office settings), the preview is still beside it, in view.
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const form = (await builder.boundingBox())!;
        const pane = (await page.getByTestId('preview-pane').boundingBox())!;
        expect(pane.x, `preview beside the form at ${tag}`).toBeGreaterThanOrEqual(form.x + form.width);
        expect(pane.y, `preview top in view at ${tag}`).toBeGreaterThanOrEqual(0);
        expect(pane.y + pane.height, `preview within the window at ${tag}`).toBeLessThanOrEqual(size.height);
        const frame = (await page.getByTestId('preview-count').boundingBox())!;
        expect(frame.y, `preview count in view at ${tag}`).toBeGreaterThanOrEqual(0);
        expect(frame.y + frame.height).toBeLessThanOrEqual(size.height);
        await windowShot(page, `layout-reports-scrolled-${tag}`);
        await page.evaluate(() => window.scrollTo(0, 0));
        await windowShot(page, `layout-reports-top-${tag}`);
      }
    } catch (e) {
      await windowShot(page, 'layout-failure');
      throw e;
    } finally {
      await app.close();
    }
  }, 300_000);
});
