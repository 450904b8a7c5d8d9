// One scenario, run against the browser harness here and against the real Electron app where its
// binary exists: add a facility, a person and an incident through the UI, reload, see them, fail
// on a bad A-number without writing, then read it all back with the CLI.
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export interface Target {
  page: Page;
  dbFile: string;
  reload: () => Promise<void>;
  screenshot: (name: string) => Promise<string>;
}

export function cliCall(dbFile: string, channel: string, input: unknown = {}): { ok: boolean; data?: unknown; error?: unknown } {
  const out = execFileSync(process.execPath, ['scripts/attest.mjs', 'call', channel, JSON.stringify(input), '--db', dbFile], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as { ok: boolean; data?: unknown };
}

async function pick(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

export async function nav(page: Page, key: 'interview' | 'people' | 'incidents' | 'facilities'): Promise<void> {
  await page.getByTestId(`nav-${key}`).click();
}

/**
 * Answers the "who is working" picker shown at start: adds the staff member the first time,
 * picks them from the list afterwards.
 */
export async function signIn(page: Page, name: string): Promise<void> {
  const picker = page.getByRole('dialog', { name: 'Who is working?' });
  await picker.waitFor();
  const existing = picker.getByRole('radio', { name, exact: false });
  if (await existing.count()) {
    await existing.first().check();
    await picker.getByRole('button', { name: `Continue as ${name}` }).click();
  } else {
    await picker.getByRole('textbox', { name: 'Full name' }).fill(name);
    await picker.getByRole('button', { name: 'Add and continue' }).click();
  }
  await picker.waitFor({ state: 'hidden' });
  await expect.poll(() => page.getByTestId('current-user').textContent()).toBe(name);
}

export async function runFoundationScenario(t: Target, prefix: string): Promise<void> {
  let page = t.page;
  await signIn(page, 'Dana Whitfield');

  // Facility
  await nav(page, 'facilities');
  const facilityForm = page.getByTestId('facility-form');
  await facilityForm.getByRole('textbox', { name: 'Name', exact: true }).fill('North Lake Processing Center');
  await facilityForm.getByRole('textbox', { name: 'City', exact: true }).fill('Baldwin');
  await facilityForm.getByRole('combobox', { name: 'State', exact: true }).fill('MI');
  await page.getByRole('option', { name: 'MI — Michigan', exact: true }).click();
  await pick(page, 'Operator', 'Private company');
  await facilityForm.getByRole('textbox', { name: 'Operator name', exact: true }).fill('GEO Group');
  await facilityForm.getByRole('button', { name: 'Save facility' }).click();
  await expect.poll(() => page.getByTestId('facility-list').getByText('North Lake Processing Center').count()).toBe(1);
  await t.screenshot(`${prefix}-facilities`);

  // Person, with a bad A-number first: the message shows next to the field and nothing is written.
  await nav(page, 'people');
  await page.getByTestId('add-person').click();
  const personForm = page.getByTestId('person-form');
  await personForm.getByRole('textbox', { name: 'Family name', exact: true }).fill('Haddad');
  await personForm.getByRole('textbox', { name: 'Given name', exact: true }).fill('Yusuf');
  await personForm.getByRole('textbox', { name: 'Name in original script', exact: true }).fill('يوسف حداد');
  await personForm.getByRole('textbox', { name: 'A-number', exact: true }).fill('A12B45678');
  await personForm.getByRole('button', { name: 'Save person' }).click();
  const aNumberError = personForm.getByText('A-number may contain only digits');
  await aNumberError.waitFor();
  await t.screenshot(`${prefix}-people-bad-a-number`);
  expect(cliCall(t.dbFile, 'people:list')).toMatchObject({ ok: true, data: { total: 0 } });

  await personForm.getByRole('textbox', { name: 'A-number', exact: true }).fill('A 012-345-678');
  await personForm.getByRole('textbox', { name: 'Nationality', exact: true }).fill('Iraq');
  await pick(page, 'Current facility', 'North Lake Processing Center (Baldwin, MI)');
  await personForm.getByRole('button', { name: 'Save person' }).click();
  await page.getByTestId('person-page').getByText('A012-345-678', { exact: false }).waitFor();

  // The same A-number again is refused before saving, with a link to the person who holds it.
  await nav(page, 'people');
  await page.getByTestId('add-person').click();
  await personForm.getByRole('textbox', { name: 'Family name', exact: true }).fill('Haddad');
  await personForm.getByRole('textbox', { name: 'Given name', exact: true }).fill('Yousef');
  await personForm.getByRole('textbox', { name: 'A-number', exact: true }).fill('12345678');
  const duplicate = personForm.getByTestId('duplicate-a-number');
  await duplicate.getByText('Haddad, Yusuf').waitFor();
  await personForm.getByRole('button', { name: /^Save/ }).click();
  await personForm.getByText(/already recorded for Haddad, Yusuf/).waitFor();
  expect(cliCall(t.dbFile, 'people:list')).toMatchObject({ ok: true, data: { total: 1 } });
  await t.screenshot(`${prefix}-people-duplicate`);
  await page.keyboard.press('Escape');
  await page.getByTestId('person-list').getByText('A012-345-678').waitFor();
  await t.screenshot(`${prefix}-people`);

  // Incident, entered in an interview started from the person's page.
  await page.getByTestId('person-list').getByText('Haddad, Yusuf').click();
  await page.getByTestId('person-start-interview').click();
  await page.getByTestId('interview-details').getByRole('button', { name: 'Start interview' }).click();
  const entry = page.getByTestId('incident-entry');
  await expect.poll(() => entry.getByRole('combobox', { name: 'Facility', exact: true }).inputValue()).toBe(
    'North Lake Processing Center (Baldwin, MI)',
  );
  await entry.getByLabel('When (or from)').fill('2026-06-18');
  await entry.getByRole('combobox', { name: 'Categories', exact: true }).click();
  await page.getByRole('option', { name: 'Water withheld', exact: true }).click();
  await page.getByRole('option', { name: 'Restroom access denied', exact: true }).click();
  await page.keyboard.press('Escape');
  await entry
    .getByRole('textbox', { name: 'Summary', exact: true })
    .fill('Held in the intake cell for 14 hours without water; guards refused restroom access.');
  await entry.getByTestId('save-incident').click();
  await page.getByTestId('interview-incident-list').getByText('Held in the intake cell').waitFor();
  await nav(page, 'incidents');
  await expect.poll(() => page.getByTestId('incident-list').getByText('Held in the intake cell').count()).toBe(1);
  await t.screenshot(`${prefix}-incidents`);

  // Reload: everything is still there, read from the file.
  await t.reload();
  page = t.page;
  if (await page.getByRole('dialog', { name: 'Who is working?' }).isVisible()) await signIn(page, 'Dana Whitfield');
  await nav(page, 'incidents');
  await page.getByTestId('incident-list').getByText('Held in the intake cell').waitFor();
  await expect.poll(() => page.getByTestId('incident-list').getByText('Water withheld').count()).toBe(1);
  await nav(page, 'people');
  await page.getByTestId('person-list').getByText('يوسف حداد').waitFor();
  await nav(page, 'facilities');
  await page.getByTestId('facility-list').getByText('GEO Group', { exact: false }).waitFor();

  // The CLI reads what the UI wrote, from the same file.
  const incidents = cliCall(t.dbFile, 'incidents:list');
  expect(incidents).toMatchObject({
    ok: true,
    data: {
      total: 1,
      items: [
        {
          personName: 'Haddad, Yusuf',
          facilityName: 'North Lake Processing Center',
          occurredOn: '2026-06-18',
          categories: ['RESTROOM', 'WATER'],
        },
      ],
    },
  });
  expect(cliCall(t.dbFile, 'people:list')).toMatchObject({
    ok: true,
    data: { total: 1, items: [{ aNumber: '012345678', nameOriginal: 'يوسف حداد' }] },
  });
}
