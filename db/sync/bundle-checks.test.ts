// What bundle.ts writes and every check it makes on import, each answer spelled out: the file's name,
// counts and steps, what an import adds (rows, tip, device, holdings, result), what a bundle made for
// a device leaves out, and each refusal with its message. Two laptops are opened once; every import
// runs in a transaction rolled back after it (as dispatch's transaction is on a refusal), so a case
// costs one import and not two new databases: this file is what `npm run mutate` runs for bundle.ts
// (tamper.test.ts and sync.test.ts check the same paths end to end, a laptop pair per case).
import { scryptSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbFile, tempDir } from '../../test/temp-dirs';
import { openDatabase } from '../connect';
import { openDriver, type Db } from '../driver';
import { fingerprintOf, localDevice, signTip } from '../history/device';
import { AppError } from '../../shared/errors';
import { getFacility, createFacility, updateFacility } from '../repo/facilities';
import { createPerson } from '../repo/people';
import { setDevice } from './devices';
import { exportBundle, FORMAT_1_SALT, forgetBundleKeys, importBundle, mergeVerified, openBundleFile, verifyBundle, type ImportResult } from './bundle';
import { openFilesIn, rolledBack } from '../../test/db-fixtures';

// As test/helpers.ts has them (not imported: it loads the whole app, again for every mutant).
const SAMPLE_FACILITY = { name: 'North Lake Processing Center', city: 'Baldwin', state: 'MI', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' } as const;
const SAMPLE_PERSON = { familyName: 'Haddad', givenName: 'Yusuf', nameOriginal: 'يوسف حداد', aNumber: 'A 012-345-678', birthDate: '1990-03-14', nationality: 'Iraq' };
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
const within = rolledBack;

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

/** Steps, as a list, and a callback that records them. */
function recorder(): { steps: Step[]; on: (s: string, d: number, t: number) => void } {
  const steps: Step[] = [];
  return { steps, on: (s, d, t) => steps.push([s, d, t]) };
}
/** What importing a's bundle (rows 1 to 3) into b answers. */
const firstImport = (): ImportResult => ({ newRecords: 2, newVersions: 3, newConflicts: 0, devices: [{ id: aId, name: null, fingerprint: fingerprintOf(aKey), isNew: true, newVersions: 3 }] });
const held = (db: Db, device: string) => db.prepare(`SELECT seq FROM foreign_rows WHERE device = ? ORDER BY seq`).pluck().all(device);
/** A copy of file that a verification may be run on and then replaced. */
function copyOf(file: string): string {
  const copy = join(tempDir(), 'copy.attest-bundle');
  copyFileSync(file, copy);
  return copy;
}

describe('a bundle verified, then merged (the app verifies on a reader thread, merges in one write)', () => {
  it('verifies without writing, and the merge takes the rows verified with one step of its own', () => {
    within(b, () => {
      const before = b.prepare(`SELECT count(*) FROM foreign_rows`).pluck().get();
      const v1 = recorder();
      let checks = 0;
      const v = verifyBundle(b, { file: fileA, passphrase: PASS }, v1.on, () => checks++);
      expect(b.prepare(`SELECT count(*) FROM foreign_rows`).pluck().get()).toBe(before);
      expect(v.segments).toEqual([{ device: aId, from: 0, rows: 3 }]);
      expect(v1.steps).toEqual([
        ['opening the bundle', 0, 1],
        ['verifying the rows of device 1 of 1', 0, 2],
        ['checking the whole bundle file', 1, 2],
      ]);
      // Once opened, once per device, once before the file is read whole.
      expect(checks).toBe(3);
      const st = statSync(fileA);
      expect(v.stamp).toBe(`${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`);
      const bHash = b.prepare(`SELECT hash FROM audit_log WHERE seq = 1`).pluck().get();
      expect(JSON.parse(v.basis)).toEqual({ devices: [[bId, bKey, 1]], tips: [[bId, 1, bHash]] });
      // The key derived from the file's own salt: it reads the bundle as it is.
      expect(v.key.salt).toBe(readFileSync(fileA).subarray(0, 16).toString('hex'));
      const raw = openDriver(fileA, { readonly: true, fileMustExist: true });
      try {
        raw.pragma(`cipher = 'sqlcipher'`);
        raw.pragma('legacy = 4');
        raw.pragma(`key = "x'${v.key.hex}'"`);
        expect(raw.prepare(`SELECT value FROM meta WHERE key = 'format'`).pluck().get()).toBe('2');
      } finally {
        raw.close();
      }
      const m = recorder();
      expect(mergeVerified(b, { file: fileA, passphrase: PASS, now }, v, m.on)).toEqual(firstImport());
      expect(m.steps).toEqual([['merging', 1, 2]]);
      expect(held(b, aId)).toEqual([1, 2, 3]);
    });
  });

  it('the merge opens the bundle with the key the verification derived: a wrong one reads nothing', () => {
    within(b, () => {
      const v = verifyBundle(b, { file: fileA, passphrase: PASS });
      const wrong = { ...v, key: { salt: v.key.salt, hex: 'ab'.repeat(32) } };
      try {
        expect(() => mergeVerified(b, { file: fileA, passphrase: PASS, now }, wrong)).toThrow(`${REFUSED}it is not a bundle, it was written with another passphrase, or it is damaged or cut short`);
      } finally {
        // The right key again, for the tests after this one.
        forgetBundleKeys();
      }
      expect(mergeVerified(b, { file: fileA, passphrase: PASS, now }, v)).toEqual(firstImport());
    });
  });

  it('a bundle file replaced since it was verified is verified again, whole', () => {
    within(b, () => {
      const file = copyOf(fileA);
      const v = verifyBundle(b, { file, passphrase: PASS });
      const changed = edited(fileA, (bd) => bd.prepare(`UPDATE rows SET data = replace(data, 'Detroit', 'Forged') WHERE seq = 3`).run());
      renameSync(changed, file);
      const m = recorder();
      expect(() => mergeVerified(b, { file, passphrase: PASS, now }, v, m.on)).toThrow(/^the bundle was refused whole, nothing was changed: device \S+: facility \S+ version 2 \(row 3\) was changed after it was written$/);
      expect(m.steps).toEqual([['verifying the rows of device 1 of 1', 0, 2]]);
      expect(held(b, aId)).toEqual([]);
    });
  });

  it('a bundle file gone since it was verified is not there', () => {
    const file = copyOf(fileA);
    const v = verifyBundle(b, { file, passphrase: PASS });
    renameSync(file, `${file}.gone`);
    expect(() => within(b, () => mergeVerified(b, { file, passphrase: PASS, now }, v))).toThrow(`file: no bundle at ${file}`);
  });

  it('rows written here since the verification: verified again against what is held then', () => {
    within(b, () => {
      const v = verifyBundle(b, { file: fileA4, passphrase: PASS });
      expect(v.segments).toEqual([{ device: aId, from: 0, rows: 4 }]);
      imp(b, fileA);
      const m = recorder();
      expect(mergeVerified(b, { file: fileA4, passphrase: PASS, now }, v, m.on)).toMatchObject({ newRecords: 1, newVersions: 1, devices: [{ id: aId, isNew: false, newVersions: 1 }] });
      expect(m.steps).toEqual([
        ['verifying the rows of device 1 of 1', 0, 2],
        ['checking the whole bundle file', 1, 2],
        ['merging', 1, 2],
      ]);
      expect(held(b, aId)).toEqual([1, 2, 3, 4]);
    });
  });

  it('a device distrusted, or a row held here replaced, since the verification: verified again and refused', () => {
    within(b, () => {
      imp(b, fileA);
      const v = verifyBundle(b, { file: fileA4, passphrase: PASS });
      expect(v.segments).toEqual([{ device: aId, from: 3, rows: 1 }]);
      within(b, () => {
        b.prepare(`UPDATE devices SET trusted = 0 WHERE id = ?`).run(aId);
        expect(() => mergeVerified(b, { file: fileA4, passphrase: PASS, now }, v)).toThrow(`${REFUSED}it holds rows of device ${aId} (${aId}) not held here, and that device is marked untrusted here`);
      });
      within(b, () => {
        b.prepare(`UPDATE foreign_rows SET hash = ? WHERE device = ? AND seq = 3`).run('d'.repeat(64), aId);
        expect(() => mergeVerified(b, { file: fileA4, passphrase: PASS, now }, v)).toThrow(`${REFUSED}device ${aId}: row 4 does not follow row 3 this database holds (two different histories under one device)`);
      });
      expect(mergeVerified(b, { file: fileA4, passphrase: PASS, now }, v)).toMatchObject({ newVersions: 1 });
    });
  });
});

let format1Key: string | undefined;
/**
 * A bundle as Attest wrote format 1, from one of today's: keyed with the one salt every office
 * shared, its devices table with each device's name (unsigned) beside the key. (The file's first
 * 16 bytes are a's bundle's salt: the key first tried with them, a's bundle key, is derived already.)
 */
function asFormat1(file: string, names: Record<string, string | null>): string {
  format1Key ??= scryptSync(PASS, FORMAT_1_SALT, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('hex');
  const src = openBundleFile(file, PASS)!.db;
  const old = join(tempDir(), 'format-1.attest-bundle');
  const out = openDriver(old, { readonly: false, fileMustExist: false });
  try {
    out.pragma(`cipher = 'sqlcipher'`);
    out.pragma('legacy = 4');
    out.pragma(`key = "x'${format1Key}${readFileSync(fileA).subarray(0, 16).toString('hex')}'"`);
    for (const sql of src.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[]) {
      out.exec(sql.replace('CREATE TABLE devices (id TEXT PRIMARY KEY,', 'CREATE TABLE devices (id TEXT PRIMARY KEY, name TEXT,'));
    }
    for (const table of ['meta', 'tips', 'holds', 'rows']) {
      for (const r of src.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
        out.prepare(`INSERT INTO ${table} (${Object.keys(r).join(', ')}) VALUES (${Object.keys(r).map((k) => `@${k}`).join(', ')})`).run(r);
      }
    }
    out.prepare(`UPDATE meta SET value = '1' WHERE key = 'format'`).run();
    for (const d of src.prepare(`SELECT id, public_key FROM devices`).all() as { id: string; public_key: string }[]) {
      out.prepare(`INSERT INTO devices (id, name, public_key) VALUES (?, ?, ?)`).run(d.id, names[d.id] ?? null, d.public_key);
    }
  } finally {
    out.close();
    src.close();
  }
  return old;
}
const nameHere = (db: Db, id: string) => db.prepare(`SELECT name FROM devices WHERE id = ?`).pluck().get(id);

describe('a bundle of format 1', () => {
  it('is read with the one salt of format 1, as format 2: the same rows, its unsigned name given to a device seen first', () => {
    const old = asFormat1(fileA, { [aId]: "Dana's laptop" });
    const opened = openBundleFile(old, PASS)!;
    try {
      expect(opened.keyedAs).toBe('format-1-salt');
      expect(opened.key).toEqual({ salt: FORMAT_1_SALT, hex: format1Key });
    } finally {
      opened.db.close();
    }
    within(b, () => {
      expect(imp(b, old)).toEqual({ ...firstImport(), devices: [{ ...firstImport().devices[0], name: "Dana's laptop" }] });
      expect(held(b, aId)).toEqual([1, 2, 3]);
    });
  });

  it('gives its unsigned name to a device known here without one, and to none named here or whose name is chained', () => {
    within(b, () => {
      imp(b, fileA);
      expect(nameHere(b, aId)).toBeNull();
      const old = asFormat1(fileA, { [aId]: 'Unsigned' });
      within(b, () => {
        expect(imp(b, old).devices).toMatchObject([{ id: aId, name: 'Unsigned', isNew: false }]);
      });
      within(b, () => {
        b.prepare(`UPDATE devices SET name = 'Laptop A' WHERE id = ?`).run(aId);
        imp(b, old);
        expect(nameHere(b, aId)).toBe('Laptop A');
      });
    });
    // a's name chained as none: the unsigned one is not taken.
    const chained = within(a, () => {
      setDevice(a, aId, { name: null }, meta);
      return asFormat1(exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file, { [aId]: 'Unsigned' });
    });
    within(b, () => {
      expect(imp(b, chained).devices).toMatchObject([{ id: aId, name: null, isNew: true, newVersions: 4 }]);
      expect(nameHere(b, aId)).toBeNull();
    });
  });
});

describe('what an import says and keeps', () => {
  it('counts the conflicts it brings, and only those', () => {
    within(b, () => {
      imp(b, fileA);
      updateFacility(b, facilityId, 2, { ...SAMPLE_FACILITY, city: 'Lansing' }, meta);
      // a edits the same facility meanwhile: one conflict; then a new record: none more.
      const [clash, later] = within(a, () => {
        updateFacility(a, facilityId, 2, { ...SAMPLE_FACILITY, city: 'Flint' }, meta);
        const first = exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file;
        createFacility(a, { ...SAMPLE_FACILITY, name: 'Later' }, meta);
        return [first, exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file];
      });
      expect(imp(b, clash)).toMatchObject({ newRecords: 0, newVersions: 1, newConflicts: 1 });
      expect(imp(b, later)).toMatchObject({ newRecords: 1, newVersions: 1, newConflicts: 0 });
    });
  });

  it('what the sender holds, sorted, from a bundle without rows; nothing from this laptop’s own, or from a sender without a key', () => {
    const onlyHolds = edited(fileA, (bd) => {
      bd.exec(`DELETE FROM rows; DELETE FROM tips; DELETE FROM holds`);
      // Written out of order: kept sorted by device.
      for (const [d, s] of [['zz-device', 5], [aId, 3], ['00-device', 1]] as const) bd.prepare(`INSERT INTO holds (device, seq) VALUES (?, ?)`).run(d, s);
    });
    within(b, () => {
      expect(imp(b, onlyHolds)).toEqual({ newRecords: 0, newVersions: 0, newConflicts: 0, devices: [] });
      expect(b.prepare(`SELECT name, public_key AS key, fingerprint, trusted, first_seen_at AS seen, holds FROM devices WHERE id = ?`).get(aId)).toEqual({
        name: null,
        key: aKey,
        fingerprint: fingerprintOf(aKey),
        trusted: 1,
        seen: now.toISOString(),
        holds: JSON.stringify({ '00-device': 1, [aId]: 3, 'zz-device': 5 }),
      });
    });
    const ownHolds = a.prepare(`SELECT holds FROM devices WHERE id = ?`).pluck().get(aId);
    within(a, () => {
      imp(a, onlyHolds);
      expect(a.prepare(`SELECT holds FROM devices WHERE id = ?`).pluck().get(aId)).toBe(ownHolds);
    });
    const keyless = edited(onlyHolds, (bd) => bd.exec(`DELETE FROM devices`));
    within(b, () => {
      expect(imp(b, keyless)).toEqual({ newRecords: 0, newVersions: 0, newConflicts: 0, devices: [] });
      expect(b.prepare(`SELECT id FROM devices`).pluck().all()).toEqual([bId]);
    });
  });
});

describe('a bundle written, its options', () => {
  it('for a device: what that device says it holds is left out, and never counted below nothing', () => {
    within(a, () => {
      const forMe = (holds: Record<string, number>) => {
        a.prepare(`UPDATE devices SET holds = ? WHERE id = ?`).run(JSON.stringify(holds), aId);
        const r = recorder();
        const { counts } = exportBundle(a, { folder: tempDir(), passphrase: PASS, now, forDevice: aId }, r.on);
        return { counts, steps: r.steps };
      };
      expect(forMe({ [aId]: 1 })).toEqual({ counts: { devices: 1, versions: 2, auditRows: 2 }, steps: [['writing versions', 0, 2], ['syncing the file', 2, 2]] });
      expect(forMe({ [aId]: 9 })).toEqual({ counts: { devices: 0, versions: 0, auditRows: 0 }, steps: [['writing versions', 0, 0], ['syncing the file', 0, 0]] });
    });
  });

  it('says how far it is every thousand rows', () => {
    within(a, () => {
      // Another device's chain as held here (not verified on export): 1,000 rows of one record.
      a.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
        INSERT INTO foreign_rows (device, seq, at, action, entity, id, version, data, recorded_at, content_hash, prev_hash, hash)
        SELECT 'many', i, '${meta.at}', 'update', 'facility', 'f', i, '{}', '${meta.at}', 'c', 'p', 'h' FROM n`);
      const r = recorder();
      expect(exportBundle(a, { folder: tempDir(), passphrase: PASS, now }, r.on).counts).toEqual({ devices: 2, versions: 1003, auditRows: 1003 });
      expect(exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).counts.versions).toBe(1003);
      expect(r.steps).toEqual([
        ['writing versions', 0, 1003],
        ['writing versions', 1000, 1003],
        ['syncing the file', 1003, 1003],
      ]);
    });
  });

  it('from a laptop that has written nothing: no rows and no tip', () => {
    within(a, () => {
      a.exec(`DELETE FROM audit_log; DELETE FROM chain_tips`);
      const bd = openBundleFile(exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file, PASS)!.db;
      try {
        expect(bd.prepare(`SELECT count(*) FROM rows`).pluck().get()).toBe(0);
        expect(bd.prepare(`SELECT device, seq FROM tips`).all()).toEqual([]);
        expect(bd.prepare(`SELECT device, seq FROM holds`).all()).toEqual([{ device: aId, seq: 0 }]);
      } finally {
        bd.close();
      }
    });
  });

  it('is written under its temporary name, removed when the writing stops', () => {
    const folder = tempDir();
    const seen: string[][] = [];
    exportBundle(a, { folder, passphrase: PASS, now, tmpId: 'job-1' }, (s) => {
      if (s === 'syncing the file') seen.push(readdirSync(folder));
    });
    expect(seen).toEqual([[`.attest-${aId}-20260621T100000Z.attest-bundle.job-1.tmp`]]);
    for (const step of ['writing versions', 'syncing the file']) {
      const stopped = tempDir();
      expect(() =>
        exportBundle(a, { folder: stopped, passphrase: PASS, now }, (s) => {
          if (s === step) throw new Error(`stopped at ${s}`);
        }),
      ).toThrow(`stopped at ${step}`);
      expect(readdirSync(stopped)).toEqual([]);
    }
    // A temporary file that cannot be made: SQLite's error, not the clean-up's.
    const none = tempDir();
    expect(() => exportBundle(a, { folder: none, passphrase: PASS, now, tmpId: 'no/such/folder' })).toThrow('Cannot open database because the directory does not exist');
    expect(readdirSync(none)).toEqual([]);
  });

  it('is opened read-only unless asked', () => {
    const { db } = openBundleFile(fileA, PASS)!;
    try {
      expect(() => db.exec(`DELETE FROM rows`)).toThrow(/readonly/);
    } finally {
      db.close();
    }
  });
});

describe('a bundle read whole before its rows are taken', () => {
  /** A copy of file with one byte changed in the page of meta's key index, which no query reads. */
  function damagedIndex(file: string): string {
    const bd = openBundleFile(file, PASS)!.db;
    const page = bd.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_autoindex_meta_1'`).pluck().get() as number;
    const size = bd.pragma('page_size', { simple: true }) as number;
    bd.close();
    const copy = join(tempDir(), 'damaged.attest-bundle');
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8((page - 1) * size + 100) ^ 0xff, (page - 1) * size + 100);
    writeFileSync(copy, bytes);
    return copy;
  }

  it('a damaged page is refused when rows would be taken, and left unread when none would', () => {
    const damaged = damagedIndex(fileA);
    // SQLite's quick_check names the page that does not read.
    expect(refusal(b, damaged)).toMatch(/^the bundle was refused whole, nothing was changed: it cannot be read \(\*\*\* in database main \*\*\*\nTree \d+ page \d+: unable to get the page/);
    within(b, () => {
      imp(b, fileA);
      expect(refusal(b, damaged)).toBe('imported');
    });
  });
});

describe('bundles written in one run of Attest', () => {
  it('share one salt; a new run draws another', () => {
    const salt = (file: string) => readFileSync(file).subarray(0, 16).toString('hex');
    expect(salt(fileA4)).toBe(salt(fileA));
    forgetBundleKeys();
    expect(salt(exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file)).not.toBe(salt(fileA));
  });

  it('on a read-only connection: the local tip signed then is in the bundle, and not stored', () => {
    const reader = openDatabase(b.name, { readonly: true });
    try {
      expect(reader.prepare(`SELECT count(*) FROM chain_tips`).pluck().get()).toBe(0);
      const bd = openBundleFile(exportBundle(reader, { folder: tempDir(), passphrase: PASS, now }).file, PASS)!.db;
      try {
        expect(bd.prepare(`SELECT device, seq FROM tips`).all()).toEqual([{ device: bId, seq: 1 }]);
      } finally {
        bd.close();
      }
      expect(reader.prepare(`SELECT count(*) FROM chain_tips`).pluck().get()).toBe(0);
    } finally {
      reader.close();
    }
  });
});

/** What fn throws: its class, code, issues and message. */
function thrown(fn: () => unknown): { name: string; code: string; issues: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const { name, code, issues, message } = e as AppError;
    return { name, code, issues, message };
  }
  throw new Error('nothing thrown');
}

describe('each refusal as the app receives it: its code and the field it names', () => {
  it('a refused bundle, one from a newer Attest, one not there, a folder that is none, a device never seen', () => {
    const imported = (file: string) => () => within(b, () => imp(b, file));
    const message = `device ${aId}: rows are missing between 1 and 3`;
    expect(thrown(imported(edited(fileA, (bd) => bd.prepare(`DELETE FROM rows WHERE seq = 2`).run())))).toEqual({
      name: 'AppError',
      code: 'INVALID_INPUT',
      issues: [{ path: ['file'], message }],
      message: `${REFUSED}${message}`,
    });
    const future = thrown(imported(edited(fileA, (bd) => bd.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema'`).run())));
    expect(future).toMatchObject({ name: 'BundleFromFutureError', code: 'INVALID_INPUT', issues: [{ path: ['file'], message: 'written by a newer Attest' }] });
    const missing = join(tempDir(), 'none.attest-bundle');
    expect(thrown(imported(missing))).toMatchObject({ code: 'NOT_FOUND', issues: [{ path: ['file'], message: 'not found' }] });
    const notFolder = join(tempDir(), 'missing');
    expect(thrown(() => exportBundle(a, { folder: notFolder, passphrase: PASS, now }))).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: ['folder'], message: 'not a folder' }] });
    expect(thrown(() => exportBundle(a, { folder: tempDir(), passphrase: PASS, now, forDevice: 'nope' }))).toMatchObject({ code: 'NOT_FOUND', issues: [{ path: ['forDevice'], message: 'unknown device' }] });
  });

  it('names what a newer Attest changed', () => {
    const future = (key: string) => {
      try {
        within(b, () => imp(b, edited(fileA, (bd) => bd.prepare(`UPDATE meta SET value = '99' WHERE key = ?`).run(key))));
      } catch (e) {
        const { what, bundleVersion } = e as { what: string; bundleVersion: number };
        return { what, bundleVersion };
      }
      return null;
    };
    expect(future('schema')).toEqual({ what: 'schema', bundleVersion: 99 });
    expect(future('format')).toEqual({ what: 'format', bundleVersion: 99 });
  });

  it('a bundle missing a table, or with a page of its rows damaged, cannot be read', () => {
    expect(refusal(b, edited(fileA, (bd) => bd.exec(`DROP TABLE holds`)))).toBe(`${REFUSED}it cannot be read (no such table: holds)`);
    // The rows' own pages (their index answers which rows there are): read when the rows are checked.
    const bd = openBundleFile(fileA, PASS)!.db;
    const page = bd.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'rows'`).pluck().get() as number;
    const size = bd.pragma('page_size', { simple: true }) as number;
    bd.close();
    const damaged = join(tempDir(), 'damaged.attest-bundle');
    const bytes = readFileSync(fileA);
    bytes.writeUInt8(bytes.readUInt8((page - 1) * size + 100) ^ 0xff, (page - 1) * size + 100);
    writeFileSync(damaged, bytes);
    expect(refusal(b, damaged)).toBe(`${REFUSED}it is not a bundle, it was written with another passphrase, or it is damaged or cut short`);
  });
});

describe('tips the bundle carries besides the one its rows end at', () => {
  it('an earlier tip of the device, a tip of another device at the same row: the one covering the rows is checked and kept', () => {
    const aPrivate = localDevice(a).privateKey;
    const hash2 = a.prepare(`SELECT hash FROM audit_log WHERE seq = 2`).pluck().get() as string;
    const more = edited(fileA, (bd) => {
      bd.prepare(`INSERT INTO tips (device, seq, hash, signature) VALUES (?, 2, ?, ?)`).run(aId, hash2, signTip(aPrivate, aId, 2, hash2));
      bd.prepare(`INSERT INTO tips (device, seq, hash, signature) VALUES ('0-other', 3, ?, ?)`).run('c'.repeat(64), signTip(aPrivate, '0-other', 3, 'c'.repeat(64)));
    });
    within(b, () => {
      expect(imp(b, more)).toEqual(firstImport());
      expect(b.prepare(`SELECT device, seq FROM chain_tips WHERE device <> ?`).all(bId)).toEqual([{ device: aId, seq: 3 }]);
    });
  });
});

describe.skipIf(!existsSync('/proc/self/fd'))('no file left open', () => {
  const openIn = openFilesIn;

  it('by a verification, a merge, an import (taken or refused), the bundle read, or an export stopped', () => {
    const file = copyOf(fileA);
    const folder = file.slice(0, file.lastIndexOf('/'));
    const opened = openBundleFile(file, PASS)!;
    expect(opened.keyedAs).toBe('own-salt');
    opened.db.close();
    expect(openIn(folder)).toBe(0);
    within(b, () => {
      const v = verifyBundle(b, { file, passphrase: PASS });
      expect(openIn(folder)).toBe(0);
      mergeVerified(b, { file, passphrase: PASS, now }, v);
      expect(openIn(folder)).toBe(0);
      imp(b, file);
      expect(openIn(folder)).toBe(0);
    });
    const forked = edited(fileA, (bd) => bd.prepare(`UPDATE tips SET hash = ?`).run('f'.repeat(64)));
    expect(refusal(b, forked)).toMatch(/does not verify/);
    expect(openIn(forked.slice(0, forked.lastIndexOf('/')))).toBe(0);
    const stopped = tempDir();
    expect(() =>
      exportBundle(a, { folder: stopped, passphrase: PASS, now }, (s) => {
        if (s === 'writing versions') throw new Error('stopped');
      }),
    ).toThrow('stopped');
    expect(openIn(stopped)).toBe(0);
  });
});
