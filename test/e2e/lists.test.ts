import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { tempDbFile } from '../helpers';
import { nav, signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

/** Rows of a virtualised table present in the DOM (the header row excluded). */
async function renderedRows(page: Page, table: string): Promise<number> {
  return page.getByRole('table', { name: table }).locator('[role=rowgroup]:not(:first-child) > [role=row]').count();
}

/** Scrolls a table to its end until `rows` rows are loaded, checking the DOM stays small throughout. */
async function scrollThrough(page: Page, table: string, rows: number): Promise<number> {
  const grid = page.getByRole('table', { name: table });
  let most = 0;
  for (let i = 0; i < 200; i++) {
    const loaded = await grid.evaluate((el) => Number(el.getAttribute('data-loaded')));
    most = Math.max(most, await renderedRows(page, table));
    if (loaded >= rows) return most;
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForTimeout(40);
  }
  throw new Error(`${table}: never loaded ${rows} rows`);
}

describe('Long lists in Chromium', () => {
  it('keeps only the rows in view in the DOM while thousands load, and sorts names in any script', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    try {
      seed(app.session.ctx.db, { people: 1000, incidents: 4000, seed: 11 });
      await app.open();
      const page = app.page;
      await signIn(page, 'Dana Whitfield');

      await nav(page, 'people');
      await page.getByTestId('people-count').getByText('1,000 people').waitFor();
      const most = await scrollThrough(page, 'People', 1000);
      expect(most).toBeGreaterThan(10);
      expect(most).toBeLessThan(60);

      // Everything loaded: the table sorts any column itself, with the collator (Arabic included).
      await page.getByRole('columnheader', { name: /Original script/ }).getByRole('button').click();
      await expect.poll(() => page.getByRole('columnheader', { name: /Original script/ }).getAttribute('aria-sort')).toBe('ascending');
      const grid = page.getByRole('table', { name: 'People' });
      await grid.evaluate((el) => el.scrollTo({ top: 0 }));
      const top = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('[aria-label="People"] [role=rowgroup]:not(:first-child) > [role=row]')]
            .map((r) => ({ index: Number(r.getAttribute('aria-rowindex')), text: r.querySelectorAll('[role=cell]')[2]?.textContent ?? '' }))
            .sort((a, b) => a.index - b.index)
            .slice(0, 8),
        );
      await expect.poll(async () => (await top())[0]?.index).toBe(2);
      const firstNames = (await top()).map((r) => r.text);
      const collator = new Intl.Collator(['en', 'ar'], { sensitivity: 'base', numeric: true, ignorePunctuation: true });
      expect(firstNames.length).toBe(8);
      expect([...firstNames].sort(collator.compare)).toEqual(firstNames);
      await app.screenshot('lists-people-1000');

      await nav(page, 'incidents');
      await page.getByTestId('incident-count').getByText(/^4,000 incidents/).waitFor();
      const mostIncidents = await scrollThrough(page, 'Incidents', 1100);
      expect(mostIncidents).toBeLessThan(60);
      await app.screenshot('lists-incidents-4000');
    } finally {
      await app.close();
    }
  }, 300_000);
});
