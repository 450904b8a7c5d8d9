import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_FACILITY, tempDbFile } from '../helpers';
import { signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

const PASSPHRASE = 'the office passphrase 2026';

describe('first run, unlock, backups and passphrase in Chromium', () => {
  it('sets up an encrypted database, refuses a wrong passphrase with a plain message, unlocks, backs up and rekeys', async () => {
    const dbFile = tempDbFile();

    // First run: a passphrase is asked for; the unencrypted choice needs an explicit tick.
    let app = await openBrowserApp(browser(), dbFile, { locked: true });
    let page = app.page;
    try {
      await app.open();
      const first = page.getByTestId('first-run');
      await first.waitFor();
      expect(await page.getByRole('button', { name: 'Continue without encryption' }).isDisabled()).toBe(true);
      await first.getByLabel('Passphrase', { exact: true }).fill('too short');
      await first.getByLabel('Passphrase again').fill('too short');
      await first.getByRole('button', { name: 'Create encrypted database' }).click();
      await first.getByRole('alert').getByText('at least 10 characters').waitFor();
      await app.screenshot('vault-first-run');
      await first.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await first.getByLabel('Passphrase again').fill(PASSPHRASE);
      await first.getByRole('button', { name: 'Create encrypted database' }).click();
      await page.getByTestId('nav-facilities').waitFor();
      await page.getByTestId('verify-status').getByText('History verified: 0 entries intact').waitFor();
      expect(await app.session.dispatch('facilities:create', SAMPLE_FACILITY)).toMatchObject({ ok: true });
    } finally {
      await app.close();
    }
    expect(readFileSync(dbFile).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(readFileSync(dbFile).includes(Buffer.from(SAMPLE_FACILITY.name))).toBe(false);

    // Next start: locked. A wrong passphrase gets a plain message, then the right one opens it.
    app = await openBrowserApp(browser(), dbFile, { locked: true });
    page = app.page;
    try {
      await app.open();
      const unlock = page.getByTestId('unlock');
      await unlock.getByLabel('Passphrase').fill('not the passphrase');
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await unlock.getByRole('alert').getByText('That passphrase does not unlock this database').waitFor();
      await app.screenshot('vault-wrong-passphrase');
      expect(await page.getByTestId('nav-facilities').count()).toBe(0);
      await unlock.getByLabel('Passphrase').fill(PASSPHRASE);
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await signIn(page, 'Dana Whitfield'); // adding the staff member is the second entry in the history
      await page.getByTestId('nav-facilities').click();
      await page.getByTestId('facility-list').getByText(SAMPLE_FACILITY.name).waitFor();
      await page.getByTestId('verify-status').getByText('History verified: 2 entries intact').waitFor();

      // Backups: back up now, see it listed, restore it.
      await page.getByTestId('nav-safety').click();
      await page.getByRole('button', { name: 'Back up now' }).click();
      await page.getByTestId('backup-note').getByText('Backed up to').waitFor();
      // Two: the one taken when the first session closed after its write, and this one.
      await expect.poll(() => page.getByTestId('backup-list').locator('tbody tr').count()).toBe(2);
      await page.getByRole('button', { name: 'Restore…' }).first().click();
      await page.getByRole('button', { name: 'Confirm restore' }).click();
      await page.getByTestId('backup-note').getByText(/Restored .* \(history verified: 2 entries\)/).waitFor();
      // The older backup lacks the second entry: the page says what would be lost and asks first.
      await page.getByRole('button', { name: 'Restore…' }).nth(1).click();
      await page.getByRole('button', { name: 'Confirm restore' }).click();
      await page.getByTestId('restore-loss-message').getByText(/would lose 1 history entry \(changes to 1 record/).waitFor();
      await app.screenshot('vault-restore-loss');
      await page.getByRole('button', { name: 'Keep the current database' }).click();
      await page.getByTestId('verify-status').getByText('History verified: 2 entries intact').waitFor();
      await page.getByRole('button', { name: 'Restore…' }).nth(1).click();
      await page.getByRole('button', { name: 'Confirm restore' }).click();
      await page.getByRole('button', { name: 'Restore and lose it' }).click();
      await page.getByTestId('backup-note').getByText(/Restored .* \(history verified: 1 entry\)/).waitFor();

      // Change the passphrase: the wrong current one is refused, the right one works.
      const form = page.getByTestId('change-passphrase');
      await form.getByLabel('Current passphrase').fill('wrong current');
      await form.getByLabel('New passphrase', { exact: true }).fill('a new passphrase 2027');
      await form.getByLabel('New passphrase again').fill('a new passphrase 2027');
      await form.getByRole('button', { name: 'Change passphrase' }).click();
      await form.getByTestId('passphrase-note').getByText('wrong passphrase').waitFor();
      await form.getByLabel('Current passphrase').fill(PASSPHRASE);
      await form.getByRole('button', { name: 'Change passphrase' }).click();
      await form.getByTestId('passphrase-note').getByText('Passphrase changed').waitFor();
      await app.screenshot('vault-safety-page');
    } finally {
      await app.close();
    }

    app = await openBrowserApp(browser(), dbFile, { locked: true });
    try {
      expect(await app.session.dispatch('vault:unlock', { passphrase: PASSPHRASE })).toMatchObject({
        ok: false,
        error: { code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/^That is the previous passphrase: it was changed on /) },
      });
      expect(await app.session.dispatch('vault:unlock', { passphrase: 'a new passphrase 2027' })).toMatchObject({ ok: true });
    } finally {
      await app.close();
    }
    // Each restore and passphrase change derives keys several times (copy, check, backup): slow by design.
  }, 300_000);
});
