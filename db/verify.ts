// The whole proof that nothing was changed around the app: the audit chain and the record versions
// (db/audit.ts), then every record's current row against its last recorded version, so an edit
// made straight to a table (a spreadsheet tool, a script) is named as well.
import { canonicalJson, verifyAudit, type BrokenRow, type VerifyReport } from './audit';
import type { Db } from './open';
import { facilityStore } from './repo/facilities';
import { incidentStore } from './repo/incidents';
import { interviewStore } from './repo/interviews';
import { personStore } from './repo/people';
import type { Store } from './repo/records';
import { staffStore } from './repo/staff';

const STORES: Store<object>[] = [facilityStore, personStore, interviewStore, incidentStore, staffStore] as unknown as Store<object>[];

export function verifyRecords(db: Db): VerifyReport {
  const report = verifyAudit(db);
  if (!report.ok) return report;
  const broken = verifyCurrentRows(db);
  return broken ? { ...report, ok: false, firstBroken: broken } : report;
}

/** Null when every current row equals its last recorded version, else the first that does not. */
export function verifyCurrentRows(db: Db): BrokenRow | null {
  for (const store of STORES) {
    const { entity, table, noun } = store.spec;
    // The last version of each record (SQLite returns the row that holds the MAX).
    const last = new Map<string, { version: number; data: string }>();
    for (const r of db
      .prepare('SELECT id, MAX(version) AS version, data FROM record_versions WHERE entity = ? GROUP BY id')
      .iterate(entity) as IterableIterator<{ id: string; version: number; data: string }>) {
      last.set(r.id, r);
    }
    const at = (id: string, version: number, problem: string): BrokenRow => ({ seq: null, table: table as BrokenRow['table'], entity, id, version, problem });
    for (const row of db.prepare(`SELECT ${store.columns('')} FROM ${table}`).iterate() as IterableIterator<Record<string, unknown>>) {
      const current = store.decode(row) as object & { id: string; version: number; deletedAt: string | null };
      const v = last.get(current.id);
      if (!v) return at(current.id, current.version, `${noun} ${current.id} is in ${table} but has no recorded version (written around the app)`);
      last.delete(current.id);
      if (v.version !== current.version) {
        return at(current.id, current.version, `${noun} ${current.id} is at version ${current.version} in ${table}, but its history ends at version ${v.version}`);
      }
      let recorded: Record<string, unknown>;
      try {
        recorded = JSON.parse(v.data) as Record<string, unknown>;
      } catch {
        return at(current.id, v.version, `${noun} ${current.id} version ${v.version} cannot be read`);
      }
      const now = store.dataOf(current as never);
      // Fields a later migration added are absent from older versions; every recorded one must match.
      for (const field of Object.keys(recorded)) {
        if (canonicalJson(now[field] ?? null) !== canonicalJson(recorded[field] ?? null)) {
          return at(current.id, current.version, `${noun} ${current.id}: ${field} in ${table} differs from its last recorded version ${v.version} (changed outside the app)`);
        }
      }
    }
    const gone = last.entries().next();
    if (!gone.done) {
      const [id, v] = gone.value;
      return at(id, v.version, `${noun} ${id} has a recorded history but no row in ${table} (removed outside the app)`);
    }
  }
  return null;
}
