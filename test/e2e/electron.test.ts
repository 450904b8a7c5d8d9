// The same scenario against the real Electron app, through Playwright's Electron support. It needs
// the Electron binary (downloaded by npm ci where the network allows) and the Electron-ABI copy of
// the SQLite driver; where either is missing it is skipped with the reason in its name.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBackupFolder, listBackups } from '../../db/backup';
import { findElectron } from '../../scripts/electron-runtime.mjs';
import { openSession } from '../../electron/core/session';
import { cleanupTempDirs, tempDbFile, tempDir } from '../helpers';
import { runFoundationScenario, signIn } from './foundation-scenario';
import { seed } from './intake-scenario';
import { SCREENSHOT_DIR } from './harness';

const electron = findElectron();
const nativeReady = existsSync('.electron-native/better_sqlite3.node');
const skipReason = !electron.ok
  ? 'no Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD or no network)'
  : !nativeReady
    ? 'no Electron copy of the SQLite driver (run npm start once)'
    : '';

afterEach(cleanupTempDirs);

describe.skipIf(skipReason !== '')(`Attest as the Electron app${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  it('runs the foundation scenario in the real window', async () => {
    const built = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('build-electron failed');
    const dbFile = tempDbFile();
    // An unencrypted database opens without the unlock screen, as the scenario expects.
    openSession(dbFile).vault.closeQuietly();
    const launch = () =>
      _electron.launch({
        executablePath: electron.ok ? electron.path : '',
        args: ['.', '--no-sandbox'],
        env: { ...process.env, ATTEST_DB: dbFile },
      });
    let app: ElectronApplication = await launch();
    try {
      let page = await app.firstWindow();
      await page.getByRole('heading', { name: 'Attest' }).waitFor();
      await runFoundationScenario(
        {
          get page() {
            return page;
          },
          dbFile,
          reload: async () => {
            await app.close();
            app = await launch();
            page = await app.firstWindow();
            await page.getByRole('heading', { name: 'Attest' }).waitFor();
          },
          screenshot: async (name) => {
            const path = `${SCREENSHOT_DIR}/${name}.png`;
            await page.screenshot({ path, fullPage: true });
            return path;
          },
        },
        'electron',
      );
    } finally {
      await app.close();
    }
  });
});

const PASSPHRASE = 'the office passphrase 2026';

describe.skipIf(skipReason !== '')(`Attest as the Electron app: start to quit${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  it('starts, unlocks, takes one incident, exports its PDF through the app scheme, and backs up on quit', async () => {
    const built = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('build-electron failed');
    const dbFile = tempDbFile();
    const first = openSession(dbFile, { key: PASSPHRASE });
    const { facilityId, personId } = await seed(first);
    first.vault.closeQuietly();
    const before = listBackups(defaultBackupFolder(dbFile)).length;

    const app: ElectronApplication = await _electron.launch({
      executablePath: electron.ok ? electron.path : '',
      args: ['.', '--no-sandbox'],
      env: { ...process.env, ATTEST_DB: dbFile },
    });
    const closed = new Promise<void>((r) => app.process().once('exit', () => r()));
    try {
      const page = await app.firstWindow();
      // Start: the window comes from attest://app and asks for the passphrase.
      expect(page.url()).toBe('attest://app/index.html');
      const unlock = page.getByTestId('unlock');
      await unlock.getByLabel('Passphrase').fill(PASSPHRASE);
      await unlock.getByRole('button', { name: 'Unlock' }).click();
      await signIn(page, 'Dana Whitfield');

      // One intake, through the preload and IPC (window.attest), as the forms send it.
      const created = await page.evaluate(
        ([p, f]) =>
          (window as unknown as { attest: Record<string, (i: unknown) => Promise<{ ok: boolean }>> }).attest['incidents:create']!({
            personId: p,
            facilityId: f,
            occurredOn: '2026-06-18',
            categories: ['WATER'],
            summary: 'Held in the intake cell for 14 hours without water.',
            status: 'verified',
          }),
        [personId, facilityId],
      );
      expect(created.ok).toBe(true);

      // One PDF export: printToPDF of the exhibit served from memory under attest://exhibit/.
      const folder = tempDir();
      const exported = await page.evaluate(
        ([dir]) =>
          (window as unknown as { attest: Record<string, (i: unknown) => Promise<{ ok: boolean; error?: unknown }>> }).attest['reports:export']!({
            definition: {
              name: 'Electron',
              caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Doe v. Roe', caseNumber: 'No. 1' },
              title: 'Status report',
              exhibitLabel: 'Exhibit A',
              periodFrom: '2026-01-01',
              periodTo: '2026-12-31',
              filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
            },
            formats: ['pdf'],
            folder: dir,
          }),
        [folder],
      );
      expect(exported, JSON.stringify(exported)).toMatchObject({ ok: true });
      const pdf = readdirSync(folder).find((f) => f.endsWith('.pdf') && !f.includes('SEALED'))!;
      expect(readFileSync(join(folder, pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(execFileSync('pdftotext', [join(folder, pdf), '-'], { encoding: 'utf8' })).toContain('A-001');
      await page.screenshot({ path: `${SCREENSHOT_DIR}/electron-after-export.png` });

      // Quit as Cmd+Q does (no window-all-closed first): the on-close backup must still be taken.
      // The process may be gone before the answer comes back.
      await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => {});
      await closed;
    } finally {
      await app.close().catch(() => {});
    }
    expect(listBackups(defaultBackupFolder(dbFile)).length).toBe(before + 1);
  });
});
