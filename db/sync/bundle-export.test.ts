// What exportBundle writes, each test writing its bundles in its own body: the file's name, its
// temporary name and clean-up, counts and steps, the rows, devices, holdings and tips it carries, a
// bundle made for a device, an empty chain, an export on a read-only connection, and the key: the
// file opens with the office passphrase (its scrypt key, computed here apart) and with no other.
// `npm run mutate` runs this file alone for the export lines of bundle.ts: a mutant is switched on
// for each test, so code first reached in a beforeAll would never be measured (bundle-checks.test.ts
// writes its bundles there). The databases are copies of two templates made once, with no bundle.
import { scryptSync } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDbFile, tempDir } from '../../test/temp-dirs';
import { openDatabase } from '../connect';
import { openDriver, type Db } from '../driver';
import { localDevice } from '../history/device';
import { createFacility, updateFacility } from '../repo/facilities';
import { createPerson } from '../repo/people';
import { AppError } from '../../shared/errors';
import { exportBundle, forgetBundleKeys, importBundle, openBundleFile, type BundleStep } from './bundle';
import { openFilesIn } from '../../test/db-fixtures';

// As test/helpers.ts has them (not imported: it loads the whole app, again for every mutant).
const SAMPLE_FACILITY = { name: 'North Lake Processing Center', city: 'Baldwin', state: 'MI', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' } as const;
const SAMPLE_PERSON = { familyName: 'Haddad', givenName: 'Yusuf', nameOriginal: 'يوسف حداد', aNumber: '012345678', birthDate: '1990-03-14', nationality: 'Iraq' };
const PASS = 'office bundle passphrase';
const now = new Date('2026-06-21T10:00:00.000Z');
const meta = { at: '2026-06-20T10:00:00.000Z', by: 'attorney' };

/** Three rows (a facility, a person, the facility edited); another laptop's one row; no rows at all. */
let templates: { three: string; other: string; empty: string; many: string };
const open: Db[] = [];

beforeAll(() => {
  const make = (fill: (db: Db) => void): string => {
    const file = tempDbFile();
    const db = openDatabase(file);
    fill(db);
    db.close();
    return file;
  };
  templates = {
    three: make((db) => {
      const f = createFacility(db, SAMPLE_FACILITY, meta);
      createPerson(db, { ...SAMPLE_PERSON, currentFacilityId: f.id }, meta);
      updateFacility(db, f.id, 1, { ...SAMPLE_FACILITY, city: 'Detroit' }, meta);
    }),
    other: make((db) => void createFacility(db, { ...SAMPLE_FACILITY, name: 'Krome' }, meta)),
    empty: make(() => undefined),
    // One past a thousand rows: the versions step is reported every thousand.
    many: make((db) => db.transaction(() => { for (let i = 0; i < 1001; i++) createFacility(db, { ...SAMPLE_FACILITY, name: `F${i}` }, meta); })()),
  };
});

/** A new database copied from a template (each test changes its own). */
function copyOf(template: string, opts: { readonly?: boolean } = {}): Db {
  const file = tempDbFile();
  copyFileSync(template, file);
  const db = opts.readonly ? openDriver(file, { readonly: true, fileMustExist: true }) : openDatabase(file);
  open.push(db);
  return db;
}

beforeEach(() => forgetBundleKeys());
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});
afterAll(() => cleanupTempDirs());

const openIn = openFilesIn;

type Step = [string, number, number];
function exported(db: Db, opts: { passphrase?: string; forDevice?: string; tmpId?: string } = {}, onStep?: BundleStep) {
  const folder = tempDir();
  const steps: Step[] = [];
  const r = exportBundle(db, { folder, passphrase: opts.passphrase ?? PASS, now, forDevice: opts.forDevice, ...(opts.tmpId ? { tmpId: opts.tmpId } : {}) }, (s, d, t) => {
    steps.push([s, d, t]);
    onStep?.(s, d, t);
  });
  return { ...r, folder, steps, name: r.file.slice(folder.length + 1) };
}

/** The bundle's first 16 bytes: the salt SQLCipher keeps in the clear. */
function saltOf(file: string): Buffer {
  const salt = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, salt, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return salt;
}

/** Opens a bundle as SQLCipher 4 with the raw key scrypt (N = 2^15, r = 8, p = 1) gives the passphrase and the file's salt, computed here. */
function openRaw(file: string, passphrase: string): Db {
  const salt = saltOf(file);
  const hex = scryptSync(passphrase.normalize('NFC'), salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('hex');
  const bd = openDriver(file, { readonly: true, fileMustExist: true });
  bd.pragma(`cipher = 'sqlcipher'`);
  bd.pragma('legacy = 4');
  bd.pragma(`key = "x'${hex}${salt.toString('hex')}'"`);
  open.push(bd);
  return bd;
}

/** What a bundle holds, read with the key computed here. */
function contents(file: string, passphrase = PASS) {
  const bd = openRaw(file, passphrase);
  return {
    meta: Object.fromEntries((bd.prepare(`SELECT key, value FROM meta`).all() as { key: string; value: string }[]).map((r) => [r.key, r.value])),
    holds: bd.prepare(`SELECT device, seq FROM holds ORDER BY device`).all(),
    devices: bd.prepare(`SELECT id, public_key AS key FROM devices ORDER BY id`).all(),
    tips: bd.prepare(`SELECT device, seq, hash, signature FROM tips ORDER BY device, seq`).all(),
    rows: bd.prepare(`SELECT * FROM rows ORDER BY device, seq`).all() as Record<string, unknown>[],
  };
}

const keyOf = (db: Db, id: string) => db.prepare(`SELECT public_key FROM devices WHERE id = ?`).pluck().get(id) as string;
const tipsOf = (db: Db) => db.prepare(`SELECT device, seq, hash, signature FROM chain_tips ORDER BY device, seq`).all();
/** The local chain as a bundle carries it: each audit row with its version. */
function localRows(db: Db): Record<string, unknown>[] {
  const me = localDevice(db).id;
  return db
    .prepare(
      `SELECT a.seq, a.at, a.user, a.action, a.entity, a.id, a.version, v.data, v.recorded_at, v.recorded_by, v.reason, v.parents, a.content_hash, a.prev_hash, a.hash
       FROM audit_log a JOIN record_versions v ON v.entity = a.entity AND v.id = a.id AND v.version = a.version ORDER BY a.seq`,
    )
    .all()
    .map((r) => ({ device: me, ...(r as Record<string, unknown>) }));
}

describe('a bundle written', () => {
  it('is named by its device and time, holds every row, the device, its holdings and its signed tip, and counts and reports them', () => {
    const a = copyOf(templates.three);
    const me = localDevice(a).id;
    const r = exported(a);
    expect(r.name).toBe(`attest-${me}-20260621T100000Z.attest-bundle`);
    expect(readdirSync(r.folder)).toEqual([r.name]);
    expect(r.counts).toEqual({ devices: 1, versions: 3, auditRows: 3 });
    expect(r.steps).toEqual([
      ['writing versions', 0, 3],
      ['syncing the file', 3, 3],
    ]);
    const c = contents(r.file);
    const migrations = a.pragma('user_version', { simple: true }) as number;
    expect(c.meta).toEqual({ format: '2', schema: String(migrations), sender: me, createdAt: now.toISOString() });
    expect(c.holds).toEqual([{ device: me, seq: 3 }]);
    expect(c.devices).toEqual([{ id: me, key: keyOf(a, me) }]);
    // The tip is signed now, kept on the writing connection and carried.
    expect(tipsOf(a)).toHaveLength(1);
    expect(c.tips).toEqual(tipsOf(a));
    expect(c.tips).toMatchObject([{ device: me, seq: 3, hash: localRows(a)[2]!.hash }]);
    expect(c.rows).toEqual(localRows(a));
  });

  it('reports the versions written every thousand', () => {
    const r = exported(copyOf(templates.many));
    expect(r.counts).toEqual({ devices: 1, versions: 1001, auditRows: 1001 });
    expect(r.steps).toEqual([
      ['writing versions', 0, 1001],
      ['writing versions', 1000, 1001],
      ['syncing the file', 1001, 1001],
    ]);
    // No one to tell: the same bundle.
    const quiet = exportBundle(copyOf(templates.many), { folder: tempDir(), passphrase: PASS, now });
    expect(quiet.counts).toEqual(r.counts);
    expect(contents(quiet.file).rows).toHaveLength(1001);
  });

  it('from an empty chain: no rows, no tip, its device and a holding of 0', () => {
    const db = copyOf(templates.empty);
    const me = localDevice(db).id;
    const r = exported(db);
    expect(r.counts).toEqual({ devices: 0, versions: 0, auditRows: 0 });
    expect(r.steps).toEqual([
      ['writing versions', 0, 0],
      ['syncing the file', 0, 0],
    ]);
    const c = contents(r.file);
    expect(c.rows).toEqual([]);
    expect(c.tips).toEqual([]);
    expect(c.holds).toEqual([{ device: me, seq: 0 }]);
    expect(c.devices).toEqual([{ id: me, key: keyOf(db, me) }]);
    expect(tipsOf(db)).toEqual([]);
    // No one to tell: the same bundle.
    const quiet = exportBundle(db, { folder: tempDir(), passphrase: PASS, now });
    expect(quiet.counts).toEqual(r.counts);
    expect(contents(quiet.file).rows).toEqual([]);
  });

  it('on a read-only connection: the tip signed there is carried, though not stored', () => {
    const db = copyOf(templates.three, { readonly: true });
    const me = localDevice(db).id;
    expect(tipsOf(db)).toEqual([]);
    const r = exported(db);
    expect(r.counts).toEqual({ devices: 1, versions: 3, auditRows: 3 });
    const c = contents(r.file);
    expect(c.tips).toMatchObject([{ device: me, seq: 3, hash: localRows(db)[2]!.hash }]);
    expect((c.tips[0] as { signature: string }).signature).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
    expect(c.rows).toEqual(localRows(db));
    expect(tipsOf(db)).toEqual([]);
  });

  it('carries what it holds of other laptops, and for a device only what that device does not hold', () => {
    const a = copyOf(templates.three);
    const b = copyOf(templates.other);
    const aId = localDevice(a).id;
    const bId = localDevice(b).id;
    // b's one row, imported into a: a now holds a's 3 rows and b's 1, with b's signed tip and what b holds.
    importBundle(a, { file: exported(b).file, passphrase: PASS, now });
    const all = exported(a);
    expect(all.counts).toEqual({ devices: 2, versions: 4, auditRows: 4 });
    expect(all.steps).toEqual([
      ['writing versions', 0, 4],
      ['syncing the file', 4, 4],
    ]);
    const c = contents(all.file);
    expect(c.holds).toEqual([...[{ device: aId, seq: 3 }, { device: bId, seq: 1 }]].sort((x, y) => (x.device < y.device ? -1 : 1)));
    expect(c.devices).toEqual([...[{ id: aId, key: keyOf(a, aId) }, { id: bId, key: keyOf(b, bId) }]].sort((x, y) => (x.id < y.id ? -1 : 1)));
    expect(c.tips).toEqual(tipsOf(a));
    expect(c.tips.map((t) => [(t as { device: string }).device, (t as { seq: number }).seq]).sort()).toEqual([[aId, 3], [bId, 1]].sort());
    expect(c.rows.filter((r) => r.device === aId)).toEqual(localRows(a));
    expect(c.rows.filter((r) => r.device === bId)).toEqual(localRows(b));

    // For b, which said it holds its own row: a's three rows alone.
    const forB = exported(a, { forDevice: bId });
    expect(forB.name).toBe(`attest-${aId}-20260621T100000Z-for-${bId}.attest-bundle`);
    expect(readdirSync(forB.folder)).toEqual([forB.name]);
    expect(forB.counts).toEqual({ devices: 1, versions: 3, auditRows: 3 });
    expect(forB.steps).toEqual([
      ['writing versions', 0, 3],
      ['syncing the file', 3, 3],
    ]);
    expect(contents(forB.file).rows.map((r) => [r.device, r.seq])).toEqual([[aId, 1], [aId, 2], [aId, 3]]);

    // Once b has said it holds a's first two rows (and more of its own than a has): the third alone.
    a.prepare(`UPDATE devices SET holds = ? WHERE id = ?`).run(JSON.stringify({ [aId]: 2, [bId]: 5 }), bId);
    const rest = exported(a, { forDevice: bId });
    expect(rest.counts).toEqual({ devices: 1, versions: 1, auditRows: 1 });
    expect(rest.steps).toEqual([
      ['writing versions', 0, 1],
      ['syncing the file', 1, 1],
    ]);
    const restC = contents(rest.file);
    expect(restC.rows.map((r) => [r.device, r.seq])).toEqual([[aId, 3]]);
    // Holdings, devices and tips are all carried still.
    expect(restC.holds).toEqual(c.holds);
    expect(restC.devices).toEqual(c.devices);
    expect(restC.tips).toEqual(c.tips);
  });

  it('is written under its temporary name, removed when the export stops halfway', () => {
    const a = copyOf(templates.three);
    const me = localDevice(a).id;
    const name = `attest-${me}-20260621T100000Z.attest-bundle`;
    const folder = tempDir();
    const seen: string[][] = [];
    expect(() =>
      exportBundle(a, { folder, passphrase: PASS, now, tmpId: 'job-7' }, () => {
        seen.push(readdirSync(folder));
        throw new Error('stopped');
      }),
    ).toThrow('stopped');
    expect(seen).toEqual([[`.${name}.job-7.tmp`]]);
    expect(readdirSync(folder)).toEqual([]);
    // Its connection closed too, not left open on the removed file.
    if (existsSync('/proc/self/fd')) expect(openIn(folder)).toBe(0);
    // A temporary file that cannot even be made: SQLite's error, not one from removing what is not there.
    expect(() => exportBundle(a, { folder, passphrase: PASS, now, tmpId: 'no/such' })).toThrow(/^Cannot open database because the directory does not exist/);
    expect(readdirSync(folder)).toEqual([]);
    // Without a tmpId, a new id each time; the file is renamed into place at the end.
    const names: string[] = [];
    const r = exportBundle(a, { folder, passphrase: PASS, now }, (s) => {
      if (s === 'syncing the file') names.push(...readdirSync(folder));
    });
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(new RegExp(`^\\.${name.replace(/\./g, '\\.')}\\.[0-9A-Za-z_-]{8,}\\.tmp$`));
    expect(readdirSync(folder)).toEqual([name]);
    expect(r.file).toBe(join(folder, name));
  });

  it('is refused for a place that is no folder, or a device never seen, and leaves no file', () => {
    const a = copyOf(templates.three);
    const folder = tempDir();
    const refusal = (opts: { folder: string; forDevice?: string }) => {
      try {
        exportBundle(a, { passphrase: PASS, now, ...opts });
      } catch (e) {
        return e instanceof AppError ? { code: e.code, message: e.message, issues: e.issues } : e;
      }
      return 'written';
    };
    const notFolder = (f: string) => ({ code: 'INVALID_INPUT', message: `folder: ${f} is not a folder`, issues: [{ path: ['folder'], message: 'not a folder' }] });
    expect(refusal({ folder: join(folder, 'missing') })).toEqual(notFolder(join(folder, 'missing')));
    expect(refusal({ folder: templates.three })).toEqual(notFolder(templates.three));
    expect(refusal({ folder, forDevice: 'nope' })).toEqual({ code: 'NOT_FOUND', message: 'forDevice: no device nope has been seen here', issues: [{ path: ['forDevice'], message: 'unknown device' }] });
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('a bundle’s key', () => {
  it('is scrypt of the passphrase (in NFC) and a random salt at the head of the file: it opens with that passphrase and no other', () => {
    const a = copyOf(templates.three);
    const nfd = 'cafe\u0301 passphrase';
    const r = exported(a, { passphrase: nfd });
    // The key computed here, from the passphrase in either form, reads it.
    expect(contents(r.file, nfd.normalize('NFC')).rows).toHaveLength(3);
    expect(contents(r.file, nfd).rows).toHaveLength(3);
    expect(() => openRaw(r.file, PASS).prepare(`SELECT count(*) FROM sqlite_schema`).get()).toThrow();
    // As does the reader's, and only with the passphrase.
    const opened = openBundleFile(r.file, nfd)!;
    open.push(opened.db);
    expect(opened.keyedAs).toBe('own-salt');
    expect(opened.key.salt).toBe(saltOf(r.file).toString('hex'));
    expect(openBundleFile(r.file, PASS)).toBeNull();
    forgetBundleKeys();
    expect(openBundleFile(r.file, PASS)).toBeNull();
  });

  it('shares its salt with the bundles written in the same run with the same passphrase; another passphrase or run draws another', () => {
    const a = copyOf(templates.three);
    const first = exported(a).file;
    const second = exported(a).file;
    const other = exported(a, { passphrase: 'another office' }).file;
    expect(saltOf(second)).toEqual(saltOf(first));
    expect(saltOf(other)).not.toEqual(saltOf(first));
    for (const [file, pass] of [[first, PASS], [second, PASS], [other, 'another office']] as const) expect(contents(file, pass).rows).toHaveLength(3);
    expect(() => openRaw(other, PASS).prepare(`SELECT count(*) FROM sqlite_schema`).get()).toThrow();
    forgetBundleKeys();
    const next = exported(a).file;
    expect(saltOf(next)).not.toEqual(saltOf(first));
    expect(contents(next).rows).toHaveLength(3);
  });
});
