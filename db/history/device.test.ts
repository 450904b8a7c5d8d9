// The local device and its signed chain tips, aimed at db/history/device.ts directly: every expected
// value is worked out here with Node's crypto and JSON, not with the code under test.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_FACILITY, cleanupTempDirs, tempDbFile } from '../../test/helpers';
import { openDatabase } from '../connect';
import type { Db } from '../driver';
import { createFacility } from '../repo/facilities';
import { fingerprintOf, localDevice, localDeviceId, parseRef, refOf, signLocalTip, signTip, tipMessage, tipSignatureValid } from './device';

afterEach(cleanupTempDirs);

const GENESIS = '0'.repeat(64);
const meta = { at: '2026-06-20T10:00:00.000Z', by: 'paralegal', reason: null };

const deviceRow = (db: Db) => db.prepare(`SELECT id, public_key AS publicKey, fingerprint FROM devices WHERE id = (SELECT device FROM device_key)`).get() as { id: string; publicKey: string; fingerprint: string };
const tips = (db: Db) => db.prepare(`SELECT device, seq, hash, signature FROM chain_tips ORDER BY seq`).all();
/** The signed text, written out by hand: a JSON array with no spaces, as UTF-8. */
const message = (device: string, seq: number, hash: string) => Buffer.from(`["attest-chain-tip",1,${JSON.stringify(device)},${seq},"${hash}"]`, 'utf8');
const verifiesWith = (publicKey: string, msg: Buffer, signature: string) =>
  verify(null, msg, createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' }), Buffer.from(signature, 'base64'));

describe('the local device', () => {
  it('is the device of device_key, with the private key of the public key recorded in devices', () => {
    const db = openDatabase(tempDbFile());
    const row = deviceRow(db);
    const me = localDevice(db);
    expect(me.id).toBe(row.id);
    expect(localDeviceId(db)).toBe(row.id);
    const pub = createPublicKey(createPrivateKey({ key: Buffer.from(me.privateKey, 'base64'), format: 'der', type: 'pkcs8' }));
    expect(pub.export({ type: 'spki', format: 'der' }).toString('base64')).toBe(row.publicKey);
    db.close();
  });

  it('is refused with a plain message when the database has no device key', () => {
    const db = openDatabase(tempDbFile());
    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM device_key').run();
    expect(() => localDevice(db)).toThrow('this database has no device key (migration 7 did not run)');
    db.close();
  });
});

describe('fingerprints', () => {
  // Naive: the first 16 bytes of the key's SHA-256 in hex, a space after every fourth digit.
  function refFingerprint(publicKeyB64: string): string {
    const hex = createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex');
    let out = '';
    for (let i = 0; i < 32; i++) out += (i > 0 && i % 4 === 0 ? ' ' : '') + hex[i];
    return out;
  }

  it('are the first 32 hex digits of the key\'s SHA-256 in groups of four, as the migration recorded them', () => {
    const db = openDatabase(tempDbFile());
    const row = deviceRow(db);
    expect(fingerprintOf(row.publicKey)).toBe(refFingerprint(row.publicKey));
    expect(fingerprintOf(row.publicKey)).toBe(row.fingerprint);
    expect(fingerprintOf(row.publicKey)).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/);
    db.close();
    // Any bytes, the empty key included.
    for (const key of ['', 'AA==', Buffer.from('another key').toString('base64')]) expect(fingerprintOf(key)).toBe(refFingerprint(key));
  });
});

describe('signed chain tips', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const priv = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const hash = 'ab'.repeat(32);

  it('sign the device, the row number and the row hash, as a JSON array tagged with the format', () => {
    expect(tipMessage('01DEVICE', 7, hash)).toEqual(message('01DEVICE', 7, hash));
    // Not ASCII: the device's name as UTF-8.
    expect(tipMessage('Laptop é', 0, GENESIS)).toEqual(message('Laptop é', 0, GENESIS));
    const signature = signTip(priv, '01DEVICE', 7, hash);
    expect(verifiesWith(pub, message('01DEVICE', 7, hash), signature)).toBe(true);
    expect(signature).toBe(sign(null, message('01DEVICE', 7, hash), privateKey).toString('base64'));
  });

  it('verify with the key that signed them, and with nothing else changed', () => {
    const signature = sign(null, message('01DEVICE', 7, hash), privateKey).toString('base64');
    expect(tipSignatureValid(pub, '01DEVICE', 7, hash, signature)).toBe(true);
    expect(tipSignatureValid(pub, '01DEVICF', 7, hash, signature)).toBe(false);
    expect(tipSignatureValid(pub, '01DEVICE', 8, hash, signature)).toBe(false);
    expect(tipSignatureValid(pub, '01DEVICE', 7, 'ab'.repeat(31) + 'ac', signature)).toBe(false);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(tipSignatureValid(other, '01DEVICE', 7, hash, signature)).toBe(false);
  });

  it('do not verify, without throwing, with a key or a signature that is not one', () => {
    const signature = sign(null, message('01DEVICE', 7, hash), privateKey).toString('base64');
    expect(tipSignatureValid('bm90IGEga2V5', '01DEVICE', 7, hash, signature)).toBe(false);
    expect(tipSignatureValid('', '01DEVICE', 7, hash, signature)).toBe(false);
    expect(tipSignatureValid(pub, '01DEVICE', 7, hash, '')).toBe(false);
    expect(tipSignatureValid(pub, '01DEVICE', 7, hash, 'c2hvcnQ=')).toBe(false);
  });
});

describe('signing the local tip', () => {
  it('of an empty history: row 0 and the genesis hash, signed, and nothing kept', () => {
    const db = openDatabase(tempDbFile());
    const row = deviceRow(db);
    const tip = signLocalTip(db);
    expect(tip).toMatchObject({ device: row.id, seq: 0, hash: GENESIS });
    expect(Object.keys(tip).sort()).toEqual(['device', 'hash', 'seq', 'signature']);
    expect(verifiesWith(row.publicKey, message(row.id, 0, GENESIS), tip.signature)).toBe(true);
    expect(tips(db)).toEqual([]);
    db.close();
  });

  it('of a history: its last row, signed and kept in chain_tips; signed again, the kept signature', () => {
    const db = openDatabase(tempDbFile());
    const row = deviceRow(db);
    createFacility(db, SAMPLE_FACILITY, meta);
    createFacility(db, { ...SAMPLE_FACILITY, name: 'Second facility' }, meta);
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    expect(last.seq).toBe(2);
    const tip = signLocalTip(db);
    expect(tip).toMatchObject({ device: row.id, seq: 2, hash: last.hash });
    expect(verifiesWith(row.publicKey, message(row.id, 2, last.hash), tip.signature)).toBe(true);
    expect(tips(db)).toEqual([{ device: row.id, seq: 2, hash: last.hash, signature: tip.signature }]);
    // The kept signature is what a second call hands back (Ed25519 signs the same bytes the same, so
    // a stand-in shows which one it is).
    db.prepare('UPDATE chain_tips SET signature = ? WHERE seq = 2').run('kept');
    expect(signLocalTip(db)).toEqual({ device: row.id, seq: 2, hash: last.hash, signature: 'kept' });
    expect(tips(db)).toHaveLength(1);
    // A kept tip of another device at the same row is not this device's.
    db.prepare('UPDATE chain_tips SET device = ?').run('01OTHER');
    expect(signLocalTip(db)).toEqual({ device: row.id, seq: 2, hash: last.hash, signature: tip.signature });
    db.close();
  });

  it('through a read-only connection: signed, nothing kept', () => {
    const file = tempDbFile();
    const db = openDatabase(file);
    createFacility(db, SAMPLE_FACILITY, meta);
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const row = deviceRow(db);
    db.close();
    const ro = openDatabase(file, { readonly: true });
    const tip = signLocalTip(ro);
    expect(tip).toMatchObject({ device: row.id, seq: 1, hash: last.hash });
    expect(verifiesWith(row.publicKey, message(row.id, 1, last.hash), tip.signature)).toBe(true);
    expect(tips(ro)).toEqual([]);
    ro.close();
  });
});

describe('version names', () => {
  it('are "device:seq", read back at the last colon', () => {
    expect(refOf('01DEVICE', 12)).toBe('01DEVICE:12');
    expect(parseRef('01DEVICE:12')).toStrictEqual({ device: '01DEVICE', seq: 12 });
    expect(parseRef('a:b:3')).toStrictEqual({ device: 'a:b', seq: 3 });
    expect(parseRef(refOf('x', 0))).toStrictEqual({ device: 'x', seq: 0 });
  });
});
