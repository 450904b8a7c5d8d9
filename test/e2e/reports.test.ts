import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDbFile, tempDir } from '../helpers';
import { forbiddenStrings, reportCorpus } from '../report-corpus';
import { seedCorpus } from '../report-seed';
import { signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

describe('Reports page in Chromium, bridged to the real dispatch and SQLite', () => {
  it('builds an exhibit with a live preview, saves it, exports it to a folder, and verifies a file', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    const source = reportCorpus({ incidents: 40, seed: 5 });
    await seedCorpus(app.session, source);
    const page = app.page;
    try {
      await app.open();
      await signIn(page, 'Paula Reyes');
      await page.getByTestId('nav-reports').click();
      const builder = page.getByTestId('report-builder');
      await builder.getByRole('textbox', { name: 'Case name', exact: true }).fill('HAMAMA, et al.,');
      await builder.getByRole('textbox', { name: 'Case number', exact: true }).fill('Case No. 2:17-cv-11910');
      await builder.getByLabel('Period from').fill('2026-05-01');
      await builder.getByLabel('Period to').fill('2026-06-30');
      await builder.getByRole('textbox', { name: 'Attorney', exact: true }).fill('Jane Doe');

      // The preview counts what the model counts, and a click on a count shows the rows behind it.
      const kept = source.rows.filter((r) => r.includeInReport && r.status !== 'excluded' && r.person.consent);
      await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe(`${kept.length} incidents`);
      const frame = page.frameLocator('[data-testid="preview-frame"]');
      await frame.getByText('Case No. 2:17-cv-11910').waitFor();
      await page.getByTestId('summary-grid').getByRole('button').last().click();
      await expect.poll(() => page.getByTestId('cell-rows').textContent()).toContain('A-001');
      await app.screenshot('reports-builder');

      await builder.getByRole('button', { name: 'Save definition' }).click();
      await builder.getByText(/Saved ".*", version 1/).waitFor();

      const exporter = page.getByTestId('report-export');
      const folder = tempDir();
      await exporter.getByRole('checkbox', { name: 'PDF' }).uncheck();
      await exporter.getByRole('textbox', { name: 'Folder' }).fill(folder);
      await exporter.getByRole('button', { name: 'Export' }).click();
      await exporter.getByTestId('export-result').waitFor();
      await expect.poll(() => exporter.getByText('Finished', { exact: true }).count()).toBe(1);
      const csvName = (await exporter.getByTestId('export-result').textContent())!.match(/exhibit-a-public-[\d-]+-log\.csv/)![0];
      const csv = readFileSync(join(folder, csvName), 'utf8');
      expect(forbiddenStrings(source).filter((s) => csv.includes(s))).toEqual([]);
      await app.screenshot('reports-exported');

      const past = page.getByTestId('past-exports');
      // Past exports sit at the foot of the sticky preview pane: scrolled there first, as a user
      // would, or the click lands while the pane is still moving.
      const verifyButton = past.getByRole('button', { name: `Verify ${csvName}` });
      await verifyButton.scrollIntoViewIfNeeded();
      await verifyButton.click();
      await expect.poll(() => past.getByTestId('verify-result').first().textContent()).toBe('matches');
      await app.screenshot('reports-verified');
    } finally {
      await app.close();
    }
  });
  it('keeps office settings: the A-number policy reaches the exhibit, and the default caption starts every new definition', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    await seedCorpus(app.session, reportCorpus({ incidents: 12, seed: 9 }));
    const page = app.page;
    try {
      await app.open();
      await signIn(page, 'Paula Reyes');
      await page.getByTestId('nav-reports').click();
      const builder = page.getByTestId('report-builder');
      const office = page.getByTestId('office-settings');
      const frame = page.frameLocator('[data-testid="preview-frame"]');
      // A caption missing its case number cannot become the default, and the message says why.
      await builder.getByRole('textbox', { name: 'Case name', exact: true }).fill('HAMAMA, et al.,');
      await office.getByRole('button', { name: 'Make this caption and signature the default' }).click();
      await expect.poll(() => office.getByRole('alert').textContent()).toMatch(/caseNumber|Case number/);
      await builder.getByRole('textbox', { name: 'Case number', exact: true }).fill('Case No. 2:17-cv-11910');
      await builder.getByRole('textbox', { name: 'Attorney', exact: true }).fill('Jane Doe');
      await frame.getByText('A-numbers are omitted', { exact: false }).waitFor();

      await office.getByRole('textbox', { name: 'Office name', exact: true }).fill('Detention Rights Clinic');
      await office.getByText('Last 3 digits', { exact: true }).click();
      await office.getByRole('button', { name: 'Save office settings' }).click();
      await office.getByText('Office settings saved').waitFor();
      await frame.getByText('A-numbers show their last three digits only', { exact: false }).waitFor();

      await office.getByRole('button', { name: 'Make this caption and signature the default' }).click();
      await office.getByText(/now the office default/).waitFor();
      await app.screenshot('reports-office-settings');

      const stored = await app.session.dispatch('reports:settings', {});
      expect(stored).toMatchObject({ ok: true, data: { officeName: 'Detention Rights Clinic', aNumberInPublic: 'last3', caption: { caseName: 'HAMAMA, et al.,', caseNumber: 'Case No. 2:17-cv-11910' }, signature: { attorney: 'Jane Doe' } } });

      // A new definition begins from the office default (the unsaved one above is kept as a draft,
      // so it is set aside first).
      await app.open();
      await page.getByTestId('nav-reports').click();
      await page.getByTestId('report-builder').getByRole('button', { name: 'Start a new definition' }).click();
      await page.getByTestId('report-builder').getByText('New definition', { exact: true }).waitFor();
      await expect.poll(() => page.getByTestId('report-builder').getByRole('textbox', { name: 'Case number', exact: true }).inputValue()).toBe('Case No. 2:17-cv-11910');
      await expect.poll(() => page.getByTestId('report-builder').getByRole('textbox', { name: 'Attorney', exact: true }).inputValue()).toBe('Jane Doe');
      await expect.poll(() => page.getByTestId('default-caption').textContent()).toContain('HAMAMA, et al.,');
    } finally {
      await app.close();
    }
  });
  it('keeps an unsaved definition across a reload, and starts a new one on request', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    const page = app.page;
    try {
      await app.open();
      await signIn(page, 'Paula Reyes');
      await page.getByTestId('nav-reports').click();
      const builder = page.getByTestId('report-builder');
      const caseName = builder.getByRole('textbox', { name: 'Case name', exact: true });
      await caseName.fill('HAMAMA, et al.,');
      await builder.getByRole('textbox', { name: 'Exhibit label', exact: true }).fill('Exhibit C');
      await expect.poll(async () => {
        const d = await app.session.dispatch('drafts:get', { key: 'report-builder' });
        return d.ok ? JSON.stringify(d.data) : '';
      }).toContain('Exhibit C');

      await app.open(); // as after a crash or a closed window
      await page.getByTestId('nav-reports').click();
      await builder.getByText(/Unsaved changes restored/).waitFor();
      expect(await caseName.inputValue()).toBe('HAMAMA, et al.,');
      expect(await builder.getByRole('textbox', { name: 'Exhibit label', exact: true }).inputValue()).toBe('Exhibit C');

      await builder.getByRole('button', { name: 'Start a new definition' }).click();
      await expect.poll(() => caseName.inputValue()).toBe('');
      await expect.poll(async () => {
        const d = await app.session.dispatch('drafts:get', { key: 'report-builder' });
        return d.ok ? d.data : 'error';
      }).toBeNull();
    } finally {
      await app.close();
    }
  });
});
