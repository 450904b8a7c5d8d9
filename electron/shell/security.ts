// Security settings of the app window, kept free of the 'electron' import so tests can check
// exactly what the shell uses.
export const APP_SCHEME = 'attest';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;
/** Where exhibits are served from memory to the hidden print window (electron/shell/protocol.ts). */
export const EXHIBIT_ORIGIN = `${APP_SCHEME}://exhibit`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * @param devTools only for a development run: in a shipped build the console could call every
 * channel, so the shell passes `!app.isPackaged`.
 */
export function webPreferences(preloadPath: string, { devTools }: { devTools: boolean }) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Middle-click would otherwise try to open links in new windows.
    disableBlinkFeatures: 'Auxclick',
    devTools,
  } as const;
}

/**
 * Only the app's own files and the exhibit being printed may be requested: Attest never touches a
 * network, and file: is refused too (the scheme handler reads files itself).
 */
export function isAllowedRequest(url: string, { devTools }: { devTools: boolean }): boolean {
  return (
    url.startsWith(`${APP_ORIGIN}/`) ||
    url.startsWith(`${EXHIBIT_ORIGIN}/`) ||
    url.startsWith('data:') ||
    (devTools && url.startsWith('devtools://'))
  );
}

/** IPC is answered only for the app's own main frame. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && typeof frameUrl === 'string' && frameUrl.startsWith(`${APP_ORIGIN}/`);
}

/** What a denial is handed: Electron's event, or anything with preventDefault. */
export interface Preventable {
  preventDefault(): void;
}

/** The part of a WebContents the denials below use (Electron's WebContents has it). */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

/**
 * Every page stays where it was loaded: no navigation, no redirect, no webview, no new window.
 * The main window and every other web contents the app makes (main.ts: web-contents-created).
 */
export function hardenContents(contents: HardenableContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The part of a Session the denials below use (Electron's session.defaultSession has it). */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: unknown, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  webRequest: { onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void };
}

/** No permission is granted or reported granted, and only isAllowedRequest's URLs are fetched. */
export function hardenSession(ses: HardenableSession, build: { devTools: boolean }): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, build) }));
}
