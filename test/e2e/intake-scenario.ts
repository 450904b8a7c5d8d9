// The attorney's half of the mission, end to end in a real browser over real SQLite: an interview
// with three incidents (one told in Arabic), an edit with a reason and its history, a delete and a
// restore, full-text search by a word of the person's own words, filters that survive navigation,
// and the person's timeline.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Session } from '../../electron/core/session';
import { cliCall, nav, signIn } from './foundation-scenario';

export const ARABIC_OWN_WORDS = 'قال الضابط إذا وقعت على الورقة ستخرج غدا، ولم يسمح لي بالاتصال بمحاميتي';
export const ARABIC_WORD = 'الورقة';

async function unwrap<T>(r: Promise<unknown> | unknown): Promise<T> {
  const res = (await r) as { ok: boolean; data?: T; error?: { message: string } };
  if (!res.ok) throw new Error(res.error?.message ?? 'dispatch failed');
  return res.data as T;
}

/** A facility and a person already on file, written through the same dispatch as the UI. */
export async function seed(session: Session): Promise<{ facilityId: string; personId: string }> {
  const f = await unwrap<{ id: string }>(
    session.dispatch('facilities:create', {
      name: 'North Lake Processing Center',
      city: 'Baldwin',
      state: 'MI',
      operator: 'PRIVATE',
      operatorName: 'GEO Group',
      standard: 'PBNDS_2011',
    }),
  );
  const p = await unwrap<{ id: string }>(
    session.dispatch('people:create', {
      familyName: 'Haddad',
      givenName: 'Mohammed',
      nameOriginal: 'محمد حداد',
      aNumber: '111222333',
      currentFacilityId: f.id,
    }),
  );
  return { facilityId: f.id, personId: p.id };
}

async function pickCategory(page: Page, entry: ReturnType<Page['getByTestId']>, label: string): Promise<void> {
  const box = entry.getByRole('combobox', { name: 'Categories', exact: true });
  await box.click();
  await box.pressSequentially(label.slice(0, 6));
  await page.getByRole('option', { name: label, exact: true }).click();
  await page.keyboard.press('Escape');
}

export async function runIntakeScenario(page: Page, dbFile: string, shot: (name: string) => Promise<string>): Promise<void> {
  await page.getByRole('dialog', { name: 'Who is working?' }).waitFor();
  await shot('intake-01-staff-picker');
  await signIn(page, 'Dana Whitfield');

  // ---- The person: a similar name is warned before save, then confirmed as a different person.
  await nav(page, 'interview');
  await page.getByTestId('new-person').click();
  const pf = page.getByTestId('new-person-form');
  await pf.getByRole('textbox', { name: 'Family name', exact: true }).fill('Haddad');
  await pf.getByRole('textbox', { name: 'Given name', exact: true }).fill('Muhammad');
  await pf.getByRole('textbox', { name: 'Name in original script', exact: true }).fill('محمد حداد');
  await pf.getByRole('textbox', { name: 'A-number', exact: true }).fill('111222333');
  // The A-number is taken: refused, with a link to the person who holds it.
  await pf.getByTestId('duplicate-a-number').getByText('Haddad, Mohammed').waitFor();
  await shot('intake-02-duplicate-a-number');
  await pf.getByRole('textbox', { name: 'A-number', exact: true }).fill('A 204-118-907');
  await pf.getByTestId('duplicate-a-number').waitFor({ state: 'detached' });
  const similar = pf.getByTestId('similar-names');
  await similar.getByText('Haddad, Mohammed').waitFor();
  await pf.getByRole('textbox', { name: 'Nationality', exact: true }).fill('Syria');
  await pf.getByRole('combobox', { name: 'Current facility', exact: true }).click();
  await page.getByRole('option', { name: 'North Lake Processing Center (Baldwin, MI)', exact: true }).click();
  await pf.getByRole('button', { name: 'Save person and continue' }).click();
  await similar.getByText('Is this a different person?').waitFor();
  await shot('intake-03-similar-name-warning');
  expect(cliCall(dbFile, 'people:list')).toMatchObject({ data: { total: 1 } });
  await pf.getByRole('button', { name: 'Save anyway' }).click();
  await page.getByTestId('chosen-person').getByText('A204-118-907').waitFor();

  // ---- The interview
  const details = page.getByTestId('interview-details');
  await details.getByRole('textbox', { name: 'Place', exact: true }).fill('Attorney visit room 2');
  await details.getByTestId('interview-mode').getByText('Video', { exact: true }).click();
  await details.getByRole('textbox', { name: 'Interpreter', exact: true }).fill('Samir Aziz');
  await details.getByRole('textbox', { name: 'Interpreter language', exact: true }).fill('Arabic');
  await details.getByRole('button', { name: 'Start interview' }).click();
  await details.getByText('Samir Aziz · Arabic').waitFor();

  // ---- Three incidents, one after another, from the keyboard: Ctrl+Enter saves and opens the next.
  const entry = page.getByTestId('incident-entry');
  const when = entry.getByLabel('When (or from)');
  await expect.poll(() => when.evaluate((el) => el === document.activeElement)).toBe(true);
  await when.fill('2026-06-18');
  await pickCategory(page, entry, 'Water withheld');
  await entry.getByRole('textbox', { name: 'Summary', exact: true }).fill('Held in the intake cell for 14 hours without water.');
  const ownWords = entry.getByRole('textbox', { name: 'Own words', exact: true });
  await ownWords.fill('They said I could drink when I signed the paper.');
  await ownWords.press('Control+Enter');
  await expect.poll(() => page.getByTestId('interview-incident-list').getByText('Held in the intake cell').count()).toBe(1);
  // Saved, the form is empty again and the cursor is back in its first field.
  await expect.poll(() => when.evaluate((el) => el === document.activeElement)).toBe(true);
  await expect.poll(() => entry.getByRole('textbox', { name: 'Summary', exact: true }).inputValue()).toBe('');

  // The second, told in Arabic, with staff, a document pressed and counsel absent.
  await when.fill('2026-06-20');
  await entry.getByTestId('date-precision').getByText('Approximate', { exact: true }).click();
  await pickCategory(page, entry, 'Pressure to sign voluntary departure');
  await entry
    .getByRole('textbox', { name: 'Summary', exact: true })
    .fill('Pressed to sign voluntary departure without counsel present.');
  await ownWords.fill(ARABIC_OWN_WORDS);
  await entry.getByRole('button', { name: 'Add staff involved' }).click();
  await entry.getByRole('textbox', { name: 'Staff name' }).fill('Officer Reyes');
  await entry.getByRole('textbox', { name: 'Badge' }).fill('4471');
  await entry.getByRole('combobox', { name: 'Document pressed to sign' }).click();
  await page.getByRole('option', { name: 'I-210 voluntary departure', exact: true }).click();
  await entry.getByTestId('document-signed').getByText('No', { exact: true }).click();
  await entry.getByTestId('counsel-present').getByText('No', { exact: true }).click();
  await shot('intake-04-interview-arabic-incident');
  await ownWords.press('Control+Enter');
  await expect.poll(() => page.getByTestId('interview-incident-list').getByText('Pressed to sign voluntary').count()).toBe(1);

  // The third: known only to the month.
  await entry.getByTestId('date-precision').getByText('Month only', { exact: true }).click();
  await when.fill('2026-05');
  await pickCategory(page, entry, 'Threats for seeking counsel');
  await entry.getByRole('textbox', { name: 'Summary', exact: true }).fill('Told that asking for a lawyer would mean a transfer.');
  await ownWords.fill('The officer said lawyers only make it worse for you.');
  await ownWords.press('Control+Enter');
  const saved = page.getByTestId('interview-incident-list');
  await expect.poll(() => saved.getByText('Told that asking for a lawyer').count()).toBe(1);
  await page.getByTestId('interview-incidents').getByText('Incidents reported (3)').waitFor();
  await shot('intake-05-interview-three-incidents');

  // ---- Edit the Arabic one with a reason, then read its history.
  await saved.getByRole('button', { name: 'Open' }).nth(1).click();
  const ip = page.getByTestId('incident-page');
  await ip.getByTestId('incident-own-words').getByText(ARABIC_OWN_WORDS).waitFor();
  await shot('intake-06-incident');
  await ip.getByTestId('edit').click();
  const edit = page.getByTestId('incident-edit');
  await edit
    .getByRole('textbox', { name: 'Summary', exact: true })
    .fill('Pressed by an ICE officer to sign I-210 voluntary departure; counsel was not present.');
  await edit.getByTestId('incident-status').getByText('Verified', { exact: true }).click();
  await edit.getByRole('button', { name: 'Save changes…' }).click();
  const modal = page.getByRole('dialog', { name: 'Save changes' });
  await modal.getByRole('textbox', { name: 'Reason' }).fill('Corrected after reading it back with the interpreter');
  await modal.getByRole('button', { name: 'Save changes' }).click();
  await ip.getByText('Pressed by an ICE officer to sign I-210').waitFor();
  await ip.getByText('version 2', { exact: false }).waitFor();

  await ip.getByTestId('show-history').click();
  const v2 = page.getByTestId('history-version-2');
  await v2.getByText('Corrected after reading it back with the interpreter').waitFor();
  await v2.getByText('Dana Whitfield', { exact: false }).waitFor();
  await v2.getByText('Pressed to sign voluntary departure without counsel present.').waitFor();
  await v2.getByText('Pressed by an ICE officer to sign I-210 voluntary departure; counsel was not present.').waitFor();
  await v2.getByText('Verified').waitFor();
  await shot('intake-07-history');
  await page.keyboard.press('Escape');
  await page.getByTestId('history').waitFor({ state: 'detached' });

  // ---- Delete (a tombstone) and restore.
  await ip.getByTestId('delete').click();
  const del = page.getByRole('dialog', { name: 'Delete this incident' });
  await del.getByRole('textbox', { name: 'Reason' }).fill('Recorded twice by mistake');
  await del.getByRole('button', { name: 'Delete' }).click();
  await ip.getByTestId('deleted-badge').waitFor();
  await del.waitFor({ state: 'hidden' });
  await shot('intake-08-incident-deleted');

  // Deleted: gone from search, shown with "deleted only".
  await nav(page, 'incidents');
  await page.getByTestId('incident-search').fill(ARABIC_WORD);
  await page.getByTestId('incident-count').getByText('0 incidents', { exact: false }).waitFor();
  await page.getByRole('switch', { name: 'Deleted only' }).click();
  await page.getByTestId('incident-count').getByText('1 incident', { exact: false }).waitFor();
  await page.getByTestId('incident-list').getByText('Pressed by an ICE officer').click();
  await page.getByTestId('restore').click();
  const restore = page.getByRole('dialog', { name: 'Restore this incident' });
  await restore.getByRole('textbox', { name: 'Reason' }).fill('Not a duplicate after all');
  await restore.getByRole('button', { name: 'Restore' }).click();
  await page.getByTestId('incident-page').getByTestId('deleted-badge').waitFor({ state: 'detached' });
  const history = cliCall(dbFile, 'incidents:history', { id: await currentIncidentId(page) }) as {
    ok: boolean;
    data: { versions: { action: string; by: string; reason: string | null }[] };
  };
  expect(history.data.versions.map((v) => [v.action, v.by, v.reason])).toEqual([
    ['create', 'Dana Whitfield', null],
    ['update', 'Dana Whitfield', 'Corrected after reading it back with the interpreter'],
    ['delete', 'Dana Whitfield', 'Recorded twice by mistake'],
    ['restore', 'Dana Whitfield', 'Not a duplicate after all'],
  ]);

  // ---- Find it by a word of its own words (Arabic), and another by an English word.
  await nav(page, 'incidents');
  // The search text and the "deleted only" switch were kept while away; turn the switch off.
  await expect.poll(() => page.getByTestId('incident-search').inputValue()).toBe(ARABIC_WORD);
  await page.getByRole('switch', { name: 'Deleted only' }).click();
  await page.getByTestId('incident-count').getByText('1 incident', { exact: false }).waitFor();
  await page.getByTestId('incident-list').getByText('Pressed by an ICE officer').waitFor();
  await shot('intake-09-search-arabic');
  await page.getByTestId('incident-search').fill('drink');
  await page.getByTestId('incident-count').getByText('1 incident', { exact: false }).waitFor();
  await page.getByTestId('incident-list').getByText('Held in the intake cell').waitFor();

  // ---- Filters survive navigation.
  await page.getByTestId('incident-search').fill('');
  await page.getByRole('combobox', { name: 'Category', exact: true }).click();
  await page.getByRole('option', { name: 'Threats for seeking counsel', exact: true }).click();
  await page.getByTestId('incident-count').getByText('1 incident match', { exact: false }).waitFor();
  await nav(page, 'people');
  await nav(page, 'incidents');
  await expect.poll(() => page.getByRole('combobox', { name: 'Category', exact: true }).inputValue()).toBe('Threats for seeking counsel');
  await page.getByTestId('incident-count').getByText('1 incident match', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByTestId('incident-count').getByText('3 incidents', { exact: false }).waitFor();
  await shot('intake-10-incidents');

  // ---- The person's page: everything, with the timeline of the interview and its incidents.
  await nav(page, 'people');
  await page.getByTestId('person-list').getByText('Haddad, Muhammad').click();
  const pp = page.getByTestId('person-page');
  await expect.poll(() => pp.getByTestId('timeline-incident').count()).toBe(3);
  await expect.poll(() => pp.getByTestId('timeline-interview').count()).toBe(1);
  await shot('intake-11-person');
  await nav(page, 'people');
  await shot('intake-12-people');
}

async function currentIncidentId(page: Page): Promise<string> {
  const text = await page.getByText(/^Record [0-9A-Z]{26}$/).textContent();
  return text!.replace('Record ', '');
}
