// What is written outside the record tables — report definitions, office settings, the settings
// table (the backup plan), the export log and its file hashes — goes into the same chain as the
// records, and verify compares each current row with its last chained version. Without this, a
// changed A-number policy or a forged export hash would verify clean.
import type { Db } from '../driver';
import { stmt } from '../stmt';
import { canonicalJson, type BrokenRow } from './audit';
import { appendVersion, nextVersion, type WriteMeta } from './versions';

/** The versioned form of a report definition, read from its row. */
export function definitionData(row: { name: string; data: string; deleted_at: string | null }): Record<string, unknown> {
  return { name: row.name, definition: JSON.parse(row.data) as unknown, deletedAt: row.deleted_at };
}

/** Chains the definition's current row as version `version` (the caller wrote the row). */
export function chainDefinition(db: Db, id: string, version: number, meta: WriteMeta): void {
  const row = stmt(db, `SELECT name, data, deleted_at FROM report_definitions WHERE id = ?`).get(id) as { name: string; data: string; deleted_at: string | null };
  appendVersion(db, 'report', id, version, definitionData(row), meta);
}

/** Chains the office settings as they now stand in report_settings. */
export function chainOfficeSettings(db: Db, meta: WriteMeta): void {
  const { data } = stmt(db, `SELECT data FROM report_settings WHERE id = 1`).get() as { data: string };
  appendVersion(db, 'office-settings', 'office', nextVersion(db, 'office-settings', 'office'), JSON.parse(data) as unknown, meta);
}

/** Writes one row of the settings table (the backup plan…) and chains it, in one transaction. */
export function writeSetting(db: Db, key: string, value: string, meta: WriteMeta): void {
  db.transaction(() => {
    stmt(db, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, value);
    appendVersion(db, 'setting', key, nextVersion(db, 'setting', key), { value }, meta);
  })();
}

const EXPORT_COLUMNS = `definition_id AS definitionId, definition_version AS definitionVersion, definition, profile,
  exhibit_label AS exhibitLabel, period_from AS periodFrom, period_to AS periodTo, generated_at AS generatedAt,
  generated_by AS generatedBy, app_version AS appVersion, folder, incident_count AS incidentCount, manifest`;

type ExportRow = Record<string, unknown> & { definition: string; manifest: string };
type ExportFileRow = { name: string; format: string; bytes: number; sha256: string };

function exportDataOf(row: ExportRow, files: ExportFileRow[]): Record<string, unknown> {
  return { ...row, definition: JSON.parse(row.definition) as unknown, manifest: JSON.parse(row.manifest) as unknown, files };
}

function exportFiles(db: Db, id: string): ExportFileRow[] {
  return stmt(db, `SELECT name, format, bytes, sha256 FROM report_export_files WHERE export_id = ? ORDER BY name`).all(id) as ExportFileRow[];
}

/** Chains a logged export, its files and their SHA-256 included, as one version. */
export function chainExport(db: Db, id: string, meta: WriteMeta): void {
  const row = stmt(db, `SELECT ${EXPORT_COLUMNS} FROM report_exports WHERE id = ?`).get(id) as ExportRow;
  appendVersion(db, 'export', id, 1, exportDataOf(row, exportFiles(db, id)), { ...meta, action: 'create' });
}

/** Each record's shown head (the version its row holds), on this laptop's chain or another's. */
const lastVersions = (entity: string) =>
  `SELECT h.id, h.version, coalesce(v.data, f.data) AS data FROM record_heads h
     LEFT JOIN audit_log a ON h.device = (SELECT device FROM device_key WHERE one = 1) AND a.seq = h.seq
     LEFT JOIN record_versions v ON v.entity = a.entity AND v.id = a.id AND v.version = a.version
     LEFT JOIN foreign_rows f ON f.device = h.device AND f.seq = h.seq
   WHERE h.entity = '${entity}' AND h.shown = 1`;

interface Check {
  entity: string;
  table: BrokenRow['table'];
  noun: string;
  /** Every current row: id and its versioned form (and the version number the row holds, if any). */
  rows: (db: Db) => Iterable<{ id: string; version?: number; data: unknown }>;
  /**
   * Devices: a row with no chained version stands as it was before names and trust were chained,
   * and a chained version may name a device whose key has not come here yet.
   */
  partial?: true;
}

const CHECKS: Check[] = [
  {
    entity: 'report',
    table: 'report_definitions',
    noun: 'report definition',
    *rows(db) {
      for (const r of db.prepare(`SELECT id, version, name, data, deleted_at FROM report_definitions`).iterate() as IterableIterator<{ id: string; version: number; name: string; data: string; deleted_at: string | null }>) {
        yield { id: r.id, version: r.version, data: definitionData(r) };
      }
    },
  },
  {
    entity: 'office-settings',
    table: 'report_settings',
    noun: 'office settings',
    *rows(db) {
      const data = db.prepare(`SELECT data FROM report_settings WHERE id = 1`).pluck().get() as string | undefined;
      if (data !== undefined) yield { id: 'office', data: JSON.parse(data) as unknown };
    },
  },
  {
    entity: 'setting',
    table: 'settings',
    noun: 'setting',
    *rows(db) {
      for (const r of db.prepare(`SELECT key, value FROM settings`).iterate() as IterableIterator<{ key: string; value: string }>) yield { id: r.key, data: { value: r.value } };
    },
  },
  {
    entity: 'device',
    table: 'devices',
    noun: 'device',
    partial: true,
    *rows(db) {
      for (const r of db.prepare(`SELECT id, name, trusted FROM devices`).iterate() as IterableIterator<{ id: string; name: string | null; trusted: number }>) {
        yield { id: r.id, data: { name: r.name, trusted: r.trusted === 1 } };
      }
    },
  },
  {
    entity: 'export',
    table: 'report_exports',
    noun: 'export',
    *rows(db) {
      for (const r of db.prepare(`SELECT id, ${EXPORT_COLUMNS} FROM report_exports`).iterate() as IterableIterator<ExportRow & { id: string }>) {
        const { id, ...rest } = r;
        yield { id, version: 1, data: exportDataOf(rest as ExportRow, exportFiles(db, id)) };
      }
    },
  },
];

/**
 * Null when every row of these tables equals its last chained version (and every chained one has
 * its row), else the first that does not. Also checks the saved copies of every definition version
 * and that no export file row lost its export.
 */
export function verifyChainedRows(db: Db): BrokenRow | null {
  for (const c of CHECKS) {
    const last = new Map<string, { version: number; data: string }>();
    for (const v of db.prepare(lastVersions(c.entity)).iterate() as IterableIterator<{ id: string; version: number; data: string }>) last.set(v.id, v);
    const at = (id: string, version: number | undefined, problem: string): BrokenRow => ({ seq: null, table: c.table, entity: c.entity, id, ...(version !== undefined ? { version } : {}), problem });
    for (const r of c.rows(db)) {
      const v = last.get(r.id);
      if (!v && c.partial) continue;
      if (!v) return at(r.id, r.version, `${c.noun} ${r.id} is in ${c.table} but has no recorded version (written around the app)`);
      last.delete(r.id);
      if (r.version !== undefined && r.version !== v.version) return at(r.id, r.version, `${c.noun} ${r.id} is at version ${r.version} in ${c.table}, but its history ends at version ${v.version}`);
      const recorded = JSON.parse(v.data) as unknown;
      if (canonicalJson(r.data) !== canonicalJson(recorded)) {
        const field = differingField(r.data, recorded);
        return at(r.id, v.version, `${c.noun} ${r.id}: ${field ? `${field} ` : ''}in ${c.table} differs from its last recorded version ${v.version} (changed outside the app)`);
      }
    }
    const [gone] = last.values();
    if (gone && !c.partial) {
      const id = [...last.keys()][0]!;
      return at(id, gone.version, `${c.noun} ${id} has a recorded history but no row in ${c.table} (removed outside the app)`);
    }
  }
  // The saved copy of each definition version, read when an old export is rebuilt.
  const copies = db.prepare(
    `SELECT d.id, d.version, d.data, d.saved_at AS savedAt, d.saved_by AS savedBy, v.data AS versioned, v.recorded_at AS recordedAt, v.recorded_by AS recordedBy
     FROM report_definition_versions d LEFT JOIN all_versions v ON v.entity = 'report' AND v.id = d.id AND v.version = d.version`,
  ).iterate() as IterableIterator<{ id: string; version: number; data: string; savedAt: string; savedBy: string | null; versioned: string | null; recordedAt: string; recordedBy: string | null }>;
  for (const d of copies) {
    const where = { seq: null, table: 'report_definition_versions' as const, entity: 'report', id: d.id, version: d.version };
    if (d.versioned === null) return { ...where, problem: `report definition ${d.id} version ${d.version} is in report_definition_versions but has no recorded version (written around the app)` };
    const versioned = JSON.parse(d.versioned) as { definition: unknown };
    if (canonicalJson(JSON.parse(d.data)) !== canonicalJson(versioned.definition) || d.savedAt !== d.recordedAt || d.savedBy !== d.recordedBy) {
      return { ...where, problem: `report definition ${d.id} version ${d.version} in report_definition_versions differs from its recorded version (changed outside the app)` };
    }
  }
  const missingCopy = db.prepare(
    `SELECT id, version FROM record_versions v WHERE entity = 'report' AND NOT EXISTS (SELECT 1 FROM report_definition_versions d WHERE d.id = v.id AND d.version = v.version) LIMIT 1`,
  ).get() as { id: string; version: number } | undefined;
  if (missingCopy) return { seq: null, table: 'report_definition_versions', entity: 'report', id: missingCopy.id, version: missingCopy.version, problem: `report definition ${missingCopy.id} version ${missingCopy.version} is missing from report_definition_versions (removed outside the app)` };
  const orphan = db.prepare(`SELECT export_id AS id, name FROM report_export_files f WHERE NOT EXISTS (SELECT 1 FROM report_exports e WHERE e.id = f.export_id) LIMIT 1`).get() as { id: string; name: string } | undefined;
  if (orphan) return { seq: null, table: 'report_export_files', entity: 'export', id: orphan.id, problem: `report_export_files lists ${orphan.name} for export ${orphan.id}, which is not in the export log (written around the app)` };
  return null;
}

/** The first top-level field (or file) whose value differs, for the message. */
function differingField(now: unknown, recorded: unknown): string | null {
  if (!now || !recorded || typeof now !== 'object' || typeof recorded !== 'object') return null;
  const a = now as Record<string, unknown>;
  const b = recorded as Record<string, unknown>;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (canonicalJson(a[k] ?? null) === canonicalJson(b[k] ?? null)) continue;
    if (k === 'files' && Array.isArray(a[k]) && Array.isArray(b[k])) {
      const fa = a[k] as ExportFileRow[];
      const fb = b[k] as ExportFileRow[];
      const f = fa.find((x, i) => canonicalJson(x) !== canonicalJson(fb[i] ?? null)) ?? fb[fa.length];
      if (f) return `the SHA-256 or size of ${f.name}`;
    }
    return k;
  }
  return null;
}
