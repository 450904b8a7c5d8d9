import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers';

afterAll(cleanupTempDirs);

function scan(args: string[] = []): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/scan-electron.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('Electronegativity over the Electron shell', () => {
  it('finds nothing but the findings justified in the README, and would flag an unsafe window', async () => {
    // A window with isolation and sandbox off and no navigation limits, to prove the scan can fail.
    const bad = tempDir('attest-scan-');
    mkdirSync(join(bad, 'electron'));
    writeFileSync(
      join(bad, 'electron', 'window.ts'),
      `import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n`,
    );
    writeFileSync(join(bad, 'package.json'), JSON.stringify({ name: 'bad', devDependencies: { electron: '45.5.0' } }));
    const [ours, theirs] = await Promise.all([scan(), scan(['--input', bad])]);
    console.log(ours.out.trim());
    expect(ours.out).toMatch(/electronegativity: \d+ findings, \d+ justified, 0 to fix/);
    expect(ours.code).toBe(0);
    expect(theirs.code).toBe(1);
    expect(theirs.out).toMatch(/FINDING\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(theirs.out).toMatch(/FINDING\s+SANDBOX_JS_CHECK/);
    expect(theirs.out).toMatch(/FINDING\s+LIMIT_NAVIGATION_GLOBAL_CHECK/);
  }, 180_000);
});
