// A bundle with one changed byte, a row changed and re-hashed without the device's key, rows of a
// device marked untrusted, a truncated file, or a newer schema is refused whole: nothing changes.
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, contentHash, SAMPLE_FACILITY, SAMPLE_PERSON, tempDbFile, tempDir } from '../../test/helpers';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { contentHashOf, rowHashOf } from '../history/audit';
import { signTip } from '../history/device';
import { createFacility, updateFacility } from '../repo/facilities';
import { createPerson } from '../repo/people';
import { exportBundle, importBundle, openBundleFile } from './bundle';

afterEach(cleanupTempDirs);

const PASS = 'office bundle passphrase';
const now = new Date('2026-06-21T10:00:00.000Z');
const meta = { at: '2026-06-20T10:00:00.000Z', by: 'attorney' };

function pair() {
  const a = openDatabase(tempDbFile());
  const b = openDatabase(tempDbFile());
  const f = createFacility(a, SAMPLE_FACILITY, meta);
  createPerson(a, { ...SAMPLE_PERSON, aNumber: '012345678', currentFacilityId: f.id }, meta);
  updateFacility(a, f.id, 1, { ...SAMPLE_FACILITY, city: 'Detroit' }, meta);
  createFacility(b, { ...SAMPLE_FACILITY, name: 'Krome' }, meta);
  const { file } = exportBundle(a, { folder: tempDir(), passphrase: PASS, now });
  return { a, b, file };
}

const importInto = (db: Db, file: string) => db.transaction(() => importBundle(db, { file, passphrase: PASS, now }))();

function refusedUnchanged(db: Db, file: string, message: RegExp) {
  const before = contentHash(db);
  expect(() => importInto(db, file)).toThrow(message);
  expect(contentHash(db)).toBe(before);
}

/** Opens a bundle as someone who knows the office passphrase but not any device's private key. */
function editBundle(file: string, edit: (b: Db) => void) {
  const b = openBundleFile(file, PASS, { readonly: false })!.db;
  b.transaction(() => edit(b))();
  b.close();
}

/** Changes the first row and re-hashes the chain and its tip, as one without the device's key can. */
function forgeAndRehash(bd: Db) {
  type Row = { r: number; seq: number; at: string; user: string | null; action: string; entity: string; id: string; version: number; data: string; recorded_at: string; recorded_by: string | null; reason: string | null; parents: string | null };
  const rows = bd.prepare(`SELECT rowid AS r, * FROM rows ORDER BY device, seq`).all() as Row[];
  let prev = '0'.repeat(64);
  for (const [i, r] of rows.entries()) {
    const data = i === 0 ? JSON.stringify({ ...(JSON.parse(r.data) as object), city: 'Forged' }) : r.data;
    const contentHash = contentHashOf({ entity: r.entity, id: r.id, version: r.version, data, recordedAt: r.recorded_at, recordedBy: r.recorded_by, reason: r.reason, parents: r.parents });
    const hash = rowHashOf({ seq: r.seq, at: r.at, user: r.user, action: r.action, entity: r.entity, id: r.id, version: r.version, contentHash, prevHash: prev });
    bd.prepare(`UPDATE rows SET data = ?, content_hash = ?, prev_hash = ?, hash = ? WHERE rowid = ?`).run(data, contentHash, prev, hash, r.r);
    prev = hash;
  }
  bd.prepare(`UPDATE tips SET hash = ?`).run(prev);
}

describe('a bad bundle is refused whole', () => {
  it('with one byte changed', () => {
    const { b, file } = pair();
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(file, bytes);
    refusedUnchanged(b, file, /refused whole, nothing was changed: it (is not a bundle|cannot be read)/);
  });

  it('cut short', () => {
    const { b, file } = pair();
    truncateSync(file, Math.floor(readFileSync(file).length / 2));
    refusedUnchanged(b, file, /refused whole/);
  });

  it('with a row changed and the chain re-hashed without the key: the signed tip no longer matches', () => {
    const { b, file } = pair();
    editBundle(file, forgeAndRehash);
    refusedUnchanged(b, file, /signature of its chain tip.*does not verify/);
  });

  it('with a row changed and not re-hashed', () => {
    const { b, file } = pair();
    editBundle(file, (bd) => bd.prepare(`UPDATE rows SET data = replace(data, 'Detroit', 'Forged') WHERE seq = 3`).run());
    refusedUnchanged(b, file, /refused whole.*changed after it was written/);
  });

  it('holding rows of a device marked untrusted', () => {
    const { a, b, file } = pair();
    importInto(b, file);
    const aId = a.prepare(`SELECT device FROM device_key`).pluck().get() as string;
    b.prepare(`UPDATE devices SET trusted = 0 WHERE id = ?`).run(aId);
    createFacility(a, { ...SAMPLE_FACILITY, name: 'Later' }, meta);
    const later = exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file;
    refusedUnchanged(b, later, /untrusted/);
  });

  it('from a newer bundle format, with a named error', () => {
    const { b, file } = pair();
    editBundle(file, (bd) => bd.prepare(`UPDATE meta SET value = '3' WHERE key = 'format'`).run());
    refusedUnchanged(b, file, /BundleFromFutureError: .*bundle format 3; this one knows 2/);
  });

  it('from a newer schema, with a named error', () => {
    const { b, file } = pair();
    editBundle(file, (bd) => bd.prepare(`UPDATE meta SET value = '999' WHERE key = 'schema'`).run());
    refusedUnchanged(b, file, /BundleFromFutureError/);
  });

  it('with another passphrase', () => {
    const { b, file } = pair();
    const before = contentHash(b);
    expect(() => b.transaction(() => importBundle(b, { file, passphrase: 'another passphrase', now }))()).toThrow(/refused whole/);
    expect(contentHash(b)).toBe(before);
  });

  it('while the untouched bundle imports and verifies', () => {
    const { b, file } = pair();
    expect(importInto(b, file)).toMatchObject({ newRecords: 2, newVersions: 3 });
  });
});

// Importing a bundle again takes nothing: rows this database already holds are not read again, only
// each device's signed tip is checked against the row held here. What that means for a bundle
// changed in those rows: a re-hashed chain still fails its signature; a row changed without
// re-hashing is never read here (nothing of it is taken), and any laptop that takes it refuses it.
describe('a bundle whose rows are all held already', () => {
  it('is refused when its chain was re-hashed (the signed tip no longer verifies)', () => {
    const { b, file } = pair();
    importInto(b, file);
    editBundle(file, forgeAndRehash);
    refusedUnchanged(b, file, /signature of its chain tip.*does not verify/);
  });

  it('takes nothing from a row changed without re-hashing, which a laptop without those rows refuses', () => {
    const { b, file } = pair();
    importInto(b, file);
    const before = contentHash(b);
    editBundle(file, (bd) => bd.prepare(`UPDATE rows SET data = replace(data, 'Detroit', 'Forged') WHERE seq = 3`).run());
    expect(importInto(b, file)).toMatchObject({ newVersions: 0, newRecords: 0, newConflicts: 0 });
    expect(contentHash(b)).toBe(before);
    const fresh = openDatabase(tempDbFile());
    refusedUnchanged(fresh, file, /refused whole.*changed after it was written/);
  });

  it('is refused when a signed tip names another row than the one held (two histories under one device)', () => {
    const { a, b, file } = pair();
    importInto(b, file);
    const aId = a.prepare(`SELECT device FROM device_key`).pluck().get() as string;
    // a's own key signs a tip naming another row 3: a device whose history forked (e.g. a restored
    // backup that went on writing). Its rows are held here already, so only the tip is checked.
    const key = a.prepare(`SELECT private_key FROM device_key`).pluck().get() as string;
    const other = 'f'.repeat(64);
    editBundle(file, (bd) => bd.prepare(`UPDATE tips SET hash = ?, signature = ? WHERE device = ? AND seq = 3`).run(other, signTip(key, aId, 3, other), aId));
    refusedUnchanged(b, file, /signed tip at row 3 differs from the row this database holds/);
  });
});
