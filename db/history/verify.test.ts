import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, tempDbFile, testSession } from '../../test/helpers';
import { openDatabase } from '../connect';
import { signLocalTip } from './device';
import { verifyCurrentRows, verifyRecords } from './verify';

afterEach(cleanupTempDirs);

/** A closed database with a facility, a person edited once, an incident deleted, and a staff member. */
async function records(): Promise<{ file: string; personId: string; incidentId: string }> {
  const file = tempDbFile();
  const s = testSession(file);
  const f = await s.dispatch('facilities:create', SAMPLE_FACILITY);
  if (!f.ok) throw new Error('setup failed');
  const facilityId = (f.data as { id: string }).id;
  const p = await s.dispatch('people:create', { ...SAMPLE_PERSON, currentFacilityId: facilityId, languages: ['ar', 'ku'], consentGiven: true, consentDate: '2026-05-01' });
  if (!p.ok) throw new Error(`setup failed: ${JSON.stringify(p.error)}`);
  const person = p.data as { id: string; version: number };
  const u = await s.dispatch('people:update', { ...SAMPLE_PERSON, id: person.id, expectedVersion: 1, currentFacilityId: facilityId, languages: ['ar'], consentGiven: true, consentDate: '2026-05-01', counsel: 'Clinic', reason: 'interview' });
  if (!u.ok) throw new Error(`setup failed: ${JSON.stringify(u.error)}`);
  const i = await s.dispatch('incidents:create', { personId: person.id, facilityId, occurredOn: '2026-06-01', categories: ['FOOD', 'WATER'], summary: 'Meal withheld' });
  if (!i.ok) throw new Error(`setup failed: ${JSON.stringify(i.error)}`);
  const incident = i.data as { id: string };
  const d = await s.dispatch('incidents:delete', { id: incident.id, expectedVersion: 1, reason: 'entered twice' });
  if (!d.ok) throw new Error(`setup failed: ${JSON.stringify(d.error)}`);
  s.vault.closeQuietly();
  return { file, personId: person.id, incidentId: incident.id };
}

function tamper(file: string, sql: string, ...params: unknown[]): void {
  const raw = new Database(file);
  raw.prepare(sql).run(...params);
  raw.close();
}

function verify(file: string) {
  const db = openDatabase(file);
  try {
    return verifyRecords(db);
  } finally {
    db.close();
  }
}

describe('current rows against their history', () => {
  it('verifies records created, edited, deleted (json, boolean and null fields included)', async () => {
    const { file } = await records();
    expect(verify(file)).toMatchObject({ ok: true, firstBroken: null });
  });

  it('names the table, the record and the field of a value changed straight in the table', async () => {
    const { file, personId } = await records();
    tamper(file, 'UPDATE people SET family_name = ? WHERE id = ?', 'Someone Else', personId);
    const r = verify(file);
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toMatchObject({ table: 'people', entity: 'person', id: personId, version: 2 });
    expect(r.firstBroken!.problem).toMatch(/familyName in people differs from its last recorded version 2/);
  });

  it('catches a tombstone undone outside the app, a version number changed, a row removed and a row added', async () => {
    const a = await records();
    tamper(a.file, 'UPDATE incidents SET deleted_at = NULL WHERE id = ?', a.incidentId);
    expect(verify(a.file).firstBroken).toMatchObject({ table: 'incidents', id: a.incidentId, problem: expect.stringMatching(/deletedAt/) });

    const b = await records();
    tamper(b.file, 'UPDATE people SET version = 1 WHERE id = ?', b.personId);
    expect(verify(b.file).firstBroken?.problem).toMatch(/is at version 1 in people, but its history ends at version 2/);

    const c = await records();
    const raw = new Database(c.file);
    raw.pragma('foreign_keys = OFF');
    raw.prepare('DELETE FROM incidents WHERE id = ?').run(c.incidentId);
    raw.close();
    expect(verify(c.file).firstBroken?.problem).toMatch(/has a recorded history but no row in incidents/);

    const { file } = await records();
    const raw2 = new Database(file);
    raw2.exec(`CREATE TEMP TABLE ghost AS SELECT * FROM facilities LIMIT 1;
      UPDATE ghost SET id = '01ZZZZZZZZZZZZZZZZZZZZZZZZ', name = 'Ghost';
      INSERT INTO facilities SELECT * FROM ghost;`);
    raw2.close();
    expect(verify(file).firstBroken).toMatchObject({ table: 'facilities', id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ', problem: expect.stringMatching(/no recorded version/) });
  });
});

describe('which fault is named first', () => {
  // Catches: verifyRecords going on to the current rows after the chain broke (its first fault lost).
  it('names the broken chain before a changed current row', async () => {
    const { file, personId } = await records();
    tamper(file, `UPDATE audit_log SET user = 'someone-else' WHERE seq = 1`);
    tamper(file, 'UPDATE people SET family_name = ? WHERE id = ?', 'Someone Else', personId);
    expect(verify(file).firstBroken).toMatchObject({ seq: 1, table: 'audit_log' });
  });

  // Catches: a last recorded version that cannot be read taken as matching (or throwing).
  it('names a current row whose last recorded version cannot be read', async () => {
    const { file, personId } = await records();
    tamper(file, `UPDATE record_versions SET data = '{not json' WHERE entity = 'person' AND version = 2`);
    const db = openDatabase(file);
    try {
      expect(verifyCurrentRows(db)).toMatchObject({ table: 'people', id: personId, version: 2, problem: expect.stringMatching(/version 2 cannot be read/) });
    } finally {
      db.close();
    }
  });
});

describe('the periodic check after an intact one', () => {
  it('reads only what came after it while this app alone writes, and the whole history again when asked', async () => {
    const { file } = await records();
    const s = testSession(file);
    try {
      const first = await s.dispatch('audit:verify', {});
      if (!first.ok) throw new Error(first.error.message);
      const { wholeHistoryCheckedAt: whole, auditRows } = first.data as { ok: boolean; wholeHistoryCheckedAt: string; auditRows: number };
      expect(first.data).toMatchObject({ ok: true });
      const f = await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: 'Calhoun County Jail' });
      expect(f.ok).toBe(true);
      const next = await s.dispatch('audit:verify', {});
      expect(next).toMatchObject({ ok: true, data: { ok: true, auditRows: auditRows + 1, wholeHistoryCheckedAt: whole } });
      // An old version changed by this very connection (not through the app) is not re-read by the
      // periodic check; the full check finds it.
      s.ctx.db.prepare(`UPDATE record_versions SET reason = 'changed' WHERE entity = 'person' AND version = 2`).run();
      expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: true, data: { ok: true } });
      expect(await s.dispatch('audit:verify', { full: true })).toMatchObject({ ok: true, data: { ok: false, firstBroken: { table: 'record_versions', entity: 'person', version: 2 } } });
    } finally {
      s.vault.closeQuietly();
    }
  });

  it('reads the whole history again once another connection has written to the file', async () => {
    const { file, personId } = await records();
    const s = testSession(file);
    try {
      expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: true, data: { ok: true } });
      // A SQLite tool edits an old record while the app is open.
      tamper(file, 'UPDATE people SET family_name = ? WHERE id = ?', 'Someone Else', personId);
      const r = await s.dispatch('audit:verify', {});
      expect(r).toMatchObject({ ok: true, data: { ok: false, firstBroken: { table: 'people', id: personId } } });
    } finally {
      s.vault.closeQuietly();
    }
  });

  it('goes on from an empty history', async () => {
    const s = testSession(tempDbFile());
    try {
      expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: true, data: { ok: true, auditRows: 0 } });
      expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: true, data: { ok: true, auditRows: 0 } });
      expect(await s.dispatch('facilities:create', SAMPLE_FACILITY)).toMatchObject({ ok: true });
      expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: true, data: { ok: true, auditRows: 1 } });
    } finally {
      s.vault.closeQuietly();
    }
  });

  it('keeps a broken history shown as broken until it is checked whole again', async () => {
    const { file, personId } = await records();
    const s = testSession(file);
    try {
      tamper(file, 'UPDATE people SET family_name = ? WHERE id = ?', 'Someone Else', personId);
      const broken = { ok: true, data: { ok: false, firstBroken: { table: 'people', id: personId } } };
      expect(await s.dispatch('audit:verify', {})).toMatchObject(broken);
      // Mended by this very connection: the periodic check still shows what it found; a whole check
      // reads it again.
      s.ctx.db.prepare('UPDATE people SET family_name = ? WHERE id = ?').run('Haddad', personId);
      expect(await s.dispatch('audit:verify', {})).toMatchObject(broken);
      expect(await s.dispatch('audit:verify', { full: true })).toMatchObject({ ok: true, data: { ok: true } });
    } finally {
      s.vault.closeQuietly();
    }
  });

  it('finds a new audit row changed after it was written, reading only the new rows', async () => {
    const { file } = await records();
    const s = testSession(file);
    try {
      expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: true, data: { ok: true } });
      const f = await s.dispatch('facilities:create', { ...SAMPLE_FACILITY, name: 'Calhoun County Jail' });
      expect(f.ok).toBe(true);
      const last = s.ctx.db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number;
      s.ctx.db.prepare(`UPDATE audit_log SET user = 'someone else' WHERE seq = ?`).run(last);
      expect(await s.dispatch('audit:verify', {})).toMatchObject({ ok: true, data: { ok: false, firstBroken: { seq: last, table: 'audit_log' } } });
    } finally {
      s.vault.closeQuietly();
    }
  });
});

describe('what a check from a verified tip reads', () => {
  const tipOf = (db: ReturnType<typeof openDatabase>) => db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };

  // Catches: the check after a tip reading every current row, or none (named(…) and its parameters).
  it('reads the current rows of the records named after the tip only', async () => {
    const { file, personId, incidentId } = await records();
    tamper(file, 'UPDATE people SET family_name = ? WHERE id = ?', 'Someone Else', personId);
    const db = openDatabase(file);
    try {
      const personSeq = db.prepare(`SELECT MAX(seq) FROM audit_log WHERE entity = 'person'`).pluck().get() as number;
      const broken = { table: 'people', id: personId, version: 2, problem: expect.stringMatching(/familyName in people differs/) };
      // The person's last audit row is after the tip: its row is read, and named.
      expect(verifyCurrentRows(db, personSeq - 1)).toMatchObject(broken);
      expect(verifyCurrentRows(db)).toMatchObject(broken);
      // Every audit row of the person at or before the tip: the whole check's part.
      expect(verifyCurrentRows(db, personSeq)).toBeNull();
      db.pragma('foreign_keys = OFF');
      db.prepare('UPDATE people SET family_name = ? WHERE id = ?').run('Haddad', personId);
      db.prepare('DELETE FROM incidents WHERE id = ?').run(incidentId);
      const incidentSeq = db.prepare(`SELECT MAX(seq) FROM audit_log WHERE entity = 'incident'`).pluck().get() as number;
      const gone = { table: 'incidents', id: incidentId, version: 2, problem: expect.stringMatching(/has a recorded history but no row in incidents/) };
      expect(verifyCurrentRows(db, incidentSeq - 1)).toMatchObject(gone);
      expect(verifyCurrentRows(db, incidentSeq)).toBeNull();
    } finally {
      db.close();
    }
  });

  // Catches: settings, definitions, the export log and derived rows read after a tip too, or never.
  it('leaves settings and derived rows to the whole check', async () => {
    const { file } = await records();
    const s = testSession(file);
    expect(await s.dispatch('reports:save-settings', { officeName: 'Detroit Legal Aid', aNumberInPublic: 'omit' })).toMatchObject({ ok: true });
    s.vault.closeQuietly();
    tamper(file, `UPDATE report_settings SET data = json_set(data, '$.aNumberInPublic', 'last3')`);
    const db = openDatabase(file);
    try {
      const tip = tipOf(db);
      expect(verifyRecords(db, tip)).toEqual({ ok: true, auditRows: tip.seq, recordVersions: tip.seq, firstBroken: null, tip });
      expect(verifyRecords(db)).toMatchObject({ ok: false, tip: null, firstBroken: { table: 'report_settings', entity: 'office-settings' } });
      db.prepare(`UPDATE report_settings SET data = json_set(data, '$.aNumberInPublic', 'omit')`).run();
      expect(verifyRecords(db)).toMatchObject({ ok: true });
      // A derived row: an incident's category (incident_categories), rebuilt from its record.
      db.prepare(`DELETE FROM incident_categories`).run();
      expect(verifyRecords(db, tip)).toMatchObject({ ok: true });
      expect(verifyRecords(db)).toMatchObject({ ok: false, tip: null, firstBroken: { table: 'incident_categories' } });
    } finally {
      db.close();
    }
  });
});

describe('the signed tips', () => {
  // Catches: verifyRecords leaving out the device chains and signed tips (the devices check).
  it('names a signed tip of this laptop whose signature was changed, on a whole check and after a tip', async () => {
    const { file } = await records();
    const db = openDatabase(file);
    try {
      const tip = signLocalTip(db);
      expect(verifyRecords(db)).toMatchObject({ ok: true });
      const other = Buffer.from(tip.signature, 'base64');
      other[0] = other[0]! ^ 1;
      db.prepare('UPDATE chain_tips SET signature = ? WHERE seq = ?').run(other.toString('base64'), tip.seq);
      const broken = { ok: false, tip: null, firstBroken: { seq: tip.seq, table: 'chain_tips', device: tip.device, problem: expect.stringMatching(/signature of its chain tip/) } };
      expect(verifyRecords(db)).toMatchObject(broken);
      expect(verifyRecords(db, { seq: tip.seq, hash: tip.hash })).toMatchObject(broken);
    } finally {
      db.close();
    }
  });
});
