import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbFile, tempDir, testSession } from '../../test/helpers';
import { openDatabase } from '../connect';
import { migrate } from '../migrate';
import { verifyRecords } from './verify';

afterEach(cleanupTempDirs);

const DEFINITION = {
  name: 'June report',
  caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'HAMAMA, et al.,', caseNumber: 'Case No. 2:17-cv-11910' },
  title: 'Status report',
  exhibitLabel: 'Exhibit A',
  periodFrom: '2026-06-01',
  periodTo: '2026-06-30',
};

/** A closed database with office settings, a backup plan, a definition saved twice and one export. */
async function outsideRows(): Promise<{ file: string; exportId: string; folder: string; html: string; definitionId: string }> {
  const file = tempDbFile();
  const s = testSession(file);
  const ok = async (channel: string, input: unknown) => {
    const r = await s.dispatch(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
    return r.data as Record<string, unknown>;
  };
  await ok('reports:save-settings', { officeName: 'Detroit Legal Aid', aNumberInPublic: 'omit' });
  await ok('backup:configure', { everyWrites: 0, everyMinutes: 0, keep: 5 });
  const d = await ok('reports:save', { definition: DEFINITION });
  await ok('reports:save', { id: d.id, expectedVersion: 1, definition: { ...DEFINITION, title: 'Status report, corrected' } });
  const folder = tempDir();
  const e = (await ok('reports:export', { definitionId: d.id, formats: ['html'], folder })) as { export: { id: string; files: { name: string; format: string }[] } };
  s.vault.closeQuietly();
  const html = e.export.files.find((f) => f.format === 'html')!.name;
  return { file, exportId: e.export.id, folder, html, definitionId: d.id as string };
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

describe('settings, definitions and the export log are in the chain', () => {
  it('chains each of them, and an untouched database verifies', async () => {
    const { file } = await outsideRows();
    const db = openDatabase(file);
    const entities = db.prepare(`SELECT entity || ' ' || version FROM audit_log ORDER BY seq`).pluck().all();
    db.close();
    expect(entities).toEqual(['office-settings 1', 'setting 1', 'report 1', 'report 2', 'export 1']);
    expect(verify(file)).toMatchObject({ ok: true, auditRows: 5 });
  });

  it('names office settings changed outside the app (the A-number digits shown in public exhibits)', async () => {
    const { file } = await outsideRows();
    tamper(file, `UPDATE report_settings SET data = json_set(data, '$.aNumberInPublic', 'last3')`);
    expect(verify(file).firstBroken).toMatchObject({
      table: 'report_settings',
      entity: 'office-settings',
      problem: expect.stringMatching(/aNumberInPublic in report_settings differs from its last recorded version 1/),
    });
  });

  it('names a backup plan changed outside the app, and one removed', async () => {
    const { file } = await outsideRows();
    tamper(file, `UPDATE settings SET value = json_set(value, '$.keep', 1) WHERE key = 'backup'`);
    expect(verify(file).firstBroken).toMatchObject({ table: 'settings', id: 'backup', problem: expect.stringMatching(/value in settings differs/) });
    tamper(file, `DELETE FROM settings WHERE key = 'backup'`);
    expect(verify(file).firstBroken).toMatchObject({ table: 'settings', id: 'backup', problem: expect.stringMatching(/no row in settings/) });
  });

  it('names a forged hash in the export log, though exports:verify now vouches for the forged file', async () => {
    const { file, exportId, folder, html } = await outsideRows();
    const forged = '<html>nothing happened</html>';
    writeFileSync(join(folder, html), forged);
    const sha = createHash('sha256').update(forged).digest('hex');
    tamper(file, `UPDATE report_export_files SET sha256 = ?, bytes = ? WHERE export_id = ? AND name = ?`, sha, forged.length, exportId, html);
    const s = testSession(file);
    expect(await s.dispatch('exports:verify', { exportId, name: html })).toMatchObject({ ok: true, data: { matches: true } });
    expect(await s.dispatch('audit:verify', { full: true })).toMatchObject({
      ok: true,
      data: { ok: false, firstBroken: { table: 'report_exports', id: exportId, problem: expect.stringContaining(`the SHA-256 or size of ${html}`) } },
    });
    s.vault.closeQuietly();
  });

  it('names an export removed from the log, one added around it, and a file row left without its export', async () => {
    const { file, exportId } = await outsideRows();
    tamper(file, `UPDATE report_exports SET generated_by = 'someone else' WHERE id = ?`, exportId);
    expect(verify(file).firstBroken).toMatchObject({ table: 'report_exports', problem: expect.stringMatching(/generatedBy in report_exports differs/) });
    tamper(file, `UPDATE report_exports SET generated_by = 'test-attorney' WHERE id = ?`, exportId);
    expect(verify(file).ok).toBe(true);
    tamper(file, `INSERT INTO report_exports SELECT 'FORGED', definition_id, definition_version, definition, profile, exhibit_label, period_from, period_to,
      generated_at, generated_by, app_version, folder, incident_count, manifest FROM report_exports WHERE id = ?`, exportId);
    expect(verify(file).firstBroken).toMatchObject({ table: 'report_exports', id: 'FORGED', problem: expect.stringMatching(/no recorded version/) });
    tamper(file, `DELETE FROM report_exports WHERE id = 'FORGED'`);
    const raw = new Database(file);
    raw.pragma('foreign_keys = OFF');
    raw.prepare(`DELETE FROM report_exports WHERE id = ?`).run(exportId);
    raw.close();
    expect(verify(file).firstBroken).toMatchObject({ table: 'report_exports', id: exportId, problem: expect.stringMatching(/no row in report_exports/) });
  });

  it('names a report definition changed in its row or in its saved version copy', async () => {
    const { file, definitionId } = await outsideRows();
    tamper(file, `UPDATE report_definitions SET data = json_set(data, '$.periodTo', '2026-07-31') WHERE id = ?`, definitionId);
    expect(verify(file).firstBroken).toMatchObject({ table: 'report_definitions', id: definitionId, version: 2, problem: expect.stringMatching(/definition in report_definitions differs/) });
    tamper(file, `UPDATE report_definitions SET data = json_set(data, '$.periodTo', '2026-06-30') WHERE id = ?`, definitionId);
    expect(verify(file).ok).toBe(true);
    tamper(file, `UPDATE report_definition_versions SET data = json_set(data, '$.title', 'Other') WHERE id = ? AND version = 1`, definitionId);
    expect(verify(file).firstBroken).toMatchObject({ table: 'report_definition_versions', id: definitionId, version: 1 });
  });
});

describe('migration 6 chains the rows written before it', () => {
  it('keeps every row of a version-5 database and chains its settings, definitions and exports', () => {
    const file = tempDbFile();
    const raw = new Database(file);
    migrate(raw, { to: 5 });
    raw.exec(`
      INSERT INTO report_settings (id, data, updated_at, updated_by) VALUES (1, '{"officeName":"Clinic","aNumberInPublic":"last3"}', '2026-05-01T00:00:00.000Z', 'ann');
      INSERT INTO settings (key, value) VALUES ('backup', '{"keep":4}');
      INSERT INTO report_definitions (id, name, data, version, created_at, updated_at) VALUES ('D1', 'B', '{"name":"B","title":"t2"}', 2, '2026-05-02T00:00:00.000Z', '2026-05-03T00:00:00.000Z');
      INSERT INTO report_definition_versions (id, version, data, saved_at, saved_by) VALUES ('D1', 1, '{"name":"A","title":"t1"}', '2026-05-02T00:00:00.000Z', 'ann');
      INSERT INTO report_definition_versions (id, version, data, saved_at, saved_by) VALUES ('D1', 2, '{"name":"B","title":"t2"}', '2026-05-03T00:00:00.000Z', 'bob');
      INSERT INTO report_exports (id, definition_id, definition_version, definition, profile, exhibit_label, period_from, period_to, generated_at, generated_by, app_version, folder, incident_count, manifest)
        VALUES ('E1', 'D1', 2, '{"name":"B"}', 'public', 'Exhibit A', '2026-05-01', '2026-05-31', '2026-05-04T00:00:00.000Z', 'bob', '0.1.0', '/exports', 3, '{"kind":"attest-export-manifest"}');
      INSERT INTO report_export_files (export_id, name, format, bytes, sha256) VALUES ('E1', 'a.html', 'html', 10, '${'ab'.repeat(32)}');
    `);
    const tables = ['report_settings', 'settings', 'report_definitions', 'report_definition_versions', 'report_exports', 'report_export_files'];
    const dump = (db: Database.Database) => tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
    const before = dump(raw);
    raw.close();
    const db = openDatabase(file);
    expect(dump(db as unknown as Database.Database)).toEqual(before);
    expect(db.prepare(`SELECT entity || ' ' || id || ' ' || version FROM audit_log ORDER BY seq`).pluck().all()).toEqual([
      'office-settings office 1',
      'report D1 1',
      'report D1 2',
      'export E1 1',
      'setting backup 1',
    ]);
    expect(verifyRecords(db)).toMatchObject({ ok: true, auditRows: 5 });
    db.close();
  });
});
