// Accessibility, measured: axe-core's WCAG 2.2 AA rules on every page and every modal, at the
// default window and at 1024×700. No serious or critical violation is allowed; a failure prints
// each one with the element it found.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { openSession } from '../../electron/core/session';
import { tempDbFile } from '../helpers';
import { checkBothSizes } from './axe';
import { signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

async function ok<T>(r: Promise<unknown> | unknown): Promise<T> {
  const res = (await r) as { ok: boolean; data?: T; error?: { message: string } };
  if (!res.ok) throw new Error(res.error?.message ?? 'dispatch failed');
  return res.data as T;
}

/** Opens a section and waits for its page: a heading, or (pages without one) an element's test id. */
async function goTo(page: Page, key: string, ready: { heading: string } | { testId: string }): Promise<void> {
  await page.getByTestId(`nav-${key}`).click();
  const target = 'heading' in ready ? page.getByRole('heading', { name: ready.heading, level: 2 }) : page.getByTestId(ready.testId);
  await target.first().waitFor();
}

const report = (found: string[]) => `${found.length} serious or critical violations:\n${found.join('\n')}`;

describe('Accessibility (axe-core, WCAG 2.2 AA) in Chromium', () => {
  it('finds no serious or critical violation on the first-run and unlock screens', async () => {
    const found: string[] = [];
    const app = await openBrowserApp(browser(), tempDbFile(), { locked: true });
    try {
      await app.open();
      await app.page.getByTestId('first-run').waitFor();
      await checkBothSizes(app.page, 'first run', found);
    } finally {
      await app.close();
    }
    // An encrypted database opens on the unlock screen.
    const encrypted = tempDbFile();
    openSession(encrypted, { user: 'e2e-attorney', key: 'the office passphrase 2026' }).close();
    const locked = await openBrowserApp(browser(), encrypted, { locked: true });
    try {
      await locked.open();
      await locked.page.getByTestId('unlock').waitFor();
      await checkBothSizes(locked.page, 'unlock', found);
    } finally {
      await locked.close();
    }
    expect(found, report(found)).toEqual([]);
  }, 120_000);

  it('finds no serious or critical violation on any page or modal, at 1280×900 and 1024×700', async () => {
    const found: string[] = [];
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    const page = app.page;
    try {
      seed(app.session.ctx.db, { people: 40, incidents: 120, seed: 7 });
      const s = app.session;
      const [incident] = (await ok<{ items: { id: string; version: number }[] }>(s.dispatch('incidents:list', { limit: 1 }))).items;
      const full = await ok<Record<string, unknown>>(s.dispatch('incidents:get', { id: incident!.id }));
      const { id: _id, version, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = full;
      await ok(s.dispatch('incidents:update', { ...fields, id: incident!.id, expectedVersion: version, reason: 'Corrected', summary: `${String(fields.summary)} (read back)` }));
      await ok(s.dispatch('backup:create', {}));
      await app.open();

      // The staff picker is the first modal anyone sees.
      await page.getByRole('dialog', { name: 'Who is working?' }).waitFor();
      await checkBothSizes(page, 'staff picker', found);
      await signIn(page, 'Dana Whitfield');

      // The first page after sign-in: the dashboard, its charts drawn.
      await page.getByTestId('dashboard').waitFor();
      await page.getByTestId('chart-time').locator('.recharts-bar-rectangle path').first().waitFor();
      await checkBothSizes(page, 'dashboard', found);

      await goTo(page, 'people', { heading: 'People' });
      await page.getByTestId('people-count').getByText(/people/).waitFor();
      await checkBothSizes(page, 'people', found);
      await page.getByTestId('add-person').click();
      await page.getByRole('dialog', { name: 'Add a person' }).waitFor();
      await checkBothSizes(page, 'add a person (modal)', found);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Add a person' }).waitFor({ state: 'detached' });
      await page.getByTestId('import-people').click();
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await checkBothSizes(page, 'import people', found);

      await goTo(page, 'people', { heading: 'People' });
      await page.getByTestId('person-list').getByRole('row').nth(1).click();
      await page.getByTestId('person-page').waitFor();
      await checkBothSizes(page, 'person', found);

      await goTo(page, 'interview', { heading: 'New interview' });
      await checkBothSizes(page, 'interview (finding the person)', found);
      await page.getByTestId('new-person').click();
      await page.getByTestId('new-person-form').waitFor();
      await checkBothSizes(page, 'interview (new person form)', found);

      await goTo(page, 'incidents', { heading: 'Incidents' });
      await page.getByTestId('incident-count').getByText(/incidents/).waitFor();
      await checkBothSizes(page, 'incidents', found);
      await page.getByRole('combobox', { name: 'Category', exact: true }).click();
      await checkBothSizes(page, 'incidents (category list open)', found);
      await page.keyboard.press('Escape');

      await page.getByTestId('incident-list').getByText('(read back)', { exact: false }).click();
      const ip = page.getByTestId('incident-page');
      await ip.waitFor();
      await checkBothSizes(page, 'incident', found);
      await ip.getByTestId('show-history').click();
      await page.getByTestId('history-version-2').waitFor();
      await checkBothSizes(page, 'history (drawer)', found);
      await page.keyboard.press('Escape');
      await page.getByTestId('history').waitFor({ state: 'detached' });
      await ip.getByTestId('edit').click();
      await page.getByTestId('incident-edit').waitFor();
      await checkBothSizes(page, 'incident (editing)', found);
      await page.getByTestId('incident-edit').getByRole('button', { name: 'Save changes…' }).click();
      await page.getByRole('dialog', { name: 'Save changes' }).waitFor();
      await checkBothSizes(page, 'save changes (reason modal)', found);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Save changes' }).waitFor({ state: 'detached' });

      await goTo(page, 'facilities', { heading: 'Facilities' });
      await checkBothSizes(page, 'facilities', found);
      await page.getByTestId('facility-list').getByRole('row').nth(1).click();
      await page.getByRole('dialog').waitFor();
      await checkBothSizes(page, 'facility (modal)', found);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });

      await goTo(page, 'reports', { testId: 'report-builder' });
      await checkBothSizes(page, 'reports (new definition)', found);
      const builder = page.getByTestId('report-builder');
      await builder.getByRole('textbox', { name: 'Case name', exact: true }).fill('HAMAMA, et al.,');
      await builder.getByRole('textbox', { name: 'Case number', exact: true }).fill('Case No. 2:17-cv-11910');
      await builder.getByLabel('Period from').fill('2000-01-01');
      await builder.getByRole('textbox', { name: 'Attorney', exact: true }).fill('Jane Doe');
      await page.getByTestId('preview-count').waitFor();
      await checkBothSizes(page, 'reports (with preview)', found);

      await goTo(page, 'sync', { heading: 'Sync' });
      await checkBothSizes(page, 'sync', found);

      await goTo(page, 'safety', { testId: 'backup-list' });
      await checkBothSizes(page, 'backups & passphrase', found);
      await page.getByTestId('backup-list').getByTestId('backup-row').first().getByRole('button', { name: 'Restore…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Restore this backup?' });
      await confirm.getByTestId('restore-compare').waitFor();
      await checkBothSizes(page, 'restore this backup? (modal)', found);
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
    } catch (e) {
      await app.screenshot('a11y-failure');
      // What was found before the walk broke off is printed too.
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${report(found)}`, { cause: e });
    } finally {
      await app.close();
    }
    expect(found, report(found)).toEqual([]);
  }, 600_000);
});
