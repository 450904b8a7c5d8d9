// The safety screens in Chromium: the backup list follows the folder in use and names each backup
// (time, laptop, counts); the restore confirmation compares the backup with the current database
// and asks for the passphrase of a backup made before a change; Lock now (button, Ctrl+L) and the
// idle lock close the database and keep drafts; an unencrypted database shows a lasting banner.
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { opensWithKey } from '../../db/connect';
import { SAMPLE_FACILITY, SAMPLE_PERSON, tempDbFile, tempDir } from '../helpers';
import { nav, signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

const A = 'the office passphrase 2026';
const B = 'the passphrase after the change 2027';

function ok<T>(r: { ok: boolean; data?: unknown; error?: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
}

describe('safety screens in Chromium', () => {
  it('refreshes the backup list on a folder change, names each backup, compares before a restore and restores one made with another passphrase under the current one', async () => {
    const dbFile = tempDbFile();
    const other = tempDir('attest-usb-');
    mkdirSync(other, { recursive: true });
    const app = await openBrowserApp(browser(), dbFile, { key: A });
    const { page, session } = app;
    try {
      const d = session.dispatch;
      const me = ok<{ local: { id: string } }>(await d('sync:status', {})).local.id;
      ok(await d('sync:rename-device', { id: me, name: "Dana's laptop" }));
      ok(await d('facilities:create', SAMPLE_FACILITY));
      ok(await d('people:create', SAMPLE_PERSON));
      ok(await d('backup:create', { folder: other })); // the USB drive: 1 facility, 1 person, passphrase A
      ok(await d('vault:rekey', { current: A, next: B })); // backs up first (default folder, passphrase A)
      ok(await d('people:create', { ...SAMPLE_PERSON, givenName: 'Omar', aNumber: 'A 098-765-432' }));
      ok(await d('backup:create', {})); // the default folder: 1 facility, 2 people, passphrase B

      await app.open();
      await signIn(page, 'Dana Whitfield');
      await page.getByTestId('nav-safety').click();
      const rows = page.getByTestId('backup-list').getByTestId('backup-row');
      // The default folder: the backup just taken, named by laptop and counts, and the one the
      // passphrase change took first (made with the passphrase before).
      await rows.filter({ hasText: '2 people · 0 incidents · 0 interviews · 1 facility' }).getByText("Dana's laptop").waitFor();
      await rows.filter({ hasText: 'made with another passphrase' }).waitFor();
      await expect.poll(() => rows.count()).toBe(2);
      await app.screenshot('safety-backups');
      // At the smallest window the date and time a backup was taken stay on one line, and the table
      // stays inside its section (the file name gives way instead).
      await page.setViewportSize({ width: 1024, height: 700 });
      const fits = () =>
        page.getByTestId('backup-list').evaluate((table) => {
          const taken = [...table.querySelectorAll('tbody tr td:first-child')].map((td) => {
            const range = document.createRange();
            range.selectNodeContents(td);
            return range.getClientRects().length;
          });
          return { lines: Math.max(...taken), inside: table.getBoundingClientRect().right <= table.parentElement!.getBoundingClientRect().right + 0.5 };
        });
      await expect.poll(fits).toEqual({ lines: 1, inside: true });
      await app.screenshot('safety-backups-1024');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByTestId('backups-about').getByText("Backups are encrypted with the database's passphrase").waitFor();

      // Another folder: the list is the new folder's at once.
      const plan = page.getByTestId('backup-plan');
      await plan.getByRole('textbox', { name: 'Backup folder' }).fill(other);
      await plan.getByRole('button', { name: 'Save backup plan' }).click();
      await page.getByTestId('backups-about').getByText(`Folder: ${other}.`).waitFor();
      await expect.poll(() => rows.count()).toBe(1);
      await rows.first().getByText('made with another passphrase').waitFor();
      await app.screenshot('safety-backups-other-folder');

      // Restore…: the backup's passphrase is asked for; a wrong one is said plainly.
      await rows.first().getByRole('button', { name: 'Restore…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Restore this backup?' });
      const backupPass = confirm.getByLabel("The backup's passphrase");
      await backupPass.fill('not the old one at all');
      await confirm.getByRole('button', { name: 'Open the backup' }).click();
      await confirm.getByTestId('restore-confirm-error').getByText('does not open the backup').waitFor();
      expect(await confirm.getByRole('button', { name: 'Confirm restore' }).isDisabled()).toBe(true);
      await backupPass.fill(A);
      await confirm.getByRole('button', { name: 'Open the backup' }).click();
      // What is replaced: now 2 people, after the restore 1.
      const compare = confirm.getByTestId('restore-compare');
      await compare.getByRole('row', { name: /^people 2 1 \(-1\)$/ }).waitFor();
      await compare.getByRole('row', { name: /^facilities 1 1$/ }).waitFor();
      await confirm.getByText("on Dana's laptop").waitFor();
      await app.screenshot('safety-restore-confirm');
      await confirm.getByRole('button', { name: 'Confirm restore' }).click();
      // The backup lacks the later person: the loss is confirmed separately, with the same passphrase.
      await page.getByRole('button', { name: 'Restore and lose it' }).click();
      await page.getByTestId('backup-note').getByText(/^Restored /).waitFor();
      expect(ok<{ total: number }>(await d('people:list', {})).total).toBe(1);
      // The database kept the current passphrase.
      expect(opensWithKey(dbFile, B)).toBe(true);
      expect(opensWithKey(dbFile, A)).toBe(false);
    } finally {
      await app.close();
    }
  }, 300_000);

  it('locks with the button, Ctrl+L and after the idle time: the core refuses data, the unlock screen shows, a half-typed form is kept', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile, { key: A });
    const { page, session } = app;
    try {
      await page.clock.install();
      await app.open();
      await signIn(page, 'Dana Whitfield');
      expect(ok<{ minutes: number }>(await session.dispatch('session:idle-lock', {})).minutes).toBe(15);

      // Half-typed, then locked at once (before the draft's own save is due).
      await nav(page, 'interview');
      await page.getByTestId('new-person').click();
      await page.getByTestId('new-person-form').getByRole('textbox', { name: 'Family name', exact: true }).fill('Kept-Through-Lock');
      // The header at the narrow size, with the Lock button.
      await page.setViewportSize({ width: 1024, height: 700 });
      await app.screenshot('safety-lock-button-1024');
      await page.getByTestId('lock-now').click();
      const unlock = page.getByTestId('unlock');
      await unlock.waitFor();
      await page.getByTestId('locked-note').getByText('Attest is locked.').waitFor();
      await app.screenshot('safety-locked');
      expect(session.vault.isOpen).toBe(false);
      expect(await session.dispatch('people:list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
      expect(await page.getByTestId('nav-people').count()).toBe(0);

      await unlock.getByLabel('Passphrase').fill(A);
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await page.getByTestId('nav-people').waitFor();
      // Back on the page locked from, not the dashboard.
      expect(await page.getByTestId('nav-interview').getAttribute('data-active')).toBe('true');
      await app.screenshot('safety-unlocked-back-1024');
      expect(await session.dispatch('people:list', {})).toMatchObject({ ok: true });
      const drafts = ok<{ items: { key: string; data: unknown }[] }>(await session.dispatch('drafts:list', {})).items;
      expect(JSON.stringify(drafts)).toContain('Kept-Through-Lock');

      // Ctrl+L.
      await nav(page, 'people');
      await page.keyboard.press('Control+l');
      await unlock.waitFor();
      expect(session.vault.isOpen).toBe(false);
      await unlock.getByLabel('Passphrase').fill(A);
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await page.getByTestId('nav-people').waitFor();
      expect(await page.getByTestId('nav-people').getAttribute('data-active')).toBe('true');

      // The idle lock: 1 minute, set on the Backups & passphrase page.
      await page.getByTestId('nav-safety').click();
      const idle = page.getByTestId('idle-lock');
      await idle.getByRole('textbox', { name: 'Lock after this many minutes without use' }).fill('1');
      await idle.getByRole('button', { name: 'Save' }).click();
      await idle.getByTestId('idle-lock-note').getByText('locks after 1 minute without use').waitFor();
      await page.clock.runFor(40_000);
      expect(session.vault.isOpen).toBe(true);
      await page.clock.runFor(30_000);
      await page.getByTestId('locked-note').getByText('locked itself after a time without use').waitFor();
      expect(session.vault.isOpen).toBe(false);
    } finally {
      await app.close();
    }
  }, 300_000);

  it('shows a lasting banner for an unencrypted database, says its backups are not encrypted, and drops both once it is encrypted', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    const { page } = app;
    try {
      await app.open();
      await signIn(page, 'Dana Whitfield');
      const banner = page.getByTestId('unencrypted-banner');
      await banner.getByText('This database is not encrypted').waitFor();
      expect(await page.getByTestId('lock-now').count()).toBe(0);
      await app.screenshot('safety-unencrypted-banner');
      await page.setViewportSize({ width: 1024, height: 700 });
      await app.screenshot('safety-unencrypted-banner-1024');
      // Its button is in view at 1024×700, below the navigation links.
      const box = await banner.getByRole('button', { name: 'Encrypt the database' }).boundingBox();
      expect(box && box.y + box.height).toBeLessThanOrEqual(700);
      expect(box!.y).toBeGreaterThan((await page.getByTestId('nav-safety').boundingBox())!.y);
      await nav(page, 'people');
      await banner.waitFor();
      await banner.getByRole('button', { name: 'Encrypt the database' }).click();
      await page.getByTestId('backups-about').getByText('Backups are NOT encrypted, like the database').waitFor();
      const form = page.getByTestId('change-passphrase');
      await form.getByLabel('New passphrase', { exact: true }).fill(A);
      await form.getByLabel('New passphrase again').fill(A);
      await form.getByRole('button', { name: 'Encrypt' }).click();
      await form.getByTestId('passphrase-note').getByText('Passphrase changed').waitFor();
      await banner.waitFor({ state: 'detached' });
      await page.getByTestId('lock-now').waitFor();
      await page.getByTestId('backups-about').getByText("Backups are encrypted with the database's passphrase").waitFor();
    } finally {
      await app.close();
    }
  }, 300_000);
});
