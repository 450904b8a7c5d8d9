// Saved report definitions (every version kept), the office's report settings, and the export log.
import { AppError } from '../../shared/errors';
import { newId } from '../ids';
import type { Db } from '../driver';
import { stmt } from '../stmt';
import { chainDefinition, chainExport, chainOfficeSettings } from '../history/chained';

import type { OfficeSettings, ReportDefinition } from '../../shared/report/definition';
import type { ExportManifest, ManifestFile } from '../../shared/report/manifest';

export interface SavedDefinition {
  id: string;
  version: number;
  name: string;
  definition: ReportDefinition;
  createdAt: string;
  updatedAt: string;
}

interface DefRow {
  id: string;
  version: number;
  name: string;
  data: string;
  createdAt: string;
  updatedAt: string;
}

const DEF_SELECT = `SELECT id, version, name, data, created_at AS createdAt, updated_at AS updatedAt FROM report_definitions`;

const decodeDef = (r: DefRow): SavedDefinition => ({
  id: r.id,
  version: r.version,
  name: r.name,
  definition: JSON.parse(r.data) as ReportDefinition,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export function getDefinition(db: Db, id: string): SavedDefinition | undefined {
  const r = stmt(db, `${DEF_SELECT} WHERE id = ? AND deleted_at IS NULL`).get(id) as DefRow | undefined;
  return r ? decodeDef(r) : undefined;
}

export function getDefinitionVersion(db: Db, id: string, version: number): ReportDefinition | undefined {
  const r = stmt(db, `SELECT data FROM report_definition_versions WHERE id = ? AND version = ?`).get(id, version) as { data: string } | undefined;
  return r ? (JSON.parse(r.data) as ReportDefinition) : undefined;
}

export function listDefinitions(db: Db): SavedDefinition[] {
  return (stmt(db, `${DEF_SELECT} WHERE deleted_at IS NULL ORDER BY updated_at DESC, id`).all() as DefRow[]).map(decodeDef);
}

/** Creates a definition, or saves a new version of one (refused when someone saved in between). */
export function saveDefinition(
  db: Db,
  definition: ReportDefinition,
  meta: { at: string; by: string | null },
  existing?: { id: string; expectedVersion: number },
): SavedDefinition {
  const data = JSON.stringify(definition);
  let id: string;
  let version: number;
  if (existing) {
    const cur = getDefinition(db, existing.id);
    if (!cur) throw new AppError('NOT_FOUND', `no report definition with id ${existing.id}`, [{ path: ['id'], message: 'not found' }]);
    if (cur.version !== existing.expectedVersion) {
      throw new AppError('CONFLICT', `the definition was saved by someone else (version ${cur.version}); reload it first`, [
        { path: ['expectedVersion'], message: `is ${cur.version} now` },
      ]);
    }
    id = existing.id;
    version = cur.version + 1;
    stmt(db, `UPDATE report_definitions SET name = ?, data = ?, version = ?, updated_at = ? WHERE id = ?`).run(definition.name, data, version, meta.at, id);
  } else {
    id = newId();
    version = 1;
    stmt(db, `INSERT INTO report_definitions (id, name, data, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)`).run(id, definition.name, data, meta.at, meta.at);
  }
  stmt(db, `INSERT INTO report_definition_versions (id, version, data, saved_at, saved_by) VALUES (?, ?, ?, ?, ?)`).run(id, version, data, meta.at, meta.by);
  chainDefinition(db, id, version, meta);
  return getDefinition(db, id)!;
}

export function getOfficeSettings(db: Db): unknown {
  const r = stmt(db, `SELECT data FROM report_settings WHERE id = 1`).get() as { data: string } | undefined;
  return r ? (JSON.parse(r.data) as unknown) : {};
}

export function saveOfficeSettings(db: Db, settings: OfficeSettings, meta: { at: string; by: string | null }): void {
  stmt(
    db,
    `INSERT INTO report_settings (id, data, updated_at, updated_by) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(JSON.stringify(settings), meta.at, meta.by);
  chainOfficeSettings(db, meta);
}

export interface ExportRecord {
  id: string;
  definitionId: string | null;
  definitionVersion: number | null;
  profile: string;
  exhibitLabel: string;
  periodFrom: string;
  periodTo: string;
  generatedAt: string;
  generatedBy: string | null;
  appVersion: string;
  folder: string;
  incidentCount: number;
  files: ManifestFile[];
}

export function logExport(
  db: Db,
  e: { folder: string; generatedBy: string | null; definitionVersion: number | null; manifest: ExportManifest; id?: string },
): ExportRecord {
  // The caller may pick the id first: an export's staging folder is named by it.
  const id = e.id ?? newId();
  const m = e.manifest;
  stmt(
    db,
    `INSERT INTO report_exports (id, definition_id, definition_version, definition, profile, exhibit_label, period_from, period_to,
       generated_at, generated_by, app_version, folder, incident_count, manifest)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    m.definitionId,
    e.definitionVersion,
    JSON.stringify(m.definition),
    m.profile,
    m.exhibitLabel,
    m.period.from,
    m.period.to,
    m.generatedAt,
    e.generatedBy,
    m.appVersion,
    e.folder,
    m.counts.incidents,
    JSON.stringify(m),
  );
  const addFile = stmt(db, `INSERT INTO report_export_files (export_id, name, format, bytes, sha256) VALUES (?, ?, ?, ?, ?)`);
  for (const f of m.files) addFile.run(id, f.name, f.format, f.bytes, f.sha256);
  chainExport(db, id, { at: m.generatedAt, by: e.generatedBy });
  return getExport(db, id)!;
}

/** An export as its row in report_exports: the record without its files. */
type ExportRow = Omit<ExportRecord, 'files'>;

const EXPORT_SELECT = `SELECT id, definition_id AS definitionId, definition_version AS definitionVersion, profile,
  exhibit_label AS exhibitLabel, period_from AS periodFrom, period_to AS periodTo, generated_at AS generatedAt,
  generated_by AS generatedBy, app_version AS appVersion, folder, incident_count AS incidentCount FROM report_exports`;

function withFiles(db: Db, r: ExportRow): ExportRecord {
  const files = stmt(db, `SELECT name, format, bytes, sha256 FROM report_export_files WHERE export_id = ? ORDER BY name`).all(r.id) as ManifestFile[];
  return { ...r, files };
}

export function getExport(db: Db, id: string): ExportRecord | undefined {
  const r = stmt(db, `${EXPORT_SELECT} WHERE id = ?`).get(id) as ExportRow | undefined;
  return r ? withFiles(db, r) : undefined;
}

export function listExports(db: Db, page: { limit: number; offset: number }): { items: ExportRecord[]; total: number } {
  const rows = stmt(db, `${EXPORT_SELECT} ORDER BY generated_at DESC, id DESC LIMIT ? OFFSET ?`).all(page.limit, page.offset) as ExportRow[];
  const { n } = stmt(db, `SELECT count(*) AS n FROM report_exports`).get() as { n: number };
  return { items: rows.map((r) => withFiles(db, r)), total: n };
}
