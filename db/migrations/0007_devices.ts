// Frozen step of migration 7 (after 0007_devices.sql, in its transaction): gives the database its
// device (an id and an Ed25519 key pair made with Node's crypto; the private key stays in this
// file) and records each record's head: the existing history becomes the local device's chain,
// unchanged, so its hashes and every tip recorded outside still match. Self-contained on purpose.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Db } from '../driver';

const ulid = monotonicFactory();

/**
 * The same person may be entered on two laptops: their A-number meets another after a merge and is
 * listed as a possible duplicate, never refused. people is rebuilt without the column's UNIQUE
 * (SQLite cannot drop a column constraint), its rows, indexes and references kept.
 */
function aNumberNotUnique(db: Db): void {
  const table = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'people'`).pluck().get() as string;
  const indexes = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL`).pluck().all() as string[];
  const rebuilt = table.replace(/(a_number\s+TEXT\s+NOT\s+NULL)\s+UNIQUE/i, '$1');
  if (rebuilt === table) throw new Error('migration 7: the people table is not as expected');
  // Dropping people leaves its interviews and incidents without their person until the rows are
  // back in the new table (checked at commit): each row put back finds its references again.
  db.pragma('defer_foreign_keys = ON');
  db.exec(`CREATE TABLE people_0007_copy AS SELECT * FROM people`);
  db.exec(`DROP TABLE people`);
  db.exec(rebuilt);
  db.exec(`INSERT INTO people SELECT * FROM people_0007_copy`);
  db.exec(`DROP TABLE people_0007_copy`);
  for (const sql of indexes) db.exec(sql);
  db.exec(`CREATE INDEX people_a_number ON people (a_number)`);
}

export function migratePeopleAndDevice(db: Db): void {
  aNumberNotUnique(db);
  addLocalDevice(db);
}

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
