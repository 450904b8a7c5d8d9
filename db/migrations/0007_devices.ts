// Frozen step of migration 7 (after 0007_devices.sql, in its transaction): gives the database its
// device (an id and an Ed25519 key pair made with Node's crypto; the private key stays in this
// file) and records each record's head: the existing history becomes the local device's chain,
// unchanged, so its hashes and every tip recorded outside still match. Self-contained on purpose.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Db } from '../driver';

const ulid = monotonicFactory();

export function addLocalDevice(db: Db): void {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const priv = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const fingerprint = (createHash('sha256').update(Buffer.from(pub, 'base64')).digest('hex').slice(0, 32).match(/.{4}/g) ?? []).join(' ');
  const id = ulid();
  db.prepare(`INSERT INTO devices (id, name, public_key, fingerprint, trusted, first_seen_at) VALUES (?, NULL, ?, ?, 1, ?)`).run(id, pub, fingerprint, new Date().toISOString());
  db.prepare(`INSERT INTO device_key (one, device, private_key) VALUES (1, ?, ?)`).run(id, priv);
  // One head per record: its last version (the history so far is one line per record).
  db.prepare(
    `INSERT INTO record_heads (entity, id, device, seq, version, shown)
     SELECT a.entity, a.id, ?, a.seq, a.version, 1 FROM audit_log a
     WHERE a.version = (SELECT max(version) FROM audit_log b WHERE b.entity = a.entity AND b.id = a.id)`,
  ).run(id);
}
