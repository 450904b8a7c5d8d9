// The core in a worker thread, started by the same host the app's main process uses: calls
// round-trip, long reads run in reader threads so the core keeps answering, progress events
// arrive, and a cancelled job leaves nothing behind.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seed } from '../../db/seed';
import type { Result } from '../../shared/contract';
import type { JobEvent } from '../../shared/jobs';
import { startCore, type CoreHost } from '../../electron/worker/host';
import { tsWorkerScript } from '../../electron/worker/ts-script';
import { cleanupTempDirs, contentHash, fixedClock, tempDbFile, tempDir } from '../helpers';
import { openSession } from '../../electron/core/session';
import { startupFailure } from '../../electron/shell/startup';
import { defaultBackupFolder } from '../../db/backup';
import { headTip, TIP_FILE } from '../../db/history/anchors';
import { openDatabase } from '../../db/connect';

const hosts: CoreHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  cleanupTempDirs();
});

/** A database of `incidents` seeded incidents, closed again; returns its file and content hash. */
function seededFile(incidents: number, key: string | null = null): { file: string; hash: string } {
  const file = tempDbFile();
  const s = openSession(file, { user: 'seed', now: fixedClock(), key });
  seed(s.ctx.db, { people: 400, incidents, seed: 7 });
  // Automatic backups would write beside the file during the test; they are tested elsewhere.
  // Through the vault: settings are in the history chain, so a raw INSERT would break it.
  s.vault.configureBackups({ everyWrites: 0, everyMinutes: 0, onClose: false }, 'seed');
  const hash = contentHash(s.ctx.db);
  s.vault.closeQuietly();
  return { file, hash };
}

function start(file: string, events: JobEvent[] = []): CoreHost {
  const h = startCore({ script: tsWorkerScript(), file, user: 'worker-test', check: 'quick', onEvent: (e) => events.push(e) });
  hosts.push(h);
  return h;
}

async function ok<T>(p: Promise<Result<unknown>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

const DEFINITION = {
  name: 'Worker test',
  caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'A v. B', caseNumber: 'No. 1' },
  title: 'Status report',
  exhibitLabel: 'Exhibit A',
  periodFrom: '2000-01-01',
  periodTo: '2030-12-31',
  profile: 'sealed',
  filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
};

/** Resolves with the order in which the promises settled. */
function order(named: Record<string, Promise<unknown>>): Promise<string[]> {
  const seen: string[] = [];
  return Promise.all(Object.entries(named).map(([k, p]) => p.then(() => seen.push(k)))).then(() => seen);
}

// Each test starts real threads on the TypeScript sources: slow on a busy machine, not a speed goal.
describe('the core in a worker thread', { timeout: 180_000 }, () => {
  it('round-trips calls: reads, writes, refusals and unknown channels, as values', async () => {
    const h = start(tempDbFile());
    expect(await ok(h.call('vault:status', {}))).toMatchObject({ state: 'new' });
    await ok(h.call('vault:setup', { noEncryption: true }));
    expect(await ok(h.call('app:info', {}))).toMatchObject({ appVersion: expect.any(String) });
    const f = await ok<{ id: string }>(h.call('facilities:create', { name: 'North Lake', city: 'Baldwin', state: 'MI', operator: 'PRIVATE', operatorName: null, standard: 'PBNDS_2011' }));
    const list = await ok<{ items: { id: string }[] }>(h.call('facilities:list', {}));
    expect(list.items.map((x) => x.id)).toEqual([f.id]);
    const bad = await h.call('facilities:create', { name: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await h.call('nope:nothing', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    // An input that cannot cross a thread is refused, not thrown.
    expect(await h.call('app:info', { f: () => 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('answers app:info and saves a draft while a full history check runs in a reader thread', async () => {
    const { file } = seededFile(2_000);
    const events: JobEvent[] = [];
    const h = start(file, events);
    await ok(h.call('app:info', {}));
    const verify = ok<{ ok: boolean; auditRows: number }>(h.call('audit:verify', { full: true, jobId: 'v1' }));
    const info = ok(h.call('app:info', {}));
    const draft = ok(h.call('drafts:save', { key: 'incident:new', kind: 'incident', data: { summary: 'typed meanwhile' } }));
    expect(await order({ verify, info, draft })).toEqual(['info', 'draft', 'verify']);
    expect((await verify).ok).toBe(true);
    expect(events.filter((e) => e.jobId === 'v1').map((e) => e.state)).toEqual(['running', 'running', 'done']);
  });

  it('answers app:info while a 2,000-row export runs, and pushes its progress events', async () => {
    const { file } = seededFile(2_000);
    const events: JobEvent[] = [];
    const h = start(file, events);
    await ok(h.call('app:info', {}));
    const folder = tempDir();
    const exported = ok<{ export: { incidentCount: number; files: { name: string }[] } }>(
      h.call('reports:export', { definition: DEFINITION, formats: ['csv', 'html', 'xlsx'], folder, jobId: 'e1' }),
    );
    // Events and results come through one port in order: what arrived before app:info's answer
    // is what the export did before the core answered. In one thread it would have read the
    // records and rendered CSV and HTML first.
    const info = ok(h.call('app:info', {})).then(() => events.filter((e) => e.jobId === 'e1').map((e) => e.step));
    expect(await order({ exported, info })).toEqual(['info', 'exported']);
    expect(await info).not.toContain('csv');
    const r = await exported;
    expect(r.export.incidentCount).toBe(2_000);
    for (const f of r.export.files) expect(existsSync(join(folder, f.name))).toBe(true);
    const mine = events.filter((e) => e.jobId === 'e1');
    expect(mine.map((e) => e.step)).toEqual(expect.arrayContaining(['reading records', 'csv', 'html', 'xlsx', 'writing files', 'done']));
    expect(mine.at(-1)).toMatchObject({ state: 'done', channel: 'reports:export', cancellable: false });
    // Cancellable while it reads, not once it writes.
    expect(mine.find((e) => e.step === 'xlsx')?.cancellable).toBe(true);
    expect(mine.find((e) => e.step === 'writing files')?.cancellable).toBe(false);
  });

  it("advances the backup folder's tip file to the export's log entry before it answers", async () => {
    const { file } = seededFile(200);
    const backups = defaultBackupFolder(file);
    mkdirSync(backups, { recursive: true });
    const h = start(file);
    await ok(h.call('reports:export', { definition: DEFINITION, formats: ['csv'], folder: tempDir() }));
    // Answered: the tip file holds the end of the history, the export's log entry included.
    const db = openDatabase(file, { readonly: true, create: false, check: 'none' });
    const head = headTip(db);
    db.close();
    const tip = JSON.parse(readFileSync(join(backups, TIP_FILE), 'utf8')) as { kind: string; seq: number; hash: string };
    expect(tip).toMatchObject({ kind: 'attest-chain-tip', seq: head.seq, hash: head.hash });
    // No temporary file left beside it.
    expect(readdirSync(backups)).toEqual([TIP_FILE]);
  });

  it('cancels an export while it reads: no file, no log entry, the database unchanged', async () => {
    const { file, hash } = seededFile(2_000);
    const events: JobEvent[] = [];
    const h = start(file, events);
    const folder = join(tempDir(), 'out');
    const exported = h.call('reports:export', { definition: DEFINITION, formats: ['csv', 'html', 'xlsx', 'docx'], folder, jobId: 'e2' });
    await waitFor(() => events.some((e) => e.jobId === 'e2' && e.step === 'reading records'));
    expect(await ok(h.call('jobs:cancel', { jobId: 'e2' }))).toEqual({ cancelled: true, reason: null });
    expect(await exported).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(events.filter((e) => e.jobId === 'e2').at(-1)).toMatchObject({ state: 'cancelled' });
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
    expect(await ok<{ items: unknown[] }>(h.call('exports:list', {}))).toMatchObject({ items: [] });
    expect(await ok(h.call('jobs:cancel', { jobId: 'e2' }))).toMatchObject({ cancelled: false });
    await h.close();
    const s = openSession(file, { user: 'check' });
    expect(contentHash(s.ctx.db)).toBe(hash);
    s.vault.closeQuietly();
  });

  it('cancels a full history check; the next check still runs whole', async () => {
    const { file } = seededFile(2_000);
    const events: JobEvent[] = [];
    const h = start(file, events);
    const verify = h.call('audit:verify', { full: true, jobId: 'v2' });
    await waitFor(() => events.some((e) => e.jobId === 'v2'));
    expect(await ok(h.call('jobs:cancel', { jobId: 'v2' }))).toMatchObject({ cancelled: true });
    expect(await verify).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const again = await ok<{ ok: boolean; auditRows: number; checkedAt: string; wholeHistoryCheckedAt: string }>(h.call('audit:verify', {}));
    expect(again.ok).toBe(true);
    expect(again.wholeHistoryCheckedAt).toBe(again.checkedAt);
  });

  it('refuses to cancel a job that writes (a backup)', async () => {
    const { file } = seededFile(200);
    const events: JobEvent[] = [];
    const h = start(file, events);
    const out = tempDir();
    const backup = await ok<{ file: string }>(h.call('backup:create', { folder: out, jobId: 'b1' }));
    expect(existsSync(backup.file)).toBe(true);
    const b1 = events.filter((e) => e.jobId === 'b1');
    expect(b1.map((e) => e.state)).toEqual(['running', 'running', 'running', 'done']);
    expect(b1.slice(1).every((e) => !e.cancellable)).toBe(true);
  });

  it('answers app:info while a backup is written and while a restore checks the backup, both in a reader thread', async () => {
    const { file } = seededFile(2_000);
    const events: JobEvent[] = [];
    const h = start(file, events);
    await ok(h.call('app:info', {}));
    const out = tempDir();
    // In one thread the VACUUM INTO, and then the restore's integrity and history checks, came first.
    const backup = ok<{ file: string }>(h.call('backup:create', { folder: out, jobId: 'b2' }));
    expect(await order({ backup, info: ok(h.call('app:info', {})) })).toEqual(['info', 'backup']);
    const made = await backup;
    await ok(h.call('staff:create', { name: 'Written after the backup' }));
    const restore = ok<{ restoredFrom: string; lost: { entries: number } | null }>(h.call('backup:restore', { file: made.file, acceptLoss: true, jobId: 'r1' }));
    expect(await order({ restore, info: ok(h.call('app:info', {})) })).toEqual(['info', 'restore']);
    // What it would lose is counted after the check: the write made while it ran included.
    expect((await restore).lost?.entries).toBe(1);
    expect([...new Set(events.filter((e) => e.jobId === 'r1').map((e) => e.step))]).toEqual(['starting', 'checking the backup', 'stopping other jobs', 'putting the backup in place', 'done']);
    expect(await ok<{ items: { name: string }[] }>(h.call('staff:list', {}))).not.toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ name: 'Written after the backup' })]) });
  });

  it('cancels a restore while it checks the backup: the copy goes, the database is unchanged', async () => {
    const { file, hash } = seededFile(2_000);
    const events: JobEvent[] = [];
    const h = start(file, events);
    const made = await ok<{ file: string }>(h.call('backup:create', { folder: tempDir() }));
    const restore = h.call('backup:restore', { file: made.file, jobId: 'r2' });
    await waitFor(() => events.some((e) => e.jobId === 'r2' && e.step === 'checking the backup'));
    expect(await ok(h.call('jobs:cancel', { jobId: 'r2' }))).toEqual({ cancelled: true, reason: null });
    expect(await restore).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(existsSync(`${file}.restoring`)).toBe(false);
    await h.close();
    const s = openSession(file, { user: 'check' });
    expect(contentHash(s.ctx.db)).toBe(hash);
    s.vault.closeQuietly();
  });

  it('writes the automatic backup after a write in a reader thread, and the write is answered first', async () => {
    const { file } = seededFile(2_000);
    const h = start(file);
    const out = tempDir();
    await ok(h.call('backup:configure', { everyWrites: 1, folder: out }));
    await ok(h.call('staff:create', { name: 'One write' }));
    // The answer came before the copy was made: the backup appears afterwards.
    await waitFor(() => readdirSync(out).some((n) => /^attest-.*\.sqlite$/.test(n)));
    await h.close();
    expect(readdirSync(out).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('writes a sync bundle in a reader thread with progress events (app:info answered meanwhile), cancels one, and reads one with its steps', async () => {
    const { file } = seededFile(2_000);
    const events: JobEvent[] = [];
    const h = start(file, events);
    await ok(h.call('app:info', {}));
    const folder = tempDir();
    const passphrase = 'office bundle passphrase';
    const written = ok<{ file: string; counts: { versions: number } }>(h.call('sync:export', { folder, passphrase, jobId: 's1' }));
    expect(await order({ written, info: ok(h.call('app:info', {})) })).toEqual(['info', 'written']);
    const bundle = await written;
    const s1 = events.filter((e) => e.jobId === 's1');
    expect(s1.some((e) => e.step === 'writing versions' && e.done > 0 && e.done < e.total)).toBe(true);
    expect(s1.at(-1)).toMatchObject({ state: 'done', channel: 'sync:export' });
    // Cancelled while it writes the bundle: no bundle, no temporary file.
    const other = tempDir();
    const cancelled = h.call('sync:export', { folder: other, passphrase, jobId: 's2' });
    await waitFor(() => events.some((e) => e.jobId === 's2' && e.step === 'writing versions'));
    expect(await ok(h.call('jobs:cancel', { jobId: 's2' }))).toEqual({ cancelled: true, reason: null });
    expect(await cancelled).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(readdirSync(other)).toEqual([]);
    // Reading it back (nothing new: the same laptop) reports each step: cancellable while it is
    // verified in the reader thread, not once it merges.
    await ok(h.call('sync:import', { file: bundle.file, passphrase, jobId: 's3' }));
    const s3 = events.filter((e) => e.jobId === 's3');
    expect([...new Set(s3.map((e) => e.step))]).toEqual(['starting', 'opening the bundle', 'verifying the rows of device 1 of 1', 'merging', 'done']);
    expect(s3.find((e) => e.step === 'opening the bundle')?.cancellable).toBe(true);
    expect(s3.filter((e) => e.step === 'merging').every((e) => !e.cancellable)).toBe(true);
  });

  it('reads an encrypted database in its reader thread with the unlocked key', async () => {
    const { file } = seededFile(100, 'correct horse battery');
    const h = start(file);
    expect(await h.call('audit:verify', { full: true })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await ok(h.call('vault:unlock', { passphrase: 'correct horse battery' }));
    expect(await ok(h.call('audit:verify', { full: true }))).toMatchObject({ ok: true });
    // The warm reader opens each job's connection with the key of the moment.
    const events: JobEvent[] = [];
    h.worker.on('message', (m: { t: string; event?: JobEvent }) => m.t === 'event' && m.event?.jobId === 'k1' && events.push(m.event));
    await ok(h.call('vault:rekey', { current: 'correct horse battery', next: 'a different passphrase', jobId: 'k1' }));
    // Each step of the passphrase change is pushed as it starts.
    expect([...new Set(events.map((e) => e.step))]).toEqual(['starting', 'backing up the database first', 'writing a copy under the new passphrase', 'checking the copy (integrity, history)', 'putting the copy in place', 'done']);
    expect(await ok(h.call('audit:verify', { full: true }))).toMatchObject({ ok: true });
  });

  it('cancels a passphrase change while its copy is written in the reader thread: the copy goes, the database stays open on its passphrase', async () => {
    const { file, hash } = seededFile(2_000, 'correct horse battery');
    const events: JobEvent[] = [];
    const h = start(file, events);
    await ok(h.call('vault:unlock', { passphrase: 'correct horse battery' }));
    const changed = h.call('vault:rekey', { current: 'correct horse battery', next: 'a different passphrase', jobId: 'k2' });
    await waitFor(() => events.some((e) => e.jobId === 'k2' && e.step === 'writing a copy under the new passphrase'));
    expect(await ok(h.call('jobs:cancel', { jobId: 'k2' }))).toEqual({ cancelled: true, reason: null });
    expect(await changed).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(existsSync(`${file}.rekeying`)).toBe(false);
    expect(await ok(h.call('vault:status', {}))).toMatchObject({ state: 'unlocked', encrypted: true });
    await h.close();
    const s = openSession(file, { user: 'check', key: 'correct horse battery' });
    expect(contentHash(s.ctx.db)).toBe(hash);
    s.vault.closeQuietly();
  });

  it('says when it has started, and a start that fails in the core fails ready with its error (the app shows it and exits)', async () => {
    const { file } = seededFile(5);
    await start(file).ready;
    const newer = tempDbFile();
    const s = openSession(newer);
    s.ctx.db.pragma('user_version = 999');
    s.vault.closeQuietly();
    const h = start(newer);
    const failure = await h.ready.then(
      () => null,
      (e: unknown) => startupFailure(e),
    );
    expect(failure?.message).toMatch(/^The database was written by a newer Attest\./);
    // Every call after a failed start answers as a value, never hangs.
    expect(await h.call('app:info', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
