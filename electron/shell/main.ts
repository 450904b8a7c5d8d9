// The Electron main process: only calls into Electron's API. What it decides lives in plain files
// that the unit tests run in Node: protocol.ts (the app's scheme), security.ts, startup.ts; the core
// (the session, the database, exports) runs in a worker thread, electron/worker/.
import { app, BrowserWindow, dialog, protocol } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { superviseCore, type SupervisedCore } from '../worker/supervisor';
import { CORE_RESTARTED, JOB_EVENTS } from '../../shared/job-events';
import { registerIpc } from './ipc';
import { ExhibitPages, handleAppRequest } from './protocol';
import { APP_SCHEME, hardenContents } from './security';
import { appFiles, prepareDatabaseFile, runStartup, wireQuit } from './startup';
import { chooseBundlePath, chooseExportFolder, chooseRosterFile, createMainWindow, hardenDefaultSession, printHtmlToPdf } from './window';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let current: SupervisedCore | undefined;
  let win: BrowserWindow | undefined;
  // DevTools only when run from the sources (npm start): in a shipped build the console could call every channel.
  const build = { devTools: !app.isPackaged };
  const exhibits = new ExhibitPages();

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => hardenContents(contents));

  // Quitting waits for the core to close the database (and take its on-close backup) in its worker.
  wireQuit(app, () => {
    const c = current;
    current = undefined;
    return c?.close();
  });

  const start = async () => {
    hardenDefaultSession(build);
    const files = appFiles(app.getAppPath(), __dirname);
    protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, { rendererDir: files.rendererDir, exhibits }));

    const dbFile = prepareDatabaseFile(process.env, app.getPath('userData'));
    // The session (vault, dispatch, database) runs in a worker thread, so a long job never freezes
    // the window; it starts locked: the window asks for the passphrase (or, on first run, for a new
    // one). Exports print with this Electron's Chromium and ask the OS where to write, through main.
    // A core that dies is started again (electron/worker/supervisor.ts); the window is told, and
    // asks for the passphrase again, since a new core starts locked.
    current = superviseCore({
      script: { path: join(__dirname, 'core-worker.cjs') },
      file: dbFile,
      check: 'full',
      user: process.env.ATTEST_USER ?? null,
      ...(existsSync(files.nativeBinding) ? { nativeBinding: files.nativeBinding } : {}),
      onEvent: (event) => {
        if (win && !win.isDestroyed()) win.webContents.send(JOB_EVENTS, event);
      },
      print: (html, options) => printHtmlToPdf(exhibits, html, options),
      chooseFolder: () => chooseExportFolder(win),
      onRestart: () => {
        if (win && !win.isDestroyed()) win.webContents.send(CORE_RESTARTED);
      },
      onGiveUp: () => dialog.showErrorBox('Attest stopped', 'The part of Attest that holds the database stopped several times. Restart Attest.'),
      chooseFile: () => chooseRosterFile(win),
      choose: (purpose) => chooseBundlePath(win, purpose),
    });
    // A start that fails in the core (driver, newer database, integrity) fails here, before any window.
    await current.ready;
    registerIpc(() => current?.call);
    win = createMainWindow(build);
  };

  void app.whenReady().then(() =>
    runStartup(start, ({ title, message }) => {
      dialog.showErrorBox(title, message);
      // exit, not quit: no window is left to close, and the single-instance lock must go with the process.
      app.exit(1);
    }),
  );
}
