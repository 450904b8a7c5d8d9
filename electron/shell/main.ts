import { app, BrowserWindow, net, protocol } from 'electron';
import { chmodSync, existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSession, type Session } from '../core/session';
import { registerIpc } from './ipc';
import { APP_SCHEME } from './security';
import { setReportHost } from '../core/report-host';
import { chooseExportFolder, createMainWindow, hardenSession, printHtmlToPdf } from './window';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let current: Session | undefined;
  let win: BrowserWindow | undefined;

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

  void app.whenReady().then(() => {
    hardenSession();
    const rendererDir = join(__dirname, '..', 'dist', 'renderer');
    protocol.handle(APP_SCHEME, (request) => {
      const { pathname } = new URL(request.url);
      const file = normalize(join(rendererDir, decodeURIComponent(pathname)));
      if (!file.startsWith(rendererDir + sep)) return new Response('not found', { status: 404 });
      return net.fetch(pathToFileURL(file).toString());
    });

    const nativeBinding = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node').replace(
      'app.asar',
      'app.asar.unpacked',
    );
    const dbFile = process.env.ATTEST_DB ?? join(app.getPath('userData'), 'attest.sqlite');
    if (!process.env.ATTEST_DB) chmodSync(app.getPath('userData'), 0o700); // the records' folder: owner only
    // The vault starts locked: the window asks for the passphrase (or, on first run, for a new one).
    current = createSession(dbFile, {
      check: 'full',
      user: process.env.ATTEST_USER ?? null,
      ...(existsSync(nativeBinding) ? { nativeBinding } : {}),
    });
    // Exports print with this Electron's Chromium and ask the OS where to write.
    setReportHost(current.ctx, { pdf: async () => ({ print: printHtmlToPdf }), chooseFolder: () => chooseExportFolder(win) });
    current.vault.openIfPlain();
    // Time-based backups also happen while nobody is calling anything.
    setInterval(() => current?.vault.maybeAutoBackup(), 60_000).unref();
    registerIpc(() => current?.dispatch);
    win = createMainWindow();
  });

  app.on('window-all-closed', () => {
    current?.close();
    current = undefined;
    app.quit();
  });
}
