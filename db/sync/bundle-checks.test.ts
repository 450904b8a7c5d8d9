// What bundle.ts writes and every check it makes on import, each answer spelled out: the file's name,
// counts and steps, what an import adds (rows, tip, device, holdings, result), what a bundle made for
// a device leaves out, and each refusal with its message. Two laptops are opened once; every import
// runs in a transaction rolled back after it (as dispatch's transaction is on a refusal), so a case
// costs one import and not two new databases: this file is what `npm run mutate` runs for bundle.ts
// (tamper.test.ts and sync.test.ts check the same paths end to end, a laptop pair per case).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, SAMPLE_FACILITY, SAMPLE_PERSON, tempDbFile, tempDir } from '../../test/helpers';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { fingerprintOf, localDevice, signTip } from '../history/device';
import { getFacility, createFacility, updateFacility } from '../repo/facilities';
import { createPerson } from '../repo/people';
import { exportBundle, importBundle, openBundleFile, type ImportResult } from './bundle';

const PASS = 'office bundle passphrase';
const now = new Date('2026-06-21T10:00:00.000Z');
const meta = { at: '2026-06-20T10:00:00.000Z', by: 'attorney' };

let a: Db;
let b: Db;
let aId: string;
let bId: string;
let aKey: string;
let bKey: string;
/** a's bundle: a facility, a person, the facility edited (rows 1 to 3 of a's chain). */
let fileA: string;
let exported: { name: string; counts: unknown; steps: unknown[]; folder: string[] };
/** a's bundle with a fourth row, written in a transaction rolled back: a itself holds 3 rows. */
let fileA4: string;
let facilityId: string;

type Step = [string, number, number];

/** Runs fn in a transaction (or, within one, a savepoint) that is rolled back after it, whatever it does. */
function within<T>(db: Db, fn: () => T): T {
  db.exec('SAVEPOINT within');
  try {
    return fn();
  } finally {
    db.exec('ROLLBACK TO within');
    db.exec('RELEASE within');
  }
}

function importSteps(db: Db, file: string): { result: ImportResult; steps: Step[] } {
  const steps: Step[] = [];
  const result = importBundle(db, { file, passphrase: PASS, now }, (s, d, t) => steps.push([s, d, t]));
  return { result, steps };
}
const imp = (db: Db, file: string, passphrase = PASS) => importBundle(db, { file, passphrase, now });

/** A copy of a bundle, changed as one who knows the office passphrase (and no device's key) can. */
function edited(file: string, edit: (bd: Db) => void): string {
  const copy = join(tempDir(), 'edited.attest-bundle');
  copyFileSync(file, copy);
  const bd = openBundleFile(copy, PASS, { readonly: false })!.db;
  edit(bd);
  bd.close();
  return copy;
}

/** The refusal of importing file into db (rolled back), as its message. */
function refusal(db: Db, file: string, passphrase = PASS): string {
  try {
    within(db, () => imp(db, file, passphrase));
  } catch (e) {
    return (e as Error).message;
  }
  return 'imported';
}
const REFUSED = 'the bundle was refused whole, nothing was changed: ';

beforeAll(() => {
  a = openDatabase(tempDbFile());
  b = openDatabase(tempDbFile());
  const f = createFacility(a, SAMPLE_FACILITY, meta);
  facilityId = f.id;
  createPerson(a, { ...SAMPLE_PERSON, aNumber: '012345678', currentFacilityId: f.id }, meta);
  updateFacility(a, f.id, 1, { ...SAMPLE_FACILITY, city: 'Detroit' }, meta);
  createFacility(b, { ...SAMPLE_FACILITY, name: 'Krome' }, meta);
  aId = localDevice(a).id;
  bId = localDevice(b).id;
  aKey = a.prepare(`SELECT public_key FROM devices WHERE id = ?`).pluck().get(aId) as string;
  bKey = b.prepare(`SELECT public_key FROM devices WHERE id = ?`).pluck().get(bId) as string;
  const folder = tempDir();
  const steps: Step[] = [];
  const r = exportBundle(a, { folder, passphrase: PASS, now }, (s, d, t) => steps.push([s, d, t]));
  fileA = r.file;
  exported = { name: r.file.slice(folder.length + 1), counts: r.counts, steps, folder: readdirSync(folder) };
  fileA4 = within(a, () => {
    createFacility(a, { ...SAMPLE_FACILITY, name: 'Later' }, meta);
    return exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file;
  });
});

afterAll(() => {
  a.close();
  b.close();
  cleanupTempDirs();
});

describe('a bundle written', () => {
  it('is named by its device and time, counts what it carries, reports its steps and leaves no temporary file', () => {
    expect(exported.name).toBe(`attest-${aId}-20260621T100000Z.attest-bundle`);
    expect(exported.folder).toEqual([exported.name]);
    expect(exported.counts).toEqual({ devices: 1, versions: 3, auditRows: 3 });
    expect(exported.steps).toEqual([
      ['writing versions', 0, 3],
      ['syncing the file', 3, 3],
    ]);
  });

  it('carries its format, schema, sender, time, holdings, device keys and the signed tip of its rows', () => {
    const bd = openBundleFile(fileA, PASS)!.db;
    try {
      const metaRows = Object.fromEntries((bd.prepare(`SELECT key, value FROM meta`).all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
      const migrations = a.pragma('user_version', { simple: true }) as number;
      expect(metaRows).toEqual({ format: '2', schema: String(migrations), sender: aId, createdAt: now.toISOString() });
      expect(bd.prepare(`SELECT device, seq FROM holds`).all()).toEqual([{ device: aId, seq: 3 }]);
      expect(bd.prepare(`SELECT id, public_key AS key FROM devices`).all()).toEqual([{ id: aId, key: aKey }]);
      expect(bd.prepare(`SELECT device, seq FROM tips`).all()).toEqual([{ device: aId, seq: 3 }]);
      expect(bd.prepare(`SELECT device, seq, entity FROM rows ORDER BY seq`).all()).toEqual([
        { device: aId, seq: 1, entity: 'facility' },
        { device: aId, seq: 2, entity: 'person' },
        { device: aId, seq: 3, entity: 'facility' },
      ]);
    } finally {
      bd.close();
    }
  });

  it('is refused for a place that is no folder, or a device never seen, and leaves no file', () => {
    const folder = tempDir();
    const notFolder = join(folder, 'a-file');
    writeFileSync(notFolder, 'x');
    expect(() => exportBundle(a, { folder: notFolder, passphrase: PASS, now })).toThrow(`folder: ${notFolder} is not a folder`);
    expect(() => exportBundle(a, { folder: join(folder, 'missing'), passphrase: PASS, now })).toThrow(/is not a folder/);
    expect(() => exportBundle(a, { folder, passphrase: PASS, now, forDevice: 'nope' })).toThrow('forDevice: no device nope has been seen here');
    expect(readdirSync(folder)).toEqual(['a-file']);
  });
});

describe('a bundle imported', () => {
  it('adds the rows, the signed tip, the device and what the sender holds, and says so', () => {
    within(b, () => {
      const { result, steps } = importSteps(b, fileA);
      expect(result).toEqual({ newRecords: 2, newVersions: 3, newConflicts: 0, devices: [{ id: aId, name: null, fingerprint: fingerprintOf(aKey), isNew: true, newVersions: 3 }] });
      expect(steps).toEqual([
        ['opening the bundle', 0, 1],
        ['verifying the rows of device 1 of 1', 0, 2],
        ['checking the whole bundle file', 1, 2],
        ['merging', 1, 2],
      ]);
      expect(b.prepare(`SELECT seq FROM foreign_rows WHERE device = ? ORDER BY seq`).pluck().all(aId)).toEqual([1, 2, 3]);
      expect(b.prepare(`SELECT seq FROM chain_tips WHERE device = ?`).pluck().all(aId)).toEqual([3]);
      expect(b.prepare(`SELECT public_key AS key, fingerprint, trusted, first_seen_at AS seen, last_import_at AS imported, holds FROM devices WHERE id = ?`).get(aId)).toEqual({
        key: aKey,
        fingerprint: fingerprintOf(aKey),
        trusted: 1,
        seen: now.toISOString(),
        imported: now.toISOString(),
        holds: JSON.stringify({ [aId]: 3 }),
      });
      expect(getFacility(b, facilityId)?.city).toBe('Detroit');
      // Again: nothing new; then the bundle with a fourth row: that row alone.
      expect(imp(b, fileA)).toEqual({ newRecords: 0, newVersions: 0, newConflicts: 0, devices: [{ id: aId, name: null, fingerprint: fingerprintOf(aKey), isNew: false, newVersions: 0 }] });
      expect(imp(b, fileA4)).toMatchObject({ newRecords: 1, newVersions: 1, devices: [{ id: aId, isNew: false, newVersions: 1 }] });
    });
  });

  it('back and forth: the sender’s holdings are kept, and a bundle for that device carries only what it lacks', () => {
    within(b, () => {
      imp(b, fileA);
      const back = exportBundle(b, { folder: tempDir(), passphrase: PASS, now });
      expect(back.counts).toEqual({ devices: 2, versions: 4, auditRows: 4 });
      within(a, () => {
        const r = importSteps(a, back.file);
        // a's own rows in it are held already: only b is reported.
        expect(r.result).toEqual({ newRecords: 1, newVersions: 1, newConflicts: 0, devices: [{ id: bId, name: null, fingerprint: fingerprintOf(bKey), isNew: true, newVersions: 1 }] });
        expect(r.steps.map((s) => s[0])).toEqual(['opening the bundle', 'verifying the rows of device 1 of 2', 'verifying the rows of device 2 of 2', 'checking the whole bundle file', 'merging']);
        expect(JSON.parse(a.prepare(`SELECT holds FROM devices WHERE id = ?`).pluck().get(bId) as string)).toEqual({ [aId]: 3, [bId]: 1 });
        const folder = tempDir();
        const forB = exportBundle(a, { folder, passphrase: PASS, now, forDevice: bId });
        expect(forB.file).toBe(join(folder, `attest-${aId}-20260621T100000Z-for-${bId}.attest-bundle`));
        expect(forB.counts).toEqual({ devices: 0, versions: 0, auditRows: 0 });
        createFacility(a, { ...SAMPLE_FACILITY, name: 'After' }, meta);
        const more = exportBundle(a, { folder: tempDir(), passphrase: PASS, now, forDevice: bId });
        expect(more.counts).toEqual({ devices: 1, versions: 1, auditRows: 1 });
      });
    });
  });
});

describe('a bundle refused whole', () => {
  it('that is not there, or is a folder', () => {
    const missing = join(tempDir(), 'none.attest-bundle');
    expect(refusal(b, missing)).toBe(`file: no bundle at ${missing}`);
    const folder = join(tempDir(), 'folder.attest-bundle');
    mkdirSync(folder);
    expect(refusal(b, folder)).toBe(`file: no bundle at ${folder}`);
  });

  it('with another passphrase, or too short to hold a salt', () => {
    const unread = `${REFUSED}it is not a bundle, it was written with another passphrase, or it is damaged or cut short`;
    expect(refusal(b, fileA, 'another passphrase')).toBe(unread);
    const short = join(tempDir(), 'short.attest-bundle');
    writeFileSync(short, readFileSync(fileA).subarray(0, 10));
    expect(existsSync(short)).toBe(true);
    expect(refusal(b, short)).toBe(unread);
  });

  it('of a format Attest never wrote, or from a newer Attest', () => {
    const format = (v: string | null) => edited(fileA, (bd) => (v === null ? bd.prepare(`DELETE FROM meta WHERE key = 'format'`).run() : bd.prepare(`UPDATE meta SET value = ? WHERE key = 'format'`).run(v)));
    expect(refusal(b, format('0'))).toBe(`${REFUSED}its format (0) is not one Attest wrote`);
    expect(refusal(b, format('1.5'))).toBe(`${REFUSED}its format (1.5) is not one Attest wrote`);
    expect(refusal(b, format(null))).toBe(`${REFUSED}its format (none) is not one Attest wrote`);
    expect(refusal(b, format('3'))).toBe('BundleFromFutureError: this bundle was written by a newer Attest (bundle format 3; this one knows 2); update Attest before importing it. Nothing was changed.');
    const known = a.pragma('user_version', { simple: true }) as number;
    const schema = (v: number) => edited(fileA, (bd) => bd.prepare(`UPDATE meta SET value = ? WHERE key = 'schema'`).run(String(v)));
    expect(refusal(b, schema(known + 1))).toBe(`BundleFromFutureError: this bundle was written by a newer Attest (schema ${known + 1}; this one knows ${known}); update Attest before importing it. Nothing was changed.`);
    expect(refusal(b, schema(known))).toBe('imported');
  });

  it('with a device key other than the one known here, or rows without their key', () => {
    const otherKey = edited(fileA, (bd) => bd.prepare(`UPDATE devices SET public_key = ? WHERE id = ?`).run(bKey, aId));
    within(b, () => {
      imp(b, fileA);
      expect(refusal(b, otherKey)).toBe(`${REFUSED}device ${aId} comes with a different key than the one this database knows (fingerprint ${fingerprintOf(bKey)}, known ${fingerprintOf(aKey)})`);
    });
    const noKey = edited(fileA, (bd) => bd.prepare(`DELETE FROM devices`).run());
    expect(refusal(b, noKey)).toBe(`${REFUSED}the rows of device ${aId} come without its key`);
  });

  it('whose rows start after what is held here, miss a row, or end at no signed tip', () => {
    expect(refusal(b, edited(fileA, (bd) => bd.prepare(`DELETE FROM rows WHERE seq = 1`).run()))).toBe(
      `${REFUSED}device ${aId}'s rows start at 2 but this database holds only up to 0: import an earlier bundle from that laptop first, or ask for a whole one`,
    );
    expect(refusal(b, edited(fileA, (bd) => bd.prepare(`DELETE FROM rows WHERE seq = 2`).run()))).toBe(`${REFUSED}device ${aId}: rows are missing between 1 and 3`);
    expect(refusal(b, edited(fileA, (bd) => bd.prepare(`DELETE FROM tips`).run()))).toBe(`${REFUSED}device ${aId}: no signed chain tip covers its row 3`);
    // The rows held here (1 to 3) and a bundle with row 4 but without row 3: it starts right after.
    within(b, () => {
      imp(b, fileA);
      expect(refusal(b, edited(fileA4, (bd) => bd.prepare(`DELETE FROM rows WHERE seq <= 3`).run()))).toBe('imported');
    });
  });

  it('whose tip is signed with another key, or signed for another row', () => {
    const bPrivate = localDevice(b).privateKey;
    const aPrivate = localDevice(a).privateKey;
    const tip = a.prepare(`SELECT hash FROM audit_log WHERE seq = 3`).pluck().get() as string;
    const wrongKey = edited(fileA, (bd) => bd.prepare(`UPDATE tips SET signature = ?`).run(signTip(bPrivate, aId, 3, tip)));
    expect(refusal(b, wrongKey)).toBe(`${REFUSED}device ${aId}: the signature of its chain tip at row 3 does not verify with its key (rows changed and re-hashed without the key)`);
    const other = 'f'.repeat(64);
    const forked = edited(fileA, (bd) => bd.prepare(`UPDATE tips SET hash = ?, signature = ?`).run(other, signTip(aPrivate, aId, 3, other)));
    expect(refusal(b, forked)).toBe(`${REFUSED}device ${aId}: its signed tip at row 3 does not match the rows`);
    within(b, () => {
      imp(b, fileA);
      expect(refusal(b, forked)).toBe(`${REFUSED}device ${aId}: its signed tip at row 3 differs from the row this database holds (two different histories under one device)`);
    });
  });

  it('that claims rows of this laptop’s own chain it never wrote', () => {
    expect(refusal(a, fileA)).toBe('imported');
    expect(refusal(a, fileA4)).toBe(`${REFUSED}it claims rows of this laptop's own chain beyond the ones it wrote (4 > 3)`);
  });

  it('with new rows of a device marked untrusted here', () => {
    within(b, () => {
      imp(b, fileA);
      b.prepare(`UPDATE devices SET trusted = 0 WHERE id = ?`).run(aId);
      // What is held already travels on untaken.
      expect(refusal(b, fileA)).toBe('imported');
      expect(refusal(b, fileA4)).toBe(`${REFUSED}it holds rows of device ${aId} (${aId}) not held here, and that device is marked untrusted here`);
      b.prepare(`UPDATE devices SET name = 'Laptop A' WHERE id = ?`).run(aId);
      expect(refusal(b, fileA4)).toMatch(/it holds rows of device Laptop A \(/);
    });
  });

  it('whose rows do not follow on from the row held here, or were changed', () => {
    within(b, () => {
      imp(b, fileA);
      const unlinked = edited(fileA4, (bd) => bd.prepare(`UPDATE rows SET prev_hash = ? WHERE seq = 4`).run('e'.repeat(64)));
      expect(refusal(b, unlinked)).toBe(`${REFUSED}device ${aId}: row 4 does not follow row 3 this database holds (two different histories under one device)`);
    });
    const changed = edited(fileA, (bd) => bd.prepare(`UPDATE rows SET data = replace(data, 'Detroit', 'Forged') WHERE seq = 3`).run());
    expect(refusal(b, changed)).toMatch(new RegExp(`^${REFUSED}device ${aId}: facility \\S+ version 2 \\(row 3\\) was changed after it was written$`));
    const unlinkedFirst = edited(fileA, (bd) => bd.prepare(`UPDATE rows SET prev_hash = ? WHERE seq = 2`).run('e'.repeat(64)));
    expect(refusal(b, unlinkedFirst)).toBe(`${REFUSED}device ${aId}: row 2 does not follow row 1 (previous-row hash differs): removed, inserted or reordered`);
  });
});
