// Bundles the Electron main process, the core worker it starts and the preload into CommonJS files
// under dist-electron/, and copies the SQL migrations beside them (db/migrate.ts finds them relative
// to its own module). Everything but Electron and the SQLite driver is bundled: those two are all the
// packaged app needs from node_modules (test/unit/packaging.test.ts checks package.json says the same).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { isMainModule } from './electron-native.mjs';

const OUT = 'dist-electron';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3-multiple-ciphers'],
  outExtension: { '.js': '.cjs' },
  outdir: OUT,
};

/** esbuild's options for each bundle of the main process. */
export const BUNDLES = [
  // Main, and the core worker it starts (the session, the database, exports: electron/worker/).
  {
    ...common,
    entryPoints: { main: 'electron/shell/main.ts', 'core-worker': 'electron/worker/entry.ts' },
    define: { 'import.meta.url': '__attestModuleUrl' },
    banner: { js: "const __attestModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  },
  { ...common, entryPoints: { preload: 'electron/shell/preload.ts' } },
];

if (isMainModule(import.meta.url, process.argv[1])) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  for (const b of BUNDLES) await build(b);
  cpSync('db/migrations', `${OUT}/migrations`, { recursive: true, filter: (f) => !f.endsWith('.ts') });
  console.log('built dist-electron/main.cjs, core-worker.cjs, preload.cjs and migrations/');
}
