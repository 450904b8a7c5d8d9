// Each record's heads: the versions no other version replaces. One head is the usual case; two or
// more is a conflict (two laptops edited the same version, or one edited and one deleted). The
// shown head — the one a record's table row holds — is chosen by a rule every laptop applies alike:
// the highest version number, a tie going to the device id, then the sequence number, sorting last.
import type { Db } from '../driver';
import { stmt } from '../stmt';
import { parseRef, refOf } from './device';

export interface Head {
  device: string;
  seq: number;
  version: number;
}

export function headsOf(db: Db, entity: string, id: string): (Head & { shown: boolean })[] {
  return (stmt(db, `SELECT device, seq, version, shown FROM record_heads WHERE entity = ? AND id = ? ORDER BY version DESC, device DESC, seq DESC`).all(entity, id) as (Head & { shown: number })[]).map((h) => ({ ...h, shown: h.shown === 1 }));
}

export function shownHead(db: Db, entity: string, id: string): Head | undefined {
  return stmt(db, `SELECT device, seq, version FROM record_heads WHERE entity = ? AND id = ? AND shown = 1`).get(entity, id) as Head | undefined;
}

/** The next version number of a record: one more than any version of it held here. */
export function nextVersionOf(db: Db, entity: string, id: string): number {
  const r = stmt(db, `SELECT max(version) AS v FROM record_heads WHERE entity = ? AND id = ?`).get(entity, id) as { v: number | null };
  return (r.v ?? 0) + 1;
}

const better = (a: Head, b: Head) => a.version - b.version || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0) || a.seq - b.seq;

export function pickShown(heads: readonly Head[]): Head {
  return heads.reduce((best, h) => (better(h, best) > 0 ? h : best));
}

/** Replaces a record's heads (and which is shown). */
export function setHeads(db: Db, entity: string, id: string, heads: readonly Head[]): Head {
  stmt(db, `DELETE FROM record_heads WHERE entity = ? AND id = ?`).run(entity, id);
  const shown = pickShown(heads);
  const add = stmt(db, `INSERT INTO record_heads (entity, id, device, seq, version, shown) VALUES (?, ?, ?, ?, ?, ?)`);
  for (const h of heads) add.run(entity, id, h.device, h.seq, h.version, h === shown ? 1 : 0);
  return shown;
}

/** A local write: the new version replaces its parents among the heads. */
export function advanceHeads(db: Db, entity: string, id: string, written: Head, parents: readonly string[]): void {
  const drop = stmt(db, `DELETE FROM record_heads WHERE entity = ? AND id = ? AND device = ? AND seq = ?`);
  for (const p of parents) {
    const { device, seq } = parseRef(p);
    drop.run(entity, id, device, seq);
  }
  const rest = headsOf(db, entity, id);
  setHeads(db, entity, id, [...rest, written]);
}

/** Heads computed from every version of a record (after an import). */
export function computeHeads(versions: readonly { device: string; seq: number; version: number; parents: string | null }[]): Head[] {
  const replaced = new Set<string>();
  const byDeviceVersion = new Map<string, string>();
  for (const v of versions) if (v.parents === null) byDeviceVersion.set(`${v.device}#${v.version}`, refOf(v.device, v.seq));
  for (const v of versions) {
    if (v.parents === null) {
      // Written before versions named their parents: the previous version on the same device.
      const prev = byDeviceVersion.get(`${v.device}#${v.version - 1}`);
      if (prev) replaced.add(prev);
    } else {
      for (const p of JSON.parse(v.parents) as string[]) replaced.add(p);
    }
  }
  return versions.filter((v) => !replaced.has(refOf(v.device, v.seq))).map((v) => ({ device: v.device, seq: v.seq, version: v.version }));
}
