// Cancelling the two long jobs that end in a write: reading a sync bundle (verified before its one
// write transaction) and changing the passphrase (a copy renamed into place). A cancel at any step
// before the write leaves the database exactly as it was (every row, the same content hash), open,
// on its passphrase, with no file left beside it; once the job writes, jobs:cancel says it cannot stop.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import { openDatabase } from '../../db/connect';
import { createSession, type Session } from '../../electron/core/session';
import type { Result } from '../../shared/contract';
import type { JobEvent } from '../../shared/jobs';
import { cleanupTempDirs, contentHash, fixedClock, tempDbFile, tempDir } from '../helpers';
import { readsWithHooks, type StepHooks } from '../step-hooks';
import { interruptJobs, openExisting } from '../../electron/cli/open';

afterEach(cleanupTempDirs);

const PASS = 'office bundle passphrase';
const A = 'the first passphrase 2026';
const B = 'the second passphrase 2026';

/** A laptop on this thread (as the CLI runs), with hooks between the steps the reads take. */
function laptop(key: string | null = null, people = 30, incidents = 60) {
  const file = tempDbFile();
  const hooks: StepHooks = {};
  const s: Session = createSession(file, {
    user: 'cancel-test',
    now: fixedClock(),
    reads: readsWithHooks(hooks),
  });
  s.vault.open(key);
  seed(s.ctx.db, { people, incidents, seed: people + incidents });
  s.vault.configureBackups({ everyWrites: 0, everyMinutes: 0, onClose: false }, 'cancel-test');
  const events: JobEvent[] = [];
  s.ctx.jobs.subscribe((e) => events.push(e));
  return { file, s, hooks, events };
}

async function ok<T>(p: Promise<Result<unknown>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

/** Cancels `jobId` as soon as a step starting with `step` is pushed; returns what jobs:cancel answered. */
function cancelAt(s: Session, jobId: string, step: string): { cancelled: boolean; reason: string | null }[] {
  const answers: { cancelled: boolean; reason: string | null }[] = [];
  const off = s.ctx.jobs.subscribe((e) => {
    if (e.jobId === jobId && e.state === 'running' && e.step.startsWith(step) && answers.length === 0) {
      answers.push(s.ctx.jobs.cancel(jobId));
      off();
    }
  });
  return answers;
}

/** Every file beside the database but the database itself, its WAL and the backups folder. */
function besides(file: string): string[] {
  return readdirSync(dirname(file)).filter((n) => !/^attest\.sqlite(-wal|-shm)?$/.test(n) && n !== 'backups');
}

describe('cancelling a sync import', () => {
  async function setUp() {
    const a = laptop(null, 30, 80);
    const { file: bundle } = await ok<{ file: string }>(a.s.dispatch('sync:export', { folder: tempDir(), passphrase: PASS }));
    const b = laptop(null, 5, 5);
    return { a, b, bundle };
  }

  it('leaves the database exactly as it was when cancelled at any step before the merge, then imports whole', async () => {
    const { b, bundle } = await setUp();
    const before = contentHash(b.s.ctx.db);
    const points = ['starting', 'opening the bundle', 'verifying the rows of device 1', 'checking the whole bundle file'];
    for (const [i, step] of points.entries()) {
      const jobId = `import-${i}`;
      const answers = cancelAt(b.s, jobId, step);
      const r = await b.s.dispatch('sync:import', { file: bundle, passphrase: PASS, jobId });
      expect(answers, step).toEqual([{ cancelled: true, reason: null }]);
      expect(r, step).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
      expect(b.events.filter((e) => e.jobId === jobId).at(-1), step).toMatchObject({ state: 'cancelled' });
      // Cancelled before the merge: it never reached the write.
      expect(b.events.some((e) => e.jobId === jobId && e.step === 'merging'), step).toBe(false);
      expect(contentHash(b.s.ctx.db), step).toBe(before);
    }
    // Right before the transaction: the bundle verified whole, the cancel comes last.
    b.hooks.afterVerify = () => void expect(b.s.ctx.jobs.cancel('import-last')).toEqual({ cancelled: true, reason: null });
    expect(await b.s.dispatch('sync:import', { file: bundle, passphrase: PASS, jobId: 'import-last' })).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(contentHash(b.s.ctx.db)).toBe(before);
    delete b.hooks.afterVerify;
    // Once it merges it cannot be stopped, and it finishes.
    const late = cancelAt(b.s, 'import-ok', 'merging');
    const r = await ok<{ newVersions: number }>(b.s.dispatch('sync:import', { file: bundle, passphrase: PASS, jobId: 'import-ok' }));
    expect(late).toEqual([{ cancelled: false, reason: 'sync:import is writing now and will finish' }]);
    expect(r.newVersions).toBeGreaterThan(100);
    expect(contentHash(b.s.ctx.db)).not.toBe(before);
    // Read again: nothing new, nothing written.
    const merged = contentHash(b.s.ctx.db);
    expect(await ok(b.s.dispatch('sync:import', { file: bundle, passphrase: PASS }))).toMatchObject({ newVersions: 0, newRecords: 0 });
    expect(contentHash(b.s.ctx.db)).toBe(merged);
    expect(await ok(b.s.dispatch('audit:verify', { full: true }))).toMatchObject({ ok: true });
  });

  it('verifies again inside the transaction when the database was written between the verification and the merge', async () => {
    const { b, bundle } = await setUp();
    b.hooks.afterVerify = async () => void (await ok(b.s.dispatch('staff:create', { name: 'Written meanwhile' })));
    const r = await ok<{ newVersions: number }>(b.s.dispatch('sync:import', { file: bundle, passphrase: PASS, jobId: 'again' }));
    expect(r.newVersions).toBeGreaterThan(100);
    // Verified twice: in the read, and again in the transaction (its basis had changed).
    const mine = b.events.filter((e) => e.jobId === 'again');
    expect(mine.filter((e) => e.step === 'verifying the rows of device 1 of 1' && e.state === 'running').length).toBeGreaterThanOrEqual(2);
    expect(b.s.ctx.db.prepare(`SELECT count(*) FROM staff WHERE name = 'Written meanwhile'`).pluck().get()).toBe(1);
    expect(await ok(b.s.dispatch('audit:verify', { full: true }))).toMatchObject({ ok: true });
  });

  it('refuses a bundle replaced between the verification and the merge, writing nothing', async () => {
    const { b, bundle } = await setUp();
    const before = contentHash(b.s.ctx.db);
    const bytes = readFileSync(bundle);
    b.hooks.afterVerify = () => {
      // The file changes under the same name (a sync tool, a person): one byte in the middle.
      const changed = Buffer.from(bytes);
      changed[Math.floor(changed.length / 2)]! ^= 0xff;
      writeFileSync(bundle, changed);
    };
    const r = await b.s.dispatch('sync:import', { file: bundle, passphrase: PASS });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/refused whole/) } });
    expect(contentHash(b.s.ctx.db)).toBe(before);
  });
});

describe('cancelling a passphrase change', () => {
  /** The database opens with `key` alone (and is whole): what a closed laptop would find. */
  function opensWith(file: string, key: string, other: string) {
    const db = openDatabase(file, { key, create: false, check: 'full' });
    const hash = contentHash(db);
    db.close();
    expect(() => openDatabase(file, { key: other, create: false, check: 'none' })).toThrow();
    return hash;
  }

  it('leaves the database open on its passphrase, unchanged, with no copy beside it, when cancelled before the rename', async () => {
    const { file, s, hooks, events } = laptop(A, 20, 40);
    const before = contentHash(s.ctx.db);
    const beside = besides(file);
    const points = ['starting', 'backing up the database first', 'writing a copy under the new passphrase', 'checking the copy'];
    for (const [i, step] of points.entries()) {
      const jobId = `rekey-${i}`;
      const answers = cancelAt(s, jobId, step);
      const r = await s.dispatch('vault:rekey', { current: A, next: B, jobId });
      expect(answers, step).toEqual([{ cancelled: true, reason: null }]);
      expect(r, step).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
      expect(events.filter((e) => e.jobId === jobId).at(-1), step).toMatchObject({ state: 'cancelled' });
      expect(besides(file), step).toEqual(beside);
      expect(s.vault.isOpen, step).toBe(true);
      expect(contentHash(s.ctx.db), step).toBe(before);
    }
    // Right before the rename: the copy written and checked, the cancel comes last.
    hooks.afterCopy = () => void expect(s.ctx.jobs.cancel('rekey-last')).toEqual({ cancelled: true, reason: null });
    expect(await s.dispatch('vault:rekey', { current: A, next: B, jobId: 'rekey-last' })).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    delete hooks.afterCopy;
    expect(existsSync(s.vault.rekeyingFile)).toBe(false);
    expect(besides(file)).toEqual(beside);
    // Still open and writable on the old passphrase.
    expect(await ok<{ encrypted: boolean }>(s.dispatch('vault:status', {}))).toMatchObject({ state: 'unlocked', encrypted: true });
    expect(contentHash(s.ctx.db)).toBe(before);
    s.vault.closeQuietly();
    expect(opensWith(file, A, B)).toBe(before);
    // And the change itself still works; once it renames, it cannot be stopped.
    s.vault.open(A);
    const late = cancelAt(s, 'rekey-ok', 'putting the copy in place');
    expect(await ok(s.dispatch('vault:rekey', { current: A, next: B, jobId: 'rekey-ok' }))).toMatchObject({ state: 'unlocked', encrypted: true });
    expect(late).toEqual([{ cancelled: false, reason: 'vault:rekey is writing now and will finish' }]);
    s.vault.closeQuietly();
    expect(opensWith(file, B, A)).toBe(before);
  });

  it('makes the copy again when the database was written while the copy was made, so the write is kept', async () => {
    const { file, s, hooks, events } = laptop(A, 5, 10);
    hooks.afterCopy = async () => void (await ok(s.dispatch('staff:create', { name: 'Written during the change' })));
    await ok(s.dispatch('vault:rekey', { current: A, next: B, jobId: 'redo' }));
    expect(events.some((e) => e.jobId === 'redo' && e.step === 'writing the copy again: the database changed meanwhile')).toBe(true);
    s.vault.closeQuietly();
    const db = openDatabase(file, { key: B, create: false, check: 'full' });
    expect(db.prepare(`SELECT count(*) FROM staff WHERE name = 'Written during the change'`).pluck().get()).toBe(1);
    db.close();
    expect(existsSync(`${file}.rekeying`)).toBe(false);
  });
});

describe('Ctrl+C in the attest command', () => {
  it('cancels the running sync import or passphrase change (the database as it was, on its passphrase), and says when a job writes', async () => {
    const a = laptop(null, 10, 20);
    const { file: bundle } = await ok<{ file: string }>(a.s.dispatch('sync:export', { folder: tempDir(), passphrase: PASS }));
    const b = laptop(A, 5, 5);
    b.s.vault.closeQuietly();
    const io = { out: () => undefined, err: () => undefined };
    const s = openExisting(b.file, 'cli', io, A)!;
    const before = contentHash(s.ctx.db);
    expect(interruptJobs()).toBe('none');
    const imported = s.dispatch('sync:import', { file: bundle, passphrase: PASS });
    expect(interruptJobs()).toBe('cancelled');
    expect(await imported).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const rekeyed = s.dispatch('vault:rekey', { current: A, next: B });
    expect(interruptJobs()).toBe('cancelled');
    expect(await rekeyed).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(existsSync(s.vault.rekeyingFile)).toBe(false);
    expect(contentHash(s.ctx.db)).toBe(before);
    // Once it merges, it finishes.
    const answers: string[] = [];
    s.ctx.jobs.subscribe((e) => e.step === 'merging' && e.state === 'running' && answers.push(interruptJobs()));
    expect(await s.dispatch('sync:import', { file: bundle, passphrase: PASS })).toMatchObject({ ok: true });
    expect(answers[0]).toBe('writing');
    s.close();
    expect(interruptJobs()).toBe('none');
  });
});
