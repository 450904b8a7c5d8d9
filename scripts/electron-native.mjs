// Builds (once, cached) a copy of the SQLite driver for Electron's ABI into .electron-native/.
// Tests and the CLI keep using the Node build in node_modules; the app loads this copy through
// better-sqlite3's nativeBinding option. Building it needs Electron's headers from the network.
//
// The runtime is a parameter, so the same pipeline runs against Node's own headers where Electron's
// cannot be downloaded (test/unit/electron-native.test.ts):
//   node scripts/electron-native.mjs [--runtime node --target 20.19.0 --nodedir /usr] [--out DIR]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { electronVersion } from './electron-runtime.mjs';

const require = createRequire(import.meta.url);
export const NATIVE_FILE = 'better_sqlite3.node';

export function driverDir() {
  return dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
}

/**
 * Which files of the driver's package the build needs: its sources, never its own build output and
 * never a nested node_modules. Decided on the path *relative to the package*, because the package
 * itself lives under node_modules.
 */
export function isDriverSource(root, src) {
  const parts = relative(root, src).split(sep);
  if (parts[0] === 'build') return false;
  return !parts.includes('node_modules');
}

/** node-gyp's arguments for one runtime: Electron's headers from its host, or a local Node's. */
export function gypArgs({ runtime, target, nodedir }) {
  const args = ['rebuild', '--release', `--target=${target}`];
  if (runtime === 'electron') args.push('--runtime=electron', '--dist-url=https://electronjs.org/headers');
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  return args;
}

/**
 * Ensures `${outDir}/better_sqlite3.node` is built for the runtime. Cached by a stamp of the runtime,
 * target, driver version and platform.
 * @param {{ outDir?: string, runtime?: 'electron' | 'node', target?: string, nodedir?: string }} [o]
 * @returns {{ ok: true, cached: boolean, file: string } | { ok: false, reason: string }}
 */
export function ensureNativeDriver({ outDir = '.electron-native', runtime = 'electron', target, nodedir } = {}) {
  const from = driverDir();
  const version = target ?? (runtime === 'electron' ? electronVersion() : process.versions.node);
  const driverVersion = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')).version;
  const file = join(outDir, NATIVE_FILE);
  const stampFile = join(outDir, 'stamp.json');
  const stamp = JSON.stringify({ runtime, target: version, driver: driverVersion, platform: process.platform, arch: process.arch });
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(file)) return { ok: true, cached: true, file };

  const work = join(outDir, 'src');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(from, work, { recursive: true, filter: (src) => isDriverSource(from, src) });
  if (!existsSync(join(work, 'binding.gyp'))) {
    return { ok: false, reason: `could not copy the SQLite driver's sources from ${from} (binding.gyp missing after the copy)` };
  }
  const env = { ...process.env };
  // An inherited nodedir (CI sets one for Node) would point an Electron build at the wrong headers.
  delete env.npm_config_nodedir;
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  const r = spawnSync(process.execPath, [gyp, ...gypArgs({ runtime, target: version, nodedir })], {
    cwd: work,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const built = join(work, 'build', 'Release', NATIVE_FILE);
  if (r.status !== 0 || !existsSync(built)) {
    return {
      ok: false,
      reason:
        runtime === 'electron'
          ? `could not build the SQLite driver for Electron ${version} (node-gyp's output is above). The first ` +
            "build downloads Electron's headers: where there is no network it cannot succeed; elsewhere a C++ " +
            'compiler and Python are needed (build-essential on Debian/Ubuntu, Xcode tools on macOS, Visual Studio Build Tools on Windows).'
          : `could not build the SQLite driver for Node ${version} (node-gyp's output is above)`,
    };
  }
  copyFileSync(built, file);
  rmSync(work, { recursive: true, force: true });
  writeFileSync(stampFile, stamp);
  return { ok: true, cached: false, file };
}

/** The Electron copy the app loads (npm start, npm run dist). */
export function ensureElectronNative() {
  return ensureNativeDriver({ outDir: '.electron-native', runtime: 'electron' });
}

/**
 * Whether this module is the script node was asked to run. Compared as paths: a URL built by
 * hand from argv[1] misses %20 for spaces, percent-encoded letters, and Windows drive letters.
 */
export function isMainModule(moduleUrl, argv1) {
  if (!argv1) return false;
  const real = (p) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(fileURLToPath(moduleUrl)) === real(argv1);
}

if (isMainModule(import.meta.url, process.argv[1])) {
  const { values } = parseArgs({
    options: { runtime: { type: 'string' }, target: { type: 'string' }, nodedir: { type: 'string' }, out: { type: 'string' } },
  });
  const runtime = values.runtime ?? 'electron';
  if (runtime !== 'electron' && runtime !== 'node') {
    console.error(`attest: --runtime must be electron or node, not ${runtime}`);
    process.exit(2);
  }
  const r = ensureNativeDriver({ outDir: values.out ?? '.electron-native', runtime, target: values.target, nodedir: values.nodedir });
  if (!r.ok) {
    console.error(`attest: ${r.reason}`);
    process.exit(1);
  }
  console.log(r.cached ? `the ${runtime} copy of the SQLite driver is up to date` : `built the ${runtime} copy of the SQLite driver`);
}
