// Several laptops, one case, in Chromium over two real SQLite files: incidents entered on each
// laptop through the UI, a bundle written on one and read on the other (and back), a conflict
// between the two laptops' edits resolved on the Sync page, and one exhibit counting both laptops'
// incidents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../electron/core/session';
import { tempDbFile, tempDir } from '../helpers';
import { signIn } from './foundation-scenario';
import { openBrowserApp, useChromium, type BrowserApp } from './harness';

const browser = useChromium();
const OFFICE_PASSPHRASE = 'correct horse battery staple';

async function unwrap<T>(r: Promise<unknown> | unknown): Promise<T> {
  const res = (await r) as { ok: boolean; data?: T; error?: { message: string } };
  if (!res.ok) throw new Error(res.error?.message ?? 'dispatch failed');
  return res.data as T;
}

/** Shots at the two window sizes the team checks: the desktop default and a small laptop. */
async function shots(app: BrowserApp, name: string): Promise<void> {
  for (const [w, h] of [
    [1280, 800],
    [1024, 700],
  ] as const) {
    await app.page.setViewportSize({ width: w, height: h });
    await app.screenshot(`${name}-${w}x${h}`);
  }
  await app.page.setViewportSize({ width: 1280, height: 900 });
}

async function nameThisLaptop(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-sync').click();
  const local = page.getByTestId('sync-local');
  await local.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await local.getByRole('button', { name: 'Save name' }).click();
  await local.getByText(`This laptop is now "${name}"`).waitFor();
  await page.getByTestId('device-list').getByText(name).waitFor();
}

/** One incident, entered the way an attorney does: the person's page, a new interview, the incident form. */
async function enterIncident(page: Page, person: string, on: string, summary: string): Promise<void> {
  await page.getByTestId('nav-people').click();
  await page.getByTestId('person-list').getByText(person).click();
  await page.getByTestId('person-start-interview').click();
  await page.getByTestId('interview-details').getByRole('button', { name: 'Start interview' }).click();
  const entry = page.getByTestId('incident-entry');
  await expect.poll(() => entry.getByRole('combobox', { name: 'Facility', exact: true }).inputValue()).toBe('North Lake Processing Center (Baldwin, MI)');
  await entry.getByLabel('When (or from)').fill(on);
  await entry.getByRole('combobox', { name: 'Categories', exact: true }).click();
  await page.getByRole('option', { name: 'Water withheld', exact: true }).click();
  await page.keyboard.press('Escape');
  await entry.getByRole('textbox', { name: 'Summary', exact: true }).fill(summary);
  await entry.getByTestId('save-incident').click();
  await page.getByTestId('interview-incident-list').getByText(summary.slice(0, 20)).waitFor();
}

async function writeBundle(app: BrowserApp, folder: string, shot?: string): Promise<string> {
  const page = app.page;
  await page.getByTestId('nav-sync').click();
  const bundles = page.getByTestId('sync-bundles');
  await bundles.getByLabel('Office bundle passphrase').fill(OFFICE_PASSPHRASE);
  await bundles.getByRole('textbox', { name: 'Folder to write into' }).fill(folder);
  await bundles.getByRole('button', { name: 'Write a bundle' }).click();
  await bundles.getByTestId('bundle-written').waitFor();
  if (shot) await shots(app, shot);
  const files = readdirSync(folder);
  expect(files).toHaveLength(1);
  return join(folder, files[0]!);
}

async function readBundle(app: BrowserApp, file: string, passphrase = OFFICE_PASSPHRASE): Promise<string> {
  const page = app.page;
  await page.getByTestId('nav-sync').click();
  const bundles = page.getByTestId('sync-bundles');
  await bundles.getByLabel('Office bundle passphrase').fill(passphrase);
  await bundles.getByRole('textbox', { name: 'Bundle to read' }).fill(file);
  await bundles.getByRole('button', { name: 'Read a bundle' }).click();
  const outcome = bundles.getByTestId('bundle-read').or(bundles.getByTestId('bundle-refused'));
  await outcome.waitFor();
  return (await outcome.textContent()) ?? '';
}

/** An edit of an incident's summary and duration, as the incident page sends it (with the version read). */
async function editIncident(session: Session, id: string, change: Record<string, unknown>, reason: string): Promise<void> {
  const current = await unwrap<Record<string, unknown> & { version: number }>(session.dispatch('incidents:get', { id }));
  await unwrap(session.dispatch('incidents:update', { ...current, ...change, expectedVersion: current.version, reason }));
}

describe('Sync between two laptops in Chromium, bridged to two real databases', () => {
  it('moves incidents both ways by bundle, resolves a conflict on the Sync page, and counts both laptops in one exhibit', async () => {
    const dana = await openBrowserApp(browser(), tempDbFile());
    const omar = await openBrowserApp(browser(), tempDbFile());
    try {
      // ---- Dana's laptop: the facility and the client on file, an incident entered through the UI.
      const facility = await unwrap<{ id: string }>(
        dana.session.dispatch('facilities:create', { name: 'North Lake Processing Center', city: 'Baldwin', state: 'MI', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' }),
      );
      await unwrap(
        dana.session.dispatch('people:create', {
          familyName: 'Haddad',
          givenName: 'Mohammed',
          aNumber: '111222333',
          currentFacilityId: facility.id,
          consentGiven: true,
          consentDate: '2026-06-01',
        }),
      );
      await dana.open();
      await signIn(dana.page, 'Dana Whitfield');
      await nameThisLaptop(dana.page, "Dana's laptop");
      await enterIncident(dana.page, 'Haddad, Mohammed', '2026-06-18', 'Held in the intake cell without water for the whole night.');
      const toOmar = await writeBundle(dana, tempDir(), 'sync-01-written');
      // The bundle is encrypted: nothing of the record reads in the clear.
      expect(readFileSync(toOmar).includes(Buffer.from('intake cell'))).toBe(false);

      // ---- Omar's laptop reads it, enters an incident of its own for the same client.
      await omar.open();
      await signIn(omar.page, 'Omar Haddad');
      await nameThisLaptop(omar.page, "Omar's laptop");
      expect(await readBundle(omar, toOmar)).toMatch(/new records?, \d+ new versions?, 0 new conflicts/);
      await omar.page.getByTestId('device-list').getByText("Dana's laptop").waitFor();
      await shots(omar, 'sync-02-read');
      await enterIncident(omar.page, 'Haddad, Mohammed', '2026-06-20', 'Denied a call to his lawyer for three days after the transfer.');

      // ---- Both laptops edit the same incident from the same version: a conflict once they meet.
      const shared = (await unwrap<{ items: { id: string; summary: string }[] }>(dana.session.dispatch('incidents:list', {}))).items[0]!;
      await editIncident(dana.session, shared.id, { summary: 'Held in the intake cell without water from 9 pm to 7 am.' }, 'Client gave the hours');
      await editIncident(omar.session, shared.id, { deprivationMinutes: 600 }, 'Ten hours, from the log sheet');

      const toDana = await writeBundle(omar, tempDir());
      expect(await readBundle(dana, toDana)).toMatch(/1 new conflict/);
      await shots(dana, 'sync-03-conflict-arrived');

      // ---- Before it is resolved, the Reports page lists the record and asks for a choice to export.
      await dana.page.getByTestId('nav-reports').click();
      const draft = dana.page.getByTestId('report-builder');
      await draft.getByRole('textbox', { name: 'Case name', exact: true }).fill('HAMAMA, et al.,');
      await draft.getByRole('textbox', { name: 'Case number', exact: true }).fill('Case No. 2:17-cv-11910');
      await draft.getByLabel('Period from').fill('2026-06-01');
      await draft.getByLabel('Period to').fill('2026-06-30');
      const gate = dana.page.getByTestId('export-conflicts');
      await gate.getByText('1 record of this report has an open conflict').waitFor();
      await gate.getByText(/^incident: .*\(2 versions\)$/).waitFor();
      const exportButton = dana.page.getByTestId('report-export').getByRole('button', { name: 'Export', exact: true });
      expect(await exportButton.isDisabled()).toBe(true);
      await gate.getByTestId('export-note-conflicts').check();
      expect(await exportButton.isDisabled()).toBe(false);
      await gate.scrollIntoViewIfNeeded();
      await shots(dana, 'sync-03b-export-conflicts');

      // ---- The header badge leads to the conflict; both heads side by side, combined field by field.
      const badge = dana.page.getByTestId('conflict-badge');
      await expect.poll(() => badge.textContent()).toBe('1 conflict');
      await badge.click();
      await dana.page.getByTestId('conflict-list').getByRole('button', { name: /^Resolve / }).click();
      const table = dana.page.getByTestId('conflict-table');
      await table.getByText("Dana's laptop").waitFor();
      await table.getByText("Omar's laptop").waitFor();
      const differing = await table.locator('tr[data-differs]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
      expect(differing).toEqual(['field-summary', 'field-deprivationMinutes']);
      const [danaHead, omarHead] = (await dana.page.getByTestId('head-0').textContent())!.includes("Dana's laptop") ? ['A', 'B'] : ['B', 'A'];
      await table.getByRole('radio', { name: `Summary from version ${danaHead}` }).check();
      await table.getByRole('radio', { name: `Deprivation lasted from version ${omarHead}` }).check();
      const resolve = dana.page.getByTestId('conflict-resolve');
      await expect.poll(() => resolve.getByTestId('resolution-plan').textContent()).toMatch(/^A combined version/);
      // A reason is required.
      await resolve.getByRole('button', { name: 'Resolve the conflict' }).click();
      await resolve.getByText('Please give a reason').waitFor();
      await resolve.getByRole('textbox', { name: 'Reason' }).fill('Both are right: the hours from the client, the length from the log sheet');
      await shots(dana, 'sync-04-conflict');
      await resolve.getByRole('button', { name: 'Resolve the conflict' }).click();
      await resolve.getByTestId('conflict-resolved').waitFor();
      await expect.poll(() => badge.count()).toBe(0);

      const after = await unwrap<{ summary: string; deprivationMinutes: number | null }>(dana.session.dispatch('incidents:get', { id: shared.id }));
      expect(after).toMatchObject({ summary: 'Held in the intake cell without water from 9 pm to 7 am.', deprivationMinutes: 600 });

      // The history shows both heads (the other laptop's named) and the resolution naming both.
      await resolve.getByRole('button', { name: 'Show the history' }).click();
      const history = dana.page.getByTestId('history');
      await history.getByText('Reason: Client gave the hours').waitFor();
      await history.getByText(/Reason: Both are right/).waitFor();
      await history.getByText(/on Omar's laptop/).first().waitFor();
      await history.getByText(/resolves 2 versions edited on different laptops/).waitFor();
      await shots(dana, 'sync-05-history');
      await dana.page.keyboard.press('Escape');

      // ---- One exhibit on Dana's laptop counts both laptops' incidents.
      await dana.page.getByTestId('nav-reports').click();
      const builder = dana.page.getByTestId('report-builder');
      await builder.getByRole('textbox', { name: 'Case name', exact: true }).fill('HAMAMA, et al.,');
      await builder.getByRole('textbox', { name: 'Case number', exact: true }).fill('Case No. 2:17-cv-11910');
      await builder.getByLabel('Period from').fill('2026-06-01');
      await builder.getByLabel('Period to').fill('2026-06-30');
      await builder.getByRole('textbox', { name: 'Attorney', exact: true }).fill('Jane Doe');
      await expect.poll(() => dana.page.getByTestId('preview-count').textContent()).toBe('2 incidents');
      const frame = dana.page.frameLocator('[data-testid="preview-frame"]');
      await frame.getByText('Denied a call to his lawyer', { exact: false }).first().waitFor();
      await frame.getByText('from 9 pm to 7 am', { exact: false }).first().waitFor();
      await shots(dana, 'sync-06-exhibit');
    } catch (e) {
      await dana.screenshot('sync-failed-dana').catch(() => undefined);
      await omar.screenshot('sync-failed-omar').catch(() => undefined);
      throw e;
    } finally {
      await dana.close();
      await omar.close();
    }
    // Two browsers, two databases and a dozen UI steps on a shared, slow machine.
  }, 360_000);

  it('refuses a bundle read with the wrong passphrase and changes nothing', async () => {
    const dana = await openBrowserApp(browser(), tempDbFile());
    const omar = await openBrowserApp(browser(), tempDbFile());
    try {
      await unwrap(dana.session.dispatch('people:create', { familyName: 'Haddad', givenName: 'Mohammed', aNumber: '111222333' }));
      await dana.open();
      await signIn(dana.page, 'Dana Whitfield');
      const bundle = await writeBundle(dana, tempDir());
      await omar.open();
      await signIn(omar.page, 'Omar Haddad');
      expect(await readBundle(omar, bundle, 'not the office passphrase')).toMatch(/^Bundle refused: nothing was changed.*passphrase/);
      expect(await unwrap<{ total: number }>(omar.session.dispatch('people:list', {}))).toMatchObject({ total: 0 });
      await omar.page.getByTestId('device-list').getByText("Dana's laptop").waitFor({ state: 'detached' });
      await shots(omar, 'sync-07-refused');
    } finally {
      await dana.close();
      await omar.close();
    }
  }, 240_000);

  it('lists a person entered on both laptops as a possible duplicate; Merge people (with a reason) and Undo', async () => {
    const dana = await openBrowserApp(browser(), tempDbFile());
    const omar = await openBrowserApp(browser(), tempDbFile());
    try {
      // The same client, entered on each laptop (the A-numbers differ: one was misheard).
      await unwrap(dana.session.dispatch('people:create', { familyName: 'Haddad', givenName: 'Mohammed', aNumber: '111222333' }));
      await unwrap(omar.session.dispatch('people:create', { familyName: 'Haddad', givenName: 'Mohammed', aNumber: '111222383' }));
      await dana.open();
      await signIn(dana.page, 'Dana Whitfield');
      const bundle = await writeBundle(dana, tempDir());
      await omar.open();
      await signIn(omar.page, 'Omar Haddad');
      expect(await readBundle(omar, bundle)).toMatch(/\d+ new records?, \d+ new versions?, 0 new conflicts/);

      const dups = omar.page.getByTestId('sync-duplicates');
      await dups.getByTestId('duplicate-group').waitFor();
      await dups.getByRole('radio', { name: 'Keep Haddad, Mohammed (A111-222-333)' }).check();
      await dups.getByRole('button', { name: 'Merge people' }).click();
      const merge = omar.page.getByRole('dialog', { name: 'Merge people' });
      await merge.getByRole('button', { name: 'Merge people' }).click();
      await merge.getByText('Please give a reason').waitFor();
      await merge.getByRole('textbox', { name: 'Reason' }).fill('Same client: the A-number was misheard on one laptop');
      await shots(omar, 'sync-08-merge');
      await merge.getByRole('button', { name: 'Merge people' }).click();
      await dups.getByTestId('merge-done').waitFor();
      await expect.poll(async () => (await unwrap<{ total: number }>(omar.session.dispatch('people:list', {}))).total).toBe(1);

      await dups.getByRole('button', { name: 'Undo' }).click();
      const undo = omar.page.getByRole('dialog', { name: 'Undo the merge' });
      await undo.getByRole('textbox', { name: 'Reason' }).fill('Checked the files: two different people');
      await undo.getByRole('button', { name: 'Undo the merge' }).click();
      await dups.getByTestId('merge-note').waitFor();
      await expect.poll(async () => (await unwrap<{ total: number }>(omar.session.dispatch('people:list', {}))).total).toBe(2);
      await shots(omar, 'sync-09-unmerged');
    } finally {
      await dana.close();
      await omar.close();
    }
  }, 240_000);

  it('lists a facility entered on both laptops; Merge facilities moves its incident, Undo moves it back; a filing code given twice gets a new code', async () => {
    const dana = await openBrowserApp(browser(), tempDbFile());
    const omar = await openBrowserApp(browser(), tempDbFile());
    const NORTH_LAKE = { city: 'Baldwin', state: 'MI', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' };
    try {
      // The same facility typed on each laptop (other case), a client on each: both get CM-001.
      const fd = await unwrap<{ id: string }>(dana.session.dispatch('facilities:create', { ...NORTH_LAKE, name: 'North Lake Processing Center' }));
      await unwrap(dana.session.dispatch('people:create', { familyName: 'Haddad', givenName: 'Mohammed', aNumber: '111222333', currentFacilityId: fd.id }));
      const fo = await unwrap<{ id: string }>(omar.session.dispatch('facilities:create', { ...NORTH_LAKE, name: 'NORTH LAKE PROCESSING CENTER' }));
      const po = await unwrap<{ id: string; filingCode: string }>(omar.session.dispatch('people:create', { familyName: 'Osei', givenName: 'Ama', aNumber: '444555666', currentFacilityId: fo.id }));
      const incident = await unwrap<{ id: string }>(
        omar.session.dispatch('incidents:create', { personId: po.id, facilityId: fo.id, occurredOn: '2026-06-12', categories: ['WATER'], summary: 'No water in the dormitory for a day.' }),
      );
      expect(po.filingCode).toBe('CM-001');
      await dana.open();
      await signIn(dana.page, 'Dana Whitfield');
      await nameThisLaptop(dana.page, "Dana's laptop");
      const bundle = await writeBundle(dana, tempDir());
      await omar.open();
      await signIn(omar.page, 'Omar Haddad');
      expect(await readBundle(omar, bundle)).toMatch(/\d+ new records?, \d+ new versions?, 0 new conflicts/);

      // The filing code given twice counts in the header badge, named as the Sync page lists it (no
      // "1 conflict" over an "Open conflicts (0)"), and is listed with who keeps it.
      const badge = omar.page.getByTestId('conflict-badge');
      await expect.poll(() => badge.textContent()).toBe('1 filing code given twice');
      await omar.page.getByTestId('sync-conflicts').getByText('Open conflicts (0)').waitFor();
      await omar.page.getByTestId('sync-code-clashes').getByText('Filing codes given twice (1)').waitFor();
      const clash = omar.page.getByTestId('sync-code-clashes').getByTestId('code-clash');
      await clash.getByText('keeps CM-001').waitFor();
      await clash.getByText('gets a new code').waitFor();

      const dups = omar.page.getByTestId('sync-duplicates-facility');
      await dups.getByTestId('duplicate-group-facility').waitFor();
      await dups.getByRole('radio', { name: 'Keep North Lake Processing Center (Baldwin, MI)', exact: true }).check();
      await dups.getByRole('button', { name: /^Merge facilities: NORTH LAKE/ }).click();
      const merge = omar.page.getByRole('dialog', { name: 'Merge facilities' });
      await merge.getByRole('button', { name: 'Merge facilities' }).click();
      await merge.getByText('Please give a reason').waitFor();
      await merge.getByRole('textbox', { name: 'Reason' }).fill('One facility, typed on both laptops');
      await dups.scrollIntoViewIfNeeded();
      await shots(omar, 'sync-10-merge-facilities');
      await merge.getByRole('button', { name: 'Merge facilities' }).click();
      await dups.getByTestId('merge-done-facility').getByText(/1 person, 1 incident moved/).waitFor();
      expect(await unwrap(omar.session.dispatch('incidents:get', { id: incident.id }))).toMatchObject({ facilityId: fd.id });
      await dups.getByText('No two facilities share a name in the same city and state.').waitFor();
      await shots(omar, 'sync-11-facilities-merged');

      // The code clash: the person entered later gets the next free code, with a reason.
      await omar.page.getByTestId('sync-code-clashes').getByRole('button', { name: 'Resolve CM-001' }).click();
      const recode = omar.page.getByRole('dialog', { name: 'Filing code CM-001' });
      await recode.getByText(/Haddad, Mohammed was entered first and keeps CM-001; Osei, Ama gets the next free code/).waitFor();
      await recode.getByRole('textbox', { name: 'Reason' }).fill('CM-001 was given on both laptops before they synced');
      await shots(omar, 'sync-12-code-clash');
      await recode.getByRole('button', { name: 'Resolve' }).click();
      await omar.page.getByTestId('code-clash-note').getByText('Osei, Ama is now CM-002 (was CM-001).').waitFor();
      await expect.poll(() => badge.count()).toBe(0);
      expect(await unwrap(omar.session.dispatch('people:get', { id: po.id }))).toMatchObject({ filingCode: 'CM-002' });

      // Undo the facility merge: the incident is back at the facility it was entered under.
      await dups.getByRole('button', { name: 'Undo' }).click();
      const undo = omar.page.getByRole('dialog', { name: 'Undo the merge' });
      await undo.getByRole('textbox', { name: 'Reason' }).fill('Two units of one site, kept apart in the case');
      await undo.getByRole('button', { name: 'Undo the merge' }).click();
      await dups.getByTestId('merge-note-facility').waitFor();
      expect(await unwrap(omar.session.dispatch('incidents:get', { id: incident.id }))).toMatchObject({ facilityId: fo.id });
      await shots(omar, 'sync-13-facilities-unmerged');
      expect(await unwrap(omar.session.dispatch('audit:verify', { full: true }))).toMatchObject({ ok: true, firstBroken: null });
    } catch (e) {
      await omar.screenshot('sync-failed-facilities').catch(() => undefined);
      throw e;
    } finally {
      await dana.close();
      await omar.close();
    }
  }, 300_000);
});
