import { describe, it } from 'vitest';
import { tempDbFile } from '../helpers';
import { runFoundationScenario } from './foundation-scenario';
import { openBrowserApp, useChromium } from './harness';

const browser = useChromium();

describe('Attest in Chromium, bridged to the real dispatch and SQLite', () => {
  it('adds a facility, a person and an incident, survives a reload, refuses a bad A-number, and the CLI reads it', async () => {
    const dbFile = tempDbFile();
    const app = await openBrowserApp(browser(), dbFile);
    try {
      await app.open();
      await runFoundationScenario({ page: app.page, dbFile, reload: app.open, screenshot: app.screenshot }, 'browser');
    } finally {
      await app.close();
    }
  }, 300_000);
});
