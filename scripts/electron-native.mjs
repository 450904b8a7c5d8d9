// Builds (once, cached) a copy of the SQLite driver for Electron's ABI into .electron-native/.
// Tests and the CLI keep using the Node build in node_modules; the app loads this copy through
// better-sqlite3's nativeBinding option. Building it needs Electron's headers from the network.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { electronVersion } from './electron-runtime.mjs';

const require = createRequire(import.meta.url);
const OUT = '.electron-native';
const driverDir = dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
const driverVersion = JSON.parse(readFileSync(join(driverDir, 'package.json'), 'utf8')).version;
const target = electronVersion();
const stampFile = join(OUT, 'stamp.json');
const stamp = JSON.stringify({ electron: target, driver: driverVersion, platform: process.platform, arch: process.arch });

export function ensureElectronNative() {
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(join(OUT, 'better_sqlite3.node'))) {
    return { ok: true, cached: true };
  }
  const work = join(OUT, 'src');
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  cpSync(driverDir, work, { recursive: true, filter: (src) => !src.includes(`${driverDir}/build`) && !src.includes('node_modules') });
  const env = { ...process.env };
  delete env.npm_config_nodedir; // Node's headers are the wrong ones for Electron
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  const r = spawnSync(
    process.execPath,
    [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${target}`, '--dist-url=https://electronjs.org/headers'],
    { cwd: work, env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0) {
    return {
      ok: false,
      reason:
        `could not build the SQLite driver for Electron ${target}: node-gyp needs Electron's headers, ` +
        'downloaded from the network on the first run.',
    };
  }
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(OUT, 'better_sqlite3.node'));
  rmSync(work, { recursive: true, force: true });
  writeFileSync(stampFile, stamp);
  return { ok: true, cached: false };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = ensureElectronNative();
  if (!r.ok) {
    console.error(`attest: ${r.reason}`);
    process.exit(1);
  }
  console.log(r.cached ? 'Electron copy of the SQLite driver is up to date' : 'built the Electron copy of the SQLite driver');
}
