// The pipeline that builds the app's copy of the SQLite driver (scripts/electron-native.mjs), run
// end to end as `npm start` runs it, with the runtime as a parameter: Node's own headers here, where
// Electron's cannot be downloaded. The script runs from a folder whose path has spaces and
// non-ASCII letters, and the .node it builds must load through better-sqlite3's nativeBinding
// option and open an encrypted database.
//
// The compile takes about two minutes of CPU (a quarter of an hour of wall time on a machine busy
// with other work), so its output is kept between runs in a folder keyed by the script's own text,
// the driver's version and Node's: a change to any of them builds again. It is bounded at 30 minutes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fileKind, openDatabase } from '../../db/connect';
import { gypArgs, isDriverSource, isMainModule } from '../../scripts/electron-native.mjs';
import { cleanupTempDirs, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

const SCRIPTS = ['electron-native.mjs', 'electron-runtime.mjs'];
const NODE_HEADERS = process.env.npm_config_nodedir || '/usr';
// Without Node's headers on disk node-gyp would download them, and there may be no network.
const headersMissing = !existsSync(join(NODE_HEADERS, 'include', 'node', 'node.h'));

function cacheRoot(): string {
  const h = createHash('sha256');
  h.update(readFileSync('scripts/electron-native.mjs')); // the pipeline itself (electron-runtime.mjs only names Electron's version)
  h.update(readFileSync('node_modules/better-sqlite3-multiple-ciphers/package.json'));
  h.update(process.version + process.arch);
  const key = h.digest('hex').slice(0, 16);
  const base = join(tmpdir(), 'attest-native-pipeline');
  mkdirSync(base, { recursive: true });
  // Older keys are stale builds: drop them so the cache never grows.
  for (const d of readdirSync(base)) if (d !== key) rmSync(join(base, d), { recursive: true, force: true });
  return join(base, key);
}

describe('the native driver pipeline (scripts/electron-native.mjs)', () => {
  it('copies the driver sources although the driver itself lives under node_modules', () => {
    const root = resolve('node_modules/better-sqlite3-multiple-ciphers');
    expect(isDriverSource(root, root)).toBe(true);
    expect(isDriverSource(root, join(root, 'binding.gyp'))).toBe(true);
    expect(isDriverSource(root, join(root, 'deps', 'sqlite3', 'sqlite3.c'))).toBe(true);
    expect(isDriverSource(root, join(root, 'build', 'Release', 'better_sqlite3.node'))).toBe(false);
    expect(isDriverSource(root, join(root, 'node_modules', 'x', 'index.js'))).toBe(false);
  });

  it('recognises itself as the script run, from a path with spaces and accented letters', () => {
    const dir = join(tempDir(), 'Dossiers d’Attest', 'équipe été');
    mkdirSync(dir, { recursive: true });
    cpSync('scripts/electron-native.mjs', join(dir, 'x.mjs'));
    const file = join(dir, 'x.mjs');
    const url = pathToFileURL(file).href;
    expect(url).toContain('%20'); // what the old check compared against a raw path
    expect(isMainModule(url, file)).toBe(true);
    expect(isMainModule(url, join(dir, 'other.mjs'))).toBe(false);
    expect(isMainModule(url, undefined)).toBe(false);
  });

  it('asks node-gyp for Electron headers from their host, or for a local Node', () => {
    expect(gypArgs({ runtime: 'electron', target: '45.5.0' })).toEqual([
      'rebuild',
      '--release',
      '--target=45.5.0',
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ]);
    expect(gypArgs({ runtime: 'node', target: '20.19.0', nodedir: '/usr' })).toEqual(['rebuild', '--release', '--target=20.19.0', '--nodedir=/usr']);
  });

  it.skipIf(headersMissing)(
    `${headersMissing ? `skipped: no Node headers in ${NODE_HEADERS} (set npm_config_nodedir) — ` : ''}builds a .node against Node's headers from a folder named with spaces and non-ASCII letters, which loads and opens an encrypted database`,
    () => {
      const root = join(cacheRoot(), 'Attest – dossier de l’équipe', 'مستندات');
      mkdirSync(join(root, 'scripts'), { recursive: true });
      for (const s of SCRIPTS) cpSync(join('scripts', s), join(root, 'scripts', s));
      // The link is made anew each run: a cached one may point at a checkout that is gone.
      rmSync(join(root, 'node_modules'), { force: true });
      symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'junction');

      const run = spawnSync(
        process.execPath,
        [join(root, 'scripts', 'electron-native.mjs'), '--runtime', 'node', '--target', process.versions.node, '--nodedir', NODE_HEADERS, '--out', 'native out'],
        { cwd: root, encoding: 'utf8', timeout: 1_800_000, env: { ...process.env, npm_config_nodedir: '' } },
      );
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/(built|up to date)/);
      const built = join(root, 'native out', 'better_sqlite3.node');
      expect(existsSync(built)).toBe(true);

      const dbFile = join(tempDir('attest native é '), 'office records.sqlite');
      const db = openDatabase(dbFile, { key: 'correct horse battery', nativeBinding: built });
      db.exec("CREATE TABLE probe(x TEXT); INSERT INTO probe VALUES ('ماء')");
      db.close();
      expect(fileKind(dbFile)).toBe('encrypted');
      const again = openDatabase(dbFile, { key: 'correct horse battery', nativeBinding: built });
      expect(again.prepare('SELECT x FROM probe').pluck().get()).toBe('ماء');
      again.close();
    },
    1_860_000,
  );
});
