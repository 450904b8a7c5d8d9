// What `npm start` does before the window opens (scripts/electron-runtime.mjs): the first start's
// download of Electron, with its progress shown (here from a loopback mirror, through the same
// @electron/get the electron package uses), the Node version check, and Linux's sandbox advice.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadElectron, electronNodeMinimum, electronVersion, nodeVersionProblem, progressText, sandboxAdvice } from '../../scripts/electron-runtime.mjs';
import { cleanupTempDirs, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

describe("the first start's Electron download", () => {
  it('shows its progress, a line at every tenth, and lands the checked zip in the cache', async () => {
    const zip = randomBytes(3_000_000);
    const name = `electron-v${electronVersion()}-linux-x64.zip`;
    const requested: string[] = [];
    const server = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url !== `/v${electronVersion()}/${name}`) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Length': zip.length, 'Content-Type': 'application/zip' });
      // In pieces, as a network delivers it.
      let at = 0;
      const next = () => {
        if (at >= zip.length) return void res.end();
        res.write(zip.subarray(at, (at += 256 * 1024)), next);
      };
      next();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const lines: string[] = [];
      const path = await downloadElectron({
        write: (l) => lines.push(l),
        mirror: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        cacheRoot: tempDir(),
        checksums: { [name]: createHash('sha256').update(zip).digest('hex') },
        platform: 'linux',
        arch: 'x64',
      });
      expect(readFileSync(path).equals(zip)).toBe(true);
      expect(requested).toEqual([`/v${electronVersion()}/${name}`]);
      expect(lines[0]).toMatch(/^ {2}Electron: \d% \(0 of 3 MB\)\n$/);
      expect(lines.at(-1)).toBe('  Electron: 100% (3 of 3 MB)\n');
      expect(lines.length).toBeGreaterThanOrEqual(5);
      expect(lines.length).toBeLessThanOrEqual(11);
    } finally {
      server.close();
    }
  });

  it('says the megabytes when the size is unknown', () => {
    expect(progressText({ transferred: 42_000_000, total: null })).toBe('42 MB');
    expect(progressText({ transferred: 38_000_000, total: 103_000_000 })).toBe('36% (38 of 103 MB)');
  });
});

describe("Node's version", () => {
  it("compares against what the electron package declares, and says what runs on older Node", () => {
    const min = electronNodeMinimum();
    expect(min).not.toBeNull();
    expect(nodeVersionProblem(`${min![0]}.${min![1]}.${min![2]}`)).toBeNull();
    expect(nodeVersionProblem(`${min![0] + 1}.0.0`)).toBeNull();
    expect(nodeVersionProblem('20.19.0', [22, 12, 0])).toMatch(
      /declare Node 22\.12\.0 or newer; this is Node 20\.19\.0\..*The command-line tool and the tests run on Node 20\.19 or newer\./,
    );
    expect(nodeVersionProblem('22.11.9', [22, 12, 0])).not.toBeNull();
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('>=20.19');
  });
});

describe("Linux's sandbox", () => {
  function machine(restrict: '0' | '1') {
    const root = tempDir();
    mkdirSync(join(root, 'proc', 'kernel'), { recursive: true });
    writeFileSync(join(root, 'proc', 'kernel', 'apparmor_restrict_unprivileged_userns'), `${restrict}\n`);
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'electron'), '');
    writeFileSync(join(root, 'dist', 'chrome-sandbox'), '');
    chmodSync(join(root, 'dist', 'chrome-sandbox'), 0o755);
    return { procSys: join(root, 'proc'), electronBinary: join(root, 'dist', 'electron') };
  }

  it('tells how to set the helper up where user namespaces are restricted and the helper is not setuid root', () => {
    const m = machine('1');
    const advice = sandboxAdvice({ platform: 'linux', ...m });
    expect(advice).toContain(`sudo chown root:root '${join(m.electronBinary, '..', 'chrome-sandbox')}' && sudo chmod 4755`);
    expect(advice).toContain('prefer it to the AppImage');
  });

  it('says nothing where namespaces are allowed, or off Linux', () => {
    expect(sandboxAdvice({ platform: 'linux', ...machine('0') })).toBeNull();
    expect(sandboxAdvice({ platform: 'darwin', ...machine('1') })).toBeNull();
    // This machine's own /proc answers without error.
    expect(() => sandboxAdvice({ platform: 'linux', electronBinary: '/nonexistent/electron' })).not.toThrow();
  });
});
