// The app scheme's handler (electron/shell/protocol.ts), called as Electron's protocol.handle calls
// it: with real Requests, over real files, answering real Responses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExhibitPages, handleAppRequest, printExhibitThroughScheme } from '../../electron/shell/protocol';
import { APP_ENTRY, EXHIBIT_ORIGIN, isAllowedRequest } from '../../electron/shell/security';
import { cleanupTempDirs, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

function renderer() {
  const dir = join(tempDir(), 'dist', 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Attest</title><script src="./assets/index.js"></script>');
  writeFileSync(join(dir, 'assets', 'index.js'), 'console.log("attest")');
  writeFileSync(join(dir, 'assets', 'index.css'), 'body{}');
  writeFileSync(join(dir, '..', 'secret.txt'), 'outside the renderer');
  return { rendererDir: dir, exhibits: new ExhibitPages() };
}

const get = (url: string, ctx: ReturnType<typeof renderer>, method = 'GET') => handleAppRequest(new Request(url, { method }), ctx);

describe('the attest:// scheme handler', () => {
  it("serves the renderer's files itself, with their types: no file: request for the request filter to refuse", async () => {
    const ctx = renderer();
    const page = await get(APP_ENTRY, ctx);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Attest</title>');
    const js = await get('attest://app/assets/index.js', ctx);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log("attest")');
    expect((await get('attest://app/assets/index.css', ctx)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    // Every request the app makes passes the session's filter; file: never does.
    expect(isAllowedRequest(APP_ENTRY, { devTools: false })).toBe(true);
    expect(isAllowedRequest(`file://${join(ctx.rendererDir, 'index.html')}`, { devTools: false })).toBe(false);
  });

  it('answers 404 outside the renderer folder, for folders, missing files and unknown hosts; 405 for writes', async () => {
    const ctx = renderer();
    for (const url of [
      'attest://app/../secret.txt',
      'attest://app/%2e%2e/secret.txt',
      'attest://app/..%2fsecret.txt',
      'attest://app/assets',
      'attest://app/missing.js',
      'attest://app/%E0%A4%A',
      'attest://other/index.html',
    ]) {
      const r = await get(url, ctx);
      expect(r.status, url).toBe(404);
      expect(await r.text(), url).not.toContain('outside the renderer');
    }
    expect((await get(APP_ENTRY, ctx, 'POST')).status).toBe(405);
  });

  it('serves an exhibit from memory only while it is printed, under a name nobody can guess, with a CSP that runs nothing', async () => {
    const ctx = renderer();
    const html = `<!doctype html><p>${'row '.repeat(1_000_000)}</p>`;
    let during: Response | undefined;
    let url = '';
    const pdf = await printExhibitThroughScheme(ctx.exhibits, html, EXHIBIT_ORIGIN, {
      load: async (u) => {
        url = u;
        during = await get(u, ctx);
      },
      print: async () => new Uint8Array([1, 2, 3]),
    });
    expect(pdf).toEqual(new Uint8Array([1, 2, 3]));
    expect(url).toMatch(/^attest:\/\/exhibit\/[0-9a-f-]{36}\.html$/);
    expect(isAllowedRequest(url, { devTools: false })).toBe(true);
    expect(during!.status).toBe(200);
    expect(during!.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
    expect(during!.headers.get('cache-control')).toBe('no-store');
    expect(await during!.text()).toBe(html);
    expect(ctx.exhibits.size).toBe(0);
    expect((await get(url, ctx)).status).toBe(404);
    expect((await get(`${EXHIBIT_ORIGIN}/index.html`, ctx)).status).toBe(404);
  });

  it('forgets the exhibit when printing fails too', async () => {
    const ctx = renderer();
    await expect(
      printExhibitThroughScheme(ctx.exhibits, '<p>x</p>', EXHIBIT_ORIGIN, {
        load: async () => {},
        print: async () => {
          throw new Error('printer gone');
        },
      }),
    ).rejects.toThrow('printer gone');
    expect(ctx.exhibits.size).toBe(0);
  });
});
