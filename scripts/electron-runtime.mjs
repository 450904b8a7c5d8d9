// Where the Electron binary is, fetching it on first use as the electron package does (with its
// progress shown), or a plain sentence saying why it cannot be had; and what a machine needs for it
// to start (Node's version, Linux's sandbox).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

function electronDir() {
  return dirname(require.resolve('electron/package.json'));
}

function electronPackage() {
  return JSON.parse(readFileSync(join(electronDir(), 'package.json'), 'utf8'));
}

export function electronVersion() {
  return electronPackage().version;
}

function binaryPath() {
  const dir = electronDir();
  const pathFile = join(dir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel ?? 'electron');
  return rel ? join(dir, 'dist', rel) : undefined;
}

function notHere() {
  return (
    `the Electron ${electronVersion()} runtime is not on this machine. It is downloaded on the first ` +
    '"npm ci" or "npm start", which needs a network connection; here the download was skipped ' +
    '(ELECTRON_SKIP_BINARY_DOWNLOAD) or could not reach its host. Run "npm start" again where the network is available.'
  );
}

/**
 * Where the binary is, without downloading it.
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectron() {
  try {
    electronDir();
  } catch {
    return { ok: false, reason: 'the electron package is not installed (run npm ci)' };
  }
  const path = binaryPath();
  return path && existsSync(path) ? { ok: true, path } : { ok: false, reason: notHere() };
}

/** "37% (38 of 103 MB)", or the megabytes alone when the size is unknown. */
export function progressText({ transferred, total }) {
  const mb = (n) => Math.round(n / 1e6);
  return total ? `${Math.floor((transferred / total) * 100)}% (${mb(transferred)} of ${mb(total)} MB)` : `${mb(transferred)} MB`;
}

/**
 * Downloads Electron's zip into its cache with @electron/get (what the electron package's own
 * install.js uses, so it then finds it there), writing a line at every tenth of the way.
 * @param {{ write?: (line: string) => void, mirror?: string, cacheRoot?: string, checksums?: Record<string, string>, platform?: string, arch?: string }} [o]
 * @returns {Promise<string>} the zip's path in the cache
 */
export async function downloadElectron({ write = (l) => process.stderr.write(l), mirror, cacheRoot, checksums, platform, arch } = {}) {
  const fromElectron = createRequire(join(electronDir(), 'package.json'));
  const { downloadArtifact } = await import(pathToFileURL(fromElectron.resolve('@electron/get')).href);
  let step = -1;
  return downloadArtifact({
    version: electronVersion(),
    artifactName: 'electron',
    platform: platform ?? process.env.npm_config_platform ?? process.platform,
    arch: arch ?? process.env.npm_config_arch ?? process.arch,
    cacheRoot: cacheRoot ?? process.env.electron_config_cache,
    checksums: checksums ?? fromElectron('./checksums.json'),
    ...(mirror ? { mirrorOptions: { mirror } } : {}),
    downloadOptions: {
      quiet: true,
      getProgressCallback: async (p) => {
        const now = p.total ? Math.floor((p.transferred / p.total) * 10) : Math.floor(p.transferred / 10e6);
        if (now !== step) {
          step = now;
          write(`  Electron: ${progressText(p)}\n`);
        }
      },
    },
  });
}

/**
 * The binary, downloading it first when it is missing (npm start), with its progress shown.
 * @returns {Promise<{ ok: true, path: string } | { ok: false, reason: string }>}
 */
export async function ensureElectron({ write = (l) => process.stderr.write(l) } = {}) {
  const found = findElectron();
  if (found.ok || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return found;
  if (found.reason.startsWith('the electron package')) return found;
  write(
    `First start: downloading the Electron ${electronVersion()} runtime for ${process.platform}-${process.arch} ` +
      '(about 100 MB, once; kept in the Electron cache for later installs).\n',
  );
  try {
    await downloadElectron({ write });
  } catch (e) {
    return { ok: false, reason: `${notHere()} (${e instanceof Error ? e.message : String(e)})` };
  }
  // The electron package unpacks it from the cache and records where the binary is.
  spawnSync(process.execPath, [join(electronDir(), 'install.js')], { stdio: 'inherit' });
  return findElectron();
}

/** The oldest Node the electron package's tooling declares (its engines field), as [major, minor, patch]. */
export function electronNodeMinimum() {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(electronPackage().engines?.node ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** A sentence when this Node is older than what Electron's downloader declares; null when fine. */
export function nodeVersionProblem(nodeVersion = process.versions.node, minimum = electronNodeMinimum()) {
  if (!minimum) return null;
  const v = nodeVersion.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((v[i] ?? 0) > minimum[i]) return null;
    if ((v[i] ?? 0) < minimum[i]) {
      return (
        `Electron ${electronVersion()}'s download and packaging tools declare Node ${minimum.join('.')} or newer; ` +
        `this is Node ${nodeVersion}. If "npm start" or "npm run dist" fails, install Node ${minimum[0]} LTS. ` +
        'The command-line tool and the tests run on Node 20.19 or newer.'
      );
    }
  }
  return null;
}

/**
 * On Linux, Electron's sandbox needs either unprivileged user namespaces or a chrome-sandbox helper
 * owned by root with the setuid bit. Ubuntu 23.10 and later restrict the namespaces (AppArmor), so a
 * binary run from node_modules, or an AppImage, aborts at start. Returns what to do, or null.
 * @param {{ platform?: string, electronBinary: string, procSys?: string }} o procSys: /proc/sys (a folder standing in for it in tests)
 */
export function sandboxAdvice({ platform = process.platform, electronBinary, procSys = '/proc/sys' }) {
  if (platform !== 'linux') return null;
  const read = (p) => {
    try {
      return readFileSync(join(procSys, p), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const restricted = read('kernel/apparmor_restrict_unprivileged_userns') === '1' || read('kernel/unprivileged_userns_clone') === '0';
  if (!restricted) return null;
  const helper = join(dirname(electronBinary), 'chrome-sandbox');
  let st;
  try {
    st = statSync(helper);
  } catch {
    return null; // no helper to fix; Electron says what it misses
  }
  if (st.uid === 0 && (st.mode & 0o4000) !== 0) return null;
  return (
    'This Linux restricts unprivileged user namespaces (Ubuntu 23.10 and later), so Electron\'s sandbox needs its ' +
    `helper to be owned by root and setuid, or Electron stops with "The SUID sandbox helper binary was found, but is not configured correctly". Once:\n` +
    `  sudo chown root:root '${helper}' && sudo chmod 4755 '${helper}'\n` +
    '(The .deb installer sets the sandbox up itself; prefer it to the AppImage on these systems.)'
  );
}
