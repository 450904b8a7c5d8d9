import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, tempDbFile, testSession } from '../../test/helpers';
import { openDatabase } from '../connect';
import { verifyRecords } from './verify';

afterEach(cleanupTempDirs);

/** A closed database: a person, three incidents (one edited in text and categories, one deleted). */
async function incidents(): Promise<{ file: string; personId: string; edited: string; deleted: string; plain: string }> {
  const file = tempDbFile();
  const s = testSession(file);
  const ok = async (channel: string, input: unknown) => {
    const r = await s.dispatch(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
    return r.data as { id: string };
  };
  const facilityId = (await ok('facilities:create', SAMPLE_FACILITY)).id;
  const personId = (await ok('people:create', { ...SAMPLE_PERSON, currentFacilityId: facilityId })).id;
  const base = { personId, facilityId, occurredOn: '2026-06-01', categories: ['FOOD'] };
  const edited = (await ok('incidents:create', { ...base, summary: 'Meal withheld', ownWords: 'لم يعطوني الطعام' })).id;
  await ok('incidents:update', { ...base, id: edited, expectedVersion: 1, categories: ['FOOD', 'WATER'], summary: 'Meal and water withheld for a day', ownWords: 'لم يعطوني الماء' });
  const deleted = (await ok('incidents:create', { ...base, summary: 'Entered twice' })).id;
  await ok('incidents:delete', { id: deleted, expectedVersion: 1 });
  const plain = (await ok('incidents:create', { ...base, occurredOn: '2026-06-03', categories: ['THREATS'], summary: 'Threatened with transfer' })).id;
  s.vault.closeQuietly();
  return { file, personId, edited, deleted, plain };
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

describe('derived rows against the records', () => {
  it('verifies categories, filing codes, name keys and the search index of edited and deleted incidents', async () => {
    const { file } = await incidents();
    expect(verify(file)).toMatchObject({ ok: true, firstBroken: null });
  });

  it('names a category row added, removed or changed in incident_categories', async () => {
    const { file, plain, edited } = await incidents();
    tamper(file, `INSERT INTO incident_categories (incident_id, category, occurred_on, facility_id, deleted_at)
      SELECT incident_id, 'FORCE', occurred_on, facility_id, deleted_at FROM incident_categories WHERE incident_id = ?`, plain);
    expect(verify(file).firstBroken).toMatchObject({ table: 'incident_categories', id: plain, problem: expect.stringMatching(/row FORCE of incident/) });
    tamper(file, `DELETE FROM incident_categories WHERE incident_id = ? AND category = 'FORCE'`, plain);
    tamper(file, `DELETE FROM incident_categories WHERE incident_id = ? AND category = 'WATER'`, edited);
    expect(verify(file).firstBroken).toMatchObject({ table: 'incident_categories', id: edited, problem: expect.stringMatching(/recorded under WATER, but incident_categories has no such row/) });
    tamper(file, `INSERT INTO incident_categories (incident_id, category, occurred_on, facility_id, deleted_at) SELECT id, 'WATER', occurred_on, facility_id, '2026-06-02' FROM incidents WHERE id = ?`, edited);
    expect(verify(file).firstBroken).toMatchObject({ table: 'incident_categories', id: edited, problem: expect.stringMatching(/date, facility or deletion/) });
  });

  it('names an incident whose search index entry was removed, or given words its text does not have', async () => {
    const { file, plain, edited } = await incidents();
    const rowid = (id: string) => {
      const raw = new Database(file);
      const r = raw.prepare('SELECT search_rowid FROM incidents WHERE id = ?').pluck().get(id) as number;
      raw.close();
      return r;
    };
    tamper(file, `DELETE FROM incident_text WHERE rowid = ?`, rowid(plain));
    expect(verify(file).firstBroken).toMatchObject({ table: 'incident_text', id: plain, problem: expect.stringMatching(/a word missing/) });
    tamper(file, `INSERT INTO incident_text (rowid, body) VALUES (?, ?)`, rowid(plain), 'threatened with transfer');
    expect(verify(file).ok).toBe(true);
    tamper(file, `DELETE FROM incident_text WHERE rowid = ?`, rowid(edited));
    tamper(file, `INSERT INTO incident_text (rowid, body) VALUES (?, ?)`, rowid(edited), 'meal and water withheld for a day لم يعطوني الماء nothing happened');
    expect(verify(file).firstBroken).toMatchObject({ table: 'incident_text', id: edited, problem: expect.stringMatching(/a word added/) });
  });

  it('names a person whose name key or filing code was changed', async () => {
    const { file, personId } = await incidents();
    tamper(file, `UPDATE people SET name_key = 'someone else' WHERE id = ?`, personId);
    expect(verify(file).firstBroken).toMatchObject({ table: 'people', id: personId, problem: expect.stringMatching(/name_key/) });
    tamper(file, `UPDATE people SET name_key = NULL, folded_name = NULL WHERE id = ?`, personId);
    tamper(file, `UPDATE filing_codes SET n = 99 WHERE person_id = ?`, personId);
    expect(verify(file).firstBroken).toMatchObject({ table: 'filing_codes', id: personId });
  });
});
