// npm start: make sure Electron (downloaded on the first start, with its progress shown) and the
// Electron copy of the SQLite driver exist, build the app, then launch it. Where Electron cannot
// be had, say so plainly and stop.
import { spawnSync } from 'node:child_process';
import { ensureElectron, nodeVersionProblem, sandboxAdvice } from './electron-runtime.mjs';

function fail(reason) {
  console.error(`\nAttest cannot start here: ${reason}\n\nThe command-line tool works without Electron: npx attest --help\n`);
  process.exit(1);
}

const old = nodeVersionProblem();
if (old) console.warn(`attest: ${old}`);

const electron = await ensureElectron();
if (!electron.ok) fail(electron.reason);

const { ensureElectronNative } = await import('./electron-native.mjs');
const native = ensureElectronNative();
if (!native.ok) fail(native.reason);

const built = spawnSync(process.execPath, [process.env.npm_execpath ?? 'npm', 'run', 'build'], { stdio: 'inherit' });
if (built.status !== 0) fail('the build failed (see above)');

const sandbox = sandboxAdvice({ electronBinary: electron.path });
if (sandbox) console.warn(`attest: ${sandbox}`);

const run = spawnSync(electron.path, ['.'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
