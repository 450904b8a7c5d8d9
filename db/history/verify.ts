// The whole proof that nothing was changed around the app: the audit chain and the record versions
// (db/audit.ts), then every record's current row against its last recorded version, so an edit
// made straight to a table (a spreadsheet tool, a script) is named as well.
import { canonicalJson, verifyAudit, type AuditTip, type BrokenRow, type VerifyReport } from './audit';
import type { Db } from '../driver';
import { facilityStore } from '../repo/facilities';
import { incidentStore } from '../repo/incidents';
import { interviewStore } from '../repo/interviews';
import { personStore } from '../repo/people';
import type { Store } from '../repo/records';
import { staffStore } from '../repo/staff';
import { verifyChainedRows } from './chained';
import { verifyDeviceChains } from './device-chains';
import { verifyDerivedRows } from './verify-derived';

/**
 * The version a record's row shows (its shown head), from this laptop's chain (v) or another's (f);
 * joined to a table aliased t, with @entity bound.
 */
export const SHOWN_VERSION_JOIN = `LEFT JOIN record_heads h ON h.entity = @entity AND h.id = t.id AND h.shown = 1
         LEFT JOIN audit_log a ON h.device = (SELECT device FROM device_key WHERE one = 1) AND a.seq = h.seq
         LEFT JOIN record_versions v ON v.entity = a.entity AND v.id = a.id AND v.version = a.version
         LEFT JOIN foreign_rows f ON f.device = h.device AND f.seq = h.seq`;

const STORES: Store<object>[] = [facilityStore, personStore, interviewStore, incidentStore, staffStore] as unknown as Store<object>[];

/**
 * The whole check; with `since` (the tip of a history that verified), only what came after it:
 * the audit rows after the tip, and the current rows of the records they name.
 */
export function verifyRecords(db: Db, since?: AuditTip): VerifyReport & { tip: AuditTip | null } {
  const report = verifyAudit(db, since);
  if (!report.ok) return report;
  // Every other laptop's chain and every signed tip, on every check (an import adds to them).
  const devices = verifyDeviceChains(db);
  if (devices) return { ...report, ok: false, firstBroken: devices, tip: null };
  // Settings, definitions, the export log (manifests can be megabytes each) and derived rows only on
  // a whole check: between whole checks only this connection wrote, through the app (see Vault.verify).
  const broken = verifyCurrentRows(db, since?.seq) ?? (since ? null : (verifyChainedRows(db) ?? verifyDerivedRows(db)));
  return broken ? { ...report, ok: false, firstBroken: broken, tip: null } : report;
}

/**
 * Null when every current row equals its last recorded version, else the first that does not.
 * Streams: each row comes with its last version in one query, so memory stays flat. With
 * `afterSeq`, only the records named by audit rows after it.
 */
export function verifyCurrentRows(db: Db, afterSeq?: number): BrokenRow | null {
  const named = (alias: string) => (afterSeq === undefined ? '' : `AND ${alias}.id IN (SELECT id FROM audit_log WHERE entity = @entity AND seq > @afterSeq)`);
  // Stryker disable next-line ConditionalExpression: made false, a whole check also binds afterSeq (undefined), a key its statements do not name, which better-sqlite3 ignores; made true, the check after a tip fails
  const params = afterSeq === undefined ? {} : { afterSeq };
  for (const store of STORES) {
    const { entity, table, noun } = store.spec;
    const at = (id: string, version: number, problem: string): BrokenRow => ({ seq: null, table: table as BrokenRow['table'], entity, id, version, problem });
    const rows = db
      .prepare(
        `SELECT ${store.columns('t')}, coalesce(v.version, f.version) AS "__lastVersion", coalesce(v.data, f.data) AS "__lastData" FROM ${table} t
         ${SHOWN_VERSION_JOIN}
         WHERE 1 ${named('t')}`,
      )
      .iterate({ entity, ...params }) as IterableIterator<Record<string, unknown> & { __lastVersion: number | null; __lastData: string | null }>;
    for (const row of rows) {
      const { __lastVersion: lastVersion, __lastData: lastData, ...columns } = row;
      const current = store.decode(columns) as object & { id: string; version: number; deletedAt: string | null };
      // The LEFT JOINs give both or neither, so either half alone decides (the whole made false or true fails the tests).
      // Stryker disable next-line ConditionalExpression,LogicalOperator: either half made false, or && for ||, gives the same answer
      if (lastVersion === null || lastData === null) return at(current.id, current.version, `${noun} ${current.id} is in ${table} but has no recorded version (written around the app)`);
      if (lastVersion !== current.version) {
        return at(current.id, current.version, `${noun} ${current.id} is at version ${current.version} in ${table}, but its history ends at version ${lastVersion}`);
      }
      let recorded: Record<string, unknown>;
      try {
        recorded = JSON.parse(lastData) as Record<string, unknown>;
      } catch {
        return at(current.id, lastVersion, `${noun} ${current.id} version ${lastVersion} cannot be read`);
      }
      const now = store.dataOf(current as never);
      // Fields a later migration added are absent from older versions; every recorded one must match.
      for (const field of Object.keys(recorded)) {
        if (canonicalJson(now[field] ?? null) !== canonicalJson(recorded[field] ?? null)) {
          return at(current.id, current.version, `${noun} ${current.id}: ${field} in ${table} differs from its last recorded version ${lastVersion} (changed outside the app)`);
        }
      }
    }
    // A record with a history and no row.
    const gone = db
      .prepare(
        `SELECT id, MAX(version) AS version FROM record_heads v
         WHERE entity = @entity AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = v.id) ${named('v')} GROUP BY id ORDER BY id LIMIT 1`,
      )
      .get({ entity, ...params }) as { id: string; version: number } | undefined;
    if (gone) return at(gone.id, gone.version, `${noun} ${gone.id} has a recorded history but no row in ${table} (removed outside the app)`);
  }
  return null;
}
