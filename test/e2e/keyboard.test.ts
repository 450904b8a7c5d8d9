// Keyboard only: every task of the intake scenario (test/e2e/intake-scenario.ts) done with the keys
// a person without a mouse has: Tab and Shift+Tab to move, typing, Enter, Space, arrows, Escape,
// Ctrl+Enter. Elements are found with locators only to know when the focus has reached them; no
// click, fill or check is used.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDbFile } from '../helpers';
import { cliCall } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';
import { ARABIC_OWN_WORDS, ARABIC_WORD, seed } from './intake-scenario';

const browser = useChromium();

const hasFocus = (target: Locator) => target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would; fails after `max`. */
async function tabTo(page: Page, target: Locator, options: { back?: boolean; max?: number } = {}): Promise<number> {
  // Attached, not visible: a segmented control's radio inputs are drawn by their labels.
  await target.waitFor({ state: 'attached' });
  const max = options.max ?? 80;
  for (let n = 0; n <= max; n++) {
    if (await hasFocus(target)) return n;
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
  }
  const at = await page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName} ${el.getAttribute('aria-label') ?? ''} ${(el.textContent ?? '').slice(0, 40)}` : 'nothing';
  });
  throw new Error(`${String(target)} never took the focus in ${max} Tabs (focus on ${at})`);
}

/** Tabs to a field and types into it (clearing what it held first). */
async function typeInto(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/** Tabs to a button (or link, switch, row) and presses Enter. */
async function press(page: Page, target: Locator, key = 'Enter'): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

/** Tabs to a searchable select, types part of an option and picks the highlighted one with Enter. */
async function pick(page: Page, box: Locator, typed: string, option: string): Promise<void> {
  await tabTo(page, box);
  await page.keyboard.type(typed);
  await page.getByRole('option', { name: option, exact: true }).waitFor();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

/** Moves a segmented control (radio group) to `label` with the arrow keys from the focused choice. */
async function choose(page: Page, group: Locator, label: string): Promise<void> {
  // One Tab stop for the group: the chosen option; the arrows move the choice.
  await tabTo(page, group);
  for (let n = 0; n < 6; n++) {
    if (await group.getByRole('radio', { name: label, exact: true }).isChecked()) return;
    await page.keyboard.press('ArrowRight');
  }
  throw new Error(`could not choose ${label} with the arrow keys`);
}

/** The main navigation, from the keyboard: Shift+Tab back up to it when the focus is below. */
async function navTo(page: Page, key: string): Promise<void> {
  const link = page.getByTestId(`nav-${key}`);
  const below = await page.evaluate(() => {
    const nav = document.querySelector('nav, [aria-label="Main"]');
    const el = document.activeElement;
    return Boolean(nav && el && el !== document.body && nav.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  await tabTo(page, link, { back: below, max: 200 });
  await page.keyboard.press('Enter');
}

describe('Keyboard only in Chromium', () => {
  it('does every task of the intake scenario without the mouse', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    const page = app.page;
    try {
      await seed(app.session);
      await app.open();

      // ---- Who is working: the name field has the focus; Enter adds and continues.
      const picker = page.getByRole('dialog', { name: 'Who is working?' });
      await typeInto(page, picker.getByRole('textbox', { name: 'Full name' }), 'Dana Whitfield');
      await page.keyboard.press('Enter');
      await picker.waitFor({ state: 'hidden' });
      await expect.poll(() => page.getByTestId('current-user').textContent()).toBe('Dana Whitfield');

      // ---- The person, confirmed as different from the similar name on file.
      await navTo(page, 'interview');
      await press(page, page.getByTestId('new-person'));
      const pf = page.getByTestId('new-person-form');
      await typeInto(page, pf.getByRole('textbox', { name: 'Family name', exact: true }), 'Haddad');
      await typeInto(page, pf.getByRole('textbox', { name: 'Given name', exact: true }), 'Muhammad');
      await typeInto(page, pf.getByRole('textbox', { name: 'Name in original script', exact: true }), 'محمد حداد');
      await typeInto(page, pf.getByRole('textbox', { name: 'A-number', exact: true }), 'A 204-118-907');
      await typeInto(page, pf.getByRole('textbox', { name: 'Nationality', exact: true }), 'Syria');
      await pick(page, pf.getByRole('combobox', { name: 'Current facility', exact: true }), 'North', 'North Lake Processing Center (Baldwin, MI)');
      await press(page, pf.getByRole('button', { name: 'Save person and continue' }));
      const similar = pf.getByTestId('similar-names');
      await similar.getByText('Is this a different person?').waitFor();
      await press(page, pf.getByRole('button', { name: 'Save anyway' }), 'Enter');
      await page.getByTestId('chosen-person').getByText('A204-118-907').waitFor();

      // ---- The interview.
      const details = page.getByTestId('interview-details');
      await typeInto(page, details.getByRole('textbox', { name: 'Place', exact: true }), 'Attorney visit room 2');
      await choose(page, details.getByTestId('interview-mode'), 'Video');
      await typeInto(page, details.getByRole('textbox', { name: 'Interpreter', exact: true }), 'Samir Aziz');
      await typeInto(page, details.getByRole('textbox', { name: 'Interpreter language', exact: true }), 'Arabic');
      await press(page, details.getByRole('button', { name: 'Start interview' }));
      await details.getByText('Samir Aziz · Arabic').waitFor();

      // ---- Three incidents. The date has the focus; its precision is one Tab after the year.
      const entry = page.getByTestId('incident-entry');
      const when = entry.getByLabel('When (or from)');
      await expect.poll(() => hasFocus(when)).toBe(true);
      await page.keyboard.type('06182026');
      await expect.poll(() => when.inputValue()).toBe('2026-06-18');
      await pick(page, entry.getByRole('combobox', { name: 'Categories', exact: true }), 'Water w', 'Water withheld');
      await typeInto(page, entry.getByRole('textbox', { name: 'Summary', exact: true }), 'Held in the intake cell for 14 hours without water.');
      await typeInto(page, entry.getByRole('textbox', { name: 'Own words', exact: true }), 'They said I could drink when I signed the paper.');
      await page.keyboard.press('Control+Enter');
      const saved = page.getByTestId('interview-incident-list');
      await expect.poll(() => saved.getByText('Held in the intake cell').count()).toBe(1);
      await expect.poll(() => hasFocus(when)).toBe(true);

      // The second, in Arabic: the precision right after the date (one Tab), staff, a document, counsel.
      await page.keyboard.type('06202026');
      const tabs = await tabTo(page, entry.getByTestId('date-precision'), { max: 4 });
      // From the year typed: the date's own calendar button (Chromium's), then the precision.
      expect(tabs, 'Tabs from the date to its precision').toBeLessThanOrEqual(2);
      await choose(page, entry.getByTestId('date-precision'), 'Approximate');
      await pick(page, entry.getByRole('combobox', { name: 'Categories', exact: true }), 'Pressure', 'Pressure to sign voluntary departure');
      await typeInto(page, entry.getByRole('textbox', { name: 'Summary', exact: true }), 'Pressed to sign voluntary departure without counsel present.');
      await typeInto(page, entry.getByRole('textbox', { name: 'Own words', exact: true }), ARABIC_OWN_WORDS);
      await press(page, entry.getByRole('button', { name: 'Add staff involved' }));
      await typeInto(page, entry.getByRole('textbox', { name: 'Staff name' }), 'Officer Reyes');
      await typeInto(page, entry.getByRole('textbox', { name: 'Badge' }), '4471');
      await pick(page, entry.getByRole('combobox', { name: 'Document pressed to sign' }), 'I-210', 'I-210 voluntary departure');
      await choose(page, entry.getByTestId('document-signed'), 'No');
      await choose(page, entry.getByTestId('counsel-present'), 'No');
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => saved.getByText('Pressed to sign voluntary').count()).toBe(1);

      // The third: known only to the month (a day of it typed, then the precision: the month stays).
      await expect.poll(() => hasFocus(when)).toBe(true);
      await page.keyboard.type('05012026');
      await choose(page, entry.getByTestId('date-precision'), 'Month only');
      await expect.poll(() => when.inputValue()).toBe('2026-05');
      await pick(page, entry.getByRole('combobox', { name: 'Categories', exact: true }), 'Threats f', 'Threats for seeking counsel');
      await typeInto(page, entry.getByRole('textbox', { name: 'Summary', exact: true }), 'Told that asking for a lawyer would mean a transfer.');
      await typeInto(page, entry.getByRole('textbox', { name: 'Own words', exact: true }), 'The officer said lawyers only make it worse for you.');
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => saved.getByText('Told that asking for a lawyer').count()).toBe(1);
      await page.getByTestId('interview-incidents').getByText('Incidents reported (3)').waitFor();

      // ---- Edit the Arabic one with a reason; its history.
      await press(page, saved.getByRole('button', { name: 'Open' }).nth(1));
      const ip = page.getByTestId('incident-page');
      await ip.getByTestId('incident-own-words').getByText(ARABIC_OWN_WORDS).waitFor();
      await press(page, ip.getByTestId('edit'));
      const edit = page.getByTestId('incident-edit');
      await typeInto(page, edit.getByRole('textbox', { name: 'Summary', exact: true }), 'Pressed by an ICE officer to sign I-210 voluntary departure; counsel was not present.');
      await choose(page, edit.getByTestId('incident-status'), 'Verified');
      await press(page, edit.getByRole('button', { name: 'Save changes…' }));
      const modal = page.getByRole('dialog', { name: 'Save changes' });
      await typeInto(page, modal.getByRole('textbox', { name: 'Reason' }), 'Corrected after reading it back with the interpreter');
      await press(page, modal.getByRole('button', { name: 'Save changes', exact: true }));
      await ip.getByText('Pressed by an ICE officer to sign I-210').waitFor();
      await press(page, ip.getByTestId('show-history'));
      const v2 = page.getByTestId('history-version-2');
      await v2.getByText('Corrected after reading it back with the interpreter').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('history').waitFor({ state: 'detached' });

      // ---- Delete and restore.
      await press(page, ip.getByTestId('delete'));
      const del = page.getByRole('dialog', { name: 'Delete this incident' });
      await typeInto(page, del.getByRole('textbox', { name: 'Reason' }), 'Recorded twice by mistake');
      await press(page, del.getByRole('button', { name: 'Delete', exact: true }));
      await ip.getByTestId('deleted-badge').waitFor();
      await navTo(page, 'incidents');
      await typeInto(page, page.getByTestId('incident-search'), ARABIC_WORD);
      await page.getByTestId('incident-count').getByText('0 incidents', { exact: false }).waitFor();
      await press(page, page.getByRole('switch', { name: 'Deleted only' }), 'Space');
      await page.getByTestId('incident-count').getByText('1 incident', { exact: false }).waitFor();
      await press(page, page.getByTestId('incident-list').getByRole('row').filter({ hasText: 'Pressed by an ICE officer' }));
      await press(page, page.getByTestId('restore'));
      const restore = page.getByRole('dialog', { name: 'Restore this incident' });
      await typeInto(page, restore.getByRole('textbox', { name: 'Reason' }), 'Not a duplicate after all');
      await press(page, restore.getByRole('button', { name: 'Restore', exact: true }));
      await page.getByTestId('incident-page').getByTestId('deleted-badge').waitFor({ state: 'detached' });

      // ---- Search by a word of the person's own words, and filters that survive navigation.
      await navTo(page, 'incidents');
      await press(page, page.getByRole('switch', { name: 'Deleted only' }), 'Space');
      await page.getByTestId('incident-list').getByText('Pressed by an ICE officer').waitFor();
      await typeInto(page, page.getByTestId('incident-search'), 'drink');
      await page.getByTestId('incident-list').getByText('Held in the intake cell').waitFor();
      await typeInto(page, page.getByTestId('incident-search'), '');
      await pick(page, page.getByRole('combobox', { name: 'Category', exact: true }), 'Threats f', 'Threats for seeking counsel');
      await page.getByTestId('incident-count').getByText('1 incident match', { exact: false }).waitFor();
      await navTo(page, 'people');
      await navTo(page, 'incidents');
      await expect.poll(() => page.getByRole('combobox', { name: 'Category', exact: true }).inputValue()).toBe('Threats for seeking counsel');
      await press(page, page.getByRole('button', { name: 'Clear filters' }));
      await page.getByTestId('incident-count').getByText('3 incidents', { exact: false }).waitFor();

      // ---- The person's page and timeline.
      await navTo(page, 'people');
      await press(page, page.getByTestId('person-list').getByRole('row').filter({ hasText: 'Haddad, Muhammad' }));
      const pp = page.getByTestId('person-page');
      await expect.poll(() => pp.getByTestId('timeline-incident').count()).toBe(3);
      await expect.poll(() => pp.getByTestId('timeline-interview').count()).toBe(1);
      await app.screenshot('keyboard-person');

      const history = cliCall(dbFile, 'incidents:list', { deleted: 'hide' }) as { data: { total: number } };
      expect(history.data.total).toBe(3);
    } catch (e) {
      await app.screenshot('keyboard-failure');
      throw e;
    } finally {
      await app.close();
    }
  }, 600_000);
});
