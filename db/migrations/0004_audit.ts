// Frozen step of migration 4 (after 0004_audit.sql, in its transaction): chains the record versions
// written before the audit log existed, oldest first. Self-contained on purpose: it hashes exactly as
// Attest did when migration 4 was written, whatever today's audit code becomes.
import { createHash } from 'node:crypto';
import type { Db } from '../driver';

const GENESIS_HASH = '0'.repeat(64);

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

const canonical = (value: unknown): string => JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value ?? null)) as unknown));
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

interface Version {
  entity: string;
  id: string;
  version: number;
  data: string;
  recordedAt: string;
  recordedBy: string | null;
  reason: string | null;
}

export function backfillAudit(db: Db): void {
  const versions = db
    .prepare(
      `SELECT entity, id, version, data, recorded_at AS recordedAt, recorded_by AS recordedBy, reason
       FROM record_versions ORDER BY recorded_at, entity, id, version`,
    )
    .all() as Version[];
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, at, user, action, entity, id, version, content_hash, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const head = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as { seq: number; hash: string } | undefined;
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  for (const v of versions) {
    const contentHash = sha256(
      canonical({ entity: v.entity, id: v.id, version: v.version, data: JSON.parse(v.data) as unknown, recordedAt: v.recordedAt, recordedBy: v.recordedBy, reason: v.reason }),
    );
    seq++;
    const action = v.version === 1 ? 'create' : 'edit';
    const hash = sha256(canonical([seq, v.recordedAt, v.recordedBy, action, v.entity, v.id, v.version, contentHash, prevHash]));
    insert.run(seq, v.recordedAt, v.recordedBy, action, v.entity, v.id, v.version, contentHash, prevHash, hash);
    prevHash = hash;
  }
}
