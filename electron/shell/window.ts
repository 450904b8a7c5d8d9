import { BrowserWindow, dialog, session, shell } from 'electron';
import type { DialogPurpose } from '../../shared/contract/dialogs';
import type { ExhibitPdfOptions } from '../../shared/report/pdf-options';
import { join } from 'node:path';
import { printExhibitThroughScheme, type ExhibitPages } from './protocol';
import { APP_ENTRY, EXHIBIT_ORIGIN, hardenContents, hardenSession, webPreferences } from './security';

/** The denials of security.ts on the app's session. */
export function hardenDefaultSession(build: { devTools: boolean }): void {
  hardenSession(session.defaultSession, build);
}

export function createMainWindow(build: { devTools: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Attest',
    show: false,
    webPreferences: {
      ...webPreferences(join(__dirname, 'preload.cjs'), build),
      // The decisive switches again, literally, so the security scanner (npm run scan:electron) sees
      // them; test/unit/electron-shell.test.ts checks they agree with security.ts.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  void shell; // links never open from the app: there is no network to reach
  return win;
}

/**
 * Prints an exhibit's HTML to PDF in a hidden, sandboxed window with JavaScript off: the same
 * Chromium print as the CLI's page.pdf(), with the same options object. The page comes from memory
 * through attest://exhibit/ (a data: URL stops at 2 MB, a few hundred rows).
 */
export async function printHtmlToPdf(exhibits: ExhibitPages, html: string, options: ExhibitPdfOptions): Promise<Uint8Array> {
  const win = new BrowserWindow({
    show: false,
    width: 816,
    height: 1056,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  try {
    return await printExhibitThroughScheme(exhibits, html, EXHIBIT_ORIGIN, {
      load: (url) => win.loadURL(url),
      print: async () => new Uint8Array(await win.webContents.printToPDF(options)),
    });
  } finally {
    win.destroy();
  }
}

/** The OS open-file dialog, for choosing a roster to import. */
export async function chooseRosterFile(parent: BrowserWindow | undefined): Promise<string | null> {
  const opts = {
    title: 'Import a roster',
    properties: ['openFile'] as 'openFile'[],
    filters: [{ name: 'Rosters (CSV, Excel)', extensions: ['csv', 'txt', 'xlsx'] }],
  };
  const r = parent ? await dialog.showOpenDialog(parent, opts) : await dialog.showOpenDialog(opts);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/** The OS folder dialog, for choosing where an export goes. */
export async function chooseExportFolder(parent: BrowserWindow | undefined): Promise<string | null> {
  const opts = { title: 'Export the exhibit to…', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const r = parent ? await dialog.showOpenDialog(parent, opts) : await dialog.showOpenDialog(opts);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/** The OS dialog for a sync bundle: the folder (the USB stick) to write one into, or the one to read. */
export async function chooseBundlePath(parent: BrowserWindow | undefined, purpose: DialogPurpose): Promise<string | null> {
  const opts: Electron.OpenDialogOptions =
    purpose === 'bundle-folder'
      ? { title: 'Write the bundle into…', properties: ['openDirectory', 'createDirectory'] }
      : { title: 'Read a bundle', properties: ['openFile'] };
  const r = parent ? await dialog.showOpenDialog(parent, opts) : await dialog.showOpenDialog(opts);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}
