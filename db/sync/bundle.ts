// A bundle: one file carrying every version, audit row, device key and signed chain tip the sender
// holds (or, for a named device, only what it has not yet said it holds). It is itself an SQLite
// file encrypted with SQLCipher 4 (the same driver as the database), keyed with the office's bundle
// passphrase, written under a temporary name, synced and renamed into place. Import verifies every
// signature and chain first and refuses the whole bundle on any bad row; the merge that follows
// runs in the caller's one transaction.
import { scryptSync } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { openDriver, type Db } from '../driver';
import { fsyncFile, renameDurably } from '../durable';
import { newId } from '../ids';
import { loadMigrations } from '../migrate';
import { stmt } from '../stmt';
import { GENESIS_HASH } from '../history/audit';
import { fingerprintOf, localDevice, signLocalTip, tipSignatureValid } from '../history/device';
import { CHAIN_ROW_COLUMNS, checkChainRows, type ChainRow } from '../history/device-chains';
import { rematerialize } from './materialize';

export const BUNDLE_FORMAT = 1;
let knownSchema = 0;
/** The schema version this Attest writes (the number of migrations it has). */
const schemaNow = (): number => (knownSchema ||= loadMigrations().length);
export const BUNDLE_SUFFIX = '.attest-bundle';

/** A bundle written by a newer Attest: refused, named, nothing changed. */
export class BundleFromFutureError extends AppError {
  constructor(readonly bundleSchema: number, readonly knownSchema: number) {
    super('INVALID_INPUT', `BundleFromFutureError: this bundle was written by a newer Attest (schema ${bundleSchema}; this one knows ${knownSchema}); update Attest before importing it. Nothing was changed.`, [
      { path: ['file'], message: 'written by a newer Attest' },
    ]);
    this.name = 'BundleFromFutureError';
  }
}

const derived = new Map<string, string>();
/**
 * The bundle's key: scrypt of the office passphrase (N = 2^15), given to SQLCipher as a raw key so
 * its own key derivation is not run again for every bundle. Derived once per passphrase per process.
 */
export function bundleKey(db: Db, passphrase: string): void {
  let hex = derived.get(passphrase);
  if (!hex) {
    hex = scryptSync(passphrase.normalize('NFC'), 'attest-bundle-v1', 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('hex');
    derived.set(passphrase, hex);
  }
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${hex}'"`);
}

const refuse = (message: string): AppError => new AppError('INVALID_INPUT', `the bundle was refused whole, nothing was changed: ${message}`, [{ path: ['file'], message }]);

const BUNDLE_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE devices (id TEXT PRIMARY KEY, name TEXT, public_key TEXT NOT NULL) STRICT;
CREATE TABLE tips (device TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (device, seq)) STRICT;
CREATE TABLE holds (device TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;
CREATE TABLE rows (
  device TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, user TEXT, action TEXT NOT NULL, entity TEXT NOT NULL, id TEXT NOT NULL,
  version INTEGER NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT, reason TEXT, parents TEXT,
  content_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (device, seq)) STRICT;
`;

const LOCAL_ROWS = (device: string) => `SELECT '${device}' AS device, a.seq, a.at, a.user, a.action, a.entity, a.id, a.version, v.data,
  v.recorded_at AS recordedAt, v.recorded_by AS recordedBy, v.reason, v.parents, a.content_hash AS contentHash, a.prev_hash AS prevHash, a.hash
  FROM audit_log a JOIN record_versions v ON v.entity = a.entity AND v.id = a.id AND v.version = a.version WHERE a.seq > ? ORDER BY a.seq`;

/** What this database holds of each device's chain: the last sequence number. */
export function holdings(db: Db): Map<string, number> {
  const me = localDevice(db).id;
  const out = new Map<string, number>();
  out.set(me, (db.prepare(`SELECT coalesce(max(seq), 0) FROM audit_log`).pluck().get() as number) ?? 0);
  for (const r of db.prepare(`SELECT device, max(seq) AS seq FROM foreign_rows GROUP BY device`).all() as { device: string; seq: number }[]) out.set(r.device, r.seq);
  return out;
}

export interface ExportResult {
  file: string;
  counts: { devices: number; versions: number; auditRows: number };
}

/** A long step's progress: `done` of `total`. */
export type BundleStep = (step: string, done: number, total: number) => void;

/**
 * Writes a bundle. On a read-only connection (a reader thread) the local tip must have been signed
 * on the writing one first (signLocalTip); `tmpId` names the temporary file, so a caller that stops
 * the writer halfway can remove it.
 */
export function exportBundle(db: Db, opts: { folder: string; passphrase: string; forDevice?: string | undefined; now: Date; tmpId?: string }, onStep?: BundleStep): ExportResult {
  if (!existsSync(opts.folder) || !statSync(opts.folder).isDirectory()) throw new AppError('INVALID_INPUT', `folder: ${opts.folder} is not a folder`, [{ path: ['folder'], message: 'not a folder' }]);
  const me = localDevice(db);
  // The local chain's head, signed now: the bundle carries it with the latest tip of every other device.
  // (On a read-only connection the signature is made but not stored: it is added to the bundle below.)
  const localTip = signLocalTip(db);
  const held = holdings(db);
  let acked: Record<string, number> = {};
  if (opts.forDevice) {
    const d = db.prepare(`SELECT holds FROM devices WHERE id = ?`).get(opts.forDevice) as { holds: string } | undefined;
    if (!d) throw new AppError('NOT_FOUND', `forDevice: no device ${opts.forDevice} has been seen here`, [{ path: ['forDevice'], message: 'unknown device' }]);
    acked = JSON.parse(d.holds) as Record<string, number>;
  }
  const stamp = opts.now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = `attest-${me.id}-${stamp}${opts.forDevice ? `-for-${opts.forDevice}` : ''}${BUNDLE_SUFFIX}`;
  const target = join(opts.folder, name);
  const tmp = join(opts.folder, bundleTmpName(name, opts.tmpId ?? newId()));
  let out: Db | null = null;
  try {
    out = openDriver(tmp, { readonly: false, fileMustExist: false });
    bundleKey(out, opts.passphrase);
    // A temporary file until renamed: no journal, no syncs until the one fsync after closing it.
    out.pragma('journal_mode = OFF');
    out.pragma('synchronous = OFF');
    out.exec(BUNDLE_SCHEMA);
    let versions = 0;
    const deviceIds = new Set<string>();
    let total = 0;
    for (const [device, seq] of held) total += Math.max(0, seq - (acked[device] ?? 0));
    onStep?.('writing versions', 0, total);
    out.transaction(() => {
      const meta = out!.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`);
      meta.run('format', String(BUNDLE_FORMAT));
      meta.run('schema', String(schemaNow()));
      meta.run('sender', me.id);
      meta.run('createdAt', opts.now.toISOString());
      const addHold = out!.prepare(`INSERT INTO holds (device, seq) VALUES (?, ?)`);
      for (const [d, s] of held) addHold.run(d, s);
      const addRow = out!.prepare(`INSERT INTO rows (device, seq, at, user, action, entity, id, version, data, recorded_at, recorded_by, reason, parents, content_hash, prev_hash, hash)
        VALUES (@device, @seq, @at, @user, @action, @entity, @id, @version, @data, @recordedAt, @recordedBy, @reason, @parents, @contentHash, @prevHash, @hash)`);
      for (const [device] of held) {
        const from = acked[device] ?? 0;
        const rows = (device === me.id
          ? db.prepare(LOCAL_ROWS(me.id)).iterate(from)
          : db.prepare(`SELECT ${CHAIN_ROW_COLUMNS} FROM foreign_rows WHERE device = ? AND seq > ? ORDER BY seq`).iterate(device, from)) as IterableIterator<ChainRow>;
        for (const r of rows) {
          addRow.run(r);
          versions++;
          deviceIds.add(device);
          if (versions % 1000 === 0) onStep?.('writing versions', versions, total);
        }
      }
      const addDevice = out!.prepare(`INSERT INTO devices (id, name, public_key) VALUES (?, ?, ?)`);
      for (const d of db.prepare(`SELECT id, name, public_key AS key FROM devices`).all() as { id: string; name: string | null; key: string }[]) addDevice.run(d.id, d.name, d.key);
      const addTip = out!.prepare(`INSERT INTO tips (device, seq, hash, signature) VALUES (?, ?, ?, ?)`);
      // The latest signed tip of each device held (what covers every row sent).
      for (const t of db.prepare(`SELECT device, seq, hash, signature FROM chain_tips t WHERE seq = (SELECT max(seq) FROM chain_tips u WHERE u.device = t.device)`).all() as { device: string; seq: number; hash: string; signature: string }[]) {
        addTip.run(t.device, t.seq, t.hash, t.signature);
      }
      if (localTip.seq > 0) out!.prepare(`INSERT OR IGNORE INTO tips (device, seq, hash, signature) VALUES (?, ?, ?, ?)`).run(localTip.device, localTip.seq, localTip.hash, localTip.signature);
    })();
    out.close();
    out = null;
    onStep?.('syncing the file', total, total);
    fsyncFile(tmp);
    renameDurably(tmp, target);
    return { file: target, counts: { devices: deviceIds.size, versions, auditRows: versions } };
  } catch (e) {
    try {
      out?.close();
    } catch {
      // closing a connection that failed to open
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The temporary name a bundle is written under, in its folder. */
export function bundleTmpName(name: string, tmpId: string): string {
  return `.${name}.${tmpId}.tmp`;
}

interface BundleContent {
  schema: number;
  sender: string;
  devices: Map<string, { name: string | null; key: string }>;
  tips: { device: string; seq: number; hash: string; signature: string }[];
  holds: Map<string, number>;
  rowsOf: (device: string) => IterableIterator<ChainRow>;
  rowDevices: { device: string; first: number; last: number; n: number }[];
  close: () => void;
}

function openBundle(file: string, passphrase: string): BundleContent {
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('NOT_FOUND', `file: no bundle at ${file}`, [{ path: ['file'], message: 'not found' }]);
  let b: Db;
  try {
    b = openDriver(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw refuse(`it cannot be opened (${(e as Error).message})`);
  }
  try {
    bundleKey(b, passphrase);
    const check = b.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new Error(check);
    const meta = new Map((b.prepare(`SELECT key, value FROM meta`).all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    if (Number(meta.get('format')) !== BUNDLE_FORMAT && Number(meta.get('format')) > BUNDLE_FORMAT) throw new BundleFromFutureError(Number(meta.get('schema')), schemaNow());
    const schema = Number(meta.get('schema'));
    if (schema > schemaNow()) throw new BundleFromFutureError(schema, schemaNow());
    const devices = new Map((b.prepare(`SELECT id, name, public_key AS key FROM devices`).all() as { id: string; name: string | null; key: string }[]).map((d) => [d.id, { name: d.name, key: d.key }]));
    return {
      schema,
      sender: meta.get('sender') ?? '',
      devices,
      tips: b.prepare(`SELECT device, seq, hash, signature FROM tips ORDER BY device, seq`).all() as BundleContent['tips'],
      holds: new Map((b.prepare(`SELECT device, seq FROM holds`).all() as { device: string; seq: number }[]).map((h) => [h.device, h.seq])),
      rowsOf: (device) => b.prepare(`SELECT ${CHAIN_ROW_COLUMNS} FROM rows WHERE device = ? ORDER BY seq`).iterate(device) as IterableIterator<ChainRow>,
      rowDevices: b.prepare(`SELECT device, min(seq) AS first, max(seq) AS last, count(*) AS n FROM rows GROUP BY device ORDER BY device`).all() as BundleContent['rowDevices'],
      close: () => b.close(),
    };
  } catch (e) {
    b.close();
    if (e instanceof AppError) throw e;
    const m = (e as Error).message;
    throw refuse(/not a database|encrypted|malformed|disk image|file is not/i.test(m) ? 'it is not a bundle, it was written with another passphrase, or it is damaged or cut short' : `it cannot be read (${m})`);
  }
}

export interface ImportResult {
  newRecords: number;
  newVersions: number;
  newConflicts: number;
  devices: { id: string; name: string | null; fingerprint: string; isNew: boolean; newVersions: number }[];
}

/**
 * Verifies the whole bundle, then merges it. Call inside one write transaction (dispatch's): a
 * refusal throws before anything is written, and a crash leaves the database as it was.
 */
export function importBundle(db: Db, opts: { file: string; passphrase: string; now: Date }, onStep?: BundleStep): ImportResult {
  onStep?.('opening the bundle', 0, 1);
  const bundle = openBundle(opts.file, opts.passphrase);
  try {
    return mergeBundle(db, bundle, opts.now, onStep);
  } finally {
    bundle.close();
  }
}

function mergeBundle(db: Db, bundle: BundleContent, now: Date, onStep?: BundleStep): ImportResult {
  const me = localDevice(db).id;
  const known = new Map((db.prepare(`SELECT id, public_key AS key, trusted, name FROM devices`).all() as { id: string; key: string; trusted: number; name: string | null }[]).map((d) => [d.id, d]));
  const held = holdings(db);
  const keyOf = (device: string): string => {
    const k = known.get(device);
    const sent = bundle.devices.get(device);
    if (k) {
      if (sent && sent.key !== k.key) throw refuse(`device ${device} comes with a different key than the one this database knows (fingerprint ${fingerprintOf(sent.key)}, known ${fingerprintOf(k.key)})`);
      return k.key;
    }
    if (!sent) throw refuse(`the rows of device ${device} come without its key`);
    return sent.key;
  };
  // 1. Verify everything before writing anything.
  const segments: { device: string; from: number; rows: number }[] = [];
  // Verifying each device's rows, then merging: one step each.
  const steps = bundle.rowDevices.length + 1;
  for (const [i, seg] of bundle.rowDevices.entries()) {
    const { device } = seg;
    onStep?.(`verifying the rows of device ${i + 1} of ${bundle.rowDevices.length}`, i, steps);
    const k = known.get(device);
    if (k && k.trusted === 0) throw refuse(`it holds rows of device ${k.name ?? device} (${device}), which is marked untrusted here`);
    const key = keyOf(device);
    const hereUpTo = held.get(device) ?? 0;
    if (seg.first > hereUpTo + 1) throw refuse(`device ${device}'s rows start at ${seg.first} but this database holds only up to ${hereUpTo}: import an earlier bundle from that laptop first, or ask for a whole one`);
    if (seg.last - seg.first + 1 !== seg.n) throw refuse(`device ${device}: rows are missing between ${seg.first} and ${seg.last}`);
    const prevSeq = seg.first - 1;
    const prevHash = heldHash(db, me, device, prevSeq) ?? GENESIS_HASH;
    const checked = checkChainRows(bundle.rowsOf(device), device, { seq: prevSeq, hash: prevHash }, 'bundle');
    if (checked.broken) throw refuse(checked.broken.problem);
    // The last row must be the one a signed tip names: that signature covers every row before it.
    const tip = bundle.tips.find((t) => t.device === device && t.seq === seg.last);
    if (!tip) throw refuse(`device ${device}: no signed chain tip covers its row ${seg.last}`);
    if (!tipSignatureValid(key, device, tip.seq, tip.hash, tip.signature)) throw refuse(`device ${device}: the signature of its chain tip at row ${tip.seq} does not verify with its key (rows changed and re-hashed without the key)`);
    if (tip.hash !== checked.last.hash) throw refuse(`device ${device}: its signed tip at row ${tip.seq} does not match the rows`);
    // Rows this database already holds must be the same rows.
    const overlapTo = Math.min(hereUpTo, seg.last);
    if (overlapTo >= seg.first && heldHash(db, me, device, overlapTo) !== checked.hashes.get(overlapTo)) {
      throw refuse(`device ${device}: row ${overlapTo} differs from the one this database holds (two different histories under one device)`);
    }
    if (device === me && seg.last > hereUpTo) throw refuse(`it claims rows of this laptop's own chain beyond the ones it wrote (${seg.last} > ${hereUpTo})`);
    if (seg.last > hereUpTo) segments.push({ device, from: hereUpTo, rows: seg.last - hereUpTo });
  }
  for (const t of bundle.tips) {
    const k = known.get(t.device);
    if (k && k.trusted === 0 && segments.some((s) => s.device === t.device)) throw refuse(`device ${t.device} is marked untrusted here`);
  }

  // 2. Merge.
  onStep?.('merging', steps - 1, steps);
  db.pragma('defer_foreign_keys = ON');
  const at = now.toISOString();
  const conflictsBefore = (db.prepare(`SELECT count(*) FROM (SELECT 1 FROM record_heads GROUP BY entity, id HAVING count(*) > 1)`).pluck().get() as number) ?? 0;
  const addDevice = db.prepare(`INSERT INTO devices (id, name, public_key, fingerprint, trusted, first_seen_at) VALUES (?, ?, ?, ?, 1, ?)`);
  const result: ImportResult['devices'] = [];
  for (const seg of bundle.rowDevices) {
    if (seg.device === me) continue;
    const isNew = !known.has(seg.device);
    const sent = bundle.devices.get(seg.device);
    if (isNew) addDevice.run(seg.device, sent?.name ?? null, sent!.key, fingerprintOf(sent!.key), at);
    else if (sent?.name && !known.get(seg.device)!.name) db.prepare(`UPDATE devices SET name = ? WHERE id = ?`).run(sent.name, seg.device);
    const s = segments.find((x) => x.device === seg.device);
    result.push({ id: seg.device, name: sent?.name ?? known.get(seg.device)?.name ?? null, fingerprint: fingerprintOf(keyOf(seg.device)), isNew, newVersions: s?.rows ?? 0 });
  }
  const addRow = db.prepare(`INSERT INTO foreign_rows (device, seq, at, user, action, entity, id, version, data, recorded_at, recorded_by, reason, parents, content_hash, prev_hash, hash)
    VALUES (@device, @seq, @at, @user, @action, @entity, @id, @version, @data, @recordedAt, @recordedBy, @reason, @parents, @contentHash, @prevHash, @hash)`);
  const addTip = db.prepare(`INSERT OR IGNORE INTO chain_tips (device, seq, hash, signature) VALUES (?, ?, ?, ?)`);
  const touched = new Map<string, { entity: string; id: string }>();
  const existed = db.prepare(`SELECT 1 FROM record_heads WHERE entity = ? AND id = ? LIMIT 1`).pluck();
  let newRecords = 0;
  let newVersions = 0;
  for (const s of segments) {
    for (const r of bundle.rowsOf(s.device)) {
      if (r.seq <= s.from) continue;
      addRow.run(r);
      newVersions++;
      const key = `${r.entity}\u0000${r.id}`;
      if (!touched.has(key)) {
        touched.set(key, { entity: r.entity, id: r.id });
        if (!existed.get(r.entity, r.id)) newRecords++;
      }
    }
    const tip = bundle.tips.find((t) => t.device === s.device && t.seq === s.from + s.rows)!;
    addTip.run(tip.device, tip.seq, tip.hash, tip.signature);
    db.prepare(`UPDATE devices SET last_import_at = ? WHERE id = ?`).run(at, s.device);
  }
  // The records' heads and rows, people and facilities before what refers to them.
  const order = ['facility', 'staff', 'person', 'interview', 'incident'];
  const rank = (e: string) => (order.includes(e) ? order.indexOf(e) : order.length);
  for (const t of [...touched.values()].sort((a, b) => rank(a.entity) - rank(b.entity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) rematerialize(db, t.entity, t.id);
  // What the sender holds: a bundle made --for it later skips that.
  if (bundle.sender && bundle.sender !== me && (known.has(bundle.sender) || bundle.devices.has(bundle.sender))) {
    if (!known.has(bundle.sender) && !result.some((d) => d.id === bundle.sender)) {
      const sent = bundle.devices.get(bundle.sender)!;
      addDevice.run(bundle.sender, sent.name, sent.key, fingerprintOf(sent.key), at);
    }
    db.prepare(`UPDATE devices SET holds = ? WHERE id = ?`).run(JSON.stringify(Object.fromEntries([...bundle.holds].sort())), bundle.sender);
  }
  const conflictsAfter = (db.prepare(`SELECT count(*) FROM (SELECT 1 FROM record_heads GROUP BY entity, id HAVING count(*) > 1)`).pluck().get() as number) ?? 0;
  return { newRecords, newVersions, newConflicts: Math.max(0, conflictsAfter - conflictsBefore), devices: result };
}

function heldHash(db: Db, me: string, device: string, seq: number): string | undefined {
  if (seq === 0) return GENESIS_HASH;
  const row = (device === me
    ? stmt(db, `SELECT hash FROM audit_log WHERE seq = ?`).get(seq)
    : stmt(db, `SELECT hash FROM foreign_rows WHERE device = ? AND seq = ?`).get(device, seq)) as { hash: string } | undefined;
  return row?.hash;
}
