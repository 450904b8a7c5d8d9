import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, tempDbFile, testSession } from '../../test/helpers';
import { canonicalJson, canonicalSha256, rowHashOf, verifyAudit, writeCanonicalJson, type AuditRow } from './audit';
import { loadMigrations, migrate } from '../migrate';
import { openDatabase } from '../connect';

afterEach(cleanupTempDirs);

/** A database with five writes (five audit rows), closed, so raw SQL can tamper with it. */
async function fiveWrites(): Promise<string> {
  const file = tempDbFile();
  const s = testSession(file);
  const f = await s.dispatch('facilities:create', SAMPLE_FACILITY);
  if (!f.ok) throw new Error('setup failed');
  const facilityId = (f.data as { id: string }).id;
  const p = await s.dispatch('people:create', { ...SAMPLE_PERSON, currentFacilityId: facilityId });
  if (!p.ok) throw new Error('setup failed');
  for (const day of ['2026-06-01', '2026-06-02', '2026-06-03']) {
    const i = await s.dispatch('incidents:create', {
      personId: (p.data as { id: string }).id,
      facilityId,
      occurredOn: day,
      categories: ['FOOD'],
      summary: `Meal withheld on ${day}`,
    });
    if (!i.ok) throw new Error('setup failed');
  }
  s.vault.closeQuietly();
  return file;
}

function tamper(file: string, sql: string): void {
  const raw = new Database(file);
  raw.exec(sql);
  raw.close();
}

function verifyFile(file: string) {
  const db = openDatabase(file);
  try {
    return verifyAudit(db);
  } finally {
    db.close();
  }
}

describe('audit chain', () => {
  it('chains every write in order with its content hash, and an untouched database verifies', async () => {
    const file = await fiveWrites();
    const db = openDatabase(file);
    const rows = db.prepare('SELECT seq, action, entity, version, user, prev_hash, hash FROM audit_log ORDER BY seq').all() as {
      seq: number;
      action: string;
      entity: string;
      user: string;
      prev_hash: string;
      hash: string;
    }[];
    expect(rows.map((r) => [r.seq, r.entity, r.action, r.user])).toEqual([
      [1, 'facility', 'create', 'test-attorney'],
      [2, 'person', 'create', 'test-attorney'],
      [3, 'incident', 'create', 'test-attorney'],
      [4, 'incident', 'create', 'test-attorney'],
      [5, 'incident', 'create', 'test-attorney'],
    ]);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    // Every stored hash, recomputed here from its documented form without the code under test.
    const full = db
      .prepare(
        `SELECT a.seq, a.at, a.user, a.action, a.entity, a.id, a.version, a.content_hash, a.prev_hash, a.hash,
           v.data, v.recorded_at, v.recorded_by, v.reason, v.parents
         FROM audit_log a JOIN record_versions v USING (entity, id, version) ORDER BY a.seq`,
      )
      .all() as Record<string, string | number | null>[];
    expect(full).toHaveLength(5);
    for (const r of full) {
      // A version's parents (the versions it replaces, several laptops) are hashed once recorded.
      const base = { entity: r.entity, id: r.id, version: r.version, data: JSON.parse(r.data as string) as unknown, recordedAt: r.recorded_at, recordedBy: r.recorded_by, reason: r.reason };
      const content = refCanonicalJson(r.parents === null ? base : { ...base, parents: JSON.parse(r.parents as string) as unknown });
      expect(r.content_hash).toBe(refSha256(content));
      expect(r.hash).toBe(refSha256(JSON.stringify([r.seq, r.at, r.user, r.action, r.entity, r.id, r.version, r.content_hash, r.prev_hash])));
    }
    expect(verifyAudit(db)).toEqual({ ok: true, auditRows: 5, recordVersions: 5, firstBroken: null, tip: { seq: 5, hash: rows[4]!.hash } });
    db.close();
  });

  it('names the audit row whose content was changed', async () => {
    const file = await fiveWrites();
    tamper(file, `UPDATE audit_log SET user = 'someone-else' WHERE seq = 3`);
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 3, table: 'audit_log', problem: expect.stringMatching(/row 3 was changed/) });
  });

  it('names a changed audit row even when its own hash was recomputed to match (the next row breaks at it)', async () => {
    const file = await fiveWrites();
    // Rewriting row 2's hash hides the change in row 2 itself, but row 3 no longer follows it.
    tamper(file, `UPDATE audit_log SET hash = '${'a'.repeat(64)}' WHERE seq = 2`);
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 2, table: 'audit_log' });
  });

  // Catches: rowHashOf leaving prevHash out of the row's hash (the chain's whole point): a row
  // changed, rehashed, and the next row's prev_hash rewritten to match would then verify.
  it('names the next row when a changed row was rehashed and the next prev_hash rewritten to follow it', async () => {
    const file = await fiveWrites();
    const raw = new Database(file);
    const select = `SELECT seq, at, user, action, entity, id, version, content_hash AS contentHash, prev_hash AS prevHash, hash FROM audit_log`;
    const row3 = raw.prepare(`${select} WHERE seq = 3`).get() as AuditRow;
    const changed = { ...row3, user: 'someone-else' };
    const newHash = rowHashOf(changed);
    raw.prepare('UPDATE audit_log SET user = ?, hash = ? WHERE seq = 3').run(changed.user, newHash);
    raw.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = 4').run(newHash);
    raw.close();
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 4, table: 'audit_log', problem: expect.stringMatching(/row 4 was changed/) });
  });

  it('names the audit row that was deleted', async () => {
    const file = await fiveWrites();
    tamper(file, `DELETE FROM audit_log WHERE seq = 4`);
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 4, table: 'audit_log', problem: expect.stringMatching(/row 4 is missing/) });
  });

  it('names the first position of two reordered audit rows', async () => {
    const file = await fiveWrites();
    tamper(file, `UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3);
      UPDATE audit_log SET seq = 3 WHERE seq = -2; UPDATE audit_log SET seq = 2 WHERE seq = -3;`);
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 2, table: 'audit_log', problem: expect.stringMatching(/audit row 2 does not follow row 1 /) });
  });

  it('names the record version that was changed, by its audit row', async () => {
    const file = await fiveWrites();
    tamper(file, `UPDATE record_versions SET data = json_set(data, '$.summary', 'nothing happened')
      WHERE entity = 'incident' AND data LIKE '%2026-06-02%'`);
    const r = verifyFile(file);
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toMatchObject({ seq: 4, table: 'record_versions', entity: 'incident', version: 1, problem: expect.stringMatching(/changed after it was written/) });
  });

  // Catches: an unreadable record version (not JSON) taken for an intact one, or throwing.
  it('names a record version whose data is no longer readable', async () => {
    const file = await fiveWrites();
    tamper(file, `UPDATE record_versions SET data = '{not json' WHERE entity = 'person'`);
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 2, table: 'record_versions', entity: 'person', problem: expect.stringMatching(/changed after it was written/) });
  });

  // Catches: the check from a verified tip skipping the tip row itself (`since.seq > 0` dropped).
  it('from a verified tip: goes on after it, and names the tip row when it was changed since', async () => {
    const file = await fiveWrites();
    const db = openDatabase(file);
    const tip = db.prepare('SELECT seq, hash FROM audit_log WHERE seq = 3').get() as { seq: number; hash: string };
    const last = db.prepare('SELECT hash FROM audit_log WHERE seq = 5').pluck().get() as string;
    expect(verifyAudit(db, tip)).toEqual({ ok: true, auditRows: 5, recordVersions: 5, firstBroken: null, tip: { seq: 5, hash: last } });
    expect(verifyAudit(db, { seq: 0, hash: '0'.repeat(64) })).toMatchObject({ ok: true, auditRows: 5 });
    db.close();
    tamper(file, `UPDATE audit_log SET hash = '${'b'.repeat(64)}' WHERE seq = 3`);
    const again = openDatabase(file);
    expect(verifyAudit(again, tip)).toMatchObject({ ok: false, tip: null, firstBroken: { seq: 3, table: 'audit_log', problem: 'audit row 3 was changed or removed since the history was last checked' } });
    again.close();
  });

  it('names a record version changed only in who recorded it', async () => {
    const file = await fiveWrites();
    tamper(file, `UPDATE record_versions SET recorded_by = 'other' WHERE entity = 'person'`);
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 2, table: 'record_versions', entity: 'person' });
  });

  it('names the record version that was deleted', async () => {
    const file = await fiveWrites();
    tamper(file, `DELETE FROM record_versions WHERE entity = 'facility'`);
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 1, table: 'record_versions', entity: 'facility', problem: expect.stringMatching(/missing from record_versions/) });
  });

  it('names an audit row that audits a record version a second time (its unique index dropped)', async () => {
    const file = await fiveWrites();
    const raw = new Database(file);
    raw.exec('DROP INDEX audit_log_record');
    const select = `SELECT seq, at, user, action, entity, id, version, content_hash AS contentHash, prev_hash AS prevHash, hash FROM audit_log`;
    const first = raw.prepare(`${select} WHERE seq = 1`).get() as AuditRow;
    const last = raw.prepare(`${select} ORDER BY seq DESC LIMIT 1`).get() as AuditRow;
    // Chained correctly after the last row, so only the repeat gives it away.
    const again = { ...first, seq: last.seq + 1, prevHash: last.hash };
    raw.prepare('INSERT INTO audit_log (seq, at, user, action, entity, id, version, content_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(again.seq, again.at, again.user, again.action, again.entity, again.id, again.version, again.contentHash, again.prevHash, rowHashOf(again));
    raw.close();
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: 6, table: 'audit_log', entity: 'facility', version: 1, problem: expect.stringMatching(/audited twice/) });
  });

  it('names a record version written around the audit log', async () => {
    const file = await fiveWrites();
    tamper(file, `INSERT INTO record_versions (entity, id, version, data, recorded_at) VALUES ('person', 'X', 1, '{}', 'now')`);
    expect(verifyFile(file).firstBroken).toMatchObject({ seq: null, table: 'record_versions', entity: 'person', id: 'X', problem: expect.stringMatching(/no audit row/) });
  });

  it('chains the versions of a database written before the audit log existed, at migration', () => {
    const file = tempDbFile();
    const raw = new Database(file);
    migrate(raw, { to: 1 });
    raw.prepare(`INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by) VALUES ('facility', 'F1', 1, '{"name":"A"}', '2026-01-01T00:00:00.000Z', 'x')`).run();
    raw.prepare(`INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by) VALUES ('facility', 'F1', 2, '{"name":"B"}', '2026-01-02T00:00:00.000Z', 'x')`).run();
    raw.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    expect(verifyAudit(db)).toMatchObject({ ok: true, auditRows: 2, recordVersions: 2 });
    expect(db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all()).toEqual(['create', 'edit']);
    db.close();
  });

  // Catches: the versions' parents read from a column a history checked before migration 7 lacks.
  it('checks a history from before versions named their parents (a backup of an older version)', () => {
    const raw = new Database(tempDbFile());
    migrate(raw, { to: 1 });
    raw.prepare(`INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by) VALUES ('facility', 'F1', 1, '{"name":"A"}', '2026-01-01T00:00:00.000Z', 'x')`).run();
    raw.prepare(`INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by) VALUES ('facility', 'F1', 2, '{"name":"B"}', '2026-01-02T00:00:00.000Z', 'x')`).run();
    migrate(raw, { to: 6 });
    expect(raw.prepare(`SELECT count(*) FROM pragma_table_info('record_versions') WHERE name = 'parents'`).pluck().get()).toBe(0);
    const last = raw.prepare('SELECT hash FROM audit_log WHERE seq = 2').pluck().get() as string;
    expect(verifyAudit(raw)).toEqual({ ok: true, auditRows: 2, recordVersions: 2, firstBroken: null, tip: { seq: 2, hash: last } });
    raw.prepare(`UPDATE record_versions SET data = '{"name":"C"}' WHERE version = 2`).run();
    expect(verifyAudit(raw).firstBroken).toMatchObject({ seq: 2, table: 'record_versions', problem: expect.stringMatching(/changed after it was written/) });
    raw.close();
  });

  // Catches: the look-up of a version without an audit row trusted to find one whenever the counts
  // differ: after a tip, a version removed before it leaves them different with nothing to name.
  it('from a verified tip, leaves a version removed before the tip to the whole check', async () => {
    const file = await fiveWrites();
    const db = openDatabase(file);
    const tip = db.prepare('SELECT seq, hash FROM audit_log WHERE seq = 5').get() as { seq: number; hash: string };
    db.pragma('foreign_keys = OFF');
    db.prepare(`DELETE FROM record_versions WHERE entity = 'facility'`).run();
    expect(verifyAudit(db, tip)).toEqual({ ok: true, auditRows: 5, recordVersions: 4, firstBroken: null, tip });
    expect(verifyAudit(db)).toMatchObject({ ok: false, firstBroken: { seq: 1, table: 'record_versions', entity: 'facility' } });
    db.close();
  });

  it('writes no audit row when the write itself is refused (same transaction)', async () => {
    const s = testSession();
    await s.dispatch('people:create', SAMPLE_PERSON);
    const r = await s.dispatch('people:create', { ...SAMPLE_PERSON, givenName: 'Other' });
    expect(r.ok).toBe(false);
    expect(s.ctx.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(1);
    s.vault.closeQuietly();
  });
});

// The form every stored hash was made with; canonicalJson must keep writing the same text.
function refSortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(refSortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = refSortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
const refCanonicalJson = (value: unknown) => JSON.stringify(refSortKeys(JSON.parse(JSON.stringify(value ?? null)) as unknown));
const refSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('canonical JSON', () => {
  it('writes what the first form wrote for any value (plain values without the round trip), so every stored hash still matches', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '2', '9', '10', '01', '-1', '4294967294', '4294967295', '1e3', '__proto__', 'constructor', 'toString', ''));
    const leaf = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: true }));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 5 }),
      object: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(refCanonicalJson(v));
      }),
      { numRuns: 3000 },
    );
    // Plain values take a shorter path than objects; it must give the same text.
    for (const v of [undefined, null, NaN, Infinity, -0, 0, 'x', '', true, 1.5, 'é\u0000']) expect(canonicalJson(v), String(v)).toBe(refCanonicalJson(v));
    for (const v of [{ b: 1, a: [1, undefined, { d: new Date(0), c: 'x' }] }, { '10': 1, '9': 2, b: 3, '01': 4 }, JSON.parse('{"__proto__": {"x": 1}, "y": 2}'), '\ud800', -0, NaN, [undefined]]) {
      expect(canonicalJson(v)).toBe(refCanonicalJson(v));
    }
  });

  // A version's content is hashed piece by piece (an export's manifest is megabytes): the same text.
  it('writes the same text piece by piece for plain data, and hashes it the same however long', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '2', '9', '10', '01', '-1', '4294967294', '4294967295', '1e3', '__proto__', 'constructor', 'toString', ''));
    const leaf = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 5 }),
      object: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
    })).node;
    const pieces = (v: unknown) => {
      let text = '';
      writeCanonicalJson(v, (p) => (text += p));
      return text;
    };
    fc.assert(
      fc.property(value, (raw) => {
        // What a stored version's data is: JSON as parsed.
        const v = JSON.parse(JSON.stringify(raw ?? null)) as unknown;
        expect(pieces(v)).toBe(refCanonicalJson(v));
        expect(canonicalSha256(v)).toBe(refSha256(refCanonicalJson(v)));
      }),
      { numRuns: 3000 },
    );
    for (const v of [undefined, null, -0, { a: undefined, b: [undefined] }, JSON.parse('{"__proto__": {"x": 1}, "y": 2}'), JSON.parse('{"__proto__": null}'), {}, []]) {
      expect(pieces(v)).toBe(refCanonicalJson(v));
    }
    // Longer than one hash update, with characters of two to four bytes across every boundary.
    const long = { rows: Array.from({ length: 9_000 }, (_, i) => ({ n: i, t: `é\ud83d\ude00${'x'.repeat(i % 7)}\u4e2d`, [`k${i % 3}`]: [i, null, '\ud800'] })) };
    expect(refCanonicalJson(long).length).toBeGreaterThan(3 * 65_536);
    expect(canonicalSha256(long)).toBe(refSha256(refCanonicalJson(long)));
  });
});
