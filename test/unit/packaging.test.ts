// `npm run dist` cannot run here: electron-builder downloads Electron's release zip first. So this
// runs what of it can run offline, electron-builder's own code: it loads and validates
// electron-builder.yml against its schema, and its file matchers decide, for every file the
// packaged app loads, that it is shipped (and the native driver unpacked from the asar archive).
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import * as fileMatcher from 'app-builder-lib/out/fileMatcher';
import type { FileMatcher } from 'app-builder-lib/out/fileMatcher';
import { DebugLogger } from 'builder-util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { NATIVE_BINDING, RENDERER_DIR } from '../../electron/shell/startup';
import { BUNDLES } from '../../scripts/build-electron.mjs';

const projectDir = resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  homepage?: string;
  author?: { name?: string; email?: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
};

async function builderConfig() {
  const config = await getConfig(projectDir, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

const { getFileMatchers } = fileMatcher;
// The matchers electron-builder builds for the app's files (internal: not in its type declarations).
const getMainFileMatchers = (fileMatcher as unknown as {
  getMainFileMatchers: (...args: unknown[]) => FileMatcher[];
}).getMainFileMatchers;

const file = { isDirectory: () => false, isFile: () => true } as never;
const noMacros = (s: string) => s;

/** The files the packaged app opens, relative to its root. */
function filesTheAppLoads(): string[] {
  const migrations = readdirSync('db/migrations').filter((f) => f.endsWith('.sql'));
  expect(migrations.length).toBeGreaterThan(0);
  return [
    'package.json',
    'dist-electron/main.cjs',
    'dist-electron/core-worker.cjs',
    'dist-electron/preload.cjs',
    ...migrations.map((m) => `dist-electron/migrations/${m}`),
    `${RENDERER_DIR.split('\\').join('/')}/index.html`,
    `${RENDERER_DIR.split('\\').join('/')}/assets/index-abc123.js`,
    `${RENDERER_DIR.split('\\').join('/')}/assets/index-abc123.css`,
    NATIVE_BINDING.split('\\').join('/'),
  ];
}

describe('the installers (electron-builder.yml, package.json)', () => {
  it("passes electron-builder's own validation", async () => {
    await expect(builderConfig()).resolves.toBeTruthy();
  });

  it('ships every file the app loads, and nothing of the sources, tests or build caches', async () => {
    const config = await builderConfig();
    const info = { projectDir, buildResourcesDir: config.directories?.buildResources ?? 'build', config, isPrepackedAppAsar: false, debugLogger: new DebugLogger(false) };
    const matchers = getMainFileMatchers(projectDir, '/app', noMacros, {}, { info }, join(projectDir, 'release'), false);
    const shipped = matchers[0]!.createFilter();
    for (const f of filesTheAppLoads()) expect(shipped(join(projectDir, f), file), f).toBe(true);
    for (const f of [
      'electron/shell/main.ts',
      'db/connect.ts',
      'test/helpers.ts',
      'dist-electron/main.cjs.map',
      '.electron-native/stamp.json',
      '.electron-native/src/deps/sqlite3/sqlite3.c',
      'release/linux-unpacked/attest',
      'attest.sqlite',
    ]) {
      expect(shipped(join(projectDir, f), file), f).toBe(false);
    }
  });

  it('unpacks the native driver from the asar archive (native code cannot load from inside it)', async () => {
    const config = await builderConfig();
    const unpack = getFileMatchers(config, 'asarUnpack', '/app', {
      macroExpander: noMacros,
      customBuildOptions: {},
      globalOutDir: join(projectDir, 'release'),
      defaultSrc: projectDir,
    });
    const unpacked = unpack![0]!.createFilter();
    expect(unpacked(join(projectDir, NATIVE_BINDING), file)).toBe(true);
    expect(unpacked(join(projectDir, 'dist-electron/main.cjs'), file)).toBe(false);
  });

  it('sets the fuses: no run-as-Node, NODE_OPTIONS or --inspect; the app loads only from its checked asar', async () => {
    const config = await builderConfig();
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds deb and AppImage, NSIS and dmg; the deb has the homepage and maintainer email electron-builder requires', async () => {
    const config = await builderConfig();
    expect(config.linux?.target).toEqual(['deb', 'AppImage']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.name).toBeTruthy();
    expect(pkg.author?.email).toMatch(/^[^@\s]+@[^@\s]+$/);
  });

  it("declares as dependencies exactly what the main process loads from node_modules; what is bundled is a devDependency", async () => {
    const external = new Set<string>();
    for (const b of BUNDLES) {
      const r = await build({ ...b, write: false, metafile: true, logLevel: 'silent' });
      for (const out of Object.values(r.metafile.outputs)) {
        for (const i of out.imports) if (i.external && !isBuiltin(i.path)) external.add(i.path);
      }
    }
    expect([...external].sort()).toEqual(['better-sqlite3-multiple-ciphers', 'electron']);
    // Electron is the runtime itself: electron-builder wants it among the devDependencies.
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['better-sqlite3-multiple-ciphers']);
    expect(pkg.devDependencies.electron).toBeTruthy();
  }, 60_000);
});
