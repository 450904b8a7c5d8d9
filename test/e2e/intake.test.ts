import { describe, expect, it } from 'vitest';
import { tempDbFile } from '../helpers';
import { cliCall, nav, signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';
import { ARABIC_OWN_WORDS, runIntakeScenario, seed } from './intake-scenario';

const browser = useChromium();

// Long scenarios with many screens; on a busy machine they can pass the default two minutes.
const LONG = 300_000;

describe('Intake in Chromium, over the real dispatch and SQLite', () => {
  it('records an interview with three incidents (one in Arabic), edits one with a reason, shows its history, deletes and restores it, and finds it by a word of its own words', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    try {
      await seed(app.session);
      await app.open();
      await runIntakeScenario(app.page, dbFile, app.screenshot).catch(async (e: unknown) => {
        await app.screenshot('intake-failure');
        throw e;
      });
    } finally {
      await app.close();
    }
  }, LONG);

  it('keeps an unsaved incident through a closed window: a new page on the same database finds the draft', async () => {
    const dbFile = tempDbFile();
    const summary = 'Denied restroom access for most of the night shift.';
    let app = await openBrowserApp(browser(), dbFile);
    try {
      await seed(app.session);
      await app.open();
      await signIn(app.page, 'Dana Whitfield');
      const page = app.page;
      await nav(page, 'interview');
      const find = page.getByRole('combobox', { name: 'Find the person' });
      await find.pressSequentially('Hadd');
      await page.getByRole('option', { name: /^Haddad, Mohammed/ }).click();
      await page.getByTestId('interview-details').getByRole('button', { name: 'Start interview' }).click();
      const entry = page.getByTestId('incident-entry');
      await entry.getByLabel('When (or from)').fill('2026-07-02');
      await entry.getByRole('textbox', { name: 'Summary', exact: true }).fill(summary);
      await entry.getByRole('textbox', { name: 'Own words', exact: true }).fill(ARABIC_OWN_WORDS);
      // The draft in the database holds what was just typed.
      await expect
        .poll(async () => {
          const r = (await app.session.dispatch('drafts:get', { key: 'interview.new' })) as {
            ok: boolean;
            data: { data: { incident: { summary: string; ownWords: string } | null } } | null;
          };
          return r.ok && r.data?.data.incident ? [r.data.data.incident.summary, r.data.data.incident.ownWords] : null;
        })
        .toEqual([summary, ARABIC_OWN_WORDS]);
      await page.getByTestId('draft-status').getByText('Draft kept', { exact: false }).waitFor();
      await app.screenshot('draft-01-mid-entry');
    } finally {
      // The window goes away mid-entry: nothing was saved as an incident.
      await app.close();
    }
    expect(cliCall(dbFile, 'incidents:list')).toMatchObject({ ok: true, data: { total: 0 } });

    app = await openBrowserApp(browser(), dbFile);
    try {
      await app.open();
      const page = app.page;
      await signIn(page, 'Dana Whitfield');
      await nav(page, 'interview');
      await page.getByTestId('draft-restored').waitFor();
      const entry = page.getByTestId('incident-entry');
      await expect.poll(() => entry.getByRole('textbox', { name: 'Summary', exact: true }).inputValue()).toBe(summary);
      expect(await entry.getByRole('textbox', { name: 'Own words', exact: true }).inputValue()).toBe(ARABIC_OWN_WORDS);
      expect(await entry.getByLabel('When (or from)').inputValue()).toBe('2026-07-02');
      await page.getByTestId('chosen-person').getByText('Haddad, Mohammed').waitFor();
      await app.screenshot('draft-02-restored');

      // The restored entry saves like any other; finishing the interview drops the draft.
      await entry.getByRole('combobox', { name: 'Categories', exact: true }).click();
      await page.getByRole('option', { name: 'Restroom access denied', exact: true }).click();
      await page.keyboard.press('Escape');
      await entry.getByRole('textbox', { name: 'Summary', exact: true }).press('Control+Enter');
      await page.getByTestId('interview-incident-list').getByText(summary).waitFor();
      await page.getByTestId('finish-interview').click();
      await page.getByTestId('person-page').waitFor();
      expect(cliCall(dbFile, 'incidents:list')).toMatchObject({ ok: true, data: { total: 1, items: [{ summary }] } });
      expect(cliCall(dbFile, 'drafts:list')).toMatchObject({ ok: true, data: { items: [] } });
    } finally {
      await app.close();
    }
  }, LONG);
});
