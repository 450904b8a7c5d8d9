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
  it('keeps an unsaved edit of an incident through a closed window, offers it back, and drops it once saved', async () => {
    const dbFile = tempDbFile();
    const before = 'Meals withheld for a day after the hearing.';
    const edited = 'Meals withheld for two days after the hearing; water only from the sink.';
    const key = (id: string) => ({ key: `incident.${id}` });
    let app = await openBrowserApp(browser(), dbFile);
    let incidentId = '';
    try {
      const { facilityId, personId } = await seed(app.session);
      const created = (await app.session.dispatch('incidents:create', { personId, facilityId, occurredOn: '2026-07-03', categories: ['FOOD'], summary: before })) as { ok: true; data: { id: string } };
      incidentId = created.data.id;
      await app.open();
      await signIn(app.page, 'Dana Whitfield');
      const page = app.page;
      await nav(page, 'incidents');
      await page.getByTestId('incident-list').getByText(before).click();
      const ip = page.getByTestId('incident-page');
      await ip.getByTestId('edit').click();
      const summary = page.getByTestId('incident-edit').getByRole('textbox', { name: 'Summary', exact: true });
      await summary.waitFor();
      // Opening the form keeps nothing: only a change is a draft.
      await page.waitForTimeout(800);
      expect(await app.session.dispatch('drafts:get', key(incidentId))).toMatchObject({ ok: true, data: null });
      await summary.fill(edited);
      await expect
        .poll(async () => {
          const r = (await app.session.dispatch('drafts:get', key(incidentId))) as { ok: boolean; data: { data: { baseVersion: number; values: { summary: string } } } | null };
          return r.ok && r.data ? [r.data.data.baseVersion, r.data.data.values.summary] : null;
        })
        .toEqual([1, edited]);
    } finally {
      // The window goes away mid-edit: the incident itself is unchanged.
      await app.close();
    }
    expect(cliCall(dbFile, 'incidents:get', { id: incidentId })).toMatchObject({ ok: true, data: { version: 1, summary: before } });

    app = await openBrowserApp(browser(), dbFile);
    try {
      await app.open();
      const page = app.page;
      await signIn(page, 'Dana Whitfield');
      // The header lists the unsaved work, from any page; its entry opens the incident.
      await page.getByTestId('kept-work').getByText('Unsaved work (1)').click();
      const entry = page.getByRole('menuitem', { name: /Incident edit: Meals withheld for two days/ });
      await entry.waitFor();
      await app.screenshot('draft-04-unsaved-work');
      await entry.click();
      const kept = page.getByTestId('kept-edit');
      await kept.getByText('Unsaved changes to this incident were kept', { exact: false }).waitFor();
      await app.screenshot('draft-03-kept-edit');
      await kept.getByRole('button', { name: 'Continue editing' }).click();
      const edit = page.getByTestId('incident-edit');
      await expect.poll(() => edit.getByRole('textbox', { name: 'Summary', exact: true }).inputValue()).toBe(edited);
      await edit.getByRole('button', { name: 'Save changes…' }).click();
      const modal = page.getByRole('dialog', { name: 'Save changes' });
      await modal.getByRole('textbox', { name: 'Reason' }).fill('Finished after the laptop closed');
      await modal.getByRole('button', { name: 'Save changes' }).click();
      await page.getByTestId('incident-summary').getByText(edited).waitFor();
      await expect.poll(() => cliCall(dbFile, 'drafts:get', key(incidentId))).toMatchObject({ ok: true, data: null });
      expect(cliCall(dbFile, 'incidents:get', { id: incidentId })).toMatchObject({ ok: true, data: { version: 2, summary: edited } });
      expect(await page.getByTestId('kept-edit').count()).toBe(0);
      await nav(page, 'people');
      await page.getByTestId('kept-work').waitFor({ state: 'detached' });
    } finally {
      await app.close();
    }
  }, LONG);

  it("keeps an unsaved edit of a person the same way, and a cancelled edit is not offered back", async () => {
    const dbFile = tempDbFile();
    const key = (id: string) => ({ key: `person.${id}` });
    let app = await openBrowserApp(browser(), dbFile);
    let personId = '';
    const openPerson = async (page: typeof app.page) => {
      await nav(page, 'people');
      await page.getByText('Haddad, Mohammed').first().click();
      await page.getByTestId('person-page').waitFor();
    };
    try {
      ({ personId } = await seed(app.session));
      await app.open();
      await signIn(app.page, 'Dana Whitfield');
      await openPerson(app.page);
      await app.page.getByRole('button', { name: 'Edit', exact: true }).click();
      await app.page.getByTestId('person-edit').getByRole('textbox', { name: 'Counsel' }).fill('Detention Defense Clinic');
      await expect
        .poll(async () => {
          const r = (await app.session.dispatch('drafts:get', key(personId))) as { ok: boolean; data: { data: { values: { counsel: string } } } | null };
          return r.ok && r.data ? r.data.data.values.counsel : null;
        })
        .toBe('Detention Defense Clinic');
    } finally {
      await app.close();
    }

    app = await openBrowserApp(browser(), dbFile);
    try {
      await app.open();
      const page = app.page;
      await signIn(page, 'Dana Whitfield');
      await openPerson(page);
      await page.getByTestId('kept-edit').getByRole('button', { name: 'Continue editing' }).click();
      const counsel = page.getByTestId('person-edit').getByRole('textbox', { name: 'Counsel' });
      await expect.poll(() => counsel.inputValue()).toBe('Detention Defense Clinic');
      // Cancelling is a choice: the kept edit goes, and the person is unchanged.
      await page.getByTestId('person-edit').getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => cliCall(dbFile, 'drafts:get', key(personId))).toMatchObject({ ok: true, data: null });
      expect(await page.getByTestId('kept-edit').count()).toBe(0);
      expect(cliCall(dbFile, 'people:get', { id: personId })).toMatchObject({ ok: true, data: { version: 1, counsel: null } });
    } finally {
      await app.close();
    }
  }, LONG);
});
