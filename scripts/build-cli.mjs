// Bundles the `attest` command into one CommonJS file (default dist-cli/attest.cjs) with the SQL
// migrations beside it, so a script that starts the CLI hundreds of times (the fault-injection
// tests) pays a plain `node` start instead of tsx compiling every source file each time.
// Usage: node scripts/build-cli.mjs [OUT_DIR]. OUT_DIR must sit inside the repository, where the
// bundle finds node_modules (the native SQLite driver).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'dist-cli');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['electron/cli/main.ts'],
  bundle: true,
  platform: 'node',
  // CommonJS, not minified: of the forms tried, the one node starts fastest.
  format: 'cjs',
  target: 'node20',
  outfile: join(out, 'attest.cjs'),
  external: ['better-sqlite3-multiple-ciphers', 'playwright-core'],
  // db/migrate.ts finds the migrations beside its module, here beside the bundle.
  define: { 'import.meta.url': '__attestModuleUrl' },
  banner: { js: "const __attestModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
cpSync('db/migrations', join(out, 'migrations'), { recursive: true });
console.log(`built ${join(out, 'attest.cjs')} and migrations/`);
