// Conflicts (records with more than one head) and their resolution (a new version naming every head
// as a parent: nothing is dropped, both heads stay in the history). Duplicates and merges: merge.ts.
import { AppError } from '../../shared/errors';
import type { Db } from '../driver';
import { stmt } from '../stmt';
import { headsOf, nextVersionOf } from '../history/heads';
import { refOf } from '../history/device';
import { appendVersion, type Entity, type WriteMeta } from '../history/versions';
import { versionsOf, writeShown } from './materialize';


function labelOf(entity: string, data: Record<string, unknown>, id: string): string {
  if (entity === 'person') return `${String(data.familyName ?? '')}, ${String(data.givenName ?? '')}${data.filingCode ? ` (${String(data.filingCode)})` : ''}`;
  if (entity === 'facility' || entity === 'staff' || entity === 'report') return String(data.name ?? id);
  if (entity === 'incident') return `${String(data.occurredOn ?? '')} ${String(data.summary ?? '')}`.trim().slice(0, 120);
  if (entity === 'interview') return `interview ${String(data.startedAt ?? id)}`;
  return `${entity} ${id}`;
}

export function listConflicts(db: Db) {
  const rows = db.prepare(`SELECT entity, id, count(*) AS heads FROM record_heads GROUP BY entity, id HAVING count(*) > 1 ORDER BY entity, id`).all() as { entity: string; id: string; heads: number }[];
  return rows.map((r) => {
    const d = conflictDetail(db, r.entity, r.id);
    return { entity: r.entity, id: r.id, label: d.label, heads: r.heads, editVsDelete: d.heads.some((h) => h.deleted) && d.heads.some((h) => !h.deleted), lastAt: d.heads.map((h) => h.at).sort().at(-1)! };
  });
}

export function conflictDetail(db: Db, entity: string, id: string) {
  const heads = headsOf(db, entity, id);
  if (heads.length < 2) throw new AppError('NOT_FOUND', `id: ${entity} ${id} has no open conflict`, [{ path: ['id'], message: 'no open conflict' }]);
  const versions = versionsOf(db, entity, id);
  const names = new Map((db.prepare(`SELECT id, name FROM devices`).all() as { id: string; name: string | null }[]).map((d) => [d.id, d.name]));
  const reasonOf = stmt(db, `SELECT reason FROM all_versions WHERE device = ? AND seq = ?`);
  const out = heads.map((h) => {
    const v = versions.find((x) => x.device === h.device && x.seq === h.seq)!;
    const data = JSON.parse(v.data) as Record<string, unknown>;
    return {
      ref: { device: h.device, seq: h.seq },
      version: h.version,
      action: v.action ?? 'update',
      data,
      deleted: Boolean(data.deletedAt),
      by: v.recordedBy,
      device: { id: h.device, name: names.get(h.device) ?? null },
      at: v.recordedAt,
      reason: (reasonOf.get(h.device, h.seq) as { reason: string | null }).reason,
    };
  });
  const fields = [...new Set(out.flatMap((h) => Object.keys(h.data)))].sort();
  const differences = fields
    .map((field) => ({ field, values: out.map((h) => h.data[field] ?? null) }))
    .filter((d) => new Set(d.values.map((x) => JSON.stringify(x))).size > 1);
  const shown = heads.find((h) => h.shown)!;
  return { entity, id, label: labelOf(entity, out.find((h) => h.ref.device === shown.device && h.ref.seq === shown.seq)!.data, id), heads: out, differences, shown: { device: shown.device, seq: shown.seq } };
}

/** A new version whose parents are every head: the chosen head's data, or fields combined. */
export function resolveConflict(db: Db, input: { entity: string; id: string; pick?: { device: string; seq: number } | undefined; data?: Record<string, unknown> | undefined; reason: string }, meta: WriteMeta) {
  const detail = conflictDetail(db, input.entity, input.id);
  let data: Record<string, unknown>;
  if (input.pick) {
    const h = detail.heads.find((x) => x.ref.device === input.pick!.device && x.ref.seq === input.pick!.seq);
    if (!h) throw new AppError('INVALID_INPUT', 'pick: not one of the heads of this record', [{ path: ['pick'], message: 'not a head' }]);
    data = h.data;
  } else {
    const shown = detail.heads.find((x) => x.ref.device === detail.shown.device && x.ref.seq === detail.shown.seq)!.data;
    const allowed = new Set(Object.keys(shown));
    const unknown = Object.keys(input.data!).filter((k) => !allowed.has(k));
    if (unknown.length) throw new AppError('INVALID_INPUT', `data.${unknown[0]}: not a field of this record`, [{ path: ['data', unknown[0]!], message: 'not a field of this record' }]);
    data = { ...shown, ...input.data };
  }
  const parents = detail.heads.map((h) => refOf(h.ref.device, h.ref.seq));
  const version = nextVersionOf(db, input.entity, input.id);
  appendVersion(db, input.entity as Entity, input.id, version, data, { ...meta, reason: input.reason, action: data.deletedAt ? 'delete' : 'update', parents });
  writeShown(db, input.entity, input.id);
  const head = headsOf(db, input.entity, input.id)[0]!;
  return { entity: input.entity, id: input.id, ref: { device: head.device, seq: head.seq }, version, parents: detail.heads.map((h) => h.ref) };
}
