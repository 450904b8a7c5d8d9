// The vault finishes, when it opens the database, an export that was killed after it was logged
// and before its files were moved into place. Apart from vault.test.ts: it needs the whole session
// (dispatch and its handlers), which the mutation runs of the vault's other steps need not load.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { defaultDefinition } from '../../shared/report/definition';
import { SAMPLE_FACILITY, cleanupTempDirs, tempDir } from '../../test/helpers';
import { officeSettings } from './report-export';
import { openSession } from './session';
import { Vault } from './vault';

let templates: string;
beforeAll(() => {
  templates = mkdtempSync(join(tmpdir(), 'attest-vault-templates-'));
  openDatabase(join(templates, 'plain.sqlite')).close();
});
afterAll(() => rmSync(templates, { recursive: true, force: true }));
afterEach(cleanupTempDirs);

function fresh(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'attest.sqlite');
  copyFileSync(join(templates, 'plain.sqlite'), file);
  return { dir, file };
}

describe('an export interrupted after it was logged', () => {
  it('is finished when the database is opened (its staged files moved into place), with a notice; a read-only open leaves it', async () => {
    const { dir, file } = fresh();
    const out = join(dir, 'exhibits');
    const s = openSession(file, { now: () => new Date('2026-06-20T10:00:00.000Z') });
    const must = async (channel: string, input: unknown) => {
      const r = await s.dispatch(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.data as Record<string, unknown>;
    };
    const fac = (await must('facilities:create', SAMPLE_FACILITY)) as { id: string };
    const person = (await must('people:create', { familyName: 'Haddad', givenName: 'Yusuf', aNumber: '012345678', consentGiven: true, consentDate: '2026-06-01' })) as { id: string };
    await must('incidents:create', { personId: person.id, facilityId: fac.id, occurredOn: '2026-06-18', categories: ['WATER'], summary: 'Water withheld for a day', includeInReport: true });
    const definition = defaultDefinition(officeSettings(s.ctx.db), { from: '2026-06-01', to: '2026-06-30' });
    const done = (await must('reports:export', { definition, formats: ['csv'], folder: out, profile: 'sealed' })) as { export: { id: string } };
    s.vault.closeQuietly();
    // As a kill after the log and before the moves leaves it: the files in the logged export's staging folder.
    const staged = join(out, `.attest-export-${done.export.id}-999999999.partial`);
    mkdirSync(staged);
    const names = readdirSync(out).filter((f) => !f.startsWith('.'));
    for (const f of names) renameSync(join(out, f), join(staged, f));
    const ro = new Vault(file, { readonly: true });
    ro.open(null);
    expect(ro.recovered).toEqual([]);
    expect(existsSync(staged)).toBe(true);
    ro.closeQuietly();
    const v = new Vault(file);
    v.open(null);
    expect(v.recovered).toEqual([`export ${done.export.id} was interrupted after it was logged; its files were moved into place`]);
    expect(readdirSync(out).filter((f) => !f.startsWith('.')).sort()).toEqual(names.sort());
    v.closeQuietly();
  });
});
