import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import {
  APP_ENTRY,
  CONTENT_SECURITY_POLICY,
  EXHIBIT_ORIGIN,
  isAllowedRequest,
  isTrustedSender,
  webPreferences,
} from '../../electron/shell/security';

// The Electron binary is not available on every machine that runs these tests, so the shell's
// decisions live in plain functions and constants that are checked here; the Electron e2e variant
// checks them in the real app where it can run.
describe('Electron shell security', () => {
  it('isolates the renderer: context isolation, sandbox, no node integration, web security on', () => {
    expect(webPreferences('/p/preload.cjs', { devTools: false })).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('has DevTools only where the shell asks for them (a run from the sources, never a packaged app)', () => {
    expect(webPreferences('/p', { devTools: false }).devTools).toBe(false);
    expect(webPreferences('/p', { devTools: true }).devTools).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', { devTools: false })).toBe(false);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', { devTools: true })).toBe(true);
  });

  it('ships a strict Content-Security-Policy in the page itself', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|http:|https:/);
  });

  it("blocks every request that is not the app's own files", () => {
    const shipped = { devTools: false };
    expect(isAllowedRequest(APP_ENTRY, shipped)).toBe(true);
    expect(isAllowedRequest('attest://app/assets/index.js', shipped)).toBe(true);
    expect(isAllowedRequest(`${EXHIBIT_ORIGIN}/0190c6a4-7d7e-7cc3-9e3b-5b2f1a7c9d10.html`, shipped)).toBe(true);
    for (const url of ['https://example.org/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'attest://evil/x', 'ws://localhost/']) {
      expect(isAllowedRequest(url, shipped)).toBe(false);
    }
  });

  it('answers IPC only from the main frame of the app', () => {
    expect(isTrustedSender(APP_ENTRY, true)).toBe(true);
    expect(isTrustedSender(APP_ENTRY, false)).toBe(false);
    expect(isTrustedSender('https://example.org/', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });

  it('wires the denials into the shell: navigation, new windows, permissions, requests, single instance', () => {
    const main = readFileSync('electron/shell/main.ts', 'utf8');
    const win = readFileSync('electron/shell/window.ts', 'utf8');
    expect(main).toContain('requestSingleInstanceLock()');
    expect(win).toMatch(/'will-navigate', \(event\) => event\.preventDefault\(\)/);
    expect(win).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(win).toMatch(/setPermissionRequestHandler\(\(_wc, _permission, callback\) => callback\(false\)\)/);
    expect(win).toMatch(/onBeforeRequest\(\(details, callback\) => callback\(\{ cancel: !isAllowedRequest\(details\.url, build\) \}\)\)/);
    expect(win).toContain('...webPreferences(');
    // The literal copy in window.ts (there for the scanner) must agree with security.ts.
    const literal = /webPreferences: \{([\s\S]*?)\n {4}\}/.exec(win)?.[1] ?? '';
    const prefs = webPreferences('/p', { devTools: false }) as Record<string, unknown>;
    for (const m of literal.matchAll(/^\s+(\w+): (true|false|'[^']*'),$/gm)) {
      expect(prefs[m[1]!], m[1]).toBe(m[2] === 'true' ? true : m[2] === 'false' ? false : m[2]!.slice(1, -1));
    }
    expect([...literal.matchAll(/^\s+(\w+): /gm)].map((m) => m[1])).toEqual([
      'contextIsolation',
      'sandbox',
      'nodeIntegration',
      'webSecurity',
      'disableBlinkFeatures',
    ]);
  });

  it('exposes exactly the contract channels through the preload, never ipcRenderer itself', () => {
    const preload = readFileSync('electron/shell/preload.ts', 'utf8');
    expect(preload).toContain('for (const channel of CHANNEL_NAMES)');
    expect(preload).toContain("exposeInMainWorld('attest', Object.freeze(api))");
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(CHANNEL_NAMES.length).toBeGreaterThan(0);
  });
});
