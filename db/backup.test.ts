// Rolling backups and restore, function by function, on small real databases: one migrated plain
// database and one encrypted one are made once and copied for each test; a history is a few chained
// setting writes. `npm run mutate -- db/backup.ts` runs this file and backup-check.test.ts (the
// app's vault tests take minutes a pass and a mutant in openDatabase reaches all of them).
import Database from 'better-sqlite3-multiple-ciphers';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BackupCheckError,
  DEFAULT_BACKUP_SETTINGS,
  backupProblem,
  checkBackupCopy,
  createBackup,
  defaultBackupFolder,
  historyLoss,
  holdsTip,
  listBackups,
  pruneBackups,
  readBackupSettings,
  readBackupSummary,
  recordCounts,
  recoverRestoreLeftovers,
  rekeyRestoreCopy,
  stamp,
  summarize,
  swapInRestore,
  writeBackupSettings,
} from './backup';
import { fileKind, openDatabase, opensWithKey, type Db } from './connect';
import { headTip } from './history/anchors';
import { writeSetting } from './history/chained';
import { loadMigrations } from './migrate';
import { descriptorsOn, watchFs } from '../test/fs-watch';
import { cleanupTempDirs, tempDir } from '../test/temp-dirs';

const KEY = "o'Brien's office key";
const LATEST = loadMigrations().length;
const NOW = new Date('2026-06-20T10:00:00.000Z');
const GENESIS = '0'.repeat(64);
let templates: { plain: string; encrypted: string };
let templateDir: string;

beforeAll(() => {
  const dir = (templateDir = mkdtempSync(join(tmpdir(), 'attest-backup-templates-')));
  openDatabase(join(dir, 'plain.sqlite')).close();
  openDatabase(join(dir, 'encrypted.sqlite'), { key: KEY }).close();
  templates = { plain: join(dir, 'plain.sqlite'), encrypted: join(dir, 'encrypted.sqlite') };
});
afterEach(cleanupTempDirs);
afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

/** A fresh copy of a template, at `file` or in a folder of its own. */
function copyOf(kind: 'plain' | 'encrypted', file = join(tempDir(), 'attest.sqlite')): string {
  copyFileSync(templates[kind], file);
  return file;
}

/** Appends history: one chained setting write per key, a minute apart from `start`. */
function write(db: Db, keys: string[], start = 0): void {
  keys.forEach((key, i) => writeSetting(db, key, `value ${start + i}`, { at: new Date(NOW.getTime() + (start + i) * 60_000).toISOString(), by: 'tester' }));
}

function rawFile(sql: string, file = join(tempDir(), 'raw.sqlite')): string {
  const db = new Database(file);
  db.exec(sql);
  db.close();
  return file;
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

const settingsOf = (db: Db) => db.prepare(`SELECT key, value FROM settings ORDER BY key`).all();

describe('settings and names', () => {
  it('the backup plan: defaults until saved, saved ones over the defaults, the save chained', () => {
    const db = openDatabase(copyOf('plain'));
    const defaults = readBackupSettings(db);
    expect(defaults).toEqual({ folder: null, everyWrites: 50, everyMinutes: 15, keep: 10, onClose: true });
    expect(defaults).not.toBe(DEFAULT_BACKUP_SETTINGS);
    db.prepare(`INSERT INTO settings (key, value) VALUES ('backup', '{"keep":3}')`).run();
    expect(readBackupSettings(db)).toEqual({ ...DEFAULT_BACKUP_SETTINGS, keep: 3 });
    const before = headTip(db).seq;
    writeBackupSettings(db, { ...DEFAULT_BACKUP_SETTINGS, folder: '/media/usb', everyWrites: 0 }, { at: NOW.toISOString(), by: 'tester' });
    expect(readBackupSettings(db)).toEqual({ ...DEFAULT_BACKUP_SETTINGS, folder: '/media/usb', everyWrites: 0 });
    expect(headTip(db).seq).toBe(before + 1);
    expect(db.prepare(`SELECT entity, id FROM audit_log ORDER BY seq DESC LIMIT 1`).get()).toEqual({ entity: 'setting', id: 'backup' });
    db.close();
  });

  it('the default folder is "backups" beside the database; a stamp is the time without separators', () => {
    expect(defaultBackupFolder('/office/data/attest.sqlite')).toBe('/office/data/backups');
    expect(stamp(new Date('2026-06-20T10:04:05.678Z'))).toBe('20260620T100405678Z');
  });

  it('holdsTip: the genesis tip always, a tip by its sequence and hash', () => {
    const db = openDatabase(copyOf('plain'));
    write(db, ['a', 'b']);
    const tip = headTip(db);
    expect(holdsTip(db, { seq: 0, hash: GENESIS })).toBe(true);
    expect(holdsTip(db, { seq: 0, hash: 'f'.repeat(64) })).toBe(false);
    expect(holdsTip(db, tip)).toBe(true);
    expect(holdsTip(db, { seq: tip.seq, hash: GENESIS })).toBe(false);
    expect(holdsTip(db, { seq: tip.seq + 1, hash: tip.hash })).toBe(false);
    db.close();
  });
});

describe('backupProblem and listBackups', () => {
  it('names an empty, an interrupted and a cut-short file; whole pages may be a backup', () => {
    const dir = tempDir();
    const f = (name: string, bytes: number) => {
      writeFileSync(join(dir, name), Buffer.alloc(bytes, 1));
      return join(dir, name);
    };
    expect(backupProblem(f('empty', 0))).toBe('empty (0 bytes): the backup was interrupted or the disk was full');
    expect(backupProblem(f('short', 4097))).toBe('cut short: its size is not a whole number of pages');
    expect(backupProblem(f('whole', 4096))).toBeNull();
    expect(backupProblem(f('page', 512))).toBeNull();
    f('whole-journal', 10);
    expect(backupProblem(join(dir, 'whole'))).toBe('interrupted: a -journal file lies beside it');
  });

  it('lists only names of backups, newest first (a later -N first within one stamp), with their state', () => {
    const dir = tempDir();
    const names = [
      'attest-20260620T100000000Z-2.sqlite',
      'attest-20260101T000000000Z.sqlite',
      'attest-20260620T100000000Z.sqlite',
      'attest-20261231T235959999Z.sqlite',
      'attest-20260620T100000000Z-10.sqlite',
      'attest-20260620T100000000Z-3.sqlite',
    ];
    const notBackups = [
      'attest-20260620T100000000Z.sqlite-journal',
      'xattest-20260620T100000000Z.sqlite',
      'attest-2026062T100000000Z.sqlite',
      'attest-20260620T10000000Z.sqlite',
      'attest-20260620T1000000000Z.sqlite',
      'attest-20260620X100000000Z.sqlite',
      'attest-20260620T100000000.sqlite',
      'attest-20260620T100000000Z-.sqlite',
      'attest-20260620T100000000Z-x.sqlite',
      'attest-20260620T100000000Zsqlite',
      'attest-20260620T100000000Z.sqlitex',
      'attest-2026a620T100000000Z.sqlite',
      'attest-20260620T1000a0000Z.sqlite',
      'attest-20260620T100000a00Z.sqlite',
      '.attest-20260620T100000000Z.sqlite.123.partial',
    ];
    names.forEach((n, i) => writeFileSync(join(dir, n), Buffer.alloc(i === 1 ? 0 : 1024 * (i + 1), 1)));
    for (const n of notBackups) writeFileSync(join(dir, n), Buffer.alloc(512));
    const list = listBackups(dir);
    expect(list.map((b) => b.name)).toEqual([
      'attest-20261231T235959999Z.sqlite',
      'attest-20260620T100000000Z-10.sqlite',
      'attest-20260620T100000000Z-3.sqlite',
      'attest-20260620T100000000Z-2.sqlite',
      'attest-20260620T100000000Z.sqlite',
      'attest-20260101T000000000Z.sqlite',
    ]);
    expect(list[0]).toEqual({ file: join(dir, 'attest-20261231T235959999Z.sqlite'), name: 'attest-20261231T235959999Z.sqlite', createdAt: '2026-12-31T23:59:59.999Z', bytes: 4096, complete: true, problem: null });
    expect(list[5]).toEqual({
      file: join(dir, 'attest-20260101T000000000Z.sqlite'),
      name: 'attest-20260101T000000000Z.sqlite',
      createdAt: '2026-01-01T00:00:00.000Z',
      bytes: 0,
      complete: false,
      problem: 'empty (0 bytes): the backup was interrupted or the disk was full',
    });
    expect(list[4]!.createdAt).toBe('2026-06-20T10:00:00.000Z');
  });

  it('the same stamp: the plain name is the oldest of its -N names in any order on disk', () => {
    for (const order of [
      ['attest-20260620T100000000Z.sqlite', 'attest-20260620T100000000Z-2.sqlite'],
      ['attest-20260620T100000000Z-2.sqlite', 'attest-20260620T100000000Z.sqlite'],
    ]) {
      const dir = tempDir();
      for (const n of order) writeFileSync(join(dir, n), Buffer.alloc(512));
      expect(listBackups(dir).map((b) => b.name)).toEqual(['attest-20260620T100000000Z-2.sqlite', 'attest-20260620T100000000Z.sqlite']);
    }
  });

  it('a missing folder or a file in its place lists nothing', () => {
    const dir = tempDir();
    expect(listBackups(join(dir, 'missing'))).toEqual([]);
    writeFileSync(join(dir, 'file'), '');
    expect(listBackups(join(dir, 'file'))).toEqual([]);
  });
});

describe('pruneBackups', () => {
  it('removes complete backups beyond the newest `keep`, keeps incomplete ones, fsyncs the folder', () => {
    const dir = tempDir();
    const names = ['attest-20260101T000000000Z.sqlite', 'attest-20260102T000000000Z.sqlite', 'attest-20260103T000000000Z.sqlite', 'attest-20260104T000000000Z.sqlite'];
    for (const n of names) writeFileSync(join(dir, n), Buffer.alloc(512));
    writeFileSync(join(dir, 'attest-20260105T000000000Z.sqlite'), '');
    const r = watchFs(() => pruneBackups(dir, 2));
    if ('error' in r) throw r.error;
    expect(r.result).toEqual([join(dir, names[1]!), join(dir, names[0]!)]);
    expect(readdirSync(dir).sort()).toEqual([names[2], names[3], 'attest-20260105T000000000Z.sqlite']);
    expect(r.log.calls).toContain(`fsync ${dir}`);
  });

  it('keeps at least one; nothing removed, no fsync', () => {
    const dir = tempDir();
    for (const n of ['attest-20260101T000000000Z.sqlite', 'attest-20260102T000000000Z.sqlite']) writeFileSync(join(dir, n), Buffer.alloc(512));
    expect(pruneBackups(dir, 0)).toEqual([join(dir, 'attest-20260101T000000000Z.sqlite')]);
    const r = watchFs(() => pruneBackups(dir, 1));
    if ('error' in r) throw r.error;
    expect(r.result).toEqual([]);
    expect(r.log.calls.filter((c) => c.startsWith('fsync'))).toEqual([]);
  });
});

describe('createBackup', () => {
  it('writes a checked copy under its real name into a new owner-only folder, and says what it holds', () => {
    const db = openDatabase(copyOf('plain'));
    write(db, ['a', 'b', 'c']);
    const folder = join(tempDir(), 'usb', 'backups');
    const r = watchFs(() => createBackup(db, folder, NOW, { key: null }));
    if ('error' in r) throw r.error;
    const b = r.result;
    const name = 'attest-20260620T100000000Z.sqlite';
    const tmp = join(folder, `.${name}.${process.pid}.partial`);
    expect(b).toEqual({ file: join(folder, name), name, createdAt: NOW.toISOString(), bytes: statSync(join(folder, name)).size, complete: true, problem: null, tip: headTip(db) });
    expect(b.bytes).toBeGreaterThan(0);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(readdirSync(folder)).toEqual([name]);
    expect(r.log.calls).toContain(`rename ${tmp} -> ${b.file}`);
    expect(r.log.calls).toContain(`fsync ${folder}`);
    const copy = openDatabase(b.file, { readonly: true });
    expect(headTip(copy)).toEqual(headTip(db));
    expect(settingsOf(copy)).toEqual(settingsOf(db));
    copy.close();
    db.close();
  });

  it('a second backup in the same millisecond gets -2, then -3; `keep` prunes, no `keep` keeps all', () => {
    const db = openDatabase(copyOf('plain'));
    const folder = tempDir();
    expect(createBackup(db, folder, NOW, { key: null }).name).toBe('attest-20260620T100000000Z.sqlite');
    expect(createBackup(db, folder, NOW, { key: null }).name).toBe('attest-20260620T100000000Z-2.sqlite');
    expect(createBackup(db, folder, NOW, { key: null }).name).toBe('attest-20260620T100000000Z-3.sqlite');
    expect(readdirSync(folder).length).toBe(3);
    const kept = createBackup(db, folder, new Date(NOW.getTime() + 1000), { key: null }, 2);
    expect(listBackups(folder).map((b) => b.name)).toEqual([kept.name, 'attest-20260620T100000000Z-3.sqlite']);
    db.close();
  });

  it('removes partial backups of dead processes only', () => {
    const db = openDatabase(copyOf('plain'));
    const folder = tempDir();
    const dead = deadPid();
    const gone = [`.attest-20260101T000000000Z.sqlite.${dead}.partial`, `.attest-20260101T000000000Z.sqlite.${dead}.partial-journal`];
    const stay = [
      `.attest-20260101T000000000Z.sqlite.${process.pid}.partial`,
      `x.attest-20260101T000000000Z.sqlite.${dead}.partial`,
      `.attest-20260101T000000000Z.sqlite.${dead}.partialx`,
      `.other-20260101T000000000Z.sqlite.${dead}.partial`,
      `.attest-20260101T000000000Z.sqlite.${dead}x.partial`,
      `.attest-20260101T000000000Z.sqlit.${dead}.partial`,
      `.attest-20260101T000000000Z.sqlite..partial`,
    ];
    for (const n of [...gone, ...stay]) writeFileSync(join(folder, n), 'x');
    const b = createBackup(db, folder, NOW, { key: null });
    expect(readdirSync(folder).sort()).toEqual([...stay, b.name].sort());
    db.close();
  });

  it('an encrypted database: the backup is encrypted with its key', () => {
    const db = openDatabase(copyOf('encrypted'), { key: KEY });
    const b = createBackup(db, tempDir(), NOW, { key: KEY });
    db.close();
    expect(fileKind(b.file)).toBe('encrypted');
    expect(opensWithKey(b.file, KEY)).toBe(true);
  });

  it('a copy that does not open with the key given is not kept, and the error is thrown', () => {
    const db = openDatabase(copyOf('encrypted'), { key: KEY });
    const folder = tempDir();
    expect(() => createBackup(db, folder, NOW, { key: 'not the key' })).toThrow(/passphrase is wrong/);
    db.close();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('a failed rename leaves no partial file', () => {
    const db = openDatabase(copyOf('plain'));
    const folder = tempDir();
    const r = watchFs(() => createBackup(db, folder, NOW, { key: null }), { call: 'renameSync', code: 'EIO' });
    db.close();
    expect('error' in r && (r.error as NodeJS.ErrnoException).code).toBe('EIO');
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('historyLoss', () => {
  /** Current and backup: `common` shared entries, then `current` and `backup` entries of their own. */
  function pair(common: number, current: number, backup: number): { cur: Db; bak: Db } {
    const dir = tempDir();
    const cur = openDatabase(copyOf('plain', join(dir, 'current.sqlite')));
    write(cur, Array.from({ length: common }, (_, i) => `k${i % 3}`));
    cur.close();
    copyFileSync(join(dir, 'current.sqlite'), join(dir, 'backup.sqlite'));
    const c = openDatabase(join(dir, 'current.sqlite'));
    const b = openDatabase(join(dir, 'backup.sqlite'));
    write(c, Array.from({ length: current }, (_, i) => `c${i % 2}`), common);
    write(b, Array.from({ length: backup }, (_, i) => `b${i}`), common + 100);
    return { cur: c, bak: b };
  }

  it('nothing lost when the backup holds the whole current history (or more)', () => {
    for (const [common, backup] of [[4, 0], [4, 3], [0, 2]] as const) {
      const { cur, bak } = pair(common, 0, backup);
      expect(historyLoss(cur, bak)).toBeNull();
      cur.close();
      bak.close();
    }
  });

  it('counts the entries, records and latest time the backup lacks, and the backup\'s own entries', () => {
    const base = headTip(openDatabase(copyOf('plain'))).seq; // entries the migrations wrote
    for (const [common, current, backup] of [
      [0, 5, 0],
      [6, 5, 0],
      [6, 5, 3],
      [1, 7, 9],
      [9, 1, 1],
      [2, 4, 1],
      [12, 2, 6],
    ] as const) {
      const { cur, bak } = pair(common, current, backup);
      const loss = historyLoss(cur, bak);
      expect(loss, `${common} ${current} ${backup}`).toEqual({
        entries: current,
        records: Math.min(current, 2),
        latestAt: new Date(NOW.getTime() + (common + current - 1) * 60_000).toISOString(),
        backupOnly: backup,
      });
      expect(base).toBeGreaterThanOrEqual(0);
      cur.close();
      bak.close();
    }
  });
});

describe('checkBackupCopy', () => {
  function backupOf(db: Db, open: { key: string | null } = { key: null }): string {
    return createBackup(db, tempDir(), NOW, open).file;
  }

  it('copies a good backup beside the target, checked, owner-only, fsynced; the backup is only read', () => {
    const db = openDatabase(copyOf('plain'));
    write(db, ['a', 'b']);
    const backup = backupOf(db);
    const before = readFileSync(backup);
    write(db, ['c', 'c', 'd'], 10);
    const target = join(tempDir(), 'attest.sqlite');
    const r = watchFs(() => checkBackupCopy(backup, target, { key: null }, db));
    if ('error' in r) throw r.error;
    const copy = `${target}.restoring`;
    expect(r.result).toEqual({
      copy,
      report: { ok: true, auditRows: expect.any(Number), recordVersions: expect.any(Number), firstBroken: null },
      loss: { entries: 3, records: 2, latestAt: new Date(NOW.getTime() + 12 * 60_000).toISOString(), backupOnly: 0 },
      tip: { seq: headTip(db).seq - 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(r.log.calls).toContain(`fsync ${copy}`);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(target, '..'))).toEqual(['attest.sqlite.restoring']);
    expect(readFileSync(backup).equals(before)).toBe(true);
    const c = openDatabase(copy, { readonly: true });
    expect(settingsOf(c)).toEqual([{ key: 'a', value: 'value 0' }, { key: 'b', value: 'value 1' }]);
    c.close();
    // Without the current database: no loss computed.
    const again = checkBackupCopy(backup, target, { key: null });
    expect(again.loss).toBeNull();
    db.close();
  });

  it('an encrypted backup is checked with its key', () => {
    const db = openDatabase(copyOf('encrypted'), { key: KEY });
    const backup = backupOf(db, { key: KEY });
    db.close();
    const target = join(tempDir(), 'attest.sqlite');
    expect(() => checkBackupCopy(backup, target, { key: 'not the key' })).toThrow(
      `the backup ${backup.split('/').at(-1)} cannot be restored: cannot open ${backup}: the passphrase is wrong (or it is not a database)`,
    );
    expect(checkBackupCopy(backup, target, { key: KEY }).report.ok).toBe(true);
  });

  it('refuses a file that cannot be whole, naming why', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'attest-20260620T100000000Z.sqlite'), '');
    expect(() => checkBackupCopy(join(dir, 'attest-20260620T100000000Z.sqlite'), join(dir, 'attest.sqlite'), { key: null })).toThrow(
      new BackupCheckError('attest-20260620T100000000Z.sqlite is not a whole backup: empty (0 bytes): the backup was interrupted or the disk was full'),
    );
  });

  it('refuses a backup from a newer Attest, and one with history tables but no schema version', () => {
    const newer = rawFile(`CREATE TABLE audit_log (a); CREATE TABLE record_versions (a); PRAGMA user_version = ${LATEST + 1}`, join(tempDir(), 'newer.sqlite'));
    expect(() => checkBackupCopy(newer, join(tempDir(), 'attest.sqlite'), { key: null })).toThrow(
      new BackupCheckError(`newer.sqlite comes from a newer Attest (schema version ${LATEST + 1}; this one knows ${LATEST}): it cannot be restored here`),
    );
    const latest = rawFile(`CREATE TABLE audit_log (a); CREATE TABLE record_versions (a); PRAGMA user_version = ${LATEST}`, join(tempDir(), 'latest.sqlite'));
    expect(() => checkBackupCopy(latest, join(tempDir(), 'attest.sqlite'), { key: null })).not.toThrow(/newer Attest/);
    const unversioned = rawFile(`CREATE TABLE audit_log (a); CREATE TABLE record_versions (a)`, join(tempDir(), 'unversioned.sqlite'));
    expect(() => checkBackupCopy(unversioned, join(tempDir(), 'attest.sqlite'), { key: null })).toThrow(
      new BackupCheckError('unversioned.sqlite is not an Attest database (it has no Attest history)'),
    );
  });

  it('refuses a backup whose history does not verify, naming the broken entry, and leaves no copy', () => {
    const db = openDatabase(copyOf('plain'));
    write(db, ['a', 'b', 'c']);
    const backup = backupOf(db);
    db.close();
    const raw = new Database(backup);
    const seq = raw.prepare(`SELECT max(seq) FROM audit_log`).pluck().get() as number;
    raw.exec(`UPDATE audit_log SET user = 'someone else' WHERE seq = ${seq - 1}`);
    raw.close();
    const dir = tempDir();
    let error: unknown;
    try {
      checkBackupCopy(backup, join(dir, 'attest.sqlite'), { key: null });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackupCheckError);
    expect((error as Error).message).toMatch(new RegExp(`^the backup's history does not verify: .*row ${seq - 1} was changed`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('runs the full integrity check on the copy: an index that no longer matches its table is refused', () => {
    const db = openDatabase(copyOf('plain'));
    db.exec(`CREATE TABLE t (a, b); CREATE INDEX ti ON t (b); INSERT INTO t VALUES (1, 'x')`);
    const backup = backupOf(db);
    db.close();
    const raw = new Database(backup);
    raw.unsafeMode(true);
    raw.pragma('writable_schema = ON');
    raw.exec(`UPDATE sqlite_schema SET sql = 'CREATE INDEX ti ON t (a)' WHERE name = 'ti'`);
    raw.close();
    const dir = tempDir();
    const name = backup.split('/').at(-1)!;
    expect(() => checkBackupCopy(backup, join(dir, 'attest.sqlite'), { key: null })).toThrow(
      new BackupCheckError(`the backup ${name} cannot be restored: database ${join(dir, 'attest.sqlite.restoring')} failed its integrity check: row 1 missing from index ti`),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failure while copying is named as such, and no copy is left', () => {
    const db = openDatabase(copyOf('plain'));
    const backup = backupOf(db);
    db.close();
    const dir = tempDir();
    const target = join(dir, 'attest.sqlite');
    writeFileSync(`${target}.restoring-wal`, 'left by a killed restore');
    const r = watchFs(() => checkBackupCopy(backup, target, { key: null }), { call: 'copyFileSync', code: 'EIO' });
    expect('error' in r && r.error).toEqual(new BackupCheckError(`the backup ${backup.split('/').at(-1)} cannot be restored: EIO: injected, copyFileSync '${backup} -> ${target}.restoring'`));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('swapInRestore', () => {
  it('keeps the current file aside (the same file, linked), removes its -wal and -shm, renames the copy in', () => {
    const dir = tempDir();
    const target = join(dir, 'attest.sqlite');
    writeFileSync(target, 'current');
    writeFileSync(`${target}-wal`, '');
    writeFileSync(`${target}-shm`, '');
    writeFileSync(`${target}.restoring`, 'restored');
    const inode = statSync(target).ino;
    const r = watchFs(() => swapInRestore(`${target}.restoring`, target, NOW));
    if ('error' in r) throw r.error;
    const aside = `${target}.before-restore-20260620T100000000Z`;
    expect(r.result).toBe(aside);
    expect(readdirSync(dir).sort()).toEqual(['attest.sqlite', 'attest.sqlite.before-restore-20260620T100000000Z']);
    expect(readFileSync(target, 'utf8')).toBe('restored');
    expect(statSync(aside).ino).toBe(inode);
    expect(r.log.calls.filter((c) => c === `fsync ${dir}`).length).toBe(2); // after the link, after the rename
    expect(r.log.calls.indexOf(`link ${target} -> ${aside}`)).toBeLessThan(r.log.calls.indexOf(`rename ${target}.restoring -> ${target}`));
  });

  it('where links are refused, the current file is copied aside and fsynced', () => {
    const dir = tempDir();
    const target = join(dir, 'attest.sqlite');
    writeFileSync(target, 'current');
    writeFileSync(`${target}.restoring`, 'restored');
    const r = watchFs(() => swapInRestore(`${target}.restoring`, target, NOW), { call: 'linkSync', code: 'EPERM' });
    if ('error' in r) throw r.error;
    expect(readFileSync(r.result, 'utf8')).toBe('current');
    expect(readFileSync(target, 'utf8')).toBe('restored');
    expect(r.log.calls).toContain(`fsync ${r.result}`);
  });

  it('with no current file, the copy is simply put in place', () => {
    const dir = tempDir();
    const target = join(dir, 'attest.sqlite');
    writeFileSync(`${target}.restoring`, 'restored');
    swapInRestore(`${target}.restoring`, target, NOW);
    expect(readdirSync(dir)).toEqual(['attest.sqlite']);
  });
});

describe('recoverRestoreLeftovers', () => {
  it('nothing to do: no folder, or a database with nothing beside it', () => {
    expect(recoverRestoreLeftovers(join(tempDir(), 'missing', 'attest.sqlite'))).toEqual([]);
    const dir = tempDir();
    writeFileSync(join(dir, 'attest.sqlite'), 'db');
    expect(recoverRestoreLeftovers(join(dir, 'attest.sqlite'))).toEqual([]);
    expect(readdirSync(dir)).toEqual(['attest.sqlite']);
  });

  it('killed after the current file was set aside and before the copy was in: the newest one set aside is put back', () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    const older = `${file}.before-restore-20260101T000000000Z`;
    const newest = `${file}.before-restore-20260620T100000000Z`;
    writeFileSync(older, 'older');
    writeFileSync(newest, 'newest');
    writeFileSync(`${newest}-wal`, 'its wal');
    writeFileSync(`${file}.restoring`, 'half a copy');
    writeFileSync(join(dir, 'zzz notes.txt'), 'not a database');
    const notices = recoverRestoreLeftovers(file);
    expect(notices).toEqual([
      'A restore was interrupted before the restored copy was in place; the database from before it (attest.sqlite.before-restore-20260620T100000000Z) is back in place. Nothing was restored.',
    ]);
    expect(readFileSync(file, 'utf8')).toBe('newest');
    expect(readFileSync(`${file}-wal`, 'utf8')).toBe('its wal');
    // The one put back is now the database itself: its second name goes; the older one stays.
    expect(readdirSync(dir).sort()).toEqual(['attest.sqlite', 'attest.sqlite-wal', 'attest.sqlite.before-restore-20260101T000000000Z', 'zzz notes.txt']);
  });

  it('killed with only the copy left: the copy becomes the database', () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    writeFileSync(`${file}.restoring`, 'restored copy');
    expect(recoverRestoreLeftovers(file)).toEqual([
      'A restore was interrupted and no other database was left; its copy of the backup is now the database (it is checked whole when opened).',
    ]);
    expect(readdirSync(dir)).toEqual(['attest.sqlite']);
    expect(readFileSync(file, 'utf8')).toBe('restored copy');
  });

  it('an empty copy is not made the database; an unfinished copy beside the database is removed', () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    writeFileSync(`${file}.restoring`, '');
    const removed = 'A restore was interrupted before it finished; its unfinished copy was removed and the database is as it was before it.';
    expect(recoverRestoreLeftovers(file)).toEqual([removed]);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(file, 'db');
    writeFileSync(`${file}.restoring`, 'half');
    writeFileSync(`${file}.restoring-journal`, 'half');
    const r = watchFs(() => recoverRestoreLeftovers(file));
    if ('error' in r) throw r.error;
    expect(r.result).toEqual([removed]);
    expect(r.log.calls).toContain(`fsync ${dir}`);
    expect(readdirSync(dir)).toEqual(['attest.sqlite']);
  });

  it('a second name left by a killed swap is removed; a file set aside that is another file stays', () => {
    const dir = tempDir();
    const file = join(dir, 'attest.sqlite');
    writeFileSync(file, 'db');
    linkSync(file, `${file}.before-restore-20260620T100000000Z`);
    writeFileSync(`${file}.before-restore-20260101T000000000Z`, 'an earlier database');
    expect(recoverRestoreLeftovers(file)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['attest.sqlite', 'attest.sqlite.before-restore-20260101T000000000Z']);
  });
});

describe('what a backup holds', () => {
  it('recordCounts: rows not deleted, every row where a table has no deleted_at, 0 for a missing table', () => {
    const file = rawFile(`
      CREATE TABLE people (id, deleted_at); INSERT INTO people VALUES (1, NULL), (2, 'x'), (3, NULL);
      CREATE TABLE incidents (id); INSERT INTO incidents VALUES (1), (2);
      CREATE TABLE facilities (id, deleted_at); INSERT INTO facilities VALUES (1, 'x');`);
    const db = new Database(file, { readonly: true });
    expect(recordCounts(db)).toEqual({ people: 2, incidents: 2, interviews: 0, facilities: 0 });
    expect(summarize(db)).toEqual({ device: null, counts: { people: 2, incidents: 2, interviews: 0, facilities: 0 }, auditRows: 0 });
    db.close();
    const half = new Database(rawFile(`CREATE TABLE devices (id, name, fingerprint); CREATE TABLE audit_log (seq); INSERT INTO audit_log VALUES (1), (2)`), { readonly: true });
    expect(summarize(half)).toEqual({ device: null, counts: { people: 0, incidents: 0, interviews: 0, facilities: 0 }, auditRows: 2 });
    half.close();
  });

  it('readBackupSummary: the device, counts and history of a backup, with its key', () => {
    const db = openDatabase(copyOf('encrypted'), { key: KEY });
    write(db, ['a', 'b']);
    const device = db.prepare(`SELECT d.name, d.fingerprint FROM device_key k JOIN devices d ON d.id = k.device`).get();
    const auditRows = headTip(db).seq;
    const backup = createBackup(db, tempDir(), NOW, { key: KEY }).file;
    db.close();
    expect(device).toEqual({ name: null, fingerprint: expect.stringMatching(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/) });
    expect(readBackupSummary(backup, KEY)).toEqual({ summary: { device, counts: { people: 0, incidents: 0, interviews: 0, facilities: 0 }, auditRows } });
    expect(readBackupSummary(backup, null)).toEqual({ needsPassphrase: true });
    expect(readBackupSummary(backup, 'not the key')).toEqual({ needsPassphrase: true });
    expect(descriptorsOn(backup)).toBe(0);
  });

  it('readBackupSummary: a problem in words for what is not an Attest backup or cannot be read', () => {
    const dir = tempDir();
    expect(readBackupSummary(join(dir, 'missing.sqlite'), null)).toEqual({ problem: 'cannot open missing.sqlite: unable to open database file' });
    const other = rawFile('CREATE TABLE t (a)', join(dir, 'other.sqlite'));
    expect(readBackupSummary(other, null)).toEqual({ problem: 'other.sqlite is not an Attest database (it has no Attest history)' });
    const half = rawFile('CREATE TABLE audit_log (a)', join(dir, 'half.sqlite'));
    expect(readBackupSummary(half, null)).toEqual({ problem: 'half.sqlite is not an Attest database (it has no Attest history)' });
    const wal = rawFile('PRAGMA journal_mode = WAL; CREATE TABLE t (a)', join(dir, 'wal.sqlite'));
    mkdirSync(`${wal}-wal`);
    expect(readBackupSummary(wal, null)).toEqual({ problem: 'wal.sqlite cannot be read: unable to open database file' });
    expect(readBackupSummary(copyOf('plain'), null, join(dir, 'none.node'))).toEqual({ problem: expect.stringMatching(/^cannot open attest\.sqlite: Cannot find module/) });
    expect(descriptorsOn(other)).toBe(0);
  });
});

describe('rekeyRestoreCopy', () => {
  it('the same key (or none on both sides): the copy is not touched', () => {
    const file = copyOf('plain');
    const before = readFileSync(file);
    const r = watchFs(() => rekeyRestoreCopy(file, null, null));
    if ('error' in r) throw r.error;
    expect(r.log.calls).toEqual([]);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("from the backup's key to the database's (quotes too), fsynced", () => {
    const file = copyOf('encrypted');
    const r = watchFs(() => rekeyRestoreCopy(file, KEY, "the database's key"));
    if ('error' in r) throw r.error;
    expect(r.log.calls).toEqual([`open ${file}`, `fsync ${file}`, `close ${file}`]);
    expect(opensWithKey(file, KEY)).toBe(false);
    const raw = new Database(file, { readonly: true });
    raw.pragma(`cipher = 'sqlcipher'`);
    raw.pragma('legacy = 4');
    raw.pragma(`key = 'the database''s key'`);
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST);
    raw.close();
    expect(descriptorsOn(file)).toBe(0);
  });

  it('to no key: the copy is plain; from no key: encrypted', () => {
    const enc = copyOf('encrypted');
    rekeyRestoreCopy(enc, KEY, null);
    expect(fileKind(enc)).toBe('plain');
    expect(opensWithKey(enc, null)).toBe(true);
    const plain = copyOf('plain');
    rekeyRestoreCopy(plain, null, KEY);
    expect(fileKind(plain)).toBe('encrypted');
    expect(opensWithKey(plain, KEY)).toBe(true);
  });

  it('a wrong key for the copy is an error, and the connection is closed', () => {
    const file = copyOf('encrypted');
    expect(() => rekeyRestoreCopy(file, 'not the key', 'x')).toThrow(expect.objectContaining({ code: 'SQLITE_NOTADB' }));
    expect(descriptorsOn(file)).toBe(0);
    expect(() => rekeyRestoreCopy(copyOf('plain'), null, KEY, join(tempDir(), 'none.node'))).toThrow(/Cannot find module/);
  });
});
