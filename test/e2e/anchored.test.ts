import { copyFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession } from '../../electron/core/session';
import { SAMPLE_FACILITY, tempDbFile } from '../helpers';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

describe('a rolled-back history in the header', () => {
  it('shows "History CUT OR REWRITTEN" when an older backup was copied over the closed database', async () => {
    const dbFile = tempDbFile();
    const s = openSession(dbFile, { user: 'e2e-attorney' });
    await s.dispatch('backup:configure', { onClose: false });
    await s.dispatch('facilities:create', SAMPLE_FACILITY);
    const b = await s.dispatch('backup:create', {});
    if (!b.ok) throw new Error('backup failed');
    for (const name of ['Second', 'Third']) await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name });
    s.close(); // records the tip of the longer history in the backup folder
    copyFileSync((b.data as { file: string }).file, dbFile);
    for (const ext of ['-wal', '-shm']) rmSync(dbFile + ext, { force: true });

    const app = await openBrowserApp(browser(), dbFile);
    try {
      await app.open();
      const badge = app.page.getByTestId('verify-status');
      await badge.getByText(/History CUT OR REWRITTEN: the history ends 2 entries before the tip recorded in the backup folder/).waitFor();
      await app.screenshot('anchored-history-cut');
      expect(await badge.textContent()).toMatch(/entries 3 to 4 were removed, or an older copy was put in place of the database/);
    } finally {
      await app.close();
    }
  });
});
