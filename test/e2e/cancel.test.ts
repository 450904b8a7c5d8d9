// Cancel in Chromium: reading a sync bundle and changing the passphrase, each stopped by its Cancel
// button while it is still checking (the checks are held open here until the click, as a slow USB
// stick or a large database would). The page says nothing was changed, and nothing was: the
// database's every row is as before, on its passphrase.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { openSession } from '../../electron/core/session';
import { contentHash, tempDbFile, tempDir } from '../helpers';
import { heldOpen, readsWithHooks } from '../step-hooks';
import { signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();
const OFFICE = 'correct horse battery staple';
const A = 'the first passphrase 2026';
const B = 'the second passphrase 2026';

describe('Cancel in Chromium', () => {
  it('cancels reading a bundle and a passphrase change from their buttons: nothing changed', async () => {
    // Another laptop's bundle.
    const other = openSession(tempDbFile(), { user: 'other' });
    seed(other.ctx.db, { people: 10, incidents: 20, seed: 3 });
    const exported = await other.dispatch('sync:export', { folder: tempDir(), passphrase: OFFICE });
    if (!exported.ok) throw new Error(exported.error.message);
    const bundle = (exported.data as { file: string }).file;
    other.vault.closeQuietly();

    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile, {
      key: A,
      reads: readsWithHooks({ afterVerify: heldOpen, afterCopy: heldOpen }),
    });
    const { page, session } = app;
    try {
      await app.open();
      await signIn(page, 'Dana Whitfield');
      const before = contentHash(session.ctx.db);

      await page.getByTestId('nav-sync').click();
      const bundles = page.getByTestId('sync-bundles');
      await bundles.getByLabel('Office bundle passphrase').fill(OFFICE);
      await bundles.getByRole('textbox', { name: 'Bundle to read' }).fill(bundle);
      await bundles.getByRole('button', { name: 'Read a bundle' }).click();
      const cancel = bundles.getByRole('button', { name: 'Cancel', exact: true });
      await expect.poll(() => cancel.isEnabled()).toBe(true);
      await app.screenshot('cancel-bundle-reading');
      await cancel.click();
      await bundles.getByTestId('bundle-cancelled').getByText('Reading the bundle was cancelled before anything was merged').waitFor();
      await app.screenshot('cancel-bundle-cancelled');
      expect(await bundles.getByTestId('bundle-refused').count()).toBe(0);
      expect(contentHash(session.ctx.db)).toBe(before);

      await page.getByTestId('nav-safety').click();
      // The change backs the database up first; that backup stays when the change is cancelled.
      const backups = page.getByTestId('backups');
      const rows = backups.getByTestId('backup-row');
      await backups.getByText('No backups in this folder yet.').waitFor();
      const change = page.getByTestId('change-passphrase');
      await change.getByLabel('Current passphrase').fill(A);
      await change.getByLabel('New passphrase', { exact: true }).fill(B);
      await change.getByLabel('New passphrase again').fill(B);
      await change.getByRole('button', { name: 'Change passphrase' }).click();
      const stop = change.getByRole('button', { name: 'Cancel', exact: true });
      await expect.poll(() => stop.isEnabled()).toBe(true);
      await stop.click();
      await change.getByTestId('passphrase-note').getByText('Cancelled: the passphrase was not changed').waitFor();
      await change.getByTestId('passphrase-note').getByText('The backup taken before the change is kept').waitFor();
      // The backup taken first is listed at once (it opens with the current passphrase), no reload.
      expect(session.vault.listBackups().items).toHaveLength(1);
      await expect.poll(() => rows.count()).toBe(1);
      await rows.first().getByText('0 incidents').waitFor();
      await change.scrollIntoViewIfNeeded();
      await app.screenshot('cancel-passphrase-cancelled');
      await page.setViewportSize({ width: 1024, height: 700 });
      await app.screenshot('cancel-passphrase-cancelled-1024');
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(existsSync(`${dbFile}.rekeying`)).toBe(false);
      expect(contentHash(session.ctx.db)).toBe(before);
      // Still open on the first passphrase.
      session.vault.closeQuietly();
      expect(() => session.vault.open(B)).toThrow();
      session.vault.open(A);
      expect(contentHash(session.ctx.db)).toBe(before);
    } finally {
      await app.close();
    }
  });
});
