// npm run scan:electron: runs Electronegativity (Doyensec's Electron security linter) over the
// main-process and preload sources and the page the window loads, then compares its findings with
// the justified ones listed here (each explained in the README). Exit 1 on any other finding.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Findings we keep on purpose, by issue and severity, with the reason (repeated in the README). */
export const JUSTIFIED = {
  'CSP_GLOBAL_CHECK/LOW':
    "style-src allows 'unsafe-inline': Mantine sets inline style attributes; scripts stay 'self' only, nothing is ever loaded from outside the app",
  'ELECTRON_VERSION_JSON_CHECK/INFORMATIONAL':
    'informational: names the Electron version in package.json; keep it current (its release-list check needs a network and is skipped)',
};

const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = pkg.devDependencies.electron.replace(/^[^\d]*/, '');
// `--input DIR` scans another folder instead (the test uses it to prove a bad window is caught).
const inputArg = process.argv.indexOf('--input');
let target;
if (inputArg > 0) {
  target = process.argv[inputArg + 1];
} else {
  target = join(root, 'test-results', 'electron-scan');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, 'electron'), { recursive: true });
  // What ships in the main process and preload (bundled from these files) and the page it loads.
  for (const f of ['main.ts', 'window.ts', 'ipc.ts', 'preload.ts', 'security.ts', 'bridge.ts']) {
    cpSync(join(root, 'electron', 'shell', f), join(target, 'electron', f));
  }
  cpSync(join(root, 'renderer', 'index.html'), join(target, 'index.html'));
  writeFileSync(join(target, 'package.json'), JSON.stringify({ name: 'attest', devDependencies: { electron: electronVersion } }));
}

const out = join(target, '..', `${target.split(/[\\/]/).pop()}-electronegativity.csv`);
rmSync(out, { force: true });
const r = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js'),
    '-i', target,
    '-e', electronVersion,
    '-r',
    '-v', 'false',
    // This check downloads Electron's release list: there is no network here, and the version is pinned.
    '-x', 'AvailableSecurityFixesGlobalCheck',
    '-o', out,
  ],
  { encoding: 'utf8', env: { ...process.env, LANG: 'en-US' }, timeout: 180_000 },
);
if (!existsSync(out)) {
  console.error(`electronegativity produced no report (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  process.exit(2);
}
// One finding a line, starting with the check's name. The scanner's CSV is not strict (a message or
// code sample can carry a stray quote), so each line is matched on its leading fields alone rather
// than parsed as a whole; continuation lines of a quoted code sample do not start with a check name.
const FINDING_LINE = /^"?([A-Z][A-Z0-9_]*_CHECK)"?,"?([A-Z]+)"?,"?([A-Z]+)"?,"?([^,"]*)"?,"?([^,"]*)"?/;
const findings = readFileSync(out, 'utf8')
  .split(/\r?\n/)
  .map((line) => FINDING_LINE.exec(line))
  .filter((m) => m !== null)
  .map(([, issue, severity, confidence, file, location]) => ({ issue, severity, confidence, file, location }));
let unjustified = 0;
for (const f of findings) {
  const why = JUSTIFIED[`${f.issue}/${f.severity}`];
  if (!why) unjustified++;
  console.log(`${why ? 'justified' : 'FINDING  '} ${f.issue} ${f.severity}/${f.confidence} ${f.file}:${f.location}${why ? ` — ${why}` : ''}`);
}
console.log(`electronegativity: ${findings.length} findings, ${findings.length - unjustified} justified, ${unjustified} to fix`);
process.exit(unjustified === 0 ? 0 : 1);
