import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setReportHost } from '../../electron/core/report-host';
import { tempDbFile, tempDir } from '../helpers';
import { encodeSingleByte } from '../roster-fixtures';
import { cliCall, nav, signIn } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';
import { seed } from './intake-scenario';

const browser = useChromium();

// An Arabic roster as an old Excel saves it: Windows-1256, day-first dates, a column the guess
// cannot know ("Holding site"), one row already in Attest under another spelling of its A-number,
// and one row with a bad A-number.
const ROSTER = [
  'Alien No.,Family name,Given name,الاسم,DOB,Holding site',
  'A111-222-333,Haddad,Mohammed,محمد حداد,14/03/1985,North Lake Processing Center',
  'A444555666,Khalil,Omar,عمر خليل,25/12/1990,north lake processing  center',
  'A12,Saleh,Nour,نور صالح,01/02/1992,North Lake Processing Center',
  '',
].join('\r\n');

describe('Roster import in Chromium, over the real dispatch and SQLite', () => {
  it('picks the file, changes one mapping, shows the report, imports the valid rows, then finds the imported person by A-number', async () => {
    const dbFile = tempDbFile();
    const roster = join(tempDir('attest-roster-e2e-'), 'class-list.csv');
    writeFileSync(roster, encodeSingleByte(ROSTER, 'windows-1256'));
    const app = await openBrowserApp(browser(), dbFile);
    // The OS file dialog is the desktop shell's; here the same host hook answers with the file.
    setReportHost(app.session.ctx, { pdf: () => Promise.resolve({ unavailable: 'no printer in this test' }), chooseFile: () => Promise.resolve(roster) });
    try {
      await seed(app.session);
      await app.open();
      const page = app.page;
      await signIn(page, 'Dana Whitfield');
      await nav(page, 'people');
      await page.getByTestId('import-people').click();
      await page.getByRole('button', { name: 'Choose file…' }).click();
      const info = page.getByTestId('import-info');
      await info.getByText('3 rows', { exact: false }).waitFor();
      expect(await info.textContent()).toContain('Windows-1256 (Arabic) (detected)');
      await page.getByTestId('import-preview').getByText('عمر خليل').waitFor();

      // The guess left "Holding site" out: map it to the facility.
      const site = page.getByTestId('map-5');
      expect(await site.inputValue()).toBe('— not imported —');
      await site.click();
      await page.getByRole('option', { name: 'Facility (name)', exact: true }).click();
      expect(await page.getByTestId('map-0').inputValue()).toBe('A-number');
      await app.screenshot('import-01-mapped');

      await page.getByTestId('import-check').click();
      const report = page.getByTestId('import-report');
      await report.getByText('1 new').waitFor();
      await report.getByText('1 updated').waitFor();
      await report.getByText('1 rejected').waitFor();
      const rejected = page.getByTestId('import-rejected');
      await rejected.getByText('A-number must have 7 to 9 digits').waitFor();
      expect(await rejected.getByRole('row').nth(1).textContent()).toMatch(/^4Saleh, NourAlien No\./);
      await report.getByText('Haddad, Mohammed (birthDate)', { exact: false }).waitFor();
      expect(await page.getByTestId('import-run').isDisabled()).toBe(true);
      await app.screenshot('import-02-report');

      await page.getByTestId('import-valid-only').check();
      await page.getByTestId('import-run').click();
      const result = page.getByTestId('import-result');
      await result.getByText('1 created, 1 updated, 0 unchanged, 0 held for review, 1 rejected.').waitFor();
      await result.getByText(/roster import class-list\.csv, \d{4}-\d{2}-\d{2} \(SHA-256 [0-9a-f]{64}\)/).waitFor();
      await app.screenshot('import-03-imported');

      await result.getByRole('button', { name: 'Back to People' }).click();
      await page.getByRole('textbox', { name: 'Find' }).fill('444-555-666');
      await page.getByText('Khalil, Omar').waitFor();
      await expect.poll(() => page.getByText('Haddad, Mohammed').count()).toBe(0);
      await page.getByText('عمر خليل').waitFor();
      await app.screenshot('import-04-found');
    } finally {
      await app.close();
    }
    const people = cliCall(dbFile, 'people:list', {}) as { ok: boolean; data: { items: { aNumber: string; birthDate: string | null; nameOriginal: string | null }[] } };
    expect(people.data.items.map((p) => [p.aNumber, p.birthDate, p.nameOriginal]).sort()).toEqual([
      ['111222333', '1985-03-14', 'محمد حداد'],
      ['444555666', '1990-12-25', 'عمر خليل'],
    ]);
    expect(cliCall(dbFile, 'audit:verify', { full: true })).toMatchObject({ ok: true, data: { ok: true } });
  }, 300_000);
});
