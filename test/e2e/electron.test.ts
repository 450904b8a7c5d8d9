// The same scenario against the real Electron app, through Playwright's Electron support. It needs
// the Electron binary (downloaded by npm ci where the network allows) and the Electron-ABI copy of
// the SQLite driver; where either is missing it is skipped with the reason in its name.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterEach, describe, it } from 'vitest';
import { findElectron } from '../../scripts/electron-runtime.mjs';
import { openSession } from '../../electron/core/session';
import { cleanupTempDirs, tempDbFile } from '../helpers';
import { runFoundationScenario } from './foundation-scenario';
import { SCREENSHOT_DIR } from './harness';

const electron = findElectron({ download: false });
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
