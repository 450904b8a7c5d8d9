// A bundle: one file carrying every version, audit row, device key and signed chain tip the sender
// holds (or, for a named device, only what it has not yet said it holds). It is itself an SQLite
// file encrypted with SQLCipher 4 (the same driver as the database), keyed with the office's bundle
// passphrase, written under a temporary name, synced and renamed into place. Import verifies every
// signature and chain first and refuses the whole bundle on any bad row; the merge that follows
// runs in the caller's one transaction.
import { randomBytes, scryptSync } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
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
import { headsOf } from '../history/heads';
import { rematerialize, writeShown } from './materialize';

/**
 * The bundle's layout. 1: devices carried their (unsigned) name, every office's bundles were keyed
 * with one salt. 2: a random salt in the file (drawn each run); device names and trust travel as chained rows
 * (entity 'device'), so devices carries only the id and key. An older format is upgraded as it is
 * read (upgradeFormat1); a newer one is refused (BundleFromFutureError).
 */
export const BUNDLE_FORMAT = 2;
let knownSchema = 0;
/** The schema version this Attest writes (the number of migrations it has). */
const schemaNow = (): number => (knownSchema ||= loadMigrations().length);
export const BUNDLE_SUFFIX = '.attest-bundle';

/** A bundle written by a newer Attest (a newer bundle format or database schema): refused, named, nothing changed. */
export class BundleFromFutureError extends AppError {
  constructor(readonly what: 'format' | 'schema', readonly bundleVersion: number, readonly knownVersion: number) {
    super('INVALID_INPUT', `BundleFromFutureError: this bundle was written by a newer Attest (${what === 'format' ? 'bundle format' : 'schema'} ${bundleVersion}; this one knows ${knownVersion}); update Attest before importing it. Nothing was changed.`, [
      { path: ['file'], message: 'written by a newer Attest' },
    ]);
    this.name = 'BundleFromFutureError';
  }
}

const derived = new Map<string, string>();
/** Forgets every derived bundle key and salt, as a new run of Attest starts (the bench times an import so). */
export function forgetBundleKeys(): void {
  derived.clear();
  writerSalts.clear();
}

/** The salt every bundle of format 1 was keyed with: one for every office. */
export const FORMAT_1_SALT = 'attest-bundle-v1';
const SALT_BYTES = 16;

/**
 * scrypt (N = 2^15) of the office passphrase with a salt, as hex: the bundle's raw SQLCipher key,
 * so SQLCipher's own key derivation is not run again. Derived once per passphrase and salt per process.
 */
function derive(passphrase: string, salt: Buffer | string): string {
  const id = `${typeof salt === 'string' ? salt : salt.toString('hex')}\u0000${passphrase}`;
  let hex = derived.get(id);
  if (!hex) {
    hex = scryptSync(passphrase.normalize('NFC'), salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('hex');
    derived.set(id, hex);
  }
  return hex;
}

/** A bundle's derived key and the salt it was derived with (hex, or format 1's text salt). */
export interface DerivedKey {
  salt: string;
  hex: string;
}

/**
 * Remembers a key derived on another thread (the reader that verified the bundle), so the merge
 * that follows opens the bundle without running scrypt again. Only `hex` for `salt` and
 * `passphrase` is stored: a wrong one opens nothing (the bundle then reads as another passphrase's).
 */
function rememberKey(passphrase: string, key: DerivedKey): void {
  derived.set(`${key.salt}\u0000${passphrase}`, key.hex);
}

function keyWith(db: Db, rawKeyHex: string): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${rawKeyHex}'"`);
}

const writerSalts = new Map<string, Buffer>();
/**
 * Keys a new bundle file with a random salt, given to SQLCipher with the raw key so it becomes the
 * file's salt, the first 16 bytes of the file (SQLCipher keeps them in the clear); a reader finds
 * it there before it can decrypt anything. The salt is drawn once per passphrase each time Attest
 * runs, and the bundles written in that run share it: a salt per bundle would cost one scrypt per
 * bundle written (0.1 to 0.6 s here) for no more strength, since what a salt defeats is a table
 * precomputed for a salt known in advance, and this one is known only once the file exists.
 */
function keyNewBundle(db: Db, passphrase: string): void {
  let salt = writerSalts.get(passphrase);
  if (!salt) {
    salt = randomBytes(SALT_BYTES);
    writerSalts.set(passphrase, salt);
  }
  keyWith(db, derive(passphrase, salt) + salt.toString('hex'));
}

/**
 * Opens and keys a bundle file: with the key from its own salt (format 2 on), or else with the one
 * salt of format 1. Null when neither key reads it (another passphrase, not a bundle, damaged).
 */
export function openBundleFile(file: string, passphrase: string, opts: { readonly: boolean } = { readonly: true }): { db: Db; keyedAs: 'own-salt' | 'format-1-salt'; key: DerivedKey } | null {
  const salt = Buffer.alloc(SALT_BYTES);
  const fd = openSync(file, 'r');
  let got: number;
  try {
    got = readSync(fd, salt, 0, SALT_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const tries: ['own-salt' | 'format-1-salt', Buffer | string][] = got === SALT_BYTES ? [['own-salt', salt], ['format-1-salt', FORMAT_1_SALT]] : [['format-1-salt', FORMAT_1_SALT]];
  for (const [keyedAs, s] of tries) {
    // Stryker disable next-line BooleanLiteral: the file was opened (openSync) just above, so it exists either way
    const db = openDriver(file, { readonly: opts.readonly, fileMustExist: true });
    try {
      const hex = derive(passphrase, s);
      keyWith(db, hex);
      db.prepare(`SELECT count(*) FROM sqlite_schema`).get();
      return { db, keyedAs, key: { salt: typeof s === 'string' ? s : s.toString('hex'), hex } };
    } catch {
      db.close();
    }
  }
  return null;
}

const refuse = (message: string): AppError => new AppError('INVALID_INPUT', `the bundle was refused whole, nothing was changed: ${message}`, [{ path: ['file'], message }]);

const BUNDLE_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE devices (id TEXT PRIMARY KEY, public_key TEXT NOT NULL) STRICT;
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
    keyNewBundle(out, opts.passphrase);
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
      const addDevice = out!.prepare(`INSERT INTO devices (id, public_key) VALUES (?, ?)`);
      for (const d of db.prepare(`SELECT id, public_key AS key FROM devices`).all() as { id: string; key: string }[]) addDevice.run(d.id, d.key);
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
      // Stryker disable next-line OptionalChaining: out is null only once closed; the TypeError is caught just below alike
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
  format: number;
  schema: number;
  sender: string;
  /** Each device's public key (and, in a format-1 bundle, the name it carried unsigned). */
  devices: Map<string, { key: string; unsignedName: string | null }>;
  tips: { device: string; seq: number; hash: string; signature: string }[];
  holds: Map<string, number>;
  /** A device's rows after `after`, in order. */
  rowsOf: (device: string, after?: number) => IterableIterator<ChainRow>;
  /** SQLite's quick_check of the whole file (every page read, so SQLCipher checks every page's MAC). */
  check: () => void;
  rowDevices: { device: string; first: number; last: number; n: number }[];
  close: () => void;
}

function openBundle(file: string, passphrase: string): BundleContent & { key: DerivedKey } {
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('NOT_FOUND', `file: no bundle at ${file}`, [{ path: ['file'], message: 'not found' }]);
  let opened: ReturnType<typeof openBundleFile>;
  try {
    opened = openBundleFile(file, passphrase);
  } catch (e) {
    throw refuse(`it cannot be opened (${(e as Error).message})`);
  }
  if (!opened) throw unreadable('file is not a database');
  const b = opened.db;
  try {
    const meta = new Map((b.prepare(`SELECT key, value FROM meta`).all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const format = Number(meta.get('format'));
    if (!Number.isInteger(format) || format < 1) throw refuse(`its format (${meta.get('format') ?? 'none'}) is not one Attest wrote`);
    if (format > BUNDLE_FORMAT) throw new BundleFromFutureError('format', format, BUNDLE_FORMAT);
    const schema = Number(meta.get('schema'));
    if (schema > schemaNow()) throw new BundleFromFutureError('schema', schema, schemaNow());
    const devices = format === 1 ? upgradeFormat1(b) : devicesOf(b);
    return {
      key: opened.key,
      format,
      schema,
      sender: meta.get('sender') ?? '',
      devices,
      tips: b.prepare(`SELECT device, seq, hash, signature FROM tips ORDER BY device, seq`).all() as BundleContent['tips'],
      holds: new Map((b.prepare(`SELECT device, seq FROM holds`).all() as { device: string; seq: number }[]).map((h) => [h.device, h.seq])),
      rowsOf: (device, after = 0) => b.prepare(`SELECT ${CHAIN_ROW_COLUMNS} FROM rows WHERE device = ? AND seq > ? ORDER BY seq`).iterate(device, after) as IterableIterator<ChainRow>,
      check: () => {
        let result: string;
        try {
          result = b.pragma('quick_check', { simple: true }) as string;
        } catch (e) {
          result = (e as Error).message;
        }
        if (result !== 'ok') throw unreadable(result);
      },
      rowDevices: b.prepare(`SELECT device, min(seq) AS first, max(seq) AS last, count(*) AS n FROM rows GROUP BY device ORDER BY device`).all() as BundleContent['rowDevices'],
      close: () => b.close(),
    };
  } catch (e) {
    b.close();
    if (e instanceof AppError) throw e;
    throw unreadable((e as Error).message);
  }
}

type BundleDevices = BundleContent['devices'];

function devicesOf(b: Db): BundleDevices {
  return new Map((b.prepare(`SELECT id, public_key AS key FROM devices`).all() as { id: string; key: string }[]).map((d) => [d.id, { key: d.key, unsignedName: null }]));
}

/**
 * Format 1 read as format 2 (the file is not changed): its rows, tips and holds are laid out alike;
 * its devices table also held each device's name, unsigned. Such a name is kept as format 1 used it:
 * given to a device seen for the first time, or one still unnamed here, when no signed name exists.
 */
function upgradeFormat1(b: Db): BundleDevices {
  return new Map((b.prepare(`SELECT id, public_key AS key, name FROM devices`).all() as { id: string; key: string; name: string | null }[]).map((d) => [d.id, { key: d.key, unsignedName: d.name }]));
}

const unreadable = (m: string): AppError =>
  refuse(/not a database|encrypted|malformed|disk image|file is not|corrupt/i.test(m) ? 'it is not a bundle, it was written with another passphrase, or it is damaged or cut short' : `it cannot be read (${m})`);

export interface ImportResult {
  newRecords: number;
  newVersions: number;
  newConflicts: number;
  devices: { id: string; name: string | null; fingerprint: string; isNew: boolean; newVersions: number }[];
}

/** One device's rows a bundle brings that this database does not hold yet: after `from`, `rows` of them. */
interface Segment {
  device: string;
  from: number;
  rows: number;
}

/**
 * A bundle verified against this database as it was then, for the merge that follows (it may have
 * crossed a thread): the rows to take, what the verification relied on in this database (`basis`)
 * and in the file (`stamp`), and the bundle's derived key.
 */
export interface VerifiedBundle {
  segments: Segment[];
  basis: string;
  stamp: string;
  key: DerivedKey;
}

/**
 * Verifies the whole bundle against this database without writing anything: on a read-only
 * connection too (a reader thread, in the app). `check` is called between steps (a cancel throws
 * from it). The merge (mergeVerified) follows in one write transaction.
 */
export function verifyBundle(db: Db, opts: { file: string; passphrase: string }, onStep?: BundleStep, check?: () => void): VerifiedBundle {
  onStep?.('opening the bundle', 0, 1);
  const stamp = fileStamp(opts.file);
  const bundle = openBundle(opts.file, opts.passphrase);
  try {
    check?.();
    const basis = basisOf(db);
    const segments = verifyRows(db, bundle, onStep, check);
    return { segments, basis, stamp, key: bundle.key };
  } finally {
    bundle.close();
  }
}

/**
 * Merges a bundle verified by verifyBundle. Call inside one write transaction. What the verification
 * relied on is checked again first, cheaply: this database's devices (keys, trust) and the last row
 * it holds of each chain, and the bundle file (same file, size and time). When either changed
 * meanwhile (another import, a write, the file replaced), the bundle is verified again here, whole.
 */
export function mergeVerified(db: Db, opts: { file: string; passphrase: string; now: Date }, verified: VerifiedBundle, onStep?: BundleStep): ImportResult {
  rememberKey(opts.passphrase, verified.key);
  const stamp = fileStamp(opts.file);
  const bundle = openBundle(opts.file, opts.passphrase);
  try {
    const same = stamp === verified.stamp && basisOf(db) === verified.basis;
    const segments = same ? verified.segments : verifyRows(db, bundle, onStep);
    return mergeRows(db, bundle, segments, opts.now, onStep);
  } finally {
    bundle.close();
  }
}

/**
 * Verifies the whole bundle, then merges it. Call inside one write transaction (a test's, the
 * bench's): a refusal throws before anything is written, and a crash leaves the database as it was.
 */
export function importBundle(db: Db, opts: { file: string; passphrase: string; now: Date }, onStep?: BundleStep): ImportResult {
  onStep?.('opening the bundle', 0, 1);
  const bundle = openBundle(opts.file, opts.passphrase);
  try {
    return mergeRows(db, bundle, verifyRows(db, bundle, onStep), opts.now, onStep);
  } finally {
    bundle.close();
  }
}

/** The bundle file as verified: its identity, size and time (a file replaced or rewritten since differs). */
function fileStamp(file: string): string {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    // Stryker disable next-line StringLiteral: a file gone is refused by openBundle, called right after, whatever this returns
    return 'missing';
  }
}

/**
 * What a verification relies on in this database: every device's key and trust, and of each chain
 * the last row held here with its hash. Rows are only ever added past those, so equal bases mean
 * the verification still holds.
 */
function basisOf(db: Db): string {
  const me = localDevice(db).id;
  const devices = db.prepare(`SELECT id, public_key, trusted FROM devices ORDER BY id`).raw().all();
  // Stryker disable next-line MethodExpression,ConditionalExpression,EqualityOperator,UnaryOperator: the order only has to be the same for the same holdings, and holdings() gives them in one order (this laptop, then the others by id)
  const tips = [...holdings(db)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([device, seq]) => [device, seq, heldHash(db, me, device, seq) ?? null]);
  return JSON.stringify({ devices, tips });
}

/** The known devices, and each one's key: the one known here, else the one the bundle brings. */
function knownDevices(db: Db, bundle: BundleContent) {
  const known = new Map((db.prepare(`SELECT id, public_key AS key, trusted, name FROM devices`).all() as { id: string; key: string; trusted: number; name: string | null }[]).map((d) => [d.id, d]));
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
  return { known, keyOf };
}

function verifyRows(db: Db, bundle: BundleContent, onStep?: BundleStep, check?: () => void): Segment[] {
  const me = localDevice(db).id;
  const { known, keyOf } = knownDevices(db, bundle);
  const held = holdings(db);
  // Verify everything before writing anything. Only rows past what this database holds of a
  // device are taken, so only those are read and checked: they must follow on from the row held
  // here (its hash), and end at a tip signed with the device's key. A device whose every row is
  // already held is checked by its signed tip alone: the signature verifies and names the very row
  // (same hash) this database holds. Its rows in the bundle are not read: nothing of them is taken.
  const segments: Segment[] = [];
  // Verifying each device's rows, then merging: one step each.
  const steps = bundle.rowDevices.length + 1;
  for (const [i, seg] of bundle.rowDevices.entries()) {
    check?.();
    const { device } = seg;
    onStep?.(`verifying the rows of device ${i + 1} of ${bundle.rowDevices.length}`, i, steps);
    const k = known.get(device);
    const key = keyOf(device);
    const hereUpTo = held.get(device) ?? 0;
    if (seg.first > hereUpTo + 1) throw refuse(`device ${device}'s rows start at ${seg.first} but this database holds only up to ${hereUpTo}: import an earlier bundle from that laptop first, or ask for a whole one`);
    if (seg.last - seg.first + 1 !== seg.n) throw refuse(`device ${device}: rows are missing between ${seg.first} and ${seg.last}`);
    // The last row must be the one a signed tip names: that signature covers every row before it.
    const tip = bundle.tips.find((t) => t.device === device && t.seq === seg.last);
    if (!tip) throw refuse(`device ${device}: no signed chain tip covers its row ${seg.last}`);
    if (!tipSignatureValid(key, device, tip.seq, tip.hash, tip.signature)) throw refuse(`device ${device}: the signature of its chain tip at row ${tip.seq} does not verify with its key (rows changed and re-hashed without the key)`);
    if (seg.last <= hereUpTo) {
      if (heldHash(db, me, device, seg.last) !== tip.hash) throw refuse(`device ${device}: its signed tip at row ${seg.last} differs from the row this database holds (two different histories under one device)`);
      continue;
    }
    if (device === me) throw refuse(`it claims rows of this laptop's own chain beyond the ones it wrote (${seg.last} > ${hereUpTo})`);
    // An untrusted device's rows are refused from any bundle that would bring one not held here;
    // those held already (taken before it was distrusted) travel on in every bundle, untaken.
    if (k && k.trusted === 0) throw refuse(`it holds rows of device ${k.name ?? device} (${device}) not held here, and that device is marked untrusted here`);
    const prevHash = heldHash(db, me, device, hereUpTo) ?? GENESIS_HASH;
    const checked = readingBundle(() => checkChainRows(bundle.rowsOf(device, hereUpTo), device, { seq: hereUpTo, hash: prevHash }, 'bundle'));
    if (checked.broken) {
      const b = checked.broken;
      throw refuse(b.seq === hereUpTo + 1 && /does not follow/.test(b.problem) ? `device ${device}: row ${b.seq} does not follow row ${hereUpTo} this database holds (two different histories under one device)` : b.problem);
    }
    if (tip.hash !== checked.last.hash || checked.last.seq !== seg.last) throw refuse(`device ${device}: its signed tip at row ${tip.seq} does not match the rows`);
    segments.push({ device, from: hereUpTo, rows: seg.last - hereUpTo });
  }
  for (const t of bundle.tips) {
    const k = known.get(t.device);
    if (k && k.trusted === 0 && segments.some((s) => s.device === t.device)) throw refuse(`device ${t.device} is marked untrusted here`);
  }
  check?.();
  // Rows will be taken: the whole file must read clean first (every page and its MAC).
  if (segments.length > 0) {
    onStep?.('checking the whole bundle file', steps - 1, steps);
    bundle.check();
  }
  return segments;
}

/** A page of the bundle that does not read (damaged, changed) refuses it whole, as a named refusal. */
function readingBundle<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw unreadable((e as Error).message);
  }
}

function mergeRows(db: Db, bundle: BundleContent, segments: Segment[], now: Date, onStep?: BundleStep): ImportResult {
  const me = localDevice(db).id;
  const { known, keyOf } = knownDevices(db, bundle);
  const steps = bundle.rowDevices.length + 1;
  // 2. Merge.
  onStep?.('merging', steps - 1, steps);
  db.pragma('defer_foreign_keys = ON');
  const at = now.toISOString();
  const conflicts = () => (segments.length ? ((db.prepare(`SELECT count(*) FROM (SELECT 1 FROM record_heads GROUP BY entity, id HAVING count(*) > 1)`).pluck().get() as number) ?? 0) : 0);
  const conflictsBefore = conflicts();
  const addDevice = db.prepare(`INSERT INTO devices (id, name, public_key, fingerprint, trusted, first_seen_at) VALUES (?, NULL, ?, ?, 1, ?)`);
  const added = new Set<string>();
  const seen: { id: string; isNew: boolean }[] = [];
  for (const seg of bundle.rowDevices) {
    if (seg.device === me) continue;
    const isNew = !known.has(seg.device);
    if (isNew) {
      addDevice.run(seg.device, bundle.devices.get(seg.device)!.key, fingerprintOf(keyOf(seg.device)), at);
      added.add(seg.device);
    }
    seen.push({ id: seg.device, isNew });
  }
  const addRow = db.prepare(`INSERT INTO foreign_rows (device, seq, at, user, action, entity, id, version, data, recorded_at, recorded_by, reason, parents, content_hash, prev_hash, hash)
    VALUES (@device, @seq, @at, @user, @action, @entity, @id, @version, @data, @recordedAt, @recordedBy, @reason, @parents, @contentHash, @prevHash, @hash)`);
  const addTip = db.prepare(`INSERT OR IGNORE INTO chain_tips (device, seq, hash, signature) VALUES (?, ?, ?, ?)`);
  const touched = new Map<string, { entity: string; id: string }>();
  const existed = db.prepare(`SELECT 1 FROM record_heads WHERE entity = ? AND id = ? LIMIT 1`).pluck();
  let newRecords = 0;
  let newVersions = 0;
  for (const s of segments) {
    for (const r of bundle.rowsOf(s.device, s.from)) {
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
    if (!known.has(bundle.sender) && !added.has(bundle.sender)) {
      addDevice.run(bundle.sender, bundle.devices.get(bundle.sender)!.key, fingerprintOf(keyOf(bundle.sender)), at);
      added.add(bundle.sender);
    }
    db.prepare(`UPDATE devices SET holds = ? WHERE id = ?`).run(JSON.stringify(Object.fromEntries([...bundle.holds].sort())), bundle.sender);
  }
  // A device seen for the first time takes the name and trust chained for it (the versions may have
  // come before its key did); a format-1 bundle's unsigned name is kept only where none is chained.
  for (const id of added) writeShown(db, 'device', id);
  for (const [id, d] of bundle.devices) {
    if (d.unsignedName && (added.has(id) || known.has(id)) && headsOf(db, 'device', id).length === 0) {
      db.prepare(`UPDATE devices SET name = ? WHERE id = ? AND name IS NULL`).run(d.unsignedName, id);
    }
  }
  const nameOf = db.prepare(`SELECT name FROM devices WHERE id = ?`).pluck();
  const result: ImportResult['devices'] = seen.map(({ id, isNew }) => ({
    id,
    name: (nameOf.get(id) as string | null | undefined) ?? null,
    fingerprint: fingerprintOf(keyOf(id)),
    isNew,
    newVersions: segments.find((x) => x.device === id)?.rows ?? 0,
  }));
  const conflictsAfter = conflicts();
  return { newRecords, newVersions, newConflicts: Math.max(0, conflictsAfter - conflictsBefore), devices: result };
}

function heldHash(db: Db, me: string, device: string, seq: number): string | undefined {
  if (seq === 0) return GENESIS_HASH;
  const row = (device === me
    ? stmt(db, `SELECT hash FROM audit_log WHERE seq = ?`).get(seq)
    : stmt(db, `SELECT hash FROM foreign_rows WHERE device = ? AND seq = ?`).get(device, seq)) as { hash: string } | undefined;
  // Stryker disable next-line OptionalChaining: callers ask only for a row held here (at most the last one held, rows kept without gaps), so one is found
  return row?.hash;
}
