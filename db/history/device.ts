// This database's device: its id and Ed25519 key (the private key never leaves the file), the
// devices seen in bundles, and signed chain tips. A version is named by (device, seq): seq is the
// position of its audit row in that device's chain (the local chain is audit_log).
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { Db } from '../driver';
import { stmt } from '../stmt';
import { canonicalJson, GENESIS_HASH } from './audit';

export interface LocalDevice {
  id: string;
  privateKey: string;
}

/** The local device (made by migration 7 on every database). */
export function localDevice(db: Db): LocalDevice {
  const r = stmt(db, `SELECT device AS id, private_key AS privateKey FROM device_key WHERE one = 1`).get() as LocalDevice | undefined;
  if (!r) throw new Error('this database has no device key (migration 7 did not run)');
  return r;
}

export function localDeviceId(db: Db): string {
  return (stmt(db, `SELECT device AS id FROM device_key WHERE one = 1`).get() as { id: string }).id;
}

/** sha256 of the public key (DER), grouped by four for reading aloud. */
export function fingerprintOf(publicKeyB64: string): string {
  // Stryker disable next-line ArrayDeclaration: 32 hex digits always give eight matches, so the fallback is never used
  return (createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex').slice(0, 32).match(/.{4}/g) ?? []).join(' ');
}

/** What a tip signature covers: the device, the sequence number and the row hash (as UTF-8, Buffer.from's default). */
export function tipMessage(device: string, seq: number, hash: string): Buffer {
  return Buffer.from(canonicalJson(['attest-chain-tip', 1, device, seq, hash]));
}

export function signTip(privateKeyB64: string, device: string, seq: number, hash: string): string {
  const key = createPrivateKey({ key: Buffer.from(privateKeyB64, 'base64'), format: 'der', type: 'pkcs8' });
  return sign(null, tipMessage(device, seq, hash), key).toString('base64');
}

export function tipSignatureValid(publicKeyB64: string, device: string, seq: number, hash: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    return verify(null, tipMessage(device, seq, hash), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The local chain's head, signed now (kept in chain_tips; a bundle carries it). */
export function signLocalTip(db: Db): { device: string; seq: number; hash: string; signature: string } {
  const me = localDevice(db);
  const head = (stmt(db, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH };
  const existing = stmt(db, `SELECT signature FROM chain_tips WHERE device = ? AND seq = ?`).get(me.id, head.seq) as { signature: string } | undefined;
  if (existing) return { device: me.id, ...head, signature: existing.signature };
  const signature = signTip(me.privateKey, me.id, head.seq, head.hash);
  if (head.seq > 0 && !db.readonly) stmt(db, `INSERT INTO chain_tips (device, seq, hash, signature) VALUES (?, ?, ?, ?)`).run(me.id, head.seq, head.hash, signature);
  return { device: me.id, ...head, signature };
}

/** A version's name as stored in parents: "DEVICE:seq". */
export const refOf = (device: string, seq: number): string => `${device}:${seq}`;
export function parseRef(ref: string): { device: string; seq: number } {
  const i = ref.lastIndexOf(':');
  return { device: ref.slice(0, i), seq: Number(ref.slice(i + 1)) };
}
