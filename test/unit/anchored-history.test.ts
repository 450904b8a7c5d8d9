// The tampering cases of an anchored history: each rewrite below leaves a chain that verifies on
// its own, and is caught only by the tip recorded outside the database (a backup's sidecar, the
// backup folder's tip file, an export manifest).
import Database from 'better-sqlite3-multiple-ciphers';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/cli';
import { openSession, type Session } from '../../electron/core/session';
import { contentHashOf, rowHashOf, type AuditRow } from '../../db/history/audit';
import { TIP_FILE, writeTipFile } from '../../db/history/anchors';
import { openDatabase } from '../../db/connect';
import { verifyRecords } from '../../db/history/verify';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

function ticking(start = Date.parse('2026-06-12T10:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

async function ok(s: Session, channel: string, input: unknown): Promise<Record<string, unknown>> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.data as Record<string, unknown>;
}

/** A database with a facility, a person and `n` incidents, and the plan to back up on close off. */
async function withIncidents(n: number, clock = ticking()) {
  const dir = tempDir();
  const file = join(dir, 'attest.sqlite');
  const s = openSession(file, { user: 'test-attorney', now: clock.now });
  await ok(s, 'backup:configure', { everyWrites: 0, everyMinutes: 0, onClose: false });
  const facilityId = (await ok(s, 'facilities:create', SAMPLE_FACILITY)).id as string;
  const personId = (await ok(s, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: facilityId })).id as string;
  const add = async (i: number) => {
    clock.advance(60_000);
    return (await ok(s, 'incidents:create', { personId, facilityId, occurredOn: '2026-06-01', categories: ['WATER'], summary: `Water withheld, report ${i}` })).id as string;
  };
  for (let i = 1; i <= n; i++) await add(i);
  return { dir, file, s, clock, add, backups: join(dir, 'backups') };
}

const head = (file: string) => {
  const raw = new Database(file);
  const r = raw.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
  raw.close();
  return r;
};

/** Removes the last `n` audit rows, their record versions, the records and their derived rows: the chain that is left is whole. */
function cutLast(file: string, n: number): void {
  const raw = new Database(file);
  raw.transaction(() => {
    const rows = raw.prepare('SELECT seq, entity, id, version FROM audit_log ORDER BY seq DESC LIMIT ?').all(n) as { entity: string; id: string; version: number }[];
    for (const r of rows) {
      raw.prepare('DELETE FROM record_versions WHERE entity = ? AND id = ? AND version = ?').run(r.entity, r.id, r.version);
      if (r.entity === 'incident') {
        const rowid = raw.prepare('SELECT search_rowid FROM incidents WHERE id = ?').pluck().get(r.id);
        raw.prepare('DELETE FROM incident_text WHERE rowid = ?').run(rowid);
        raw.prepare('DELETE FROM incident_categories WHERE incident_id = ?').run(r.id);
        raw.prepare('DELETE FROM incidents WHERE id = ?').run(r.id);
      }
    }
    raw.prepare('DELETE FROM audit_log WHERE seq > (SELECT max(seq) FROM audit_log) - ?').run(n);
    // Each record's head as the cut history has it (the rewriter knows the schema too).
    raw.exec(`DELETE FROM record_heads; INSERT INTO record_heads SELECT a.entity, a.id, (SELECT device FROM device_key), a.seq, a.version, 1 FROM audit_log a
      WHERE a.version = (SELECT max(version) FROM audit_log b WHERE b.entity = a.entity AND b.id = a.id)`);
  })();
  raw.close();
}

/** Rewrites an incident's summary in its row, its first version and the search index, then re-hashes the chain from there. */
function rewriteSummary(file: string, incidentId: string, summary: string): void {
  const raw = new Database(file);
  raw.transaction(() => {
    raw.prepare('UPDATE incidents SET summary = ? WHERE id = ?').run(summary, incidentId);
    raw.prepare(`UPDATE record_versions SET data = json_set(data, '$.summary', ?) WHERE entity = 'incident' AND id = ?`).run(summary, incidentId);
    const rowid = raw.prepare('SELECT search_rowid FROM incidents WHERE id = ?').pluck().get(incidentId);
    raw.prepare('DELETE FROM incident_text WHERE rowid = ?').run(rowid);
    raw.prepare('INSERT INTO incident_text (rowid, body) VALUES (?, ?)').run(rowid, summary.toLowerCase());
    const from = raw.prepare(`SELECT min(seq) FROM audit_log WHERE entity = 'incident' AND id = ?`).pluck().get(incidentId) as number;
    let prevHash = raw.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(from - 1) as string;
    const rows = raw.prepare(`SELECT seq, at, user, action, entity, id, version, content_hash AS contentHash FROM audit_log WHERE seq >= ? ORDER BY seq`).all(from) as AuditRow[];
    for (const r of rows) {
      const v = raw.prepare(`SELECT data, recorded_at AS recordedAt, recorded_by AS recordedBy, reason, parents FROM record_versions WHERE entity = ? AND id = ? AND version = ?`).get(r.entity, r.id, r.version) as { data: string; recordedAt: string; recordedBy: string | null; reason: string | null; parents: string | null };
      const contentHash = contentHashOf({ entity: r.entity, id: r.id, version: r.version, ...v });
      const hash = rowHashOf({ ...r, contentHash, prevHash });
      raw.prepare('UPDATE audit_log SET content_hash = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(contentHash, prevHash, hash, r.seq);
      prevHash = hash;
    }
  })();
  raw.close();
}

/** The chain alone, as `attest verify` saw it before tips were recorded: intact. */
function chainAlone(file: string) {
  const db = openDatabase(file);
  try {
    return verifyRecords(db);
  } finally {
    db.close();
  }
}

async function verifyOf(file: string) {
  const s = openSession(file, { create: false });
  try {
    return await ok(s, 'audit:verify', { full: true });
  } finally {
    s.vault.closeQuietly();
  }
}

async function cliVerify(file: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['verify', '--db', file], { out: (x) => out.push(x), err: (x) => err.push(x) }, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('a history cut at its end or rewritten is caught by the tip recorded outside the database', () => {
  it('the last 50 entries removed with their versions and records: "the history ends 50 entries before the backup of 12 June"', async () => {
    const { file, s, backups } = await withIncidents(60);
    await ok(s, 'backup:create', {});
    s.vault.closeQuietly();
    const sidecars = readdirSync(backups).filter((f) => f.endsWith('.sqlite.tip.json'));
    expect(sidecars).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(backups, sidecars[0]!), 'utf8'))).toMatchObject({ seq: head(file) });
    rmSync(join(backups, TIP_FILE)); // the backup's own sidecar is enough
    cutLast(file, 50);
    expect(chainAlone(file)).toMatchObject({ ok: true });
    const v = await verifyOf(file);
    expect(v).toMatchObject({ ok: false, firstBroken: { table: 'recorded-tip', problem: expect.stringMatching(/^the history ends 50 entries before the backup of 12 June 2026, 11:0\d UTC \(attest-2026/) } });
    const c = await cliVerify(file);
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/BROKEN.*the history ends 50 entries before the backup of 12 June 2026/);
    // On open, any command says so.
    const err: string[] = [];
    expect(await runCli(['call', 'facilities:list', '{}', '--db', file], { out: () => undefined, err: (x) => err.push(x) }, {})).toBe(0);
    expect(err.join('\n')).toMatch(/^attest: WARNING: the history ends 50 entries before the backup of 12 June 2026/);
  });

  it('a summary rewritten and the chain re-hashed from there: the history differs from the tip file at its entry', async () => {
    const { file, s, add, backups } = await withIncidents(3);
    const target = await add(4);
    await add(5);
    s.close(); // no backup on close (the plan says so), but the tip goes into the backup folder's tip file
    expect(existsSync(join(backups, TIP_FILE))).toBe(false); // no backup folder yet: nowhere to record
    const s2 = openSession(file, { user: 'test-attorney' });
    await ok(s2, 'backup:create', {});
    await ok(s2, 'facilities:create', { ...SAMPLE_FACILITY, name: 'Written after the backup' });
    s2.close();
    const tip = JSON.parse(readFileSync(join(backups, TIP_FILE), 'utf8')) as { seq: number };
    expect(tip.seq).toBe(head(file));
    rewriteSummary(file, target, 'Detainee declined water');
    expect(chainAlone(file)).toMatchObject({ ok: true });
    expect(await verifyOf(file)).toMatchObject({
      ok: false,
      firstBroken: { table: 'recorded-tip', seq: tip.seq, problem: expect.stringMatching(/^the history differs from the tip recorded in the backup folder on .* at entry \d+: it was rewritten/) },
    });
  });

  it('an older backup copied over the closed database: the 5 acknowledged writes after it are missed', async () => {
    const { file, s, add } = await withIncidents(2);
    const b = (await ok(s, 'backup:create', {})) as { file: string };
    for (let i = 0; i < 5; i++) await add(10 + i);
    s.close(); // the tip file now records the 5 writes
    copyFileSync(b.file, file);
    for (const ext of ['-wal', '-shm']) rmSync(file + ext, { force: true });
    expect(chainAlone(file)).toMatchObject({ ok: true });
    expect(await verifyOf(file)).toMatchObject({ ok: false, firstBroken: { table: 'recorded-tip', problem: expect.stringMatching(/^the history ends 5 entries before the tip recorded in the backup folder/) } });
    // The app goes on reporting it and never records the shorter history over the evidence.
    const again = openSession(file, { create: false });
    again.close();
    expect(await verifyOf(file)).toMatchObject({ ok: false });
  });

  it('a rewrite is caught by an export manifest alone, with the backup folder emptied', async () => {
    const { file, s, add, backups } = await withIncidents(2);
    const target = await add(3);
    await ok(s, 'backup:create', {});
    const definition = { name: 'June', caption: { court: 'COURT', caseName: 'A v. B', caseNumber: '1' }, title: 'Status report', exhibitLabel: 'Exhibit A', periodFrom: '2026-06-01', periodTo: '2026-06-30' };
    const e = (await ok(s, 'reports:export', { definition, formats: ['csv'], folder: tempDir() })) as { manifestPath: string };
    s.vault.closeQuietly();
    const manifest = JSON.parse(readFileSync(e.manifestPath, 'utf8')) as { history: { seq: number; hash: string } };
    expect(manifest.history.seq).toBe(head(file) - 1); // the export's own log entry comes after
    rmSync(backups, { recursive: true });
    rewriteSummary(file, target, 'Nothing was withheld');
    expect(await verifyOf(file)).toMatchObject({ ok: false, firstBroken: { table: 'recorded-tip', problem: expect.stringMatching(/differs from the export of .*manifest\.json\) at entry/) } });
  });

  it('exports:verify compares the tip in the export\'s manifest with the chain: a history cut at its end is named, though every file still matches', async () => {
    const { file, s } = await withIncidents(3);
    const definition = { name: 'June', caption: { court: 'COURT', caseName: 'A v. B', caseNumber: '1' }, title: 'Status report', exhibitLabel: 'Exhibit A', periodFrom: '2026-06-01', periodTo: '2026-06-30' };
    const e = (await ok(s, 'reports:export', { definition, formats: ['csv'], folder: tempDir() })) as { export: { id: string; files: { name: string; format: string }[] } };
    const csv = e.export.files.find((f) => f.format === 'csv')!.name;
    const manifest = e.export.files.find((f) => f.format === 'manifest')!.name;
    expect(await ok(s, 'exports:verify', { exportId: e.export.id, name: csv })).toMatchObject({ matches: true, history: { seq: head(file) - 1, reached: true, superseded: false, problem: null } });
    s.vault.closeQuietly();
    cutLast(file, 3); // the export's own log entry and the last two incidents
    const s2 = openSession(file, { user: 'test-attorney' });
    try {
      for (const name of [csv, manifest]) {
        expect(await ok(s2, 'exports:verify', { exportId: e.export.id, name }), name).toMatchObject({
          found: true,
          matches: true,
          history: { reached: false, superseded: false, problem: expect.stringMatching(/^the history ends 2 entries before the export of .*manifest\.json\)/) },
        });
      }
    } finally {
      s2.close();
    }
  });

  it('a restore the user confirmed is chained and sets the later tips aside; a cut after it is still caught', async () => {
    const clock = ticking();
    const { file, s, add } = await withIncidents(2, clock);
    const older = (await ok(s, 'backup:create', {})) as { name: string };
    for (let i = 0; i < 3; i++) await add(20 + i);
    clock.advance(60_000);
    await ok(s, 'backup:create', {});
    clock.advance(60_000);
    await ok(s, 'backup:restore', { file: older.name, acceptLoss: true });
    const v = await ok(s, 'audit:verify', { full: true });
    expect(v).toMatchObject({ ok: true, recordedTips: { superseded: expect.any(Number) } });
    expect((v.recordedTips as { superseded: number }).superseded).toBeGreaterThan(0);
    expect(s.ctx.db.prepare(`SELECT action, entity FROM audit_log ORDER BY seq DESC LIMIT 1`).get()).toEqual({ action: 'create', entity: 'restore' });
    for (let i = 0; i < 4; i++) await add(30 + i);
    clock.advance(60_000);
    await ok(s, 'backup:create', {});
    s.vault.closeQuietly();
    cutLast(file, 4);
    expect(await verifyOf(file)).toMatchObject({ ok: false, firstBroken: { table: 'recorded-tip', problem: expect.stringMatching(/^the history ends 4 entries before the backup of/) } });
  });

  it('a backup cut since it was written is refused at restore, naming the tip beside it; nothing changes', async () => {
    const { file, s } = await withIncidents(8);
    const b = (await ok(s, 'backup:create', {})) as { file: string; name: string };
    cutLast(b.file, 3);
    const before = head(file);
    const r = await s.dispatch('backup:restore', { file: b.name });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/is refused: the backup's history ends 3 entries before the tip recorded beside it on 12 June 2026/) } });
    s.vault.closeQuietly();
    expect(head(file)).toBe(before);
    expect(readdirSync(join(file, '..')).filter((f) => f.includes('restoring') || f.includes('before-restore'))).toEqual([]);
  });

  it('with every tip on the laptop rewritten too, a manifest kept elsewhere still shows the rewrite (attest verify --against)', async () => {
    const { file, s, add, backups } = await withIncidents(2);
    const target = await add(3);
    const definition = { name: 'June', caption: { court: 'COURT', caseName: 'A v. B', caseNumber: '1' }, title: 'Status report', exhibitLabel: 'Exhibit A', periodFrom: '2026-06-01', periodTo: '2026-06-30' };
    const exports = tempDir();
    const e = (await ok(s, 'reports:export', { definition, formats: ['csv'], folder: exports })) as { manifestPath: string };
    s.vault.closeQuietly();
    const filed = join(tempDir(), 'filed-manifest.json'); // the copy that went to court
    copyFileSync(e.manifestPath, filed);
    rewriteSummary(file, target, 'Nothing was withheld');
    rmSync(backups, { recursive: true, force: true });
    rmSync(exports, { recursive: true });
    const here = await cliVerify(file);
    expect(here.code).toBe(0); // nothing left on this laptop shows it: see the threat model
    const out: string[] = [];
    const code = await runCli(['verify', '--db', file, '--against', filed], { out: (x) => out.push(x), err: () => undefined }, {});
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/^BROKEN: the history differs from the export of 12 June 2026, .* \(filed-manifest\.json\) at entry \d+: it was rewritten/);
  });
});

describe('the tip file written off the thread that planned it', () => {
  const text = (seq: number) => `${JSON.stringify({ kind: 'attest-chain-tip', seq, hash: String(seq).padStart(64, '0'), at: '2026-06-12T10:00:00.000Z' })}\n`;

  it('never goes back: a tip file already at this tip or a later one is left as it is', () => {
    const file = join(tempDir(), TIP_FILE);
    writeTipFile(file, text(5), 5); // none yet: written
    expect(readFileSync(file, 'utf8')).toBe(text(5));
    writeTipFile(file, text(7), 7); // later: written
    expect(readFileSync(file, 'utf8')).toBe(text(7));
    // A write answered meanwhile advanced it to 7 on the writing thread: the export's 6 stays out.
    writeTipFile(file, text(6), 6);
    expect(readFileSync(file, 'utf8')).toBe(text(7));
    writeTipFile(file, `${text(7).trimEnd()} `, 7);
    expect(readFileSync(file, 'utf8')).toBe(text(7));
  });

  it('writes over a tip file it cannot read', () => {
    const dir = tempDir();
    const file = join(dir, TIP_FILE);
    writeFileSync(file, 'not json');
    writeTipFile(file, text(3), 3);
    expect(readFileSync(file, 'utf8')).toBe(text(3));
    expect(readdirSync(dir)).toEqual([TIP_FILE]);
  });
});
