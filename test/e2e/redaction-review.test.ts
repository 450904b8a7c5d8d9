import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDbFile, tempDir } from '../helpers';
import { reportCorpus } from '../report-corpus';
import { seedCorpus } from '../report-seed';
import { signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

const NICKNAME = 'Abu Samir';

describe('Redaction review in the report builder, in Chromium over the real dispatch and SQLite', () => {
  it('lists a name the redactor missed, takes a keyboard "redact", keeps the choice with the definition, and the export leaves the name out', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    const source = reportCorpus({ incidents: 12, seed: 5 });
    const target = source.rows.find((r) => r.includeInReport && r.status !== 'excluded' && r.person.consent)!;
    target.summary = `${target.summary} His cousin ${NICKNAME} saw it too.`;
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

      const panel = page.getByTestId('redaction-review');
      const item = panel.getByTestId('review-item').filter({ hasText: NICKNAME });
      await item.waitFor();
      const before = Number((await panel.getByTestId('review-unreviewed').textContent())!.match(/\d+/)![0]);
      expect(before).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('export-unreviewed').textContent()).toBe(`${before} redaction review ${before === 1 ? 'item' : 'items'} not reviewed`);

      // Keyboard only: arrows move between items; R redacts; the item leaves the unreviewed list and the count follows.
      const items = panel.getByTestId('review-item');
      await items.first().focus();
      await page.keyboard.press('ArrowDown');
      expect(await items.nth(1).evaluate((el) => el === document.activeElement)).toBe(true);
      await item.focus();
      await page.keyboard.press('r');
      await item.waitFor({ state: 'detached' });
      await expect.poll(() => panel.getByTestId('review-unreviewed').textContent()).toBe(before - 1 ? `${before - 1} to review` : 'All reviewed');
      await panel.getByText(/^Suspicious/).click();
      await expect.poll(() => item.getByTestId('review-choice').textContent()).toBe('Redacted by hand');
      await item.getByRole('button', { name: 'Redact', exact: true }).waitFor();
      expect(await item.getByRole('button', { name: 'Redact', exact: true }).getAttribute('aria-pressed')).toBe('true');
      await app.screenshot('reports-redaction-review');

      await builder.getByRole('button', { name: 'Save definition' }).click();
      await builder.getByText(/Saved ".*", version 1/).waitFor();
      const saved = await app.session.dispatch('reports:list', {});
      expect(saved).toMatchObject({ ok: true, data: { items: [{ definition: { review: [{ text: NICKNAME, choice: 'redact' }] } }] } });

      const exporter = page.getByTestId('report-export');
      const folder = tempDir();
      await exporter.getByRole('checkbox', { name: 'PDF' }).uncheck();
      await exporter.getByRole('textbox', { name: 'Folder' }).fill(folder);
      // Strict, with spans still unreviewed: refused, and nothing is written.
      await exporter.getByRole('checkbox', { name: 'Refuse while the redaction review is unfinished' }).check();
      await exporter.getByRole('button', { name: 'Export' }).click();
      await exporter.getByText(/no review choice yet/).waitFor();
      expect(readdirSync(folder)).toEqual([]);
      await exporter.getByRole('checkbox', { name: 'Refuse while the redaction review is unfinished' }).uncheck();
      await exporter.getByRole('button', { name: 'Export' }).click();
      await exporter.getByTestId('export-result').waitFor();
      const files = readdirSync(folder);
      const html = readFileSync(join(folder, files.find((f) => /public-[\d-]+\.html$/.test(f))!), 'utf8');
      expect(html).not.toContain(NICKNAME);
      expect(html).toContain('[redacted]');
      const manifest = JSON.parse(readFileSync(join(folder, files.find((f) => f.endsWith('manifest.json'))!), 'utf8')) as { review: { decisions: { text: string; choice: string }[] } };
      // Listed by where it applies; the span it took out is not written back into the public manifest.
      expect(manifest.review.decisions).toContainEqual(expect.objectContaining({ text: '[redacted]', choice: 'redact' }));
      expect(JSON.stringify(manifest)).not.toContain(NICKNAME);
    } finally {
      await app.close();
    }
  });
});
