// The core worker is started again when it dies: the shell is told (and tells the window to ask for
// the passphrase), calls waiting on the dead core answer as values, later calls reach the new core.
import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../../electron/core/session';
import { superviseCore, type RestartInfo, type SupervisedCore } from '../../electron/worker/supervisor';
import { tsWorkerScript } from '../../electron/worker/ts-script';
import type { Result } from '../../shared/contract';
import { cleanupTempDirs, fixedClock, tempDbFile } from '../helpers';

const cores: SupervisedCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  cleanupTempDirs();
});

function database(key: string | null): string {
  const file = tempDbFile();
  const s = openSession(file, { user: 'seed', now: fixedClock(), key });
  s.vault.configureBackups({ everyWrites: 0, everyMinutes: 0, onClose: false }, 'seed');
  s.vault.closeQuietly();
  return file;
}

async function waitFor(cond: () => boolean, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const data = async <T>(p: Promise<Result<unknown>>): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
};

describe('the core supervisor', () => {
  it('starts a new core when the worker dies; an encrypted database is locked again until the passphrase is given', async () => {
    const file = database('correct horse battery staple');
    const restarts: RestartInfo[] = [];
    const core = superviseCore({ script: tsWorkerScript(), file, user: 'test', check: 'quick', onRestart: (i) => restarts.push(i) });
    cores.push(core);
    await core.ready;
    await data(core.call('vault:unlock', { passphrase: 'correct horse battery staple' }));
    expect(await data(core.call('vault:status', {}))).toMatchObject({ state: 'unlocked' });

    const first = core.current;
    // The thread dies as a crash would end it.
    await first.worker.terminate();
    expect(await first.call('app:info', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await waitFor(() => restarts.length === 1);
    expect(restarts[0]).toMatchObject({ restarts: 1 });
    expect(core.current).not.toBe(first);
    expect(await data(core.call('vault:status', {}))).toMatchObject({ state: 'locked' });
    expect(await core.call('app:info', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await data(core.call('vault:unlock', { passphrase: 'correct horse battery staple' }));
    expect(await data(core.call('vault:status', {}))).toMatchObject({ state: 'unlocked' });
  }, 180_000);

  it('does not start again a core that is closed, and gives up when the core keeps dying', async () => {
    const file = database(null);
    const restarts: RestartInfo[] = [];
    const gaveUp: RestartInfo[] = [];
    const core = superviseCore({ script: tsWorkerScript(), file, user: 'test', check: 'none', maxRestarts: 1, onRestart: (i) => restarts.push(i), onGiveUp: (i) => gaveUp.push(i) });
    cores.push(core);
    await core.ready;
    await core.current.worker.terminate();
    await waitFor(() => restarts.length === 1);
    await data(core.call('app:info', {}));
    await core.current.worker.terminate();
    await waitFor(() => gaveUp.length === 1);
    expect(restarts).toHaveLength(1);
    expect(await core.call('app:info', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('restart Attest') } });

    const other = superviseCore({ script: tsWorkerScript(), file, user: 'test', check: 'none', onRestart: (i) => restarts.push(i) });
    await other.ready;
    await other.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(restarts).toHaveLength(1);
  }, 180_000);
});
