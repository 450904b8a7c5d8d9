// npm run mutate: StrykerJS over the evidence and privacy core. Each group of core files is mutated
// against its nearest tests only (Stryker's testFiles, perTest coverage: a mutant runs only the
// tests that reach it), one test process at a time. Prints a score per file and fails when any file
// is under the goal. Equivalent mutants are marked in the source with a `Stryker disable` comment
// that says why; they count as ignored and are listed here with that reason.
//
//   npm run mutate                          every group
//   npm run mutate -- db/history/audit.ts   only the groups holding these files, only these files
//
// Not part of npm test: a whole run takes far longer than the CI budget (see README, Run the tests).
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Stryker } from '@stryker-mutator/core';

/** The score each file must reach: killed (and timed out) over all mutants that are not ignored. */
export const GOAL = 85;

/** The core, in groups, each with the test files that check it. */
export const GROUPS = [
  {
    name: 'chain',
    files: ['db/history/audit.ts', 'db/history/verify.ts'],
    tests: ['db/history/audit.test.ts', 'db/history/verify.test.ts', 'db/history/chained.test.ts', 'db/history/verify-derived.test.ts'],
  },
  // The vault group, a file at a time. The app's vault tests open real (often encrypted) databases,
  // half a second to thirteen seconds a test, and a mutant in openDatabase reaches all of them: the
  // storage files are measured against their own fast tests instead (small plain databases copied
  // from one template, few key derivations), aimed at their functions.
  {
    name: 'backup',
    files: ['db/backup.ts'],
    tests: ['db/backup.test.ts', 'test/unit/backup-check.test.ts'],
  },
  {
    name: 'connect',
    files: ['db/connect.ts'],
    tests: ['db/connect.test.ts'],
  },
  {
    // Durable file steps (write new, fsync, rename, fsync the folder), with the calls watched.
    name: 'durable',
    files: ['db/durable.ts'],
    tests: ['db/durable.test.ts'],
  },
  {
    // Its own fast tests: small databases copied from a template, encrypted ones with a raw key
    // (SQLCipher skips its key derivation for it), so a mutant reached by all of them costs seconds.
    name: 'vault',
    files: ['electron/core/vault.ts'],
    tests: ['electron/core/vault.test.ts', 'electron/core/vault-exports.test.ts'],
  },
  {
    name: 'redaction',
    files: ['shared/report/redact.ts'],
    // The matcher against its reference; the model's tests (model.test.ts) and the exports' leak
    // tests (redaction-fields, redaction-property) take seconds to minutes a run, too slow per mutant.
    tests: ['shared/report/redact.test.ts', 'shared/report/redact-cases.test.ts'],
  },
  {
    name: 'neutralise',
    files: ['shared/report/csv.ts', 'shared/report/xlsx.ts', 'shared/report/columns.ts'],
    // Of columns.ts, the spreadsheets' part: flatColumns and neutralise (the printed cells and their
    // labels belong to the PDF, checked by the report tests).
    ranges: { 'shared/report/columns.ts': ':69-131' },
    tests: ['shared/report/csv.test.ts', 'shared/report/xlsx.test.ts', 'test/unit/neutralise.test.ts', 'test/unit/spreadsheet-layout.test.ts'],
  },
  {
    name: 'a-number',
    files: ['shared/a-number.ts'],
    tests: ['shared/a-number.test.ts'],
  },
  {
    name: 'shell',
    files: ['electron/shell/security.ts', 'electron/shell/bridge.ts'],
    tests: ['test/unit/electron-shell.test.ts', 'test/unit/electron-protocol.test.ts'],
  },
  {
    // The local device's key and signed tips: its own tests, and the bundles' tamper tests (a tip
    // whose signature does not verify is refused).
    name: 'device',
    files: ['db/history/device.ts'],
    tests: ['db/history/device.test.ts', 'db/sync/tamper.test.ts'],
  },
  {
    // The bundle file, written and checked on import. tamper and sync take a new laptop pair per
    // case (about a minute a mutant on a busy machine); bundle-checks opens two once and rolls every
    // import back, with each message and result spelled out.
    name: 'bundle',
    files: ['db/sync/bundle.ts'],
    // All but the export lines, which the bundle-export group measures (bundle-checks writes its
    // bundles in a beforeAll, where no mutant is switched on).
    ranges: { 'db/sync/bundle.ts': [':1-58', ':68-83', ':107-149', ':259-100000'] },
    tests: ['db/sync/bundle-checks.test.ts'],
  },
  {
    // Merging the same person, facility or staff member entered on two laptops, and its undo: one
    // database opened once, every case rolled back (electron/core/sync.test.ts and the converge
    // property test run the same paths across laptops, a session or a laptop trio per case).
    name: 'merge',
    files: ['db/sync/merge.ts'],
    tests: ['db/sync/merge.test.ts'],
  },
  {
    // Each touched record's row rewritten from its shown head after an import: other laptops'
    // versions put into foreign_rows as an import stores them, every case rolled back.
    name: 'materialize',
    files: ['db/sync/materialize.ts'],
    tests: ['db/sync/materialize.test.ts'],
  },
  {
    // The history's end recorded outside the database (sidecars, the tip file, manifests): its own
    // fast tests, small databases copied from a template, file calls watched (test/fs-watch.ts).
    name: 'anchors',
    files: ['db/history/anchors.ts'],
    tests: ['db/history/anchors.test.ts'],
  },
  {
    // Each laptop's chain and its signed tips: its own tests, rows built by hand on a template copy.
    name: 'device-chains',
    files: ['db/history/device-chains.ts'],
    tests: ['db/history/device-chains.test.ts'],
  },
  {
    // What the public exhibit finds by shape besides the names: A-number runs in any digit script
    // and birth dates in any English form. Its own tests, each expected text written out, and the
    // leak classes (the whole model, under two seconds).
    name: 'patterns',
    files: ['shared/report/patterns.ts'],
    tests: ['shared/report/patterns.test.ts', 'shared/report/leak-classes.test.ts'],
  },
  {
    // Name spellings nobody recorded (split, joined, transliterated, in Arabic letters), and the
    // look-alike letters folded to Latin (confusables.ts: two module constants, so static mutants
    // only, never switched on here and shown apart).
    name: 'variants',
    files: ['shared/report/variants.ts', 'shared/report/confusables.ts'],
    tests: ['shared/report/variants.test.ts', 'shared/report/leak-classes.test.ts'],
  },
  {
    // bundle.ts's export lines (exportBundle, the holdings and local rows it writes, the temporary
    // name, the key derivation and the keying of a new file) against their own tests, each writing
    // its bundles in the test body: the runner switches a mutant on per test, so what bundle-checks
    // reaches in its beforeAll is never measured. The rest of the file is the bundle group's; the
    // table shows the file once, both groups summed.
    name: 'bundle-export',
    files: ['db/sync/bundle.ts'],
    ranges: { 'db/sync/bundle.ts': [':59-67', ':84-106', ':150-258'] },
    tests: ['db/sync/bundle-export.test.ts'],
  },
];

const KILLED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

// A file may carry a line range, file.ts:120-240, to mutate only those lines. A group's own ranges
// for a file (one, or a list) narrow it further: a group none of whose lines are asked is left out.
const only = process.argv.slice(2).map((a) => {
  const [, file, range] = /^(.*?)(:\d+-\d+)?$/.exec(a);
  return { file: relative('.', resolve(file)), range: range ?? '' };
});
const rangesOf = (g, file) => [g.ranges?.[file] ?? ''].flat();
const lines = (range) => range.slice(1).split('-').map(Number);
/** The specs a group mutates of a file when `asked` (a range, or '' for all) is asked. */
function specs(g, file, asked) {
  const own = rangesOf(g, file);
  if (!asked) return own.map((r) => file + r);
  const [from, to] = lines(asked);
  return own.flatMap((r) => {
    const [f, t] = r ? lines(r) : [from, to];
    const lo = Math.max(f, from);
    const hi = Math.min(t, to);
    return lo <= hi ? [`${file}:${lo}-${hi}`] : [];
  });
}
const groups = GROUPS.map((g) => {
  const mutate = only.length ? only.filter((o) => g.files.includes(o.file)).flatMap((o) => specs(g, o.file, o.range)) : g.files.flatMap((f) => specs(g, f, ''));
  return { ...g, mutate, files: g.files.filter((f) => mutate.some((m) => m === f || m.startsWith(`${f}:`))) };
}).filter((g) => g.files.length);
const missing = only.filter((o) => !groups.some((g) => g.files.includes(o.file)));
if (missing.length) {
  console.error(`Not in the mutated core: ${missing.map((o) => o.file + o.range).join(', ')}`);
  process.exit(2);
}
/** Every file once, though a file's lines may be split between groups. */
const files = [...new Set(groups.flatMap((g) => g.files))];

const results = [];
for (const g of groups) {
  console.log(`\n=== ${g.name}: ${g.mutate.join(', ')}  (tests: ${g.tests.join(', ')})`);
  const stryker = new Stryker({
    testRunner: 'vitest',
    vitest: { configFile: 'vitest.mutate.config.ts', related: false },
    plugins: ['@stryker-mutator/vitest-runner'],
    coverageAnalysis: 'perTest',
    concurrency: 1,
    mutate: g.mutate,
    testFiles: g.tests,
    // The whole work tree is copied into the sandbox but for these (node_modules is linked).
    ignorePatterns: ['dist', 'dist-electron', 'dist-cli', 'release', 'test-results', 'reports', '.electron-native', '*.sqlite*', '.stryker-tmp*'],
    // A sandbox folder per group, so two groups may run at once without removing each other's.
    tempDirName: `.stryker-tmp-${g.name}`,
    incremental: true,
    incrementalFile: `reports/mutation/${g.name}.incremental.json`,
    reporters: ['progress', 'json'],
    jsonReporter: { fileName: `reports/mutation/${g.name}.json` },
    // The machine may be busy: a mutant is a timeout only well past its dry-run time.
    timeoutMS: 20_000,
    dryRunTimeoutMinutes: 20,
    cleanTempDir: 'always',
    logLevel: 'warn',
  });
  // An incremental run also hands back the earlier run's mutants outside a file's line range: keep
  // only the group's files, and within a range only its lines (wholly inside, as Stryker takes them).
  const inScope = (m) =>
    g.mutate.some((spec) => {
      const [, file, from, to] = /^(.*?)(?::(\d+)-(\d+))?$/.exec(spec);
      return relative('.', resolve(m.fileName)) === file && (!from || (m.location.start.line >= Number(from) && m.location.end.line <= Number(to)));
    });
  results.push(...(await stryker.runMutationTest()).filter(inScope));
}

const byFile = new Map();
for (const m of results) {
  const file = relative('.', resolve(m.fileName));
  if (!byFile.has(file)) byFile.set(file, []);
  byFile.get(file).push(m);
}

const rows = [];
// A static mutant (a module constant, read when the module loads) is never switched on by the vitest
// runner here: CONTENT_SECURITY_POLICY = '' or GENESIS_HASH = '' put in by hand fail their tests,
// yet come back alive. Alive static mutants are shown apart and left out of the score.
const staticAlive = (m) => m.static && (m.status === 'Survived' || m.status === 'NoCoverage');
const count = (ms, status) => ms.filter((m) => m.status === status && !m.static).length;
console.log('\nfile                                  mutants  killed  timeout  survived  no cover  ignored  static alive   score');
for (const file of files) {
  const ms = byFile.get(file) ?? [];
  // Killed counts the timed-out mutants too (an endless loop is a bug the tests noticed).
  const killed = ms.filter((m) => KILLED.has(m.status)).length;
  const timeout = ms.filter((m) => m.status === 'Timeout').length;
  const counted = ms.filter((m) => COUNTED.has(m.status) && !staticAlive(m)).length;
  const score = counted ? (100 * killed) / counted : 100;
  const row = { file, mutants: counted, killed, timeout, survived: count(ms, 'Survived'), noCoverage: count(ms, 'NoCoverage'), ignored: count(ms, 'Ignored'), staticAlive: ms.filter(staticAlive).length, score };
  rows.push(row);
  console.log(
    `${file.padEnd(38)} ${String(counted).padStart(7)}  ${String(killed - timeout).padStart(6)}  ${String(timeout).padStart(7)}  ${String(row.survived).padStart(8)}  ${String(row.noCoverage).padStart(8)}  ${String(row.ignored).padStart(7)}  ${String(row.staticAlive).padStart(12)}  ${score.toFixed(1).padStart(5)}%${score < GOAL ? '  < goal' : ''}`,
  );
}
// The same rows as the README's table (Mutation testing): file, mutants, killed, survived, timeout,
// no coverage, score, date.
const today = new Date().toISOString().slice(0, 10);
// Lines only when a part of the file was asked (its lines in one group, a range given).
const lineLabel = (file) => {
  const inGroups = groups.filter((g) => g.files.includes(file));
  const asked = only.find((o) => o.file === file)?.range;
  const parts = inGroups.flatMap((g) => g.mutate.filter((m) => m.startsWith(`${file}:`)));
  return (inGroups.length === 1 || asked) && parts.length ? ` lines ${parts.map((m) => m.slice(file.length + 1)).join(', ')}` : '';
};
console.log('\n| file | mutants | killed | survived | timeout | no coverage | score | measured |\n|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.file}${lineLabel(r.file)} | ${r.mutants} | ${r.killed - r.timeout} | ${r.survived} | ${r.timeout} | ${r.noCoverage} | ${r.score.toFixed(1)}% | ${today} |`);
}

const where = (m) => `${relative('.', resolve(m.fileName))}:${m.location.start.line}`;
const survivors = results.filter((m) => (m.status === 'Survived' || m.status === 'NoCoverage') && !m.static);
if (survivors.length) {
  console.log('\nsurviving mutants:');
  for (const m of survivors) console.log(`  ${where(m)}  ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no test reaches it)' : ''}: ${JSON.stringify(m.replacement ?? '').slice(0, 100)}`);
}
const alive = results.filter(staticAlive);
if (alive.length) {
  console.log('\nstatic mutants left alive (not switched on by the runner; check them by hand):');
  for (const m of alive) console.log(`  ${where(m)}  ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '').slice(0, 100)}`);
}
const ignored = results.filter((m) => m.status === 'Ignored');
if (ignored.length) {
  console.log('\nignored (equivalent) mutants:');
  for (const m of ignored) console.log(`  ${where(m)}  ${m.mutatorName}: ${m.statusReason ?? ''}`);
}

mkdirSync('reports/mutation', { recursive: true });
writeFileSync('reports/mutation/summary.json', `${JSON.stringify(rows, null, 2)}\n`);
const under = rows.filter((r) => r.score < GOAL);
console.log(under.length ? `\n${under.length} file(s) under ${GOAL}%` : `\nevery file at or over ${GOAL}%`);
process.exit(under.length ? 1 : 0);
