// After an import: each touched record's heads are recomputed from every version held, and its
// row (with what is derived from it: categories, search index, name keys) is rewritten from the
// shown head, by the same rule on every laptop. Nothing is ever removed from the history.
import type { Db } from '../driver';
import { stmt } from '../stmt';
import { computeHeads, setHeads, headsOf, type Head } from '../history/heads';
import { facilityStore } from '../repo/facilities';
import { incidentStore, indexIncidentText, writeCategories } from '../repo/incidents';
import { interviewStore } from '../repo/interviews';
import { personStore, writeDerivedNameKeys } from '../repo/people';
import type { Store } from '../repo/records';
import { staffStore } from '../repo/staff';
import { writeDeviceRow, type DeviceData } from './devices';

const STORES = new Map<string, Store<object>>(
  ([facilityStore, personStore, interviewStore, incidentStore, staffStore] as unknown as Store<object>[]).map((s) => [s.spec.entity, s]),
);

export interface HeldVersion {
  device: string;
  seq: number;
  version: number;
  parents: string | null;
  data: string;
  recordedAt: string;
  recordedBy: string | null;
  action: string | null;
}

export function versionsOf(db: Db, entity: string, id: string): HeldVersion[] {
  return stmt(
    db,
    `SELECT device, seq, version, parents, data, recorded_at AS recordedAt, recorded_by AS recordedBy, action FROM all_versions WHERE entity = ? AND id = ?`,
  ).all(entity, id) as HeldVersion[];
}

/** Recomputes a record's heads and rewrites its row from the shown head; true when the row changed. */
export function rematerialize(db: Db, entity: string, id: string): { heads: number; changed: boolean } {
  const versions = versionsOf(db, entity, id);
  if (versions.length === 0) return { heads: 0, changed: false };
  const before = headsOf(db, entity, id);
  const heads = computeHeads(versions);
  const shownBefore = before.find((h) => h.shown);
  const same = (a: Head, b: Head) => a.device === b.device && a.seq === b.seq;
  const unchanged = before.length === heads.length && heads.every((h) => before.some((b) => same(b, h)));
  if (unchanged) return { heads: heads.length, changed: false };
  const shown = setHeads(db, entity, id, heads);
  if (shownBefore && same(shownBefore, shown)) return { heads: heads.length, changed: false };
  const v = versions.find((x) => x.device === shown.device && x.seq === shown.seq)!;
  const first = versions.reduce((a, b) => (b.version < a.version || (b.version === a.version && b.recordedAt < a.recordedAt) ? b : a));
  writeRow(db, entity, id, v, first.recordedAt);
  return { heads: heads.length, changed: true };
}

/** Rewrites a record's row from its shown head (after a local write that named several parents). */
export function writeShown(db: Db, entity: string, id: string): void {
  const versions = versionsOf(db, entity, id);
  const shown = headsOf(db, entity, id).find((h) => h.shown);
  if (!shown) return;
  const v = versions.find((x) => x.device === shown.device && x.seq === shown.seq)!;
  const first = versions.reduce((a, b) => (b.version < a.version || (b.version === a.version && b.recordedAt < a.recordedAt) ? b : a));
  writeRow(db, entity, id, v, first.recordedAt);
}

function writeRow(db: Db, entity: string, id: string, v: HeldVersion, createdAt: string): void {
  const data = JSON.parse(v.data) as Record<string, unknown>;
  const store = STORES.get(entity);
  if (store) {
    const fields = Object.entries(store.spec.fields as Record<string, readonly [string, string]>);
    const cols = fields.map(([, [c]]) => c);
    const values = fields.map(([f, [, kind]]) => {
      const x = data[f];
      if (x === undefined || x === null) return null;
      if (kind === 'bool') return x ? 1 : 0;
      if (kind === 'json') return JSON.stringify(x);
      return x;
    });
    const deletedAt = (data.deletedAt as string | null | undefined) ?? null;
    const exists = stmt(db, `SELECT 1 AS one FROM ${store.spec.table} WHERE id = ?`).get(id);
    if (exists) {
      stmt(db, `UPDATE ${store.spec.table} SET version = ?, updated_at = ?, deleted_at = ?, ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(
        v.version, v.recordedAt, deletedAt, ...values, id,
      );
    } else {
      stmt(db, `INSERT INTO ${store.spec.table} (id, version, created_at, updated_at, deleted_at, ${cols.join(', ')}) VALUES (?, ?, ?, ?, ?, ${cols.map(() => '?').join(', ')})`).run(
        id, v.version, createdAt, v.recordedAt, deletedAt, ...values,
      );
    }
    if (entity === 'person') writeDerivedNameKeys(db, { id, familyName: data.familyName as string, givenName: data.givenName as string, nameOriginal: (data.nameOriginal as string | null) ?? null });
    if (entity === 'incident') {
      writeCategories(db, { id, categories: data.categories as string[], occurredOn: data.occurredOn as string, facilityId: data.facilityId as string, deletedAt }, true);
      indexIncidentText(db, id, { summary: data.summary as string, ownWords: (data.ownWords as string | null) ?? null });
    }
    return;
  }
  switch (entity) {
    case 'setting':
      stmt(db, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(id, data.value as string);
      return;
    case 'office-settings':
      stmt(db, `INSERT INTO report_settings (id, data, updated_at, updated_by) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`).run(
        JSON.stringify(data), v.recordedAt, v.recordedBy,
      );
      return;
    case 'report': {
      const d = data as { name: string; definition: unknown; deletedAt: string | null };
      stmt(db, `INSERT INTO report_definitions (id, name, data, version, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data, version = excluded.version, updated_at = excluded.updated_at, deleted_at = excluded.deleted_at`).run(
        id, d.name, JSON.stringify(d.definition), v.version, createdAt, v.recordedAt, d.deletedAt,
      );
      stmt(db, `INSERT OR IGNORE INTO report_definition_versions (id, version, data, saved_at, saved_by) VALUES (?, ?, ?, ?, ?)`).run(id, v.version, JSON.stringify(d.definition), v.recordedAt, v.recordedBy);
      return;
    }
    case 'export': {
      const e = data as Record<string, unknown> & { files: { name: string; format: string; bytes: number; sha256: string }[] };
      if (stmt(db, `SELECT 1 AS one FROM report_exports WHERE id = ?`).get(id)) return; // an export is written once
      stmt(db, `INSERT INTO report_exports (id, definition_id, definition_version, definition, profile, exhibit_label, period_from, period_to,
          generated_at, generated_by, app_version, folder, incident_count, manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        id, e.definitionId ?? null, e.definitionVersion ?? null, JSON.stringify(e.definition), e.profile, e.exhibitLabel, e.periodFrom, e.periodTo,
        e.generatedAt, e.generatedBy ?? null, e.appVersion, e.folder, e.incidentCount, JSON.stringify(e.manifest),
      );
      const add = stmt(db, `INSERT INTO report_export_files (export_id, name, format, bytes, sha256) VALUES (?, ?, ?, ?, ?)`);
      for (const f of e.files) add.run(id, f.name, f.format, f.bytes, f.sha256);
      return;
    }
    case 'device':
      writeDeviceRow(db, id, data as unknown as DeviceData);
      return;
    // Stryker disable next-line ConditionalExpression: an emptied default is the same, its return is the function's last statement
    default:
      // 'restore' rows and anything else carry no row of their own.
      return;
  }
}
