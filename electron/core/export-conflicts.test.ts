// An export whose records have open conflicts (two laptops edited the same version) needs an
// explicit choice: refused, naming the records, unless asked to note them; then the method note
// and the manifest name them. And a record's history shows every laptop's versions, by device.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDefinition, OfficeSettings } from '../../shared/report/definition';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, tempDbFile, tempDir, testSession } from '../../test/helpers';
import { runCli } from '../cli/cli';
import { chromiumPdfPrinter } from '../cli/pdf-chromium';
import { setReportHost } from './report-host';
import type { Session } from './session';

afterEach(cleanupTempDirs);

const PASS = 'office bundle passphrase';

async function call<T = Record<string, unknown>>(s: Session, channel: string, input: unknown = {}): Promise<T> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.data as T;
}

async function send(from: Session, to: Session) {
  const { file } = await call<{ file: string }>(from, 'sync:export', { folder: tempDir(), passphrase: PASS });
  return call<{ newConflicts: number }>(to, 'sync:import', { file, passphrase: PASS });
}

const definition = { ...defaultDefinition(OfficeSettings.parse({}), { from: '2026-01-01', to: '2026-06-20' }), profile: 'internal' as const };

/** Two laptops with one incident, edited on both from the same version: an open conflict on b. */
async function conflicted(bFile = tempDbFile()) {
  const a = testSession();
  const b = testSession(bFile);
  const status = await call<{ local: { id: string } }>(a, 'sync:status');
  await call(a, 'sync:rename-device', { id: status.local.id, name: "Dana's laptop" });
  const f = await call<{ id: string }>(a, 'facilities:create', SAMPLE_FACILITY);
  const p = await call<{ id: string }>(a, 'people:create', { ...SAMPLE_PERSON, currentFacilityId: f.id, consentGiven: true, consentDate: '2026-04-01' });
  const inc = { personId: p.id, facilityId: f.id, occurredOn: '2026-05-01', categories: ['WATER'], summary: 'no water for two days' };
  const i = await call<{ id: string }>(a, 'incidents:create', inc);
  await send(a, b);
  await call(a, 'incidents:update', { ...inc, id: i.id, expectedVersion: 1, summary: 'no water for three days' });
  await call(b, 'incidents:update', { ...inc, id: i.id, expectedVersion: 1, categories: ['WATER', 'FOOD'] });
  expect(await send(a, b)).toMatchObject({ newConflicts: 1 });
  return { a, b, incident: i.id, device: status.local.id };
}

describe('exports with open conflicts', () => {
  it('lists them in the preview, refuses the export naming them, and with the choice names them in the note and manifest', async () => {
    const { a, b, incident } = await conflicted();
    const preview = await call<{ incidents: number; conflicts: { entity: string; id: string; heads: number }[] }>(b, 'reports:preview', { definition });
    expect(preview.incidents).toBe(1);
    expect(preview.conflicts).toEqual([expect.objectContaining({ entity: 'incident', id: incident, heads: 2 })]);
    // The laptop without the other's edit has no conflict.
    expect((await call<{ conflicts: unknown[] }>(a, 'reports:preview', { definition })).conflicts).toEqual([]);

    const folder = tempDir();
    const refused = await b.dispatch('reports:export', { definition, formats: ['html', 'csv'], folder });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('INVALID_INPUT');
    expect(refused.error.message).toContain(`incident ${incident}`);
    expect(refused.error.message).toMatch(/^conflicts: 1 record of this report has an open conflict/);
    expect(readdirSync(folder)).toEqual([]);
    expect(await call<{ total: number }>(b, 'exports:list')).toMatchObject({ total: 0 });

    const done = await call<{ manifestPath: string; export: { files: { name: string }[] } }>(b, 'reports:export', { definition, formats: ['html'], folder, conflicts: 'note' });
    const manifest = JSON.parse(readFileSync(done.manifestPath, 'utf8')) as { openConflicts?: unknown };
    expect(manifest.openConflicts).toEqual([{ entity: 'incident', id: incident, heads: 2 }]);
    const html = readFileSync(join(folder, done.export.files.find((f) => f.name.endsWith('.html'))!.name), 'utf8');
    expect(html).toContain('Exported with open conflicts');
    expect(html).toContain(`incident ${incident} (2 versions)`);

    // Without a conflict the export goes ahead without the choice, and names none.
    const clean = await call<{ manifestPath: string }>(a, 'reports:export', { definition, formats: ['html'], folder: tempDir() });
    expect(existsSync(clean.manifestPath)).toBe(true);
    expect(JSON.parse(readFileSync(clean.manifestPath, 'utf8'))).not.toHaveProperty('openConflicts');
  });

  it('a filing bundle is refused the same way, and with the choice names them in its manifest', async () => {
    const { b, incident } = await conflicted();
    const printer = await chromiumPdfPrinter();
    if ('unavailable' in printer) throw new Error(printer.unavailable);
    try {
      setReportHost(b.ctx, { pdf: async () => printer });
      const folder = tempDir();
      const r = await b.dispatch('reports:bundle', { definition, folder });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).toContain(`incident ${incident}`);
      expect(readdirSync(folder)).toEqual([]);
      const done = await call<{ manifestPath: string }>(b, 'reports:bundle', { definition, folder, conflicts: 'note' });
      expect(JSON.parse(readFileSync(done.manifestPath, 'utf8'))).toMatchObject({ openConflicts: [{ entity: 'incident', id: incident, heads: 2 }] });
    } finally {
      await printer.close?.();
    }
  }, 60_000);
});

describe('attest export --with-conflicts', () => {
  it('refuses without the flag, naming the record, and exports with it', async () => {
    const file = tempDbFile();
    const { b, incident } = await conflicted(file);
    b.close();
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const code = await runCli(['export', '--db', file, '--format', 'html', '--profile', 'internal', '--from', '2026-01-01', '--to', '2026-06-20', ...args], { out: (x) => out.push(x), err: () => undefined }, {});
      return { code, out: out.join('\n') };
    };
    const folder = tempDir();
    const refused = await cli(['--out', folder]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`incident ${incident}`);
    expect(readdirSync(folder)).toEqual([]);
    const done = await cli(['--out', folder, '--with-conflicts']);
    expect(done.code).toBe(0);
    const { manifestPath } = (JSON.parse(done.out) as { data: { manifestPath: string } }).data;
    expect(JSON.parse(readFileSync(manifestPath, 'utf8'))).toMatchObject({ openConflicts: [{ entity: 'incident', id: incident }] });
  });
});

describe('history with several laptops', () => {
  it('shows both heads, each with its device, and the resolution naming both', async () => {
    const { b, incident, device } = await conflicted();
    const detail = await call<{ heads: { ref: { device: string; seq: number }; device: { id: string } }[] }>(b, 'sync:conflict', { entity: 'incident', id: incident });
    const theirs = detail.heads.find((h) => h.device.id === device)!;
    await call(b, 'sync:resolve', { entity: 'incident', id: incident, pick: theirs.ref, reason: 'the later account' });
    const { versions } = await call<{
      versions: { version: number; action: string; reason: string | null; device: { id: string; name: string | null; local: boolean }; ref: string; parents: string[]; changes: { field: string }[] }[];
    }>(b, 'incidents:history', { id: incident });
    expect(versions.map((v) => v.version)).toEqual([1, 2, 2, 3]);
    expect(versions[0]!.device).toMatchObject({ id: device, name: "Dana's laptop", local: false });
    const heads = versions.filter((v) => v.version === 2);
    expect(heads.map((h) => h.device.local).sort()).toEqual([false, true]);
    expect(heads.find((h) => !h.device.local)!.device.name).toBe("Dana's laptop");
    // Each head differs from the version it replaced (version 1), not from the other head.
    for (const h of heads) expect(h.parents).toEqual([versions[0]!.ref]);
    expect(heads.find((h) => !h.device.local)!.changes.map((c) => c.field)).toEqual(['summary']);
    expect(heads.find((h) => h.device.local)!.changes.map((c) => c.field)).toEqual(['categories']);
    const resolution = versions[3]!;
    expect(resolution).toMatchObject({ reason: 'the later account', device: { local: true } });
    expect([...resolution.parents].sort()).toEqual(heads.map((h) => h.ref).sort());
  });
});
