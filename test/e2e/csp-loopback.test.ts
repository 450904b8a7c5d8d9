// In Chromium, a page under the app's Content-Security-Policy that tries to reach a loopback
// server is blocked, and the server sees nothing. A control page without the policy reaches the
// same server, so the test would notice a policy that stopped blocking. The page itself is served
// from a second loopback server, so Chromium's own private-network rules do not do the blocking.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, RENDERER_DIR } from './harness';

let browser: Browser;
let target: Server;
let pages: Server;
let targetPort = 0;
let pagesPort = 0;
const seen: string[] = [];
let csp: string | null = null;

const PROBE = `
window.__probe = (async () => {
  const out = {};
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
  try { const r = await fetch('http://127.0.0.1:PORT/fetch'); out.fetch = await r.text(); } catch (e) { out.fetch = 'blocked: ' + e.name; }
  out.img = await new Promise((resolve) => { const i = new Image(); i.onload = () => resolve('loaded'); i.onerror = () => resolve('error'); i.src = 'http://127.0.0.1:PORT/img'; });
  try { const ws = new WebSocket('ws://127.0.0.1:PORT/ws'); out.ws = await new Promise((r) => { ws.onopen = () => r('open'); ws.onerror = () => r('error'); }); } catch (e) { out.ws = 'blocked: ' + e.name; }
  try { navigator.sendBeacon('http://127.0.0.1:PORT/beacon', 'x'); } catch (e) {}
  await new Promise((r) => setTimeout(r, 300));
  out.violations = violations;
  return out;
})();`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  browser = await launchChromium();
  target = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' });
    res.end('reached');
  });
  targetPort = await listen(target);
  pages = createServer((req, res) => {
    if (req.url === '/probe.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(PROBE.replaceAll('PORT', String(targetPort)));
      return;
    }
    const meta = csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : '';
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><html><head>${meta}<script src="/probe.js"></script></head><body>probe</body></html>`);
  });
  pagesPort = await listen(pages);
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => target.close(resolve));
  await new Promise((resolve) => pages.close(resolve));
});

/** The CSP exactly as the built index.html carries it. */
function builtCsp(): string {
  const html = readFileSync(join(RENDERER_DIR, 'index.html'), 'utf8');
  const m = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
  if (!m) throw new Error('the built index.html has no CSP');
  return m[1]!;
}

async function probe(policy: string | null): Promise<Record<string, unknown>> {
  csp = policy;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${pagesPort}/index.html`);
  const result = (await page.evaluate('window.__probe')) as Record<string, unknown>;
  await context.close();
  return result;
}

describe("the app's Content-Security-Policy in Chromium", () => {
  it('blocks fetch, images, websockets and beacons to a loopback server, which sees nothing', async () => {
    seen.length = 0;
    const r = await probe(builtCsp());
    expect(r.fetch).toMatch(/^blocked/);
    expect(r.img).toBe('error');
    expect(r.violations).toEqual(expect.arrayContaining(['connect-src', 'img-src']));
    expect(seen).toEqual([]);
  });

  it('(control) the same page without the policy does reach the server', async () => {
    seen.length = 0;
    const r = await probe(null);
    expect(r.fetch).toBe('reached');
    expect(seen).toEqual(expect.arrayContaining(['GET /fetch', 'GET /img']));
  });
});
