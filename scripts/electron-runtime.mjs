// Where the Electron binary is, fetching it on first use as the electron package does, or a plain
// sentence saying why it cannot be had.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronDir() {
  return dirname(require.resolve('electron/package.json'));
}

export function electronVersion() {
  return JSON.parse(readFileSync(join(electronDir(), 'package.json'), 'utf8')).version;
}

function binaryPath() {
  const dir = electronDir();
  const pathFile = join(dir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel ?? 'electron');
  return rel ? join(dir, 'dist', rel) : undefined;
}

/**
 * @param {{ download?: boolean }} [options] download: try the electron package's own download once
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectron({ download = true } = {}) {
  try {
    electronDir();
  } catch {
    return { ok: false, reason: 'the electron package is not installed (run npm ci)' };
  }
  let path = binaryPath();
  if ((!path || !existsSync(path)) && download && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    spawnSync(process.execPath, [join(electronDir(), 'install.js')], { stdio: 'ignore', timeout: 300_000 });
    path = binaryPath();
  }
  if (!path || !existsSync(path)) {
    return {
      ok: false,
      reason:
        `the Electron ${electronVersion()} runtime is not on this machine. It is downloaded on the first ` +
        '"npm ci" or "npm start", which needs a network connection; here the download was skipped ' +
        '(ELECTRON_SKIP_BINARY_DOWNLOAD) or could not reach its host. Run "npm start" again where the network is available.',
    };
  }
  return { ok: true, path };
}
