// The start and the end of the app, as plain functions: main.ts passes Electron's app to them, and
// test/unit/electron-startup.test.ts runs them in Node on real databases and real files.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The records' file: ATTEST_DB, or attest.sqlite in Electron's user-data folder, which is made
 * owner-only first (the file inherits nothing from a folder others can read).
 */
export function prepareDatabaseFile(env: NodeJS.ProcessEnv, userDataDir: string): string {
  if (env.ATTEST_DB) return env.ATTEST_DB;
  chmodSync(userDataDir, 0o700);
  return join(userDataDir, 'attest.sqlite');
}

/** Where the packaged app's files are, from Electron's app path and the main bundle's folder. */
export function appFiles(appPath: string, mainDir: string) {
  return {
    /** The built renderer, served under attest://app/. */
    rendererDir: join(mainDir, '..', RENDERER_DIR),
    /** The Electron-ABI SQLite driver: native code cannot load from inside the asar archive. */
    nativeBinding: join(appPath, NATIVE_BINDING).replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked'),
  };
}

/** Paths relative to the app's root; electron-builder.yml must ship both (a test checks it). */
export const RENDERER_DIR = join('dist', 'renderer');
export const NATIVE_BINDING = join('.electron-native', 'better_sqlite3.node');

/** One sentence for the person at the keyboard, and the error's own text for whoever helps them. */
export function startupFailure(e: unknown): { title: string; message: string } {
  const err = e instanceof Error ? e : new Error(String(e));
  const detail = err.message;
  const title = 'Attest could not start';
  // dlopen's errors start with the module's path; the rest is the OS's wording.
  if (/NODE_MODULE_VERSION|\.node: |bindings file|invalid ELF header|wrong ELF class|not a valid Win32 application|mach-o/i.test(detail)) {
    return {
      title,
      message:
        "The database driver in this copy of Attest was built for a different runtime, so the records cannot be opened. Reinstall Attest (from the source: delete .electron-native/ and run npm start again).\n\n" +
        detail,
    };
  }
  if (err.name === 'DatabaseFromFutureError') {
    return { title, message: `The database was written by a newer Attest. Install that version (or newer) to open it; nothing was changed.\n\n${detail}` };
  }
  if (err.name === 'IntegrityError') {
    return {
      title,
      message: `The database failed its integrity check, so Attest will not write to it. Restore the latest backup (attest restore), or ask for help; nothing was changed.\n\n${detail}`,
    };
  }
  return { title, message: `Attest stopped while starting; nothing was changed.\n\n${detail}` };
}

/**
 * Runs the start-up steps; on any failure reports it and ends the process, so the single-instance
 * lock is released and the next launch tries again (an uncaught failure left a process with no
 * window holding the lock).
 */
export async function runStartup(
  steps: () => void | Promise<void>,
  fail: (failure: { title: string; message: string }) => void,
): Promise<boolean> {
  try {
    await steps();
    return true;
  } catch (e) {
    fail(startupFailure(e));
    return false;
  }
}

/** The part of Electron's app that quitting touches. */
export interface QuitEvents {
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'will-quit', listener: (event?: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Closing the last window quits; every way of quitting (Cmd+Q, the menu, app.quit()) passes
 * through will-quit, where the database closes with its on-close backup. window-all-closed alone is
 * skipped by Cmd+Q on macOS. (A Windows shutdown skips both: the periodic backups cover it.) When
 * closing takes time (the core in its worker finishing its backup), the quit waits for it and then
 * goes on.
 */
export function wireQuit(app: QuitEvents, closeCore: () => void | Promise<void>): void {
  let closed = false;
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (closed) return;
    closed = true;
    const closing = closeCore();
    if (!closing) return;
    event?.preventDefault();
    const quit = () => app.quit();
    void closing.then(quit, quit);
  });
}
