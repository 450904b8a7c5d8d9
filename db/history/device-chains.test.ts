// Each laptop's chain (db/history/device-chains.ts), aimed at its two functions: another laptop's
// rows are built here row by row with the audit hashes (db/history/audit.ts) and its own Ed25519 key
// (node:crypto), then put in a copy of one migrated template database. Fast and without
// test/helpers.ts, so `npm run mutate -- db/history/device-chains.ts` runs it per mutant.
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkChainRows, verifyDeviceChains, type ChainRow } from './device-chains';
import { contentHashOf, rowHashOf } from './audit';
import { localDevice, signLocalTip, signTip } from './device';
import { writeSetting } from './chained';
import { openDatabase, type Db } from '../connect';
import { templateDatabase } from '../../test/db-fixtures';
import { tempDir } from '../../test/temp-dirs';

const GENESIS = '0'.repeat(64);
const B = 'LAPTOP-B';
const { file: template, open } = templateDatabase('chains');

const at = (seq: number) => new Date(Date.parse('2026-06-20T10:00:00.000Z') + seq * 60_000).toISOString();

/** Sets the row's content and row hashes from its fields, linked to `prevHash`. */
function sealed(r: Omit<ChainRow, 'contentHash' | 'hash'>): ChainRow {
  const contentHash = contentHashOf(r);
  return { ...r, contentHash, hash: rowHashOf({ ...r, contentHash }) };
}

/** `n` rows of a device's chain after `from`: setting writes, the odd ones with a reason, one without parents (written before they were named). */
function chain(device: string, n: number, from = { seq: 0, hash: GENESIS }): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = from;
  for (let i = 0; i < n; i++) {
    const seq = prev.seq + 1;
    const r = sealed({
      device,
      seq,
      at: at(seq),
      user: 'tester',
      action: 'create',
      entity: 'setting',
      id: `key-${seq}`,
      version: 1,
      data: JSON.stringify({ value: `value ${seq}` }),
      recordedAt: at(seq),
      recordedBy: 'tester',
      reason: seq % 2 ? 'checked' : null,
      parents: seq === 1 ? null : '[]',
      prevHash: prev.hash,
    });
    rows.push(r);
    prev = { seq, hash: r.hash };
  }
  return rows;
}

/** The rows again from index `i` on, each sealed and linked after the one before (a rewrite that leaves the chain whole from there). */
function relink(rows: ChainRow[], i: number): ChainRow[] {
  const out = rows.slice(0, i);
  for (const r of rows.slice(i)) out.push(sealed({ ...r, prevHash: out.at(-1)?.hash ?? GENESIS }));
  return out;
}

const check = (rows: ChainRow[], from = { seq: 0, hash: GENESIS }, table: 'foreign_rows' | 'bundle' = 'foreign_rows') => checkChainRows(rows, B, from, table);

describe('checkChainRows', () => {
  it('a whole chain: nothing broken, its last row, and every row\'s hash', () => {
    const rows = chain(B, 4);
    const r = check(rows);
    expect(r.broken).toBeNull();
    expect(r.last).toEqual({ seq: 4, hash: rows[3]!.hash });
    expect([...r.hashes]).toEqual(rows.map((x) => [x.seq, x.hash]));
  });

  it('no rows: nothing broken, the row it starts from', () => {
    expect(check([], { seq: 3, hash: 'ab'.repeat(32) })).toEqual({ broken: null, last: { seq: 3, hash: 'ab'.repeat(32) }, hashes: new Map() });
  });

  it('goes on from a row that is not the first', () => {
    const rows = chain(B, 5);
    const r = check(rows.slice(3), { seq: 3, hash: rows[2]!.hash });
    expect(r.broken).toBeNull();
    expect(r.last).toEqual({ seq: 5, hash: rows[4]!.hash });
    expect([...r.hashes.keys()]).toEqual([4, 5]);
    // Not from the genesis hash.
    expect(check(rows.slice(3), { seq: 3, hash: GENESIS }).broken?.problem).toBe('device LAPTOP-B: row 4 does not follow row 3 (previous-row hash differs): removed, inserted or reordered');
  });

  it('a missing row is named by its number and the next one held, with what was checked before it', () => {
    const rows = chain(B, 4);
    const r = check([rows[0]!, rows[2]!, rows[3]!], undefined, 'bundle');
    expect(r.broken).toEqual({ seq: 2, table: 'bundle', device: B, problem: 'device LAPTOP-B: row 2 of its chain is missing (the next row is 3)' });
    expect(r.last).toEqual({ seq: 1, hash: rows[0]!.hash });
    expect([...r.hashes.keys()]).toEqual([1]);
    expect(check(rows.slice(1)).broken).toEqual({ seq: 1, table: 'foreign_rows', device: B, problem: 'device LAPTOP-B: row 1 of its chain is missing (the next row is 2)' });
  });

  it('a row held twice is a missing next row', () => {
    const rows = chain(B, 3);
    expect(check([rows[0]!, rows[1]!, rows[1]!]).broken?.problem).toBe('device LAPTOP-B: row 3 of its chain is missing (the next row is 2)');
  });

  it('a row linked to another previous row: removed, inserted or reordered, named with its record', () => {
    const rows = chain(B, 3);
    const moved = [rows[0]!, sealed({ ...rows[1]!, prevHash: 'cd'.repeat(32) }), rows[2]!];
    const r = check(moved);
    expect(r.broken).toEqual({
      seq: 2,
      table: 'foreign_rows',
      device: B,
      entity: 'setting',
      id: 'key-2',
      version: 1,
      problem: 'device LAPTOP-B: row 2 does not follow row 1 (previous-row hash differs): removed, inserted or reordered',
    });
    expect(r.last).toEqual({ seq: 1, hash: rows[0]!.hash });
  });

  it('a row whose hashed fields changed (its hash kept): changed', () => {
    const rows = chain(B, 3);
    const changes: Partial<ChainRow>[] = [{ at: at(9) }, { user: 'someone else' }, { user: null }, { action: 'update' }, { entity: 'person' }, { id: 'key-9' }, { version: 2 }, { contentHash: 'ef'.repeat(32) }];
    for (const change of changes) {
      const r = check([rows[0]!, { ...rows[1]!, ...change }, rows[2]!], undefined, 'bundle');
      expect(r.broken).toEqual({
        seq: 2,
        table: 'bundle',
        device: B,
        entity: change.entity ?? 'setting',
        id: change.id ?? 'key-2',
        version: change.version ?? 1,
        problem: 'device LAPTOP-B: row 2 was changed (its hash does not match its content)',
      });
      expect([...r.hashes.keys()]).toEqual([1]);
    }
  });

  it('a version whose content changed under its hashes, or cannot be read: changed after it was written', () => {
    const rows = chain(B, 3);
    const changes: Partial<ChainRow>[] = [
      { data: JSON.stringify({ value: 'rewritten' }) },
      { recordedAt: at(9) },
      { recordedBy: 'someone else' },
      { reason: 'other' },
      { reason: 'checked', parents: null },
      { parents: '["LAPTOP-A:1"]' },
      { data: 'not JSON' },
    ];
    for (const change of changes) {
      // Row 3 has a reason and parents ([]), so each change below is one of its hashed fields.
      const target = { ...rows[2]!, ...change };
      const r = check([rows[0]!, rows[1]!, target]);
      expect(r.broken).toEqual({ seq: 3, table: 'foreign_rows', device: B, entity: 'setting', id: 'key-3', version: 1, problem: 'device LAPTOP-B: setting key-3 version 1 (row 3) was changed after it was written' });
      expect(r.last).toEqual({ seq: 2, hash: rows[1]!.hash });
    }
  });

  it('a version that cannot be read is changed, whatever content hash its row names (an empty one, or none in a bundle)', () => {
    const rows = chain(B, 2);
    for (const contentHash of ['', undefined]) {
      const forged = { ...rows[1]!, data: 'not JSON', contentHash: contentHash as string };
      forged.hash = rowHashOf(forged);
      expect(check([rows[0]!, forged]).broken?.problem).toBe('device LAPTOP-B: setting key-2 version 1 (row 2) was changed after it was written');
    }
  });

  it('a chain rewritten and re-hashed from a row on is whole by itself (the signed tip is what catches it)', () => {
    const rows = chain(B, 3);
    const rewritten = relink([rows[0]!, { ...rows[1]!, data: JSON.stringify({ value: 'rewritten' }) }, rows[2]!], 1);
    expect(check(rewritten).broken).toBeNull();
    expect(check(rewritten).last.hash).not.toBe(rows[2]!.hash);
  });
});

describe('verifyDeviceChains', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pubB = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const privB = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');

  function database(localWrites = 0): Db {
    const file = join(tempDir(), 'attest.sqlite');
    copyFileSync(template(), file);
    const db = openDatabase(file);
    open.push(db);
    for (let i = 1; i <= localWrites; i++) writeSetting(db, `local-${i}`, `value ${i}`, { at: at(i), by: 'tester' });
    return db;
  }

  function addDevice(db: Db, id: string, key = pubB): void {
    db.prepare(`INSERT INTO devices (id, name, public_key, fingerprint, first_seen_at) VALUES (?, ?, ?, 'fp', ?)`).run(id, id, key, at(0));
  }

  function hold(db: Db, rows: ChainRow[], device = rows[0]?.device): void {
    const insert = db.prepare(
      `INSERT INTO foreign_rows (device, seq, at, user, action, entity, id, version, data, recorded_at, recorded_by, reason, parents, content_hash, prev_hash, hash)
       VALUES (@device, @seq, @at, @user, @action, @entity, @id, @version, @data, @recordedAt, @recordedBy, @reason, @parents, @contentHash, @prevHash, @hash)`,
    );
    for (const r of rows) insert.run({ ...r, device });
  }

  function tip(db: Db, device: string, seq: number, hash: string, key = privB): void {
    db.prepare(`INSERT INTO chain_tips (device, seq, hash, signature) VALUES (?, ?, ?, ?)`).run(device, seq, hash, signTip(key, device, seq, hash));
  }

  /** Another laptop's `n` rows held here, with its key and a signed tip at its last row. */
  function withLaptop(db: Db, device = B, n = 3): ChainRow[] {
    const rows = chain(device, n);
    addDevice(db, device);
    hold(db, rows);
    tip(db, device, n, rows[n - 1]!.hash);
    return rows;
  }

  it('a new database, and one with a history and its signed tip: nothing to report', () => {
    expect(verifyDeviceChains(database())).toBeNull();
    const db = database(3);
    signLocalTip(db);
    expect(db.prepare(`SELECT count(*) FROM chain_tips`).pluck().get()).toBe(1);
    expect(verifyDeviceChains(db)).toBeNull();
  });

  it('another laptop\'s whole chain with a signed tip at its last row (and earlier ones): nothing to report', () => {
    const db = database(2);
    const rows = withLaptop(db);
    tip(db, B, 1, rows[0]!.hash);
    expect(verifyDeviceChains(db)).toBeNull();
  });

  it('without a device key (before migration 7 ran): nothing is checked', () => {
    const db = database(1);
    hold(db, chain(B, 2));
    expect(verifyDeviceChains(db)).not.toBeNull();
    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM device_key').run();
    expect(verifyDeviceChains(db)).toBeNull();
  });

  it('the local tip: a signature that does not verify, or a hash its own chain does not hold', () => {
    const db = database(3);
    const me = localDevice(db);
    signLocalTip(db);
    db.prepare(`UPDATE chain_tips SET signature = ? WHERE device = ?`).run(signTip(privB, me.id, 3, db.prepare(`SELECT hash FROM audit_log WHERE seq = 3`).pluck().get() as string), me.id);
    expect(verifyDeviceChains(db)).toEqual({ seq: 3, table: 'chain_tips', device: me.id, problem: `device ${me.id}: the signature of its chain tip at row 3 does not verify with its key` });
    db.prepare(`DELETE FROM chain_tips`).run();
    tip(db, me.id, 2, 'ab'.repeat(32), me.privateKey);
    expect(verifyDeviceChains(db)).toEqual({ seq: 2, table: 'chain_tips', device: me.id, problem: `device ${me.id}: its signed tip at row 2 does not match row 2 of its chain held here` });
  });

  it('a local tip with no key for this laptop in devices', () => {
    const db = database(2);
    const me = localDevice(db);
    db.pragma('foreign_keys = OFF');
    db.prepare(`DELETE FROM devices WHERE id = ?`).run(me.id);
    expect(verifyDeviceChains(db)).toBeNull();
    signLocalTip(db);
    expect(verifyDeviceChains(db)).toEqual({ seq: 2, table: 'chain_tips', device: me.id, problem: `device ${me.id}: a signed tip names a device this database has no key for` });
  });

  it('the local tip is checked before the other laptops\' chains', () => {
    const db = database(2);
    const me = localDevice(db);
    hold(db, chain(B, 2));
    tip(db, me.id, 2, 'ab'.repeat(32), me.privateKey);
    expect(verifyDeviceChains(db)?.table).toBe('chain_tips');
  });

  it('rows held with no signed tip covering the last of them', () => {
    const db = database(1);
    const rows = chain(B, 3);
    addDevice(db, B);
    hold(db, rows);
    expect(verifyDeviceChains(db)).toEqual({ seq: 3, table: 'foreign_rows', device: B, problem: 'device LAPTOP-B: rows up to 3 are held but no signed tip covers row 3' });
    tip(db, B, 2, rows[1]!.hash);
    expect(verifyDeviceChains(db)).toEqual({ seq: 3, table: 'foreign_rows', device: B, problem: 'device LAPTOP-B: rows up to 3 are held but no signed tip covers row 3' });
    tip(db, B, 3, rows[2]!.hash);
    expect(verifyDeviceChains(db)).toBeNull();
  });

  it('another laptop\'s tip signed with another key, or naming a row its chain held here does not match or lacks', () => {
    const db = database(1);
    const me = localDevice(db);
    const rows = chain(B, 3);
    addDevice(db, B);
    hold(db, rows);
    tip(db, B, 3, rows[2]!.hash, me.privateKey);
    expect(verifyDeviceChains(db)).toEqual({ seq: 3, table: 'chain_tips', device: B, problem: 'device LAPTOP-B: the signature of its chain tip at row 3 does not verify with its key' });
    db.prepare(`DELETE FROM chain_tips WHERE device = ?`).run(B);
    tip(db, B, 3, 'ab'.repeat(32));
    expect(verifyDeviceChains(db)).toEqual({ seq: 3, table: 'chain_tips', device: B, problem: 'device LAPTOP-B: its signed tip at row 3 does not match row 3 of its chain held here' });
    db.prepare(`DELETE FROM chain_tips WHERE device = ?`).run(B);
    tip(db, B, 3, rows[2]!.hash);
    tip(db, B, 4, 'ab'.repeat(32));
    expect(verifyDeviceChains(db)).toEqual({ seq: 4, table: 'chain_tips', device: B, problem: 'device LAPTOP-B: its signed tip at row 4 does not match row 4 of its chain held here' });
  });

  it('a signed tip of a laptop none of whose rows are held: its row is not held here', () => {
    const db = database(1);
    addDevice(db, B);
    tip(db, B, 2, 'ab'.repeat(32));
    expect(verifyDeviceChains(db)).toEqual({ seq: 2, table: 'chain_tips', device: B, problem: 'device LAPTOP-B: its signed tip at row 2 does not match row 2 of its chain held here' });
  });

  it('another laptop\'s chain broken: the first fault, as checkChainRows names it', () => {
    const db = database(1);
    const rows = chain(B, 3);
    addDevice(db, B);
    hold(db, [rows[0]!, { ...rows[1]!, data: JSON.stringify({ value: 'rewritten' }) }, rows[2]!]);
    tip(db, B, 3, rows[2]!.hash);
    expect(verifyDeviceChains(db)).toEqual({ seq: 2, table: 'foreign_rows', device: B, entity: 'setting', id: 'key-2', version: 1, problem: 'device LAPTOP-B: setting key-2 version 1 (row 2) was changed after it was written' });
  });

  it('a chain rewritten and re-hashed whole is caught by its signed tip', () => {
    const db = database(1);
    const rows = chain(B, 3);
    addDevice(db, B);
    hold(db, relink([rows[0]!, { ...rows[1]!, data: JSON.stringify({ value: 'rewritten' }) }, rows[2]!], 1));
    tip(db, B, 3, rows[2]!.hash);
    expect(verifyDeviceChains(db)).toEqual({ seq: 3, table: 'chain_tips', device: B, problem: 'device LAPTOP-B: its signed tip at row 3 does not match row 3 of its chain held here' });
  });

  it('rows of a laptop whose key is missing, held or tipped', () => {
    const db = database(1);
    hold(db, chain(B, 2));
    expect(verifyDeviceChains(db)).toEqual({ seq: null, table: 'devices', device: B, problem: 'device LAPTOP-B: its rows are held but its key is missing from devices' });
    const tipped = database(1);
    tip(tipped, B, 2, 'ab'.repeat(32));
    expect(verifyDeviceChains(tipped)).toEqual({ seq: null, table: 'devices', device: B, problem: 'device LAPTOP-B: its rows are held but its key is missing from devices' });
  });

  it('rows of this laptop\'s own chain stored as another device\'s', () => {
    const db = database(1);
    const me = localDevice(db);
    hold(db, chain(me.id, 1));
    expect(verifyDeviceChains(db)).toEqual({ seq: null, table: 'foreign_rows', device: me.id, problem: `device ${me.id}: rows of this laptop's own chain are stored as another device's` });
  });

  it('every other laptop is checked, in the order of their names', () => {
    const db = database(1);
    withLaptop(db, 'LAPTOP-A');
    withLaptop(db, 'LAPTOP-C');
    expect(verifyDeviceChains(db)).toBeNull();
    hold(db, chain('LAPTOP-D', 1));
    hold(db, chain('LAPTOP-B', 1));
    expect(verifyDeviceChains(db)?.device).toBe('LAPTOP-B');
    db.prepare(`DELETE FROM foreign_rows WHERE device = 'LAPTOP-B'`).run();
    expect(verifyDeviceChains(db)?.device).toBe('LAPTOP-D');
  });

  it('in the order JavaScript sorts their names (UTF-16 units), not SQLite\'s (UTF-8 bytes)', () => {
    // U+FF01 is before U+1F600 in UTF-8 (EF.. < F0..) and after it in UTF-16 (FF01 > D83D).
    const db = database(1);
    hold(db, chain('\uff01', 1));
    hold(db, chain('\u{1f600}', 1));
    expect(verifyDeviceChains(db)?.device).toBe('\u{1f600}');
  });
});
