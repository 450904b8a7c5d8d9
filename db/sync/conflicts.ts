// Conflicts (records with more than one head), their resolution (a new version naming every head
// as a parent: nothing is dropped, both heads stay in the history), and duplicate people entered on
// two laptops, merged and unmerged with new versions and a reason.
import { AppError } from '../../shared/errors';
import type { Db } from '../driver';
import { newId } from '../ids';
import { stmt } from '../stmt';
import { headsOf, nextVersionOf } from '../history/heads';
import { refOf } from '../history/device';
import { writeSetting } from '../history/chained';
import { appendVersion, type Entity, type WriteMeta } from '../history/versions';
import { incidentStore } from '../repo/incidents';
import { interviewStore } from '../repo/interviews';
import { personStore, setPersonDeleted } from '../repo/people';
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

export function duplicatePeople(db: Db) {
  const people = db.prepare(
    `SELECT p.id, p.family_name AS familyName, p.given_name AS givenName, p.a_number AS aNumber, p.filing_code AS filingCode, p.name_key AS nameKey,
       (SELECT count(*) FROM interviews i WHERE i.person_id = p.id AND i.deleted_at IS NULL) AS interviews,
       (SELECT count(*) FROM incidents i WHERE i.person_id = p.id AND i.deleted_at IS NULL) AS incidents
     FROM people p WHERE p.deleted_at IS NULL ORDER BY p.id`,
  ).all() as { id: string; familyName: string; givenName: string; aNumber: string; filingCode: string | null; nameKey: string | null; interviews: number; incidents: number }[];
  const groups: { matchedOn: 'aNumber' | 'name'; people: Omit<(typeof people)[number], 'nameKey'>[] }[] = [];
  const strip = ({ nameKey: _n, ...p }: (typeof people)[number]) => p;
  const by = (key: (p: (typeof people)[number]) => string | null, matchedOn: 'aNumber' | 'name', skip: Set<string>) => {
    const m = new Map<string, (typeof people)[number][]>();
    for (const p of people) {
      const k = key(p);
      if (!k || skip.has(p.id)) continue;
      m.set(k, [...(m.get(k) ?? []), p]);
    }
    for (const g of m.values()) if (g.length > 1) {
      groups.push({ matchedOn, people: g.map(strip) });
      for (const p of g) skip.add(p.id);
    }
  };
  const seen = new Set<string>();
  by((p) => p.aNumber, 'aNumber', seen);
  by((p) => p.nameKey, 'name', seen);
  return groups;
}

interface MergeRecord {
  from: string;
  into: string;
  interviews: string[];
  incidents: string[];
  undone: boolean;
}

function movePerson(db: Db, ids: { interviews: string[]; incidents: string[] }, from: string, to: string, meta: WriteMeta) {
  let interviews = 0;
  let incidents = 0;
  for (const id of ids.interviews) {
    const r = interviewStore.get(db, id, { includeDeleted: true });
    if (!r || (r as { personId: string }).personId !== from) continue;
    interviewStore.update(db, id, r.version, { ...(r as object), personId: to } as never, meta);
    interviews++;
  }
  for (const id of ids.incidents) {
    const r = incidentStore.get(db, id, { includeDeleted: true });
    if (!r || r.personId !== from) continue;
    incidentStore.update(db, id, r.version, { ...r, personId: to }, meta);
    incidents++;
  }
  return { interviews, incidents };
}

export function mergePeople(db: Db, input: { from: string; into: string; reason: string }, meta: WriteMeta) {
  if (input.from === input.into) throw new AppError('INVALID_INPUT', 'into: a person cannot be merged into themselves', [{ path: ['into'], message: 'same person' }]);
  const from = personStore.get(db, input.from);
  const into = personStore.get(db, input.into);
  if (!from) throw new AppError('NOT_FOUND', `from: no person ${input.from}`, [{ path: ['from'], message: 'not found' }]);
  if (!into) throw new AppError('NOT_FOUND', `into: no person ${input.into}`, [{ path: ['into'], message: 'not found' }]);
  const m = { ...meta, reason: input.reason };
  const interviews = db.prepare(`SELECT id FROM interviews WHERE person_id = ? ORDER BY id`).pluck().all(input.from) as string[];
  const incidents = db.prepare(`SELECT id FROM incidents WHERE person_id = ? ORDER BY id`).pluck().all(input.from) as string[];
  const moved = movePerson(db, { interviews, incidents }, input.from, input.into, m);
  setPersonDeleted(db, input.from, from.version, true, m);
  const mergeId = newId();
  const record: MergeRecord = { from: input.from, into: input.into, interviews, incidents, undone: false };
  writeSetting(db, `people-merge:${mergeId}`, JSON.stringify(record), m);
  return { mergeId, from: input.from, into: input.into, movedInterviews: moved.interviews, movedIncidents: moved.incidents };
}

export function unmergePeople(db: Db, input: { mergeId: string; reason: string }, meta: WriteMeta) {
  const raw = db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(`people-merge:${input.mergeId}`) as string | undefined;
  if (!raw) throw new AppError('NOT_FOUND', `mergeId: no merge ${input.mergeId}`, [{ path: ['mergeId'], message: 'not found' }]);
  const rec = JSON.parse(raw) as MergeRecord;
  if (rec.undone) throw new AppError('CONFLICT', 'mergeId: this merge was already undone', [{ path: ['mergeId'], message: 'already undone' }]);
  const m = { ...meta, reason: input.reason };
  const from = personStore.get(db, rec.from, { includeDeleted: true });
  if (from?.deletedAt) setPersonDeleted(db, rec.from, from.version, false, m);
  const moved = movePerson(db, rec, rec.into, rec.from, m);
  writeSetting(db, `people-merge:${input.mergeId}`, JSON.stringify({ ...rec, undone: true }), m);
  return { mergeId: input.mergeId, from: rec.from, into: rec.into, movedInterviews: moved.interviews, movedIncidents: moved.incidents };
}
