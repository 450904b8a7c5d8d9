// Bundles the Electron main process, the core worker it starts and the preload into CommonJS files
// under dist-electron/, and copies the SQL migrations beside them (db/migrate.ts finds them relative
// to its own module).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const out = 'dist-electron';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3-multiple-ciphers'],
};

// Main, and the core worker it starts (the session, the database, exports: electron/worker/).
await build({
  ...common,
  entryPoints: { main: 'electron/shell/main.ts', 'core-worker': 'electron/worker/entry.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: out,
  define: { 'import.meta.url': '__attestModuleUrl' },
  banner: { js: "const __attestModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...common,
  entryPoints: { preload: 'electron/shell/preload.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: out,
});
cpSync('db/migrations', `${out}/migrations`, { recursive: true });
console.log('built dist-electron/main.cjs, core-worker.cjs, preload.cjs and migrations/');
