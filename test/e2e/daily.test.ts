// A day's rough edges, in Chromium at the smallest supported window (1024×700): a State picked by
// typing its code and Enter (never submitting the form empty), a category found by a common word,
// a date that keeps its day across precisions, a person found by name in any order, and the
// incident list counted exactly and sorted by any column with a label that says so.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDbFile } from '../helpers';
import { cliCall, nav, signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

async function ok<T>(r: Promise<unknown> | unknown): Promise<T> {
  const res = (await r) as { ok: boolean; data?: T; error?: { message: string } };
  if (!res.ok) throw new Error(res.error?.message ?? 'dispatch failed');
  return res.data as T;
}

const focused = (page: Page, label: string) =>
  page.evaluate((l) => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.labels?.[0]?.textContent?.replace(/\s*\*$/, '') === l || el?.getAttribute('aria-label') === l;
  }, label);

describe('Daily use in Chromium at 1024×700', () => {
  it('picks options by typing and Enter, keeps a date across precisions, finds a person in any word order, and sorts the list by any column', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    try {
      const s = app.session;
      const f = await ok<{ id: string }>(
        s.dispatch('facilities:create', { name: 'Calhoun County Correctional', city: 'Battle Creek', state: 'MI', operator: 'COUNTY_IGSA', operatorName: null, standard: 'NDS_2019' }),
      );
      await ok(s.dispatch('people:create', { familyName: 'Al-Jubouri', givenName: 'Ahmed', nameOriginal: 'أحمد الجبوري', aNumber: '201234567', currentFacilityId: f.id }));
      const fadi = await ok<{ id: string }>(s.dispatch('people:create', { familyName: 'Haddad', givenName: 'Fadi', aNumber: '201234568', currentFacilityId: f.id }));
      await ok(s.dispatch('incidents:create', { personId: fadi.id, facilityId: f.id, occurredOn: '2026-05-02', categories: ['WATER'], summary: 'Water rationed for two days.' }));
      await app.page.setViewportSize({ width: 1024, height: 700 });
      await app.open();
      const page = app.page;
      await signIn(page, 'Dana Whitfield');

      // ---- Facility: "MI" then Enter picks Michigan and does not submit; an empty State never submits.
      await nav(page, 'facilities');
      const form = page.getByTestId('facility-form');
      // Saved empty: each field says what it needs in the form's words, after the attempt only.
      expect(await form.getByText('Choose the state').count()).toBe(0);
      await form.getByRole('button', { name: 'Save facility' }).click();
      await form.getByText('Choose the state').waitFor();
      await form.getByText('Choose who runs the facility').waitFor();
      expect(await form.getByText(/must be/).count()).toBe(0);
      await app.screenshot('daily-01-facility-errors-1024');
      await form.getByRole('textbox', { name: 'Name', exact: true }).fill('North Lake Processing Center');
      await form.getByRole('textbox', { name: 'City', exact: true }).fill('Baldwin');
      const state = form.getByRole('combobox', { name: 'State', exact: true });
      await state.click();
      await state.pressSequentially('zz');
      await state.press('Enter');
      await state.press('Escape');
      await state.fill('');
      await state.pressSequentially('MI');
      await state.press('Enter');
      await expect.poll(() => state.inputValue()).toBe('MI — Michigan');
      await form.getByText('Choose the state').waitFor({ state: 'detached' });
      const operator = form.getByRole('combobox', { name: 'Operator', exact: true });
      await operator.click();
      await operator.pressSequentially('priv');
      await operator.press('Enter');
      await expect.poll(() => operator.inputValue()).toBe('Private company');
      // Enter picked the options; it submitted nothing.
      expect(cliCall(dbFile, 'facilities:list')).toMatchObject({ data: { total: 1 } });
      await app.screenshot('daily-02-facility-picked-1024');
      await form.getByRole('button', { name: 'Save facility' }).click();
      await expect.poll(() => (cliCall(dbFile, 'facilities:list') as { data: { total: number } }).data.total).toBe(2);

      // ---- Interview: "Find the person" has the focus, and the name as the header gives it finds him.
      await nav(page, 'interview');
      await expect.poll(() => focused(page, 'Find the person')).toBe(true);
      await page.keyboard.type('Ahmed Al-Jubouri');
      await page.getByRole('option', { name: /Al-Jubouri, Ahmed/ }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('chosen-person').getByText('A201-234-567').waitFor();
      const details = page.getByTestId('interview-details');
      await details.getByRole('button', { name: 'Start interview' }).click();

      // ---- Incident: the day survives Month only and back; "food" finds Meals withheld, Enter picks it.
      const entry = page.getByTestId('incident-entry');
      const when = entry.getByLabel('When (or from)');
      await when.fill('2026-06-20');
      await entry.getByTestId('date-precision').getByText('Month only', { exact: true }).click();
      await expect.poll(() => when.inputValue()).toBe('2026-06');
      await entry.getByTestId('date-precision').getByText('Approximate', { exact: true }).click();
      await expect.poll(() => when.inputValue()).toBe('2026-06-20');
      const categories = entry.getByRole('combobox', { name: 'Categories', exact: true });
      await categories.click();
      await categories.pressSequentially('food');
      await page.getByRole('option', { name: 'Meals withheld', exact: true }).waitFor();
      await categories.press('Enter');
      await categories.press('Escape');
      await entry.getByText('Meals withheld', { exact: true }).waitFor();
      // Saved without a summary: the banner names the field, and goes once the field is filled.
      await entry.getByRole('textbox', { name: 'Own words', exact: true }).press('Control+Enter');
      const banner = entry.getByRole('alert').filter({ hasText: 'Not saved' });
      await banner.waitFor();
      await app.screenshot('daily-03-incident-not-saved-1024');
      await entry.getByRole('textbox', { name: 'Summary', exact: true }).fill('No meals for a day after asking for a lawyer.');
      await banner.waitFor({ state: 'detached' });
      await entry.getByRole('textbox', { name: 'Own words', exact: true }).press('Control+Enter');
      await page.getByTestId('interview-incident-list').getByText('No meals for a day').waitFor();

      // ---- Incidents: found by the person's name in any order; exact count; sorted by any column.
      await nav(page, 'incidents');
      await page.getByTestId('incident-count').getByText('2 incidents', { exact: false }).waitFor();
      await page.getByTestId('incident-sort').getByText('sorted by When, newest first').waitFor();
      await page.getByRole('columnheader', { name: /Person/ }).getByRole('button').click();
      await page.getByTestId('incident-sort').getByText('sorted by Person, A to Z').waitFor();
      const firstRowPerson = () => page.getByRole('table', { name: 'Incidents' }).locator('[role=rowgroup]:not(:first-child) > [role=row]').first().textContent();
      await expect.poll(firstRowPerson).toContain('Al-Jubouri, Ahmed');
      await page.getByRole('columnheader', { name: /Person/ }).getByRole('button').click();
      await page.getByTestId('incident-sort').getByText('sorted by Person, Z to A').waitFor();
      await expect.poll(firstRowPerson).toContain('Haddad, Fadi');
      await app.screenshot('daily-04-incidents-sorted-1024');
      await page.getByTestId('incident-search').fill('jubouri ahmed');
      await page.getByTestId('incident-count').getByText('1 incident containing', { exact: false }).waitFor();
      await page.getByTestId('incident-list').getByText('No meals for a day').waitFor();
      await page.getByTestId('incident-search').fill('CM-002');
      await page.getByTestId('incident-list').getByText('Water rationed').waitFor();
    } catch (e) {
      await app.screenshot('daily-failure');
      throw e;
    } finally {
      await app.close();
    }
  }, 300_000);

  it('focuses the first-run passphrase, starts a report on last month without red before any attempt, and shows an edit word by word with names', async () => {
    const dbFile = tempDbFile();
    let app = await openBrowserApp(browser(), dbFile, { locked: true });
    try {
      await app.page.setViewportSize({ width: 1024, height: 700 });
      await app.open();
      await app.page.getByTestId('first-run').waitFor();
      await expect.poll(() => focused(app.page, 'Passphrase')).toBe(true);
    } finally {
      await app.close();
    }

    const plain = tempDbFile();
    app = await openBrowserApp(browser(), plain);
    try {
      const s = app.session;
      const f = await ok<{ id: string }>(
        s.dispatch('facilities:create', { name: 'Calhoun County Correctional', city: 'Battle Creek', state: 'MI', operator: 'COUNTY_IGSA', operatorName: null, standard: 'NDS_2019' }),
      );
      const p = await ok<{ id: string }>(s.dispatch('people:create', { familyName: 'Haddad', givenName: 'Fadi', aNumber: '201234568', currentFacilityId: f.id }));
      const v = await ok<{ id: string }>(s.dispatch('interviews:create', { personId: p.id, startedAt: '2026-06-20T10:00', mode: 'in_person', interviewer: 'Dana Whitfield' }));
      const summary = 'Held in the intake room for twelve hours without water or a blanket.';
      const i = await ok<{ id: string; version: number }>(
        s.dispatch('incidents:create', { personId: p.id, interviewId: v.id, facilityId: f.id, occurredOn: '2026-06-18', categories: ['WATER'], summary, deprivationMinutes: 720 }),
      );
      await ok(
        s.dispatch('incidents:update', {
          id: i.id, expectedVersion: 1, reason: 'Corrected', personId: p.id, interviewId: v.id, facilityId: f.id, occurredOn: '2026-06-18',
          categories: ['WATER'], summary: summary.replace('twelve', 'fourteen'), deprivationMinutes: 840,
        }),
      );
      await app.page.setViewportSize({ width: 1024, height: 700 });
      await app.open();
      const page = app.page;
      await signIn(page, 'Dana Whitfield');

      // ---- Reports: last month, and nothing in red before the user did anything.
      await page.getByTestId('nav-reports').click();
      const builder = page.getByTestId('report-builder');
      const now = new Date();
      const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
      const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
      await expect.poll(() => builder.getByLabel('Period from').inputValue()).toBe(first);
      expect(await builder.getByLabel('Period to').inputValue()).toBe(last);
      await page.getByTestId('preview-note').getByText('To see the preview, fill in: Case name', { exact: false }).waitFor();
      expect(await page.getByText(/definition\./).count()).toBe(0);
      await app.screenshot('daily-05-reports-new-1024');

      // ---- History: the summary changed word by word, hours with their unit, the interview by name.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId('nav-incidents').click();
      await page.getByTestId('incident-list').getByText('Held in the intake room').click();
      await page.getByTestId('incident-page').getByTestId('show-history').click();
      const v2 = page.getByTestId('history-version-2');
      await v2.getByTestId('word-diff-before').locator('del').getByText('twelve').waitFor();
      await v2.getByTestId('word-diff-after').locator('ins').getByText('fourteen').waitFor();
      await v2.getByText('12 hours', { exact: true }).waitFor();
      await v2.getByText('14 hours', { exact: true }).waitFor();
      expect(await v2.getByText('(minutes)', { exact: false }).count()).toBe(0);
      const v1 = page.getByTestId('history-version-1');
      await v1.getByText('Interview of 2026-06-20 (In person), Dana Whitfield').waitFor();
      expect(await v1.getByText(v.id).count()).toBe(0);
      await app.screenshot('daily-06-history-1024');
    } catch (e) {
      await app.screenshot('daily-failure-2');
      throw e;
    } finally {
      await app.close();
    }
  }, 300_000);
});
