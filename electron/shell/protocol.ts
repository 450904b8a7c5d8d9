// What the app's own scheme answers, as a plain function from a Request to a Response: Electron's
// protocol.handle calls it in the app, the tests call it with real Requests and real files, and
// the PDF test serves Chromium through it. It reads files itself: a net.fetch('file://…') from here
// would be a second request, which the session's request filter refuses (file: is never allowed).
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/** Hosts under the app's scheme: the renderer's built files, and exhibits waiting to be printed. */
export const APP_HOST = 'app';
export const EXHIBIT_HOST = 'exhibit';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** An exhibit is HTML and CSS only: no script, no request leaves it. */
export const EXHIBIT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/**
 * Exhibits to print, held in memory under a random name until printed. A 2,000-row exhibit is
 * millions of characters: too long for a data: URL (Chromium stops at 2 MB), fine as a response.
 */
export class ExhibitPages {
  private readonly pages = new Map<string, string>();

  /** Holds the HTML; returns its path under the exhibit host and a function that forgets it. */
  add(html: string): { path: string; release: () => void } {
    const id = randomUUID();
    this.pages.set(id, html);
    return { path: `/${id}.html`, release: () => this.pages.delete(id) };
  }

  get(path: string): string | undefined {
    const m = /^\/([0-9a-f-]{36})\.html$/.exec(path);
    return m ? this.pages.get(m[1]!) : undefined;
  }

  get size(): number {
    return this.pages.size;
  }
}

export interface AppRequestContext {
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  exhibits: ExhibitPages;
}

const notFound = () => new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

/**
 * Answers one request to the app's scheme. Only the host and path are read: the scheme is
 * `attest:` in the app and whatever the test browser can intercept in tests.
 */
export async function handleAppRequest(request: Request, ctx: AppRequestContext): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
  const url = new URL(request.url);
  if (url.hostname === EXHIBIT_HOST) {
    const html = ctx.exhibits.get(url.pathname);
    if (html === undefined) return notFound();
    return new Response(html, {
      headers: { 'Content-Type': TYPES['.html']!, 'Content-Security-Policy': EXHIBIT_CSP, 'Cache-Control': 'no-store' },
    });
  }
  if (url.hostname !== APP_HOST) return notFound();
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return notFound();
  }
  const root = normalize(ctx.rendererDir);
  const file = normalize(join(root, rel === '/' ? 'index.html' : rel));
  if (!file.startsWith(root + sep)) return notFound();
  try {
    if (!(await stat(file)).isFile()) return notFound();
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      headers: {
        'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return notFound();
  }
}

/**
 * Prints an exhibit through the scheme: the HTML is held in memory only while the page loads and
 * prints. `load` and `print` are the browser's (Electron's loadURL and printToPDF in the app).
 */
export async function printExhibitThroughScheme(
  exhibits: ExhibitPages,
  html: string,
  origin: string,
  browser: { load: (url: string) => Promise<void>; print: () => Promise<Uint8Array> },
): Promise<Uint8Array> {
  const { path, release } = exhibits.add(html);
  try {
    await browser.load(`${origin}${path}`);
    return await browser.print();
  } finally {
    release();
  }
}
