// The Electron main process: only calls into Electron's API. What it decides lives in plain files
// that the unit tests run in Node: protocol.ts (the app's scheme), security.ts, startup.ts.
import { app, BrowserWindow, dialog, protocol } from 'electron';
import { existsSync } from 'node:fs';
import { createSession, type Session } from '../core/session';
import { setReportHost } from '../core/report-host';
import { registerIpc } from './ipc';
import { ExhibitPages, handleAppRequest } from './protocol';
import { APP_SCHEME } from './security';
import { appFiles, prepareDatabaseFile, runStartup, wireQuit } from './startup';
import { chooseExportFolder, createMainWindow, hardenSession, printHtmlToPdf } from './window';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let current: Session | undefined;
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

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  wireQuit(app, () => {
    current?.close();
    current = undefined;
  });

  const start = () => {
    hardenSession(build);
    const files = appFiles(app.getAppPath(), __dirname);
    protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, { rendererDir: files.rendererDir, exhibits }));

    const dbFile = prepareDatabaseFile(process.env, app.getPath('userData'));
    // The vault starts locked: the window asks for the passphrase (or, on first run, for a new one).
    current = createSession(dbFile, {
      check: 'full',
      user: process.env.ATTEST_USER ?? null,
      ...(existsSync(files.nativeBinding) ? { nativeBinding: files.nativeBinding } : {}),
    });
    // Exports print with this Electron's Chromium and ask the OS where to write.
    setReportHost(current.ctx, {
      pdf: async () => ({ print: (html, options) => printHtmlToPdf(exhibits, html, options) }),
      chooseFolder: () => chooseExportFolder(win),
    });
    current.vault.openIfPlain();
    // Time-based backups also happen while nobody is calling anything.
    setInterval(() => current?.vault.maybeAutoBackup(), 60_000).unref();
    registerIpc(() => current?.dispatch);
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
