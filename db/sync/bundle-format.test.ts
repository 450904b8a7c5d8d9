// The bundle's key and layout. A bundle is keyed from the office passphrase with a random salt
// (drawn each run of Attest), kept in the clear as the file's first 16 bytes (SQLCipher's salt);
// a bundle of format 1 (one salt for every office, device names unsigned in its devices table) is
// still read, upgraded as it is read; a newer format is refused (tamper.test.ts).
import { scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, SAMPLE_FACILITY, SAMPLE_PERSON, tempDbFile, tempDir } from '../../test/helpers';
import { openDatabase } from '../connect';
import { openDriver, type Db } from '../driver';
import { localDeviceId } from '../history/device';
import { verifyRecords } from '../history/verify';
import { createFacility, updateFacility } from '../repo/facilities';
import { createPerson } from '../repo/people';
import { exportBundle, FORMAT_1_SALT, forgetBundleKeys, importBundle, openBundleFile } from './bundle';
import { officeContentHash } from './state';

afterEach(cleanupTempDirs);

const PASS = 'office bundle passphrase';
const now = new Date('2026-06-21T10:00:00.000Z');
const meta = { at: '2026-06-20T10:00:00.000Z', by: 'attorney' };
const scrypt = (salt: Buffer | string) => scryptSync(PASS, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('hex');

function laptopWithRecords(): Db {
  const a = openDatabase(tempDbFile());
  const f = createFacility(a, SAMPLE_FACILITY, meta);
  createPerson(a, { ...SAMPLE_PERSON, aNumber: '012345678', currentFacilityId: f.id }, meta);
  updateFacility(a, f.id, 1, { ...SAMPLE_FACILITY, city: 'Detroit' }, meta);
  return a;
}

const importInto = (db: Db, file: string) => db.transaction(() => importBundle(db, { file, passphrase: PASS, now }))();

/** Opens a file with a raw key as SQLCipher 4, and reads it (throws when the key is not its key). */
function readsWith(file: string, rawKeyHex: string): string | null {
  const d = openDriver(file, { readonly: true, fileMustExist: true });
  try {
    d.pragma(`cipher = 'sqlcipher'`);
    d.pragma('legacy = 4');
    d.pragma(`key = "x'${rawKeyHex}'"`);
    return d.prepare(`SELECT value FROM meta WHERE key = 'format'`).pluck().get() as string;
  } catch {
    return null;
  } finally {
    d.close();
  }
}

describe('a bundle\'s key has a random salt, not one for every office', () => {
  it('kept as the first 16 bytes of the file, drawn anew each run: the key derived with it reads the bundle, the key of another salt does not', () => {
    const a = laptopWithRecords();
    forgetBundleKeys();
    const one = exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file;
    // Another run of Attest (or another laptop): another salt.
    forgetBundleKeys();
    const two = exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file;
    const saltOne = readFileSync(one).subarray(0, 16);
    const saltTwo = readFileSync(two).subarray(0, 16);
    expect(saltOne.equals(saltTwo)).toBe(false);
    expect(readsWith(one, scrypt(saltOne))).toBe('2');
    expect(readsWith(two, scrypt(saltTwo))).toBe('2');
    expect(readsWith(one, scrypt(saltTwo))).toBeNull();
    expect(readsWith(one, scrypt(FORMAT_1_SALT))).toBeNull();
    forgetBundleKeys();
    const b = openDatabase(tempDbFile());
    expect(importInto(b, one)).toMatchObject({ newRecords: 2, newVersions: 3 });
    expect(importInto(b, two)).toMatchObject({ newVersions: 0 });
  });
});

/** Writes a bundle as Attest wrote format 1: one salt for every office, names in devices. */
function writeFormat1(from: Db, name: string): string {
  const current = exportBundle(from, { folder: tempDir(), passphrase: PASS, now }).file;
  const src = openBundleFile(current, PASS)!.db;
  const file = join(tempDir(), 'old.attest-bundle');
  const out = openDriver(file, { readonly: false, fileMustExist: false });
  out.pragma(`cipher = 'sqlcipher'`);
  out.pragma('legacy = 4');
  out.pragma(`key = "x'${scrypt(FORMAT_1_SALT)}'"`);
  out.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    CREATE TABLE devices (id TEXT PRIMARY KEY, name TEXT, public_key TEXT NOT NULL) STRICT;
    CREATE TABLE tips (device TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (device, seq)) STRICT;
    CREATE TABLE holds (device TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;
    CREATE TABLE rows (
      device TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, user TEXT, action TEXT NOT NULL, entity TEXT NOT NULL, id TEXT NOT NULL,
      version INTEGER NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT, reason TEXT, parents TEXT,
      content_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (device, seq)) STRICT;`);
  out.transaction(() => {
    const copy = (table: string, cols: string) => {
      const rows = src.prepare(`SELECT ${cols} FROM ${table}`).raw().all() as unknown[][];
      const put = out.prepare(`INSERT INTO ${table} (${cols}) VALUES (${cols.split(',').map(() => '?').join(', ')})`);
      for (const r of rows) put.run(...r);
    };
    copy('meta', 'key,value');
    out.prepare(`UPDATE meta SET value = '1' WHERE key = 'format'`).run();
    out.prepare(`UPDATE meta SET value = '7' WHERE key = 'schema'`).run();
    copy('tips', 'device,seq,hash,signature');
    copy('holds', 'device,seq');
    copy('rows', 'device,seq,at,user,action,entity,id,version,data,recorded_at,recorded_by,reason,parents,content_hash,prev_hash,hash');
    for (const d of src.prepare(`SELECT id, public_key FROM devices`).all() as { id: string; public_key: string }[]) {
      out.prepare(`INSERT INTO devices (id, name, public_key) VALUES (?, ?, ?)`).run(d.id, d.id === localDeviceId(from) ? name : null, d.public_key);
    }
  })();
  out.close();
  src.close();
  return file;
}

describe('a bundle of format 1', () => {
  it('is upgraded as it is read: the same records as the current format, its unsigned device name kept, every chain verifies', () => {
    const a = laptopWithRecords();
    const old = writeFormat1(a, "Dana's laptop");
    expect(readFileSync(old).subarray(0, 16).equals(readFileSync(exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file).subarray(0, 16))).toBe(false);
    forgetBundleKeys();
    const b = openDatabase(tempDbFile());
    const r = importInto(b, old);
    expect(r).toMatchObject({ newRecords: 2, newVersions: 3, devices: [{ id: localDeviceId(a), name: "Dana's laptop", isNew: true, newVersions: 3 }] });
    expect(verifyRecords(b)).toMatchObject({ ok: true });
    // The same content as a laptop that took the current format.
    const c = openDatabase(tempDbFile());
    importInto(c, exportBundle(a, { folder: tempDir(), passphrase: PASS, now }).file);
    expect(officeContentHash(b)).toBe(officeContentHash(c));
    // Read again: nothing new.
    expect(importInto(b, old)).toMatchObject({ newVersions: 0 });
  });
});
