// Migration 6's step, frozen: chains the rows written before settings, definitions and exports
// were chained. It has its own SQL and data shapes (today's code may change; this must not) and
// uses only the hash format, which can never change without breaking every stored hash.
import type { Db } from '../driver';
import { GENESIS_HASH, contentHashOf, rowHashOf } from '../history/audit';

interface Pending {
  entity: string;
  id: string;
  version: number;
  data: unknown;
  at: string;
  by: string | null;
}

export function chainOutsideRows(db: Db): void {
  const pending: Pending[] = [];
  const defs = db.prepare(
    `SELECT v.id, v.version, v.data, v.saved_at AS at, v.saved_by AS by, d.name, d.version AS current, d.deleted_at AS deletedAt
     FROM report_definition_versions v JOIN report_definitions d ON d.id = v.id`,
  ).all() as { id: string; version: number; data: string; at: string; by: string | null; name: string; current: number; deletedAt: string | null }[];
  for (const d of defs) {
    const definition = JSON.parse(d.data) as { name?: unknown };
    const last = d.version === d.current;
    pending.push({ entity: 'report', id: d.id, version: d.version, at: d.at, by: d.by, data: { name: last ? d.name : (definition.name ?? d.name), definition, deletedAt: last ? d.deletedAt : null } });
  }
  const office = db.prepare(`SELECT data, updated_at AS at, updated_by AS by FROM report_settings WHERE id = 1`).get() as { data: string; at: string; by: string | null } | undefined;
  if (office) pending.push({ entity: 'office-settings', id: 'office', version: 1, at: office.at, by: office.by, data: JSON.parse(office.data) as unknown });
  const now = new Date().toISOString();
  for (const s of db.prepare(`SELECT key, value FROM settings`).all() as { key: string; value: string }[]) {
    pending.push({ entity: 'setting', id: s.key, version: 1, at: now, by: null, data: { value: s.value } });
  }
  const exports = db.prepare(
    `SELECT id, definition_id AS definitionId, definition_version AS definitionVersion, definition, profile,
       exhibit_label AS exhibitLabel, period_from AS periodFrom, period_to AS periodTo, generated_at AS generatedAt,
       generated_by AS generatedBy, app_version AS appVersion, folder, incident_count AS incidentCount, manifest FROM report_exports`,
  ).all() as (Record<string, unknown> & { id: string; definition: string; manifest: string; generatedAt: string; generatedBy: string | null })[];
  const files = db.prepare(`SELECT name, format, bytes, sha256 FROM report_export_files WHERE export_id = ? ORDER BY name`);
  for (const { id, ...e } of exports) {
    const data = { ...e, definition: JSON.parse(e.definition) as unknown, manifest: JSON.parse(e.manifest) as unknown, files: files.all(id) };
    pending.push({ entity: 'export', id, version: 1, at: e.generatedAt, by: e.generatedBy, data });
  }
  pending.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version));

  const head = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as { seq: number; hash: string } | undefined;
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const addVersion = db.prepare(
    `INSERT INTO record_versions (entity, id, version, data, recorded_at, recorded_by, reason, action) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const addAudit = db.prepare(
    `INSERT INTO audit_log (seq, at, user, action, entity, id, version, content_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of pending) {
    const data = JSON.stringify(p.data);
    const action = p.version === 1 ? 'create' : 'update';
    addVersion.run(p.entity, p.id, p.version, data, p.at, p.by, action);
    const contentHash = contentHashOf({ entity: p.entity, id: p.id, version: p.version, data, recordedAt: p.at, recordedBy: p.by, reason: null });
    seq++;
    const row = { seq, at: p.at, user: p.by, action, entity: p.entity, id: p.id, version: p.version, contentHash, prevHash };
    const hash = rowHashOf(row);
    addAudit.run(seq, row.at, row.user, action, row.entity, row.id, row.version, contentHash, prevHash, hash);
    prevHash = hash;
  }
}
