import { describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { openSession } from '../../electron/core/session';
import type { DashboardOutput } from '../../shared/contract/dashboard';
import { tempDbFile } from '../helpers';
import { signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();
const PASSPHRASE = 'the office passphrase 2026';
const num = (x: number) => x.toLocaleString('en-US');

describe('the dashboard in Chromium', () => {
  it('is the first page after unlock, counts as the database does, and each bar opens the list filtered the same way', async () => {
    // An encrypted database with a seeded year and a half of incidents.
    const dbFile = tempDbFile();
    const made = openSession(dbFile, { user: 'e2e-attorney', key: PASSPHRASE });
    seed(made.ctx.db, { people: 60, incidents: 900, seed: 5 });
    const live = made.ctx.db.prepare(`SELECT count(*) FROM incidents WHERE deleted_at IS NULL`).pluck().get() as number;
    made.close();

    const app = await openBrowserApp(browser(), dbFile, { locked: true });
    const page = app.page;
    const summary = async (input: object = {}) => {
      const r = await app.session.dispatch('dashboard:summary', input);
      if (!r.ok) throw new Error(r.error.message);
      return r.data as DashboardOutput;
    };
    try {
      await app.open();
      const unlock = page.getByTestId('unlock');
      await unlock.getByLabel('Passphrase').fill(PASSPHRASE);
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await signIn(page, 'Dana Whitfield');

      // The first page: the dashboard, with the database's own count.
      const dash = page.getByTestId('dashboard');
      await dash.waitFor();
      expect(await page.getByTestId('nav-dashboard').getAttribute('data-active')).toBe('true');
      await expect.poll(() => page.getByTestId('stat-total-value').textContent()).toBe(num(live));
      const whole = await summary();
      const top = whole.facilities[0]!;
      await page.getByTestId('chart-time').locator('.recharts-bar-rectangle path').first().waitFor();
      await page.getByTestId('chart-facilities').getByText(top.name).first().waitFor();
      await app.screenshot('dashboard');

      // A facility's bar: the list, filtered to that facility, with the same count.
      await page.getByTestId('chart-facilities').locator('.recharts-bar-rectangle path').first().click();
      await page.getByTestId('incident-list').waitFor();
      await expect.poll(() => page.getByTestId('incident-count').textContent()).toMatch(new RegExp(`^${num(top.n)} incidents? match`));
      expect(await page.getByTestId('incident-filters').getByRole('combobox', { name: 'Facility' }).inputValue()).toContain(top.name);

      // A slice of a month's stack: that month and that category, the same count.
      await page.getByTestId('nav-dashboard').click();
      const slices = page.getByTestId('chart-time').locator('.recharts-bar-rectangle path');
      await slices.first().waitFor();
      // The tallest slice of one category (grey stands for the smaller categories together).
      const heights = await slices.evaluateAll((els) =>
        els.map((e) => (e.getAttribute('fill')?.toUpperCase() === '#A3A3A3' ? 0 : (e as SVGGraphicsElement).getBBox().height)),
      );
      await slices.nth(heights.indexOf(Math.max(...heights))).click();
      await page.getByTestId('incident-list').waitFor();
      const set = JSON.parse((await page.evaluate(() => sessionStorage.getItem('attest.ui.incidents.filters')))!) as { from: string; to: string; category: string };
      expect(set.from).toMatch(/^\d{4}-\d{2}-01$/);
      const month = (await summary({ from: set.from, to: set.to })).periods.find((p) => p.from === set.from)!;
      const slice = month.categories.find((c) => c.category === set.category)!;
      expect(slice.n).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('incident-count').textContent()).toMatch(new RegExp(`^${num(slice.n)} incidents? match`));
      expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(set.from);
      await app.screenshot('dashboard-clicked-slice');

      // By week, at 1024×700.
      await page.getByTestId('nav-dashboard').click();
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.getByText('By week').click();
      await page.getByRole('heading', { name: 'Incidents by week, by category' }).waitFor();
      await app.screenshot('dashboard-1024');

      // Nothing in the period: a plain empty state, no empty chart.
      const dates = page.getByTestId('dashboard-filters').locator('input[type=date]');
      await dates.nth(0).fill('1990-01-01');
      await dates.nth(1).fill('1990-03-31');
      await page.getByTestId('dashboard-empty').getByText('No incident matches these filters').waitFor();
      expect(await page.getByTestId('stat-total-value').textContent()).toBe('0');
      await app.screenshot('dashboard-empty-1024');
    } finally {
      await app.close();
    }
  }, 240_000);
});
