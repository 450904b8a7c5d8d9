// Disk full: writes, a backup, an export and a passphrase change run out of space through the real
// CLI. Every acknowledged write must survive, nothing half-written may be listed, and the user gets
// one plain line saying the disk is full. Space runs out for real on a small tmpfs where mounting
// is permitted (ENOSPC); everywhere, also under a file-size limit (`ulimit -f`, SIGXFSZ ignored, so
// the write fails with EFBIG), which any runner allows.
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, openSync, rmSync, statSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers';
import {
  DB,
  PASSPHRASES,
  SKIP_FAULTS,
  SKIP_NOTE,
  buildCli,
  buildTemplate,
  differences,
  incidentInput,
  listingProblems,
  openAsApp,
  openWhole,
  runCli,
  snapshot,
  unlistedExhibitFiles,
  type RunResult,
  type Snapshot,
} from './fault-kit';

const [A, B] = PASSPHRASES; // B: the passphrase a failed change must not leave in force
const EXPORT_ARGS = ['--format', 'html,csv', '--profile', 'public'];

let cli = '';
let cliDir = '';
let template = '';
let before: Snapshot;
let backedUp: Snapshot;
let ids = { personId: '', facilityId: '' };
let dbBytes = 0;
const mounts: string[] = [];

/** Mounts a tmpfs of `bytes` on `dir`; false where the runner does not permit it. */
function mountSmall(dir: string, bytes: number): boolean {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
  if (r.status !== 0) return false;
  mounts.push(dir);
  return true;
}

const CAN_MOUNT = !SKIP_FAULTS && process.platform === 'linux' && (() => {
  const probe = tempDir('attest-mount-probe-');
  const ok = mountSmall(join(probe, 'm'), 1 << 20);
  if (ok) spawnSync('umount', [join(probe, 'm')]);
  mounts.pop();
  return ok;
})();

beforeAll(async () => {
  if (SKIP_FAULTS) return;
  cliDir = join(process.cwd(), 'test-results', 'faults', `cli-disk-${process.pid}`);
  cli = buildCli(cliDir);
  template = join(tempDir('attest-diskfull-'), 'template');
  const t = await buildTemplate(cli, template, A);
  ({ before, backedUp } = t);
  ids = { personId: t.personId, facilityId: t.facilityId };
  dbBytes = statSync(join(template, DB)).size;
}, 300_000);
afterAll(() => {
  for (const m of mounts.splice(0)) spawnSync('umount', ['-l', m]);
  cleanupTempDirs();
  if (cliDir) rmSync(cliDir, { recursive: true, force: true });
});

/** Fills the filesystem holding `dir` until `leave` bytes are free (or less). */
function fillUntil(dir: string, leave: number): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch {
    // ENOSPC: the disk is full; give back `leave` bytes.
  }
  ftruncateSync(fd, Math.max(0, written - leave));
  closeSync(fd);
  return filler;
}

type Limit = { kind: 'tmpfs' } | { kind: 'ulimit'; kib: number };

/** Runs the CLI; under a file-size limit with SIGXFSZ ignored, so writes past it fail with EFBIG. */
function run(args: string[], cwd: string, limit: Limit, passphrase: string = A): Promise<RunResult> {
  if (limit.kind === 'tmpfs') return runCli(cli, args, { cwd, passphrase });
  return runCli(cli, args, { cwd, passphrase, wrap: ['bash', '-c', `ulimit -f ${limit.kib}; trap '' XFSZ; exec "$@"`, 'bash'] });
}

/** The user's answer: one line, naming a full disk (stderr, or the message of a JSON error). */
function diskFullLine(r: RunResult): string[] {
  let message = r.stderr.trim();
  try {
    const out = JSON.parse(r.stdout) as { ok: boolean; error?: { message: string } };
    if (!out.ok && out.error) message = [message, out.error.message].filter(Boolean).join('\n');
  } catch {
    // not JSON: the message is on stderr
  }
  // A public export first prints its redaction review (a heading and indented items): what to
  // file is not the error; the error is the one line after it.
  const lines = message.split('\n').filter((l) => l.trim() !== '' && !/^redaction review:/.test(l) && !/^\s/.test(l));
  const problems: string[] = [];
  if (r.code === 0) problems.push('the command reported success');
  if (lines.length !== 1) problems.push(`${lines.length} lines instead of one: ${lines.slice(0, 3).join(' / ')}`);
  if (!/the disk is full/i.test(message)) problems.push(`no plain "the disk is full" line: ${lines[0] ?? '(nothing)'}`);
  return problems;
}

/** After the fault: opens whole with the passphrase, holds `expected` exactly, lists nothing half-written. */
async function wholeAfter(dir: string, expected: Snapshot, passphrases: string[] = [A], exportFolder?: string): Promise<string[]> {
  const problems: string[] = [];
  const v = await runCli(cli, ['verify', '--db', DB], { cwd: dir, passphrase: passphrases[0]! });
  let opened = v.code === 0 ? passphrases[0]! : null;
  if (!opened && passphrases[1]) {
    const w = await runCli(cli, ['verify', '--db', DB], { cwd: dir, passphrase: passphrases[1] });
    if (w.code === 0) opened = passphrases[1];
  }
  if (!opened) return [`attest verify fails: ${(v.stdout + v.stderr).trim()}`];
  const app = openAsApp(join(dir, DB), [opened]);
  if ('error' in app) return [`does not open: ${app.error}`];
  try {
    const db = app.session.ctx.db;
    if (db.pragma('integrity_check', { simple: true }) !== 'ok') problems.push('integrity_check fails');
    problems.push(...differences(db, expected).slice(0, 4));
    const listed = await listingProblems(app.session, [...PASSPHRASES], [before, backedUp, expected], { cwd: dir });
    problems.push(...listed.problems);
    if (exportFolder) for (const n of unlistedExhibitFiles(exportFolder, exhibitNames, listed.exports)) problems.push(`unlisted exhibit file ${n}`);
  } finally {
    app.session.vault.closeQuietly();
  }
  return problems;
}

let exhibitNames: string[] = [];
let largestExhibit = 0;

function copyTemplate(to: string): string {
  cpSync(template, to, { recursive: true });
  return to;
}

// The export's own template: the template plus three incidents with long texts, so the exhibit
// outgrows the file-size limit whatever the layout makes of the seed's short ones.
let exportTemplate = '';
let exportBefore: Snapshot;

async function copyExportTemplate(to: string): Promise<string> {
  if (!exportTemplate) {
    const dir = copyTemplate(join(tempDir('attest-diskfull-export-template-'), 'db'));
    const call = async (channel: string, input: string) => {
      const r = await runCli(cli, ['call', channel, input, '--db', DB], { cwd: dir, passphrase: A });
      if (r.code !== 0) throw new Error(`${channel}: ${r.stderr}${r.stdout}`);
      return (JSON.parse(r.stdout) as { data: { id: string } }).data.id;
    };
    // A person who consented, so a public exhibit takes their incidents.
    const personId = await call('people:create', JSON.stringify({ familyName: 'Okafor', givenName: 'Daniel', aNumber: '023456789', consentGiven: true, consentDate: '2026-06-01' }));
    for (let i = 0; i < 3; i++) {
      const text = `Incident ${i}: water withheld through the night; `.repeat(300);
      await call('incidents:create', incidentInput(personId, ids.facilityId, text.slice(0, 9_000), text.repeat(2).slice(0, 19_000)));
    }
    const w = openWhole(join(dir, DB), [A]);
    if ('error' in w) throw new Error(w.error);
    exportBefore = snapshot(w.db);
    w.db.close();
    exportTemplate = dir;
  }
  cpSync(exportTemplate, to, { recursive: true });
  return to;
}

const LIMITS: { name: string; available: boolean; why: string }[] = [
  { name: 'tmpfs', available: CAN_MOUNT, why: 'mounting a tmpfs is not permitted here' },
  { name: 'ulimit', available: true, why: '' },
];

describe.skipIf(SKIP_FAULTS)(`disk full${SKIP_NOTE}`, () => {
  for (const l of LIMITS) {
    const note = l.available ? '' : ` (SKIPPED: ${l.why}; the file-size limit variant runs)`;
    const label = l.name === 'tmpfs' ? 'a full tmpfs (ENOSPC)' : 'a file-size limit (EFBIG)';
    describe.skipIf(!l.available)(`on ${label}${note}`, () => {
      it(`writes until no space is left: every acknowledged write survives, the failing one says the disk is full${note}`, async () => {
        const root = tempDir('attest-diskfull-writes-');
        let dir = join(root, 'db');
        let limit: Limit;
        if (l.name === 'tmpfs') {
          mountSmall(dir, dbBytes * 3 + (1 << 20));
          copyTemplate(dir);
          fillUntil(dir, 400 * 1024);
          limit = { kind: 'tmpfs' };
        } else {
          dir = copyTemplate(dir);
          limit = { kind: 'ulimit', kib: Math.ceil(dbBytes / 1024) + 400 };
        }
        // Each incident carries ~30 KB of text (and its version and index): space runs out in a few.
        const acked: string[] = [];
        let failure: RunResult | undefined;
        for (let i = 0; i < 30 && !failure; i++) {
          const text = `Incident ${i}: water withheld; `.repeat(300);
          const r = await run(['call', 'incidents:create', incidentInput(ids.personId, ids.facilityId, text.slice(0, 9_000), text.repeat(2).slice(0, 19_000)), '--db', DB], dir, limit);
          if (r.code === 0) acked.push((JSON.parse(r.stdout) as { data: { id: string } }).data.id);
          else failure = r;
        }
        console.log(`disk full (${l.name}): ${acked.length} writes acknowledged before the disk was full`);
        expect(failure, 'the disk never filled').toBeDefined();
        const problems = diskFullLine(failure!);
        if (l.name === 'tmpfs') rmSync(join(dir, 'filler'));
        // Acknowledged writes are all there, with the records from before.
        const app = openAsApp(join(dir, DB), [A]);
        if ('error' in app) throw new Error(app.error);
        try {
          const found = app.session.ctx.db.prepare('SELECT count(*) FROM incidents WHERE id = ?').pluck();
          problems.push(...acked.filter((id) => found.get(id) !== 1).map((id) => `acknowledged incident ${id} is missing`));
          if (app.session.ctx.db.pragma('integrity_check', { simple: true }) !== 'ok') problems.push('integrity_check fails');
          problems.push(...differences(app.session.ctx.db, before).filter((x) => !acked.some((id) => x.includes(id))));
        } finally {
          app.session.vault.closeQuietly();
        }
        const v = await runCli(cli, ['verify', '--db', DB], { cwd: dir, passphrase: A });
        if (!v.stdout.startsWith('verified:')) problems.push(`attest verify: ${(v.stdout + v.stderr).trim()}`);
        expect(problems).toEqual([]);
      });

      it(`a backup to a full disk fails with one plain line and lists no incomplete backup${note}`, async () => {
        const dir = copyTemplate(join(tempDir('attest-diskfull-backup-'), 'db'));
        let limit: Limit = { kind: 'ulimit', kib: Math.floor(dbBytes / 2048) };
        if (l.name === 'tmpfs') {
          // The backup folder (a USB stick, say) has room for half a backup.
          const usb = join(dir, 'usb');
          mountSmall(usb, Math.floor(dbBytes / 2));
          const c = await runCli(cli, ['call', 'backup:configure', JSON.stringify({ folder: usb }), '--db', DB], { cwd: dir, passphrase: A });
          expect(c.code, c.stderr).toBe(0);
          limit = { kind: 'tmpfs' };
        }
        const r = await run(['backup', '--db', DB], dir, limit);
        expect([...diskFullLine(r), ...(await wholeAfter(dir, before))]).toEqual([]);
      });

      it(`an export to a full disk fails with one plain line, logs nothing and leaves no finished-looking file${note}`, async () => {
        const dir = await copyExportTemplate(join(tempDir('attest-diskfull-export-'), 'db'));
        const out = join(dir, 'exports');
        if (exhibitNames.length === 0) {
          // The file names an export writes, from one that has room.
          const probe = await copyExportTemplate(join(tempDir('attest-diskfull-probe-'), 'db'));
          const ok = await runCli(cli, ['export', '--db', DB, '--out', 'exports', ...EXPORT_ARGS], { cwd: probe, passphrase: A });
          expect(ok.code, ok.stderr).toBe(0);
          const x = (JSON.parse(ok.stdout) as { data: { export: { files: { name: string; bytes: number }[] } } }).data.export;
          exhibitNames = x.files.map((f) => f.name);
          largestExhibit = Math.max(...x.files.map((f) => f.bytes));
        }
        // Room for the database's 32 KB WAL index, not for the exhibit's HTML.
        let limit: Limit = { kind: 'ulimit', kib: 36 };
        if (l.name === 'ulimit') expect(largestExhibit, 'the exhibit is too small to outgrow the limit').toBeGreaterThan(40 * 1024);
        if (l.name === 'tmpfs') {
          mountSmall(out, 64 * 1024);
          fillUntil(out, 8 * 1024);
          limit = { kind: 'tmpfs' };
        }
        const r = await run(['export', '--db', DB, '--out', 'exports', ...EXPORT_ARGS], dir, limit);
        expect([...diskFullLine(r), ...(await wholeAfter(dir, exportBefore, [A], out))]).toEqual([]);
      });

      it(`a passphrase change on a full disk fails with one plain line and the database opens with the old passphrase${note}`, async () => {
        const root = tempDir('attest-diskfull-rekey-');
        let dir = join(root, 'db');
        let limit: Limit;
        if (l.name === 'tmpfs') {
          // Room for the database and its journals, not for a second copy.
          mountSmall(dir, dbBytes * 3 + (1 << 20));
          copyTemplate(dir);
          fillUntil(dir, Math.floor(dbBytes / 2));
          limit = { kind: 'tmpfs' };
        } else {
          dir = copyTemplate(dir);
          limit = { kind: 'ulimit', kib: Math.floor(dbBytes / 2048) };
        }
        const r = await run(['call', 'vault:rekey', JSON.stringify({ current: A, next: B }), '--db', DB], dir, limit);
        const problems = diskFullLine(r);
        if (l.name === 'tmpfs') rmSync(join(dir, 'filler'));
        // The change failed, so the old passphrase must open it.
        const after = await wholeAfter(dir, before, [A]);
        expect([...problems, ...after]).toEqual([]);
      });
    });
  }
});
