// The hash-chained audit log: each row carries the SHA-256 of the new record version and of the
// previous row, so a changed, removed or reordered row (or record version) is detectable.
import { createHash } from 'node:crypto';
import type { Db } from '../driver';
import { stmt } from '../stmt';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level, so equal content always hashes the same. Every
 * stored hash depends on this exact text (audit.test.ts checks it against the first form).
 */
export function canonicalJson(value: unknown): string {
  // Strings, numbers, booleans and undefined (written as null) have one JSON form already (most
  // record fields); null takes the longer path, which writes the same text.
  if (typeof value !== 'object') return JSON.stringify(value ?? null);
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value)) as unknown));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * canonicalJson of plain data (what JSON.parse gives, with strings, numbers and null around it),
 * handed out piece by piece: no sorted copy of the value and no whole text, so hashing a large
 * version (an export's manifest, its record pins and row list) holds neither. The same text as
 * canonicalJson: keys in the order its sorted copy has (sorted; keys that are array indices first,
 * as an object orders them; "__proto__", which the copy cannot hold as its own, left out).
 */
export function writeCanonicalJson(v: unknown, out: (piece: string) => void): void {
  if (v === null || v === undefined || typeof v !== 'object') {
    out(JSON.stringify(v ?? null));
    return;
  }
  if (Array.isArray(v)) {
    out('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out(',');
      writeCanonicalJson(v[i], out);
    }
    out(']');
    return;
  }
  const order: Record<string, true> = {};
  for (const k of Object.keys(v).sort()) order[k] = true;
  out('{');
  let first = true;
  for (const k of Object.keys(order)) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined) continue;
    out(first ? `${JSON.stringify(k)}:` : `,${JSON.stringify(k)}:`);
    first = false;
    writeCanonicalJson(x, out);
  }
  out('}');
}

/** Pieces of text gathered into hash updates of about this many characters. */
const HASH_CHARS = 1 << 16;

/** SHA-256 in hex of canonicalJson(v) for plain data, hashed as it is written (writeCanonicalJson). */
export function canonicalSha256(v: unknown): string {
  const hash = createHash('sha256');
  let text = '';
  // Each piece is whole JSON (a lone surrogate is escaped), so no update splits a character.
  writeCanonicalJson(v, (piece) => {
    text += piece;
    if (text.length >= HASH_CHARS) {
      hash.update(text);
      text = '';
    }
  });
  return hash.update(text).digest('hex');
}

/** SHA-256 in hex of text (as UTF-8) or bytes: the history's hashes and an export's file hashes. */
export function sha256(data: string | Uint8Array): string {
  // Node hashes a string as UTF-8 when no encoding is given.
  return createHash('sha256').update(data).digest('hex');
}

/** What a record_versions row is, as hashed: the stored data and who wrote it, when and why. */
export interface VersionContent {
  entity: string;
  id: string;
  version: number;
  data: string;
  recordedAt: string;
  recordedBy: string | null;
  reason: string | null;
  /** The versions it replaces (JSON array of "device:seq"); null on versions written before they were named. */
  parents?: string | null;
}

export function contentHashOf(v: VersionContent): string {
  const base = {
    entity: v.entity,
    id: v.id,
    version: v.version,
    data: JSON.parse(v.data) as unknown,
    recordedAt: v.recordedAt,
    recordedBy: v.recordedBy,
    reason: v.reason,
  };
  // The parents are part of what is hashed once they are recorded: changing them breaks the chain.
  return canonicalSha256(v.parents === null || v.parents === undefined ? base : { ...base, parents: JSON.parse(v.parents) as unknown });
}

export interface AuditRow {
  seq: number;
  at: string;
  user: string | null;
  action: string;
  entity: string;
  id: string;
  version: number;
  contentHash: string;
  prevHash: string;
  hash: string;
}

export function rowHashOf(r: Omit<AuditRow, 'hash'>): string {
  return sha256(
    canonicalJson([r.seq, r.at, r.user, r.action, r.entity, r.id, r.version, r.contentHash, r.prevHash]),
  );
}

/** Appends one audit row after the current head; the caller's transaction covers both writes. */
export function appendAudit(
  db: Db,
  entry: { at: string; user: string | null; action: string; entity: string; id: string; version: number; contentHash: string },
): AuditRow {
  const head = stmt(db, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as
    | { seq: number; hash: string }
    | undefined;
  const base = { ...entry, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
  const row: AuditRow = { ...base, hash: rowHashOf(base) };
  stmt(
    db,
    `INSERT INTO audit_log (seq, at, user, action, entity, id, version, content_hash, prev_hash, hash)
     VALUES (@seq, @at, @user, @action, @entity, @id, @version, @contentHash, @prevHash, @hash)`,
  ).run(row);
  return row;
}

export type BrokenTable = (typeof BROKEN_TABLES)[number];

/**
 * Where a fault can be: the chain, the versions, a record's table, a chained settings or export
 * table, a derived table, or a chain tip recorded outside the database ('recorded-tip').
 */
export const BROKEN_TABLES = [
  'audit_log', 'record_versions', 'facilities', 'people', 'interviews', 'incidents', 'staff',
  'report_definitions', 'report_definition_versions', 'report_settings', 'settings', 'report_exports', 'report_export_files',
  'incident_categories', 'incident_text', 'filing_codes', 'recorded-tip',
  'foreign_rows', 'chain_tips', 'devices', 'record_heads', 'bundle',
] as const;

export interface BrokenRow {
  /** The audit row at fault, or null when a record version has no audit row at all. */
  seq: number | null;
  /** Where the fault is: the chain, the versions, or a record's current row in its own table. */
  table: BrokenTable;
  entity?: string;
  id?: string;
  version?: number;
  /** The device whose chain holds the broken row. */
  device?: string;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  auditRows: number;
  recordVersions: number;
  firstBroken: BrokenRow | null;
}

/** The last audit row of a history that verified: a later check may go on from it. */
export interface AuditTip {
  seq: number;
  hash: string;
}

/**
 * Recomputes the whole chain and every record version's hash; names the first broken row. Streams:
 * each audit row comes with its record version in one query in chain order, so memory stays flat
 * however long the history is.
 *
 * With `since` (the tip of a history that verified), only the rows after it are checked, chained
 * from it; the tip row must still be there with the same hash. The caller answers for the rows up
 * to the tip not having changed since (see Vault.verify).
 */
export function verifyAudit(db: Db, since?: AuditTip): VerifyReport & { tip: AuditTip | null } {
  const from = since ?? { seq: 0, hash: GENESIS_HASH };
  const recordVersions = (db.prepare('SELECT COUNT(*) FROM record_versions').pluck().get() as number) ?? 0;
  // The unique index makes a record version audited twice impossible, unless it was dropped: the
  // second row that names the same version is where the chain was tampered with.
  const twice = (db
    .prepare(
      `SELECT MAX(seq) FROM audit_log WHERE (entity, id, version) IN (SELECT entity, id, version FROM audit_log WHERE seq > ?)
       GROUP BY entity, id, version HAVING COUNT(*) > 1 ORDER BY 1 LIMIT 1`,
    )
    .pluck()
    .get(from.seq) as number | undefined) ?? null;
  let expectedSeq = from.seq + 1;
  let prevHash = from.hash;
  let auditRows = from.seq;
  // Row 0 is the genesis, before the first row: an empty history has nothing to look up.
  if (since && since.seq > 0) {
    const hash = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(since.seq) as string | undefined;
    if (hash !== since.hash) {
      return { ok: false, auditRows, recordVersions, tip: null, firstBroken: { seq: since.seq, table: 'audit_log', problem: `audit row ${since.seq} was changed or removed since the history was last checked` } };
    }
  }
  const broken = (b: BrokenRow): VerifyReport & { tip: null } => ({ ok: false, auditRows, recordVersions, firstBroken: b, tip: null });
  // Versions name their parents from migration 7 on; a history checked before it has no such column.
  const parents = db.prepare(`SELECT 1 FROM pragma_table_info('record_versions') WHERE name = 'parents'`).get() ? 'v.parents' : 'NULL AS parents';
  const rows = db
    .prepare(
      `SELECT a.seq, a.at, a.user, a.action, a.entity, a.id, a.version, a.content_hash AS contentHash, a.prev_hash AS prevHash, a.hash,
         v.version IS NOT NULL AS found, v.data, v.recorded_at AS recordedAt, v.recorded_by AS recordedBy, v.reason, ${parents}
       FROM audit_log a LEFT JOIN record_versions v ON v.entity = a.entity AND v.id = a.id AND v.version = a.version
       WHERE a.seq > ? ORDER BY a.seq`,
    )
    .iterate(from.seq) as IterableIterator<AuditRow & { found: number; data: string; recordedAt: string; recordedBy: string | null; reason: string | null; parents: string | null }>;
  for (const r of rows) {
    auditRows++;
    const where = { entity: r.entity, id: r.id, version: r.version };
    if (r.seq !== expectedSeq) {
      return broken({
        seq: expectedSeq,
        table: 'audit_log',
        problem: `audit row ${expectedSeq} is missing (the next row is ${r.seq})`,
      });
    }
    if (r.prevHash !== prevHash) {
      return broken({ seq: r.seq, table: 'audit_log', ...where, problem: `audit row ${r.seq} does not follow row ${r.seq - 1} (previous-row hash differs): removed, inserted or reordered` });
    }
    if (rowHashOf(r) !== r.hash) {
      return broken({ seq: r.seq, table: 'audit_log', ...where, problem: `audit row ${r.seq} was changed (its hash does not match its content)` });
    }
    if (r.seq === twice) {
      return broken({ seq: r.seq, table: 'audit_log', ...where, problem: `audit row ${r.seq} names ${r.entity} ${r.id} version ${r.version} again: it is audited twice` });
    }
    if (!r.found) {
      return broken({ seq: r.seq, table: 'record_versions', ...where, problem: `${r.entity} ${r.id} version ${r.version} (audit row ${r.seq}) is missing from record_versions` });
    }
    let hash: string;
    try {
      hash = contentHashOf({ entity: r.entity, id: r.id, version: r.version, data: r.data, recordedAt: r.recordedAt, recordedBy: r.recordedBy, reason: r.reason, parents: r.parents });
      // Stryker disable next-line BlockStatement: an emptied catch leaves hash undefined, which, like any text that is no SHA-256, differs from the audit row's
    } catch {
      // Stryker disable next-line StringLiteral: any text that is no SHA-256 in hex differs from the audit row's content hash the same way
      hash = 'unreadable';
    }
    if (hash !== r.contentHash) {
      return broken({ seq: r.seq, table: 'record_versions', ...where, problem: `${r.entity} ${r.id} version ${r.version} (audit row ${r.seq}) was changed after it was written` });
    }
    prevHash = r.hash;
    expectedSeq++;
  }
  // Every audit row found its version once; any version left over has no audit row.
  // Stryker disable next-line ConditionalExpression: made true, the look-up runs on every check and finds nothing when the counts agree (only slower); made false, the "no audit row" tests fail
  if (auditRows !== recordVersions) {
    const v = db
      .prepare(
        `SELECT v.entity, v.id, v.version FROM record_versions v
         WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = v.entity AND a.id = v.id AND a.version = v.version)
         ORDER BY v.entity, v.id, v.version LIMIT 1`,
      )
      .get() as { entity: string; id: string; version: number } | undefined;
    if (v) {
      return broken({
        seq: null,
        table: 'record_versions',
        entity: v.entity,
        id: v.id,
        version: v.version,
        problem: `${v.entity} ${v.id} version ${v.version} has no audit row (written around the audit log, or its row was removed)`,
      });
    }
  }
  return { ok: true, auditRows, recordVersions, firstBroken: null, tip: { seq: expectedSeq - 1, hash: prevHash } };
}
