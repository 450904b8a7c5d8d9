// One hash chain per device. The local chain is audit_log (checked by verifyAudit); the chains of
// other laptops are in foreign_rows, each row an audit row with the record version it names. Every
// device's chain is checked from its first row, and each signed tip against the device's key: a
// foreign row not covered by a signed tip, or a tip whose signature fails, is named with its device.
import type { Db } from '../driver';
import { contentHashOf, GENESIS_HASH, rowHashOf, type BrokenRow } from './audit';
import { tipSignatureValid } from './device';

export interface ChainRow {
  device: string;
  seq: number;
  at: string;
  user: string | null;
  action: string;
  entity: string;
  id: string;
  version: number;
  data: string;
  recordedAt: string;
  recordedBy: string | null;
  reason: string | null;
  parents: string | null;
  contentHash: string;
  prevHash: string;
  hash: string;
}

export const CHAIN_ROW_COLUMNS = `device, seq, at, user, action, entity, id, version, data, recorded_at AS recordedAt, recorded_by AS recordedBy,
  reason, parents, content_hash AS contentHash, prev_hash AS prevHash, hash`;

export type ChainTable = 'foreign_rows' | 'bundle';

/**
 * Checks one device's rows in sequence order, going on from `from` (the row before the first; seq 0
 * and the genesis hash for the start): numbering, links, row hashes and content hashes.
 */
export function checkChainRows(
  rows: Iterable<ChainRow>,
  device: string,
  from: { seq: number; hash: string },
  table: ChainTable,
): { broken: BrokenRow | null; last: { seq: number; hash: string }; hashes: Map<number, string> } {
  let prev = from;
  const hashes = new Map<number, string>();
  const at = (r: ChainRow, problem: string): BrokenRow => ({ seq: r.seq, table, device, entity: r.entity, id: r.id, version: r.version, problem: `device ${device}: ${problem}` });
  for (const r of rows) {
    if (r.seq !== prev.seq + 1) {
      return { broken: { seq: prev.seq + 1, table, device, problem: `device ${device}: row ${prev.seq + 1} of its chain is missing (the next row is ${r.seq})` }, last: prev, hashes };
    }
    if (r.prevHash !== prev.hash) return { broken: at(r, `row ${r.seq} does not follow row ${prev.seq} (previous-row hash differs): removed, inserted or reordered`), last: prev, hashes };
    if (rowHashOf({ seq: r.seq, at: r.at, user: r.user, action: r.action, entity: r.entity, id: r.id, version: r.version, contentHash: r.contentHash, prevHash: r.prevHash }) !== r.hash) {
      return { broken: at(r, `row ${r.seq} was changed (its hash does not match its content)`), last: prev, hashes };
    }
    let content: string;
    try {
      content = contentHashOf({ entity: r.entity, id: r.id, version: r.version, data: r.data, recordedAt: r.recordedAt, recordedBy: r.recordedBy, reason: r.reason, parents: r.parents });
    } catch {
      content = 'unreadable';
    }
    if (content !== r.contentHash) return { broken: at(r, `${r.entity} ${r.id} version ${r.version} (row ${r.seq}) was changed after it was written`), last: prev, hashes };
    hashes.set(r.seq, r.hash);
    prev = { seq: r.seq, hash: r.hash };
  }
  return { broken: null, last: prev, hashes };
}

/** Every other device's chain from its first row, and every signed tip (the local device's too). */
export function verifyDeviceChains(db: Db): BrokenRow | null {
  const local = (db.prepare(`SELECT device FROM device_key WHERE one = 1`).get() as { device: string } | undefined)?.device;
  if (!local) return null;
  const keys = new Map((db.prepare(`SELECT id, public_key AS key FROM devices`).all() as { id: string; key: string }[]).map((d) => [d.id, d.key]));
  const tipsOf = db.prepare(`SELECT seq, hash, signature FROM chain_tips WHERE device = ? ORDER BY seq`);
  const checkTips = (device: string, hashAt: (seq: number) => string | undefined, held: number): BrokenRow | null => {
    const key = keys.get(device);
    const tips = tipsOf.all(device) as { seq: number; hash: string; signature: string }[];
    for (const t of tips) {
      const where = { seq: t.seq, table: 'chain_tips' as const, device };
      if (!key) return { ...where, problem: `device ${device}: a signed tip names a device this database has no key for` };
      if (!tipSignatureValid(key, device, t.seq, t.hash, t.signature)) return { ...where, problem: `device ${device}: the signature of its chain tip at row ${t.seq} does not verify with its key` };
      if (hashAt(t.seq) !== t.hash) return { ...where, problem: `device ${device}: its signed tip at row ${t.seq} does not match row ${t.seq} of its chain held here` };
    }
    if (device !== local && held > 0 && !tips.some((t) => t.seq === held)) {
      return { seq: held, table: 'foreign_rows', device, problem: `device ${device}: rows up to ${held} are held but no signed tip covers row ${held}` };
    }
    return null;
  };
  const localHash = db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck();
  const localBroken = checkTips(local, (seq) => localHash.get(seq) as string | undefined, 0);
  if (localBroken) return localBroken;
  const devices = db.prepare(`SELECT DISTINCT device FROM foreign_rows UNION SELECT device FROM chain_tips WHERE device <> ?`).pluck().all(local) as string[];
  for (const device of devices.sort()) {
    if (device === local) return { seq: null, table: 'foreign_rows', device, problem: `device ${device}: rows of this laptop's own chain are stored as another device's` };
    if (!keys.has(device)) return { seq: null, table: 'devices', device, problem: `device ${device}: its rows are held but its key is missing from devices` };
    const rows = db.prepare(`SELECT ${CHAIN_ROW_COLUMNS} FROM foreign_rows WHERE device = ? ORDER BY seq`).iterate(device) as IterableIterator<ChainRow>;
    const r = checkChainRows(rows, device, { seq: 0, hash: GENESIS_HASH }, 'foreign_rows');
    if (r.broken) return r.broken;
    const broken = checkTips(device, (seq) => r.hashes.get(seq), r.last.seq);
    if (broken) return broken;
  }
  return null;
}
