// The app's start and end (electron/shell/startup.ts), run in Node on real databases and files.
// Electron's app object is an EventEmitter that, on quit(), emits will-quit (Electron does the same
// after its windows close); main.ts passes the real one, and the compiler checks it fits.
import { EventEmitter } from 'node:events';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBackupFolder, listBackups } from '../../db/backup';
import { createSession, openSession } from '../../electron/core/session';
import { appFiles, NATIVE_BINDING, prepareDatabaseFile, RENDERER_DIR, runStartup, wireQuit } from '../../electron/shell/startup';
import { cleanupTempDirs, fixedClock, SAMPLE_FACILITY, tempDbFile, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

/** What main.ts runs at start, on a given database file and driver. */
function startOn(file: string, nativeBinding?: string) {
  return () => {
    const s = createSession(file, { check: 'full', ...(nativeBinding ? { nativeBinding } : {}) });
    s.vault.openIfPlain();
  };
}

async function failureOf(steps: () => void) {
  const failures: { title: string; message: string }[] = [];
  const ok = await runStartup(steps, (f) => failures.push(f));
  expect(ok).toBe(false);
  expect(failures).toHaveLength(1);
  return failures[0]!;
}

describe('start-up failures end the process with a message, never a windowless process holding the lock', () => {
  it('a database from a newer Attest', async () => {
    const file = tempDbFile();
    const s = openSession(file);
    s.ctx.db.pragma('user_version = 999');
    s.vault.closeQuietly();
    const f = await failureOf(startOn(file));
    expect(f.title).toBe('Attest could not start');
    expect(f.message).toMatch(/^The database was written by a newer Attest\./);
    expect(f.message).toContain('999');
  });

  it('a driver built for another runtime (the file the app would load is not a loadable module)', async () => {
    const file = tempDbFile();
    openSession(file).vault.closeQuietly();
    const driver = join(tempDir(), 'better_sqlite3.node');
    writeFileSync(driver, 'not a shared object\n'.repeat(500));
    const f = await failureOf(startOn(file, driver));
    expect(f.message).toMatch(/^The database driver in this copy of Attest was built for a different runtime/);
  });

  it('a NODE_MODULE_VERSION mismatch is named as a driver for another runtime', async () => {
    const f = await failureOf(() => {
      throw new Error('The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140.');
    });
    expect(f.message).toMatch(/^The database driver in this copy of Attest was built for a different runtime/);
  });

  it('anything else, such as the database path being a folder', async () => {
    const dir = join(tempDir(), 'attest.sqlite');
    mkdirSync(dir);
    const f = await failureOf(() => {
      const s = createSession(dir, { check: 'full' });
      s.vault.open(null);
    });
    expect(f.message).toMatch(/^Attest stopped while starting; nothing was changed\./);
  });

  it('a start that works reports nothing', async () => {
    const failures: unknown[] = [];
    expect(await runStartup(startOn(tempDbFile()), (f) => failures.push(f))).toBe(true);
    expect(failures).toEqual([]);
  });
});

class ElectronLikeApp extends EventEmitter {
  quit(): void {
    this.emit('will-quit');
  }
}

describe('quitting closes the database with its on-close backup', () => {
  function openWithAWrite() {
    const file = tempDbFile();
    let s: ReturnType<typeof openSession> | undefined = openSession(file, { key: 'correct horse battery', user: 'a', now: fixedClock() });
    return {
      file,
      session: s,
      async write() {
        const r = await s!.dispatch('facilities:create', SAMPLE_FACILITY);
        expect(r.ok).toBe(true);
      },
      close: () => {
        s?.close();
        s = undefined;
      },
    };
  }

  it('on app.quit() alone (Cmd+Q on macOS: no window-all-closed)', async () => {
    const core = openWithAWrite();
    await core.write();
    const app = new ElectronLikeApp();
    wireQuit(app, core.close);
    app.quit();
    expect(core.session.vault.isOpen).toBe(false);
    expect(listBackups(defaultBackupFolder(core.file))).toHaveLength(1);
  });

  it('waits for a core that closes in its worker, then quits', async () => {
    const core = openWithAWrite();
    await core.write();
    const app = new ElectronLikeApp();
    let prevented = 0;
    let quits = 0;
    app.quit = () => {
      quits++;
      app.emit('will-quit', { preventDefault: () => prevented++ });
    };
    let finish: () => void = () => undefined;
    wireQuit(app, () => new Promise<void>((resolve) => (finish = resolve)).then(core.close));
    app.quit();
    // Electron is told to wait; nothing is closed yet.
    expect(prevented).toBe(1);
    expect(core.session.vault.isOpen).toBe(true);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(core.session.vault.isOpen).toBe(false);
    expect(listBackups(defaultBackupFolder(core.file))).toHaveLength(1);
    // Quit again once closed, and that one goes through.
    expect(quits).toBe(2);
    expect(prevented).toBe(1);
  });

  it('when the last window closes, once, however many quit events follow', async () => {
    const core = openWithAWrite();
    await core.write();
    const app = new ElectronLikeApp();
    let closes = 0;
    wireQuit(app, () => {
      closes++;
      core.close();
    });
    app.emit('window-all-closed');
    app.quit();
    expect(closes).toBe(1);
    expect(core.session.vault.isOpen).toBe(false);
    expect(listBackups(defaultBackupFolder(core.file))).toHaveLength(1);
  });
});

describe("the packaged app's paths", () => {
  it('loads the native driver from the unpacked folder beside the asar archive, and the renderer beside the bundle', () => {
    const app = join('/opt', 'Attest', 'resources', 'app.asar');
    const f = appFiles(app, join(app, 'dist-electron'));
    expect(f.nativeBinding).toBe(join('/opt', 'Attest', 'resources', 'app.asar.unpacked', NATIVE_BINDING));
    expect(f.rendererDir).toBe(join(app, RENDERER_DIR));
    // From the sources (npm start) nothing is renamed.
    expect(appFiles('/src/attest', '/src/attest/dist-electron').nativeBinding).toBe(join('/src/attest', NATIVE_BINDING));
  });
});

describe('where the records live', () => {
  it("in the user-data folder, made owner-only first; or the file ATTEST_DB names, leaving its folder alone", () => {
    const userData = tempDir();
    chmodSync(userData, 0o755);
    expect(prepareDatabaseFile({}, userData)).toBe(join(userData, 'attest.sqlite'));
    expect(statSync(userData).mode & 0o777).toBe(0o700);
    const other = tempDir();
    chmodSync(other, 0o755);
    expect(prepareDatabaseFile({ ATTEST_DB: join(other, 'office.sqlite') }, other)).toBe(join(other, 'office.sqlite'));
    expect(statSync(other).mode & 0o777).toBe(0o755);
  });
});
