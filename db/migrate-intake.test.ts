import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../electron/core/session';
import { cleanupTempDirs, tempDbFile } from '../test/helpers';
import { loadMigrations, migrate, schemaVersion } from './migrate';
import { openDatabase } from './connect';
import Database from 'better-sqlite3-multiple-ciphers';

afterEach(cleanupTempDirs);

describe('migration to intake', () => {
  it('keeps every row of a version-1 database and fills filing codes, categories, name keys and the search index', async () => {
    const file = tempDbFile();
    const v1 = new Database(file);
    migrate(v1, { to: 1 });
    v1.exec(`
      INSERT INTO facilities VALUES ('01J00000000000000000000F01', 'North Lake', 'Baldwin', 'MI', 'PRIVATE', NULL, 'PBNDS_2011', 1, '2026-01-01', '2026-01-01', NULL);
      INSERT INTO people VALUES ('01J00000000000000000000P02', 'Haddad', 'Mohammed', 'محمد حداد', '200000002', NULL, NULL, NULL, 1, '2026-01-02', '2026-01-02', NULL);
      INSERT INTO people VALUES ('01J00000000000000000000P01', 'Saleh', 'Ahmed', NULL, '200000001', NULL, NULL, NULL, 1, '2026-01-01', '2026-01-01', NULL);
      INSERT INTO incidents VALUES ('01J00000000000000000000X01', '01J00000000000000000000P01', '01J00000000000000000000F01', '2026-02-01', 'No water in the cell', 1, '2026-02-02', '2026-02-02', NULL);
      INSERT INTO incident_categories VALUES ('01J00000000000000000000X01', 'WATER'), ('01J00000000000000000000X01', 'FOOD');
    `);
    v1.close();

    const s = openSession(file);
    expect(schemaVersion(s.ctx.db)).toBe(loadMigrations().length);
    const people = await s.dispatch('people:list', { sort: 'filingCode' });
    expect(people).toMatchObject({ ok: true, data: { total: 2, items: [{ familyName: 'Saleh', filingCode: 'CM-001' }, { familyName: 'Haddad', filingCode: 'CM-002' }] } });
    const got = await s.dispatch('incidents:get', { id: '01J00000000000000000000X01' });
    expect(got.ok ? null : got.error.message).toBeNull();
    expect(got).toMatchObject({
      ok: true,
      data: { categories: ['FOOD', 'WATER'], status: 'new', includeInReport: true, datePrecision: 'exact', staffInvolved: [] },
    });
    expect(await s.dispatch('incidents:search', { text: 'water' })).toMatchObject({ ok: true, data: { total: 1 } });
    expect(await s.dispatch('incidents:list', { category: 'FOOD' })).toMatchObject({ ok: true, data: { total: 1 } });
    expect(await s.dispatch('people:similar', { familyName: 'haddad', givenName: 'Muhammad' })).toMatchObject({
      ok: true,
      data: { similar: [{ id: '01J00000000000000000000P02' }] },
    });
    // The next person continues the sequence.
    expect(await s.dispatch('people:create', { familyName: 'New', givenName: 'One', aNumber: '200000003' })).toMatchObject({ ok: true, data: { filingCode: 'CM-003' } });
    s.close();
  });

  it('only adds: no column of an earlier version is dropped or renamed', () => {
    const before = new Database(':memory:');
    migrate(before, { to: 1 });
    const after = openDatabase(tempDbFile());
    const columns = (db: Database.Database) =>
      Object.fromEntries(
        (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]).map((t) => [
          t,
          (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]),
        ]),
      );
    const a = columns(before);
    const b = columns(after);
    for (const [table, cols] of Object.entries(a)) expect(b[table]).toEqual(expect.arrayContaining(cols));
    before.close();
    after.close();
  });
});
