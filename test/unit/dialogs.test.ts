// The open dialogs for sync bundles cross from the core thread to main as the exhibit's folder
// dialog does: the app (main) answers them, the CLI and the browser harness have none.
import { afterEach, describe, expect, it } from 'vitest';
import type { DialogPurpose } from '../../shared/contract/dialogs';
import { startCore, type CoreHost } from '../../electron/worker/host';
import { tsWorkerScript } from '../../electron/worker/ts-script';
import { openSession } from '../../electron/core/session';
import { cleanupTempDirs, tempDbFile } from '../helpers';

const hosts: CoreHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  cleanupTempDirs();
});

describe('dialogs:choose', () => {
  it('asks main for the folder to write a bundle into and the bundle to read; probing asks nothing', async () => {
    const asked: DialogPurpose[] = [];
    const file = tempDbFile();
    openSession(file, { user: 'dialog-test' }).close();
    const host = startCore({
      script: tsWorkerScript(),
      file,
      user: 'dialog-test',
      check: 'none',
      choose: (purpose) => {
        asked.push(purpose);
        return Promise.resolve(purpose === 'bundle-folder' ? '/media/usb' : null);
      },
    });
    hosts.push(host);
    await host.ready;
    expect(await host.call('dialogs:choose', { purpose: 'bundle-folder', probe: true })).toEqual({ ok: true, data: { available: true, path: null } });
    expect(asked).toEqual([]);
    expect(await host.call('dialogs:choose', { purpose: 'bundle-folder' })).toEqual({ ok: true, data: { available: true, path: '/media/usb' } });
    // Cancelled: no path.
    expect(await host.call('dialogs:choose', { purpose: 'bundle-file' })).toEqual({ ok: true, data: { available: true, path: null } });
    expect(asked).toEqual(['bundle-folder', 'bundle-file']);
    const bad = await host.call('dialogs:choose', { purpose: 'anything' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('says no dialog exists where nobody can answer one (the CLI, the browser harness)', () => {
    const s = openSession(tempDbFile(), { user: 'dialog-test' });
    try {
      return expect(s.dispatch('dialogs:choose', { purpose: 'bundle-file' })).resolves.toEqual({ ok: true, data: { available: false, path: null } });
    } finally {
      s.close();
    }
  });
});
