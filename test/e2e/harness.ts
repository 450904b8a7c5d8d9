// The browser transport for end-to-end tests: Debian's Chromium, driven by playwright-core, loads
// the built renderer from a made-up origin that never touches the network, and window.attest is
// bridged with exposeFunction to the real dispatch over a real SQLite file.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../electron/cli/pdf-chromium';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { cleanupTempDirs } from '../helpers';
import { createSession, openSession, type Session, type SessionOptions } from '../../electron/core/session';

export const RENDERER_DIR = join(process.cwd(), 'dist', 'renderer');
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'e2e');
const ORIGIN = 'http://attest.invalid';


export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`no Chromium at ${path}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return path;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
}

/** One Chromium for a test file: launched before its tests, closed after them; temp files go after each. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(cleanupTempDirs);
  return () => {
    if (!browser) throw new Error('Chromium is not running: call the returned function inside a test');
    return browser;
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface BrowserApp {
  page: Page;
  session: Session;
  /** Loads (or reloads) the app. */
  open: () => Promise<void>;
  screenshot: (name: string) => Promise<string>;
  close: () => Promise<void>;
}

/**
 * Opens the built renderer in a fresh page, bridged to the dispatch of `dbFile`. By default the
 * database is opened first (plain, or with `key`); `locked: true` starts as the app does, with the
 * vault still closed, so the page shows first run or unlock.
 */
export async function openBrowserApp(
  browser: Browser,
  dbFile: string,
  options: { locked?: boolean; key?: string; reads?: SessionOptions['reads'] } = {},
): Promise<BrowserApp> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('the renderer is not built (vite build)');
  let session: Session;
  if (options.locked) {
    session = createSession(dbFile, { user: 'e2e-attorney', ...(options.reads ? { reads: options.reads } : {}) });
    session.vault.openIfPlain();
  } else {
    session = openSession(dbFile, { user: 'e2e-attorney', key: options.key ?? null, ...(options.reads ? { reads: options.reads } : {}) });
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  // Everything not the app's own files is refused, as in the Electron shell.
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
    const file = normalize(join(RENDERER_DIR, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(RENDERER_DIR + sep) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
  });
  await page.exposeFunction('__attestDispatch', (channel: unknown, input: unknown) => session.dispatch(channel, input));
  await page.addInitScript((channels: readonly string[]) => {
    const bridge = (window as unknown as { __attestDispatch: (c: string, i: unknown) => Promise<unknown> }).__attestDispatch;
    const api: Record<string, unknown> = {};
    for (const c of channels) api[c] = (input: unknown) => bridge(c, input);
    // Job events are pushed in by the harness, as the preload's subscription does in the app.
    const listeners = new Set<(event: unknown) => void>();
    api.onProgress = (listener: (event: unknown) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    Object.defineProperty(window, '__attestJobEvent', { value: (event: unknown) => listeners.forEach((l) => l(event)) });
    Object.defineProperty(window, 'attest', { value: Object.freeze(api) });
  }, CHANNEL_NAMES);
  const unsubscribe = session.ctx.jobs.subscribe((event) => {
    void page.evaluate((e) => (window as unknown as { __attestJobEvent?: (e: unknown) => void }).__attestJobEvent?.(e), event).catch(() => undefined);
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    page,
    session,
    open: async () => {
      await page.goto(`${ORIGIN}/index.html`);
      await page.getByRole('heading', { name: 'Attest' }).waitFor();
      if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
    },
    screenshot: async (name) => {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      // The window is made as tall as the page for the shot, so fixed parts (header, side bar) are
      // drawn as they would be in a window that size, not cut off or repeated mid-page.
      const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
      await page.evaluate(() => window.scrollTo(0, 0));
      let height = viewport.height;
      // Growing the window can grow the page again (parts sized to the window): settle twice.
      for (let i = 0; i < 2; i++) {
        const needed = await page.evaluate(() => document.documentElement.scrollHeight);
        if (needed <= height) break;
        height = needed;
        await page.setViewportSize({ width: viewport.width, height });
      }
      try {
        await page.screenshot({ path, fullPage: true });
      } finally {
        if (height > viewport.height) await page.setViewportSize(viewport);
      }
      return path;
    },
    close: async () => {
      unsubscribe();
      await context.close();
      session.close();
    },
  };
}
