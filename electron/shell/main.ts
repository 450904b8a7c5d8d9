import { app, BrowserWindow, net, protocol } from 'electron';
import { chmodSync, existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCore, type CoreHost } from '../worker/host';
import { JOB_EVENTS } from '../../shared/channels';
import { registerIpc } from './ipc';
import { APP_SCHEME } from './security';
import { chooseExportFolder, createMainWindow, hardenSession, printHtmlToPdf } from './window';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let current: CoreHost | undefined;
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
    // The session (vault, dispatch, database) runs in a worker thread, so a long job never freezes
    // the window; it starts locked: the window asks for the passphrase (or, on first run, for a new
    // one). Exports print with this Electron's Chromium and ask the OS where to write, through main.
    current = startCore({
      script: { path: join(__dirname, 'core-worker.cjs') },
      file: dbFile,
      check: 'full',
      user: process.env.ATTEST_USER ?? null,
      ...(existsSync(nativeBinding) ? { nativeBinding } : {}),
      onEvent: (event) => {
        if (win && !win.isDestroyed()) win.webContents.send(JOB_EVENTS, event);
      },
      print: printHtmlToPdf,
      chooseFolder: () => chooseExportFolder(win),
    });
    registerIpc(() => current?.call);
    win = createMainWindow();
  });

  // Quitting waits for the core to close the database (and take its on-close backup).
  const closeCore = () => {
    const c = current;
    current = undefined;
    return c ? c.close() : Promise.resolve();
  };
  app.on('window-all-closed', () => {
    void closeCore().finally(() => app.quit());
  });
  app.on('will-quit', (event) => {
    if (!current) return;
    event.preventDefault();
    void closeCore().finally(() => app.quit());
  });
}
