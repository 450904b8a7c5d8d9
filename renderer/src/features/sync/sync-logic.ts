// What the Sync page works out before it calls the core: how a conflict's heads differ field by
// field, what a resolution sends (one head as it is, or the fields combined), and how a bundle's
// import reads in one sentence. Plain functions, so the unit tests run them.
import type { ChannelInput, ChannelOutput } from '../../../../shared/contract';
import type { ConflictDetail, SyncDevice, VersionRef } from '../../../../shared/contract/sync';
import { FACILITY_FIELDS, INCIDENT_FIELDS, INTERVIEW_FIELDS, PERSON_FIELDS } from '../../ui/labels';

type Head = ConflictDetail['heads'][number];

/** Bookkeeping every version changes; not the record's own fields, so never compared or sent. */
export const BOOKKEEPING = new Set(['id', 'version', 'createdAt', 'updatedAt', 'deletedAt', 'createdBy', 'updatedBy']);

const NOUNS: Record<ConflictDetail['entity'], string> = {
  facility: 'Facility',
  person: 'Person',
  interview: 'Interview',
  incident: 'Incident',
  staff: 'Staff member',
  report: 'Report definition',
  'office-settings': 'Office settings',
  setting: 'Setting',
  export: 'Export',
};

export function entityNoun(entity: ConflictDetail['entity']): string {
  return NOUNS[entity];
}

/** The labels of a kind of record's fields, for the side-by-side table. */
export function fieldsOf(entity: ConflictDetail['entity']): Record<string, string> {
  switch (entity) {
    case 'person':
      return PERSON_FIELDS;
    case 'interview':
      return INTERVIEW_FIELDS;
    case 'incident':
      return INCIDENT_FIELDS;
    case 'facility':
      return FACILITY_FIELDS;
    default:
      return {};
  }
}

/** Structural equality of stored values (JSON-shaped: objects' key order does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/**
 * Every field of the record in the order the form shows them (then any other, alphabetically),
 * each marked when the heads disagree. The core names the differing fields; a field it names is
 * marked even if the values look alike here, and one it missed is marked when they are not alike.
 */
export function compareRows(detail: Pick<ConflictDetail, 'entity' | 'heads' | 'differences'>): { field: string; differs: boolean }[] {
  const order = Object.keys(fieldsOf(detail.entity));
  const named = new Set(detail.differences.map((d) => d.field));
  const all = new Set<string>();
  for (const h of detail.heads) for (const k of Object.keys(h.data)) if (!BOOKKEEPING.has(k)) all.add(k);
  for (const f of named) all.add(f);
  const rank = (f: string) => {
    const i = order.indexOf(f);
    return i === -1 ? order.length : i;
  };
  return [...all]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((field) => ({
      field,
      differs: named.has(field) || detail.heads.some((h) => !sameValue(h.data[field], detail.heads[0]!.data[field])),
    }));
}

export function sameRef(a: VersionRef, b: VersionRef): boolean {
  return a.device === b.device && a.seq === b.seq;
}

/** The head a resolution starts from: the one the record shows until it is resolved. */
export function startingHead(detail: Pick<ConflictDetail, 'heads' | 'shown'>): number {
  const i = detail.heads.findIndex((h) => sameRef(h.ref, detail.shown));
  return i === -1 ? 0 : i;
}

/** For each differing field, the index of the head whose value is taken. */
export type Choices = Record<string, number>;

/** Every differing field taken from one head. */
export function chooseAll(detail: Pick<ConflictDetail, 'entity' | 'heads' | 'differences'>, head: number): Choices {
  return Object.fromEntries(compareRows(detail).filter((r) => r.differs).map((r) => [r.field, head]));
}

/** A field's value as sync:resolve takes it. */
type ChosenValue = ChannelInput<'sync:resolve'>['fields'] extends (infer F)[] | undefined ? (F extends { value: infer V } ? V : never) : never;

export type Resolution =
  | { kind: 'pick'; pick: VersionRef; head: number }
  | { kind: 'data'; data: Record<string, unknown>; fields: { field: string; value: ChosenValue }[] }
  | { kind: 'incomplete'; missing: string[] };

/**
 * What a resolution sends. Every differing field must be chosen. When every choice falls on one
 * head, that head is picked as it is (a delete stays a delete); otherwise the record's own fields
 * are combined, starting from the first chosen head, each differing field from its chosen head. A
 * deleted head has no fields to give, so it can only be picked whole.
 */
export function resolution(detail: Pick<ConflictDetail, 'entity' | 'heads' | 'differences'>, choices: Choices): Resolution {
  const rows = compareRows(detail).filter((r) => r.differs);
  const missing = rows.filter((r) => choices[r.field] === undefined || !detail.heads[choices[r.field]!]).map((r) => r.field);
  if (missing.length) return { kind: 'incomplete', missing };
  const used = [...new Set(rows.map((r) => choices[r.field]!))];
  if (used.length <= 1) {
    const head = used[0] ?? 0;
    return { kind: 'pick', pick: detail.heads[head]!.ref, head };
  }
  const base = detail.heads[used[0]!]!;
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base.data)) if (!BOOKKEEPING.has(k)) data[k] = v;
  // What is sent: each differing field from its chosen head (the others are the same on every head).
  const fields: { field: string; value: ChosenValue }[] = [];
  for (const r of rows) {
    const v = detail.heads[choices[r.field]!]!.data[r.field];
    if (v === undefined) delete data[r.field];
    else data[r.field] = v;
    fields.push({ field: r.field, value: (v ?? null) as ChosenValue });
  }
  return { kind: 'data', data, fields };
}

/** Whether the combination mixes a deleted head with others (a deleted head can only be taken whole). */
export function mixesDeleted(detail: Pick<ConflictDetail, 'entity' | 'heads' | 'differences'>, choices: Choices): boolean {
  const used = new Set(Object.values(choices));
  return used.size > 1 && [...used].some((i) => detail.heads[i]?.deleted);
}

export function deviceLabel(d: { id: string; name: string | null }): string {
  return d.name ?? `Unnamed device ${d.id.slice(-6)}`;
}

/** Who wrote a head, where and when, in one line. */
export function headLine(h: Head): string {
  return `${h.by ?? 'Unknown user'} on ${deviceLabel(h.device)}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What came in with a bundle, in one sentence, then one line per device. */
export function importSummary(out: ChannelOutput<'sync:import'>): { headline: string; devices: string[] } {
  const headline =
    out.newVersions === 0
      ? 'Nothing new: this laptop already held everything in the bundle.'
      : `${plural(out.newRecords, 'new record')}, ${plural(out.newVersions, 'new version')}, ${plural(out.newConflicts, 'new conflict')}.`;
  const devices = out.devices.map(
    (d) => `${deviceLabel(d)} (${d.fingerprint})${d.isNew ? ', first seen now' : ''}: ${plural(d.newVersions, 'new version')}`,
  );
  return { headline, devices };
}

export function exportSummary(out: ChannelOutput<'sync:export'>): string {
  return `Wrote ${out.file}: ${plural(out.counts.versions, 'version')}, ${plural(out.counts.auditRows, 'history entry', 'history entries')}, ${plural(out.counts.devices, 'device')}.`;
}

/**
 * The header badge's words, naming each thing the way the Sync page lists it: records edited on two
 * laptops under "Open conflicts", filing codes under "Filing codes given twice". `open` counts both.
 */
export function conflictsLabel(open: number, codeClashes = 0): string {
  const records = open - codeClashes;
  const parts = [
    ...(records > 0 ? [plural(records, 'conflict')] : []),
    ...(codeClashes > 0 ? [plural(codeClashes, 'filing code given twice', 'filing codes given twice')] : []),
  ];
  return parts.join(', ');
}

/** Devices listed with this laptop first, then by name. */
export function sortDevices(devices: readonly SyncDevice[]): SyncDevice[] {
  return [...devices].sort((a, b) => Number(b.local) - Number(a.local) || deviceLabel(a).localeCompare(deviceLabel(b)));
}

/** What a merge moved, in words: "1 person, 2 incidents moved" (or "nothing moved"). */
export function movedLine(moved: Record<string, number>): string {
  const ONE: Record<string, string> = { people: 'person', incidents: 'incident', interviews: 'interview' };
  const parts = Object.entries(moved)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => (n === 1 ? `1 ${ONE[k] ?? k}` : `${n} ${k}`));
  return parts.length ? `${parts.join(', ')} moved` : 'nothing moved';
}

/** What resolving a filing code given twice will do, in one sentence. */
export function clashLine(c: ChannelOutput<'sync:code-clashes'>[number]): string {
  const name = (p: (typeof c.people)[number]) => `${p.familyName}, ${p.givenName}`;
  const renumber = c.people.filter((p) => !p.keeps);
  const keep = c.people.filter((p) => p.keeps);
  if (renumber.length === 0) {
    return `${keep.map(name).join(' and ')} each appeared in an export under ${c.code}, so none of their codes can change: both keep it, and your reason is recorded with the clash.`;
  }
  const why = keep.some((p) => p.exported) ? 'appeared in an export' : 'was entered first';
  return `${keep.map(name).join(' and ')} ${why} and ${keep.length === 1 ? 'keeps' : 'keep'} ${c.code}; ${renumber.map(name).join(' and ')} ${renumber.length === 1 ? 'gets' : 'get'} the next free code.`;
}
