// The history's end recorded outside the database (db/history/anchors.ts), function by function, on
// small real databases: one migrated plain database is made once and copied for each test, and a
// history is a few chained setting writes. Every expected text is written out here by hand. Fast
// and without test/helpers.ts, so `npm run mutate -- db/history/anchors.ts` runs it per mutant.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  TIP_FILE,
  backupAgainstItsTip,
  checkFolders,
  checkRecordedTips,
  headTip,
  highestRecordedTip,
  loggedManifests,
  manifestTip,
  readRecordedTips,
  readTipFile,
  recordBackupTip,
  recordRestore,
  setsAside,
  tipFilesIn,
  updateTipFile,
  planTipFile,
  writeTipFile,
  writeBackupTip,
  writeFileAtomic,
  type ChainTip,
  type RecordedTip,
} from './anchors';
import { openDatabase, type Db } from '../connect';
import { writeSetting } from './chained';
import { appendVersion } from './versions';
import { watchFs } from '../../test/fs-watch';
import { templateDatabase } from '../../test/db-fixtures';
import { tempDir } from '../../test/temp-dirs';

const GENESIS = '0'.repeat(64);
const AT = '2026-06-20T10:00:00.000Z';
/** How `AT` reads in a message. */
const AT_TEXT = '20 June 2026, 10:00 UTC';
const BACKUP_NAME = 'attest-20260620T100000000Z.sqlite';
const { file: template, open } = templateDatabase('anchors');

/** A copy of the template, opened, with `n` chained setting writes (audit rows 1 to n). */
function history(n: number): Db {
  const file = join(tempDir(), 'attest.sqlite');
  copyFileSync(template(), file);
  const db = openDatabase(file);
  open.push(db);
  write(db, n);
  return db;
}

function write(db: Db, n: number): void {
  const from = headTip(db).seq;
  for (let i = 1; i <= n; i++) writeSetting(db, `key-${from + i}`, `value ${from + i}`, { at: new Date(Date.parse(AT) + (from + i) * 60_000).toISOString(), by: 'tester' });
}

const hashAt = (db: Db, seq: number) => db.prepare(`SELECT hash FROM audit_log WHERE seq = ?`).pluck().get(seq) as string;
const tipAt = (db: Db, seq: number): ChainTip => ({ seq, hash: hashAt(db, seq) });
const json = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value));
const tipJson = (file: string, seq: number, hash: string, at = AT) => json(file, { kind: 'attest-chain-tip', seq, hash, at });
const recorded = (seq: number, hash: string, file: string, at = AT, label = `label of ${file}`): RecordedTip => ({ seq, hash, at, file, label });
const other = (c: string) => c.repeat(64);

describe('headTip', () => {
  it('of an empty history: row 0 and the genesis hash', () => {
    expect(headTip(history(0))).toEqual({ seq: 0, hash: GENESIS });
  });

  it('of a history: its last row and that row\'s hash', () => {
    const db = history(3);
    expect(headTip(db)).toEqual({ seq: 3, hash: hashAt(db, 3) });
    expect(hashAt(db, 3)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('writeFileAtomic', () => {
  function ok<T>(r: ReturnType<typeof watchFs<T>>) {
    if ('error' in r) throw r.error;
    return r;
  }
  function failed<T>(r: ReturnType<typeof watchFs<T>>) {
    if (!('error' in r)) throw new Error('expected it to throw');
    return r as { error: NodeJS.ErrnoException; log: { calls: string[]; open: string[] } };
  }

  it('writes a temporary file, fsyncs and closes it, renames it into place, then fsyncs the folder', () => {
    const dir = tempDir();
    const file = join(dir, 'tip.json');
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    const { log } = ok(watchFs(() => writeFileAtomic(file, 'the text\n')));
    expect(readFileSync(file, 'utf8')).toBe('the text\n');
    expect(log.calls).toEqual([`open ${tmp}`, `write ${tmp}`, `fsync ${tmp}`, `close ${tmp}`, `rename ${tmp} -> ${file}`, `open ${dir}`, `fsync ${dir}`, `close ${dir}`]);
    expect(log.open).toEqual([]);
    expect(readdirSync(dir)).toEqual(['tip.json']);
  });

  it('replaces a file that is there', () => {
    const file = join(tempDir(), 'tip.json');
    writeFileSync(file, 'old, and longer than the new text');
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('a failed write leaves the file as it was, closes the temporary file and reaches the caller', () => {
    const file = join(tempDir(), 'tip.json');
    writeFileSync(file, 'old');
    const { error, log } = failed(watchFs(() => writeFileAtomic(file, 'new'), { call: 'writeSync', code: 'ENOSPC' }));
    expect(error.code).toBe('ENOSPC');
    expect(log.open).toEqual([]);
    expect(log.calls.some((c) => c.startsWith('rename '))).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('a failed fsync is not renamed into place', () => {
    const file = join(tempDir(), 'tip.json');
    writeFileSync(file, 'old');
    const { error, log } = failed(watchFs(() => writeFileAtomic(file, 'new'), { call: 'fsyncSync', code: 'EIO' }));
    expect(error.code).toBe('EIO');
    expect(log.open).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('a failed rename removes the temporary file and reaches the caller', () => {
    const dir = tempDir();
    const file = join(dir, 'tip.json');
    const { error, log } = failed(watchFs(() => writeFileAtomic(file, 'new'), { call: 'renameSync', code: 'EXDEV' }));
    expect(error.code).toBe('EXDEV');
    expect(log.calls.at(-1)).toBe(`rm ${file}.${process.pid}.${threadId}.tmp`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a rename that failed with the temporary file already gone still reports the rename\'s error', () => {
    const dir = tempDir();
    const file = join(dir, 'tip.json');
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    const { error } = failed(watchFs(() => writeFileAtomic(file, 'new'), { call: 'renameSync', code: 'EIO', before: () => rmSync(tmp) }));
    expect(error.code).toBe('EIO');
  });

  it('a folder that cannot be opened for its fsync (as on Windows) is left to the file system', () => {
    const dir = tempDir();
    const file = join(dir, 'tip.json');
    const { log } = ok(watchFs(() => writeFileAtomic(file, 'new'), { call: 'openSync', path: dir, code: 'EISDIR' }));
    expect(log.calls.at(-1)).toBe(`open ${dir}`);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('a folder whose fsync fails is closed, and the written file stays', () => {
    const dir = tempDir();
    const file = join(dir, 'tip.json');
    const { log } = ok(watchFs(() => writeFileAtomic(file, 'new'), { call: 'fsyncSync', path: dir, code: 'EINVAL' }));
    expect(log.calls.slice(-2)).toEqual([`fsync ${dir}`, `close ${dir}`]);
    expect(log.open).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });
});

describe('writeBackupTip', () => {
  it('writes the backup\'s sidecar: its tip, the time and the backup\'s name, as indented JSON', () => {
    const dir = tempDir();
    const backup = join(dir, BACKUP_NAME);
    writeFileSync(backup, 'backup');
    writeBackupTip(backup, { seq: 3, hash: other('a') }, AT);
    expect(readFileSync(`${backup}.tip.json`, 'utf8')).toBe(
      `{\n  "kind": "attest-backup-tip",\n  "seq": 3,\n  "hash": "${other('a')}",\n  "at": "${AT}",\n  "backup": "${BACKUP_NAME}"\n}\n`,
    );
  });

  it('removes the sidecars of backups that are gone, and nothing else', () => {
    const dir = tempDir();
    const backup = join(dir, BACKUP_NAME);
    writeFileSync(backup, 'backup');
    const kept = [
      'attest-20260619T100000000Z.sqlite', // its backup is there
      'notes', // not a backup's name
      'xattest-20260618T100000000Z.sqlite', // something before the name
      'attest-20260618T100000000Z.sqlite.old', // something after it
      'attest-2026T100000000Z.sqlite', // too few digits in the date
      'attest-20260618T1000Z.sqlite', // too few in the time
    ];
    const gone = ['attest-20260617T100000000Z.sqlite', 'attest-20260617T100000000Z-2.sqlite', 'attest-20260617T100000000Z-12.sqlite'];
    writeFileSync(join(dir, kept[0]!), 'backup');
    for (const n of [...kept, ...gone]) writeFileSync(join(dir, `${n}.tip.json`), '{}');
    writeFileSync(join(dir, 'attest-20260616T100000000Z.sqlite.json'), '{}');
    writeBackupTip(backup, { seq: 1, hash: other('a') }, AT);
    expect(readdirSync(dir).sort()).toEqual(
      [BACKUP_NAME, `${BACKUP_NAME}.tip.json`, kept[0]!, 'attest-20260616T100000000Z.sqlite.json', ...kept.map((n) => `${n}.tip.json`)].sort(),
    );
  });
});

describe('readRecordedTips', () => {
  it('reads the tip file and each backup\'s sidecar, labelled with their time and name, and nothing else', () => {
    const dir = tempDir();
    tipJson(join(dir, TIP_FILE), 3, other('a'));
    tipJson(join(dir, `${BACKUP_NAME}.tip.json`), 2, other('b'), '2026-06-05T09:07:00.000Z');
    tipJson(join(dir, 'attest-20260620T100000000Z-2.sqlite.tip.json'), 0, GENESIS, 'not a time');
    for (const n of ['notes.tip.json', 'attest-tip.json.bak', 'xattest-20260620T100000000Z.sqlite.tip.json', 'attest-2026.sqlite.tip.json']) tipJson(join(dir, n), 9, other('c'));
    const { tips, unreadable } = readRecordedTips([dir]);
    expect(unreadable).toEqual([]);
    expect(tips.sort((a, b) => a.seq - b.seq)).toEqual([
      { seq: 0, hash: GENESIS, at: 'not a time', file: join(dir, 'attest-20260620T100000000Z-2.sqlite.tip.json'), label: 'the backup of not a time (attest-20260620T100000000Z-2.sqlite)' },
      { seq: 2, hash: other('b'), at: '2026-06-05T09:07:00.000Z', file: join(dir, `${BACKUP_NAME}.tip.json`), label: `the backup of 5 June 2026, 09:07 UTC (${BACKUP_NAME})` },
      { seq: 3, hash: other('a'), at: AT, file: join(dir, TIP_FILE), label: `the tip recorded in the backup folder on ${AT_TEXT} (attest-tip.json)` },
    ]);
  });

  it('reads a folder named twice once, and passes over a folder that is missing or is a file', () => {
    const dir = tempDir();
    tipJson(join(dir, TIP_FILE), 3, other('a'));
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const { tips, unreadable } = readRecordedTips([dir, join(dir, 'missing'), file, dir]);
    expect(tips.map((t) => t.file)).toEqual([join(dir, TIP_FILE)]);
    expect(unreadable).toEqual([]);
  });

  it('lists a tip that is not JSON, or lacks a whole sequence number, a hash or a time, as unreadable', () => {
    const dir = tempDir();
    const cases: [string, string][] = [
      ['{"seq": 1, "hash": "', 'Unterminated string in JSON at position 20'],
      [JSON.stringify({ hash: other('a'), at: AT }), 'it does not hold a sequence number, hash and time'],
      [JSON.stringify({ seq: '1', hash: other('a'), at: AT }), 'it does not hold a sequence number, hash and time'],
      [JSON.stringify({ seq: 1.5, hash: other('a'), at: AT }), 'it does not hold a sequence number, hash and time'],
      [JSON.stringify({ seq: -1, hash: other('a'), at: AT }), 'it does not hold a sequence number, hash and time'],
      [JSON.stringify({ seq: 1, hash: 7, at: AT }), 'it does not hold a sequence number, hash and time'],
      [JSON.stringify({ seq: 1, hash: other('a') }), 'it does not hold a sequence number, hash and time'],
    ];
    cases.forEach(([text], i) => writeFileSync(join(dir, `attest-2026062${i}T100000000Z.sqlite.tip.json`), text));
    const { tips, unreadable } = readRecordedTips([dir]);
    expect(tips).toEqual([]);
    expect(unreadable.sort((a, b) => a.file.localeCompare(b.file))).toEqual(cases.map(([, why], i) => ({ file: join(dir, `attest-2026062${i}T100000000Z.sqlite.tip.json`), unreadable: why })));
  });

  it('a tip named by a folder entry that is a folder, or a file over 256 MiB, is unreadable without being read', () => {
    const dir = tempDir();
    mkdirSync(join(dir, TIP_FILE));
    const big = join(dir, `${BACKUP_NAME}.tip.json`);
    writeFileSync(big, '');
    truncateSync(big, 256 * 1024 * 1024 + 1);
    expect(readRecordedTips([dir]).unreadable.sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: big, unreadable: 'too large for a tip or manifest' },
      { file: join(dir, TIP_FILE), unreadable: 'not a regular file' },
    ]);
  });
});

describe('manifestTip', () => {
  // Longer than 256 bytes, as a real manifest is.
  const manifest = (extra: Record<string, unknown> = {}) => ({ kind: 'attest-export-manifest', generatedAt: AT, history: { seq: 4, hash: other('d') }, files: [{ name: 'report.pdf', sha256: other('e') }, { name: 'report.csv', sha256: other('f') }], ...extra });

  it('is the history an export manifest names, labelled with the export\'s time and file name', () => {
    const file = join(tempDir(), 'manifest.json');
    json(file, manifest());
    expect(readFileSync(file).length).toBeGreaterThan(256);
    expect(manifestTip(file)).toEqual({ seq: 4, hash: other('d'), at: AT, file, label: `the export of ${AT_TEXT} (manifest.json)` });
  });

  it('without a time: an empty one', () => {
    const file = join(tempDir(), 'manifest.json');
    json(file, manifest({ generatedAt: undefined }));
    expect(manifestTip(file)).toEqual({ seq: 4, hash: other('d'), at: '', file, label: 'the export of  (manifest.json)' });
  });

  it('is nothing for another kind of file, a manifest without its history\'s number or hash, text that is not JSON, or a folder', () => {
    const dir = tempDir();
    const cases = [
      manifest({ kind: 'attest-chain-tip' }),
      manifest({ history: undefined }),
      manifest({ history: { seq: '4', hash: other('d') } }),
      manifest({ history: { seq: 4 } }),
    ];
    cases.forEach((m, i) => {
      json(join(dir, `m${i}.json`), m);
      expect(manifestTip(join(dir, `m${i}.json`))).toBeNull();
    });
    writeFileSync(join(dir, 'text.json'), '{"kind": "attest-export-manifest", ');
    expect(manifestTip(join(dir, 'text.json'))).toBeNull();
    expect(manifestTip(dir)).toBeNull();
    expect(manifestTip(join(dir, 'missing.json'))).toBeNull();
  });
});

describe('readTipFile', () => {
  it('reads a manifest as a manifest, and any other tip with its own label', () => {
    const dir = tempDir();
    json(join(dir, 'manifest.json'), { kind: 'attest-export-manifest', generatedAt: AT, history: { seq: 2, hash: other('a') } });
    expect(readTipFile(join(dir, 'manifest.json'))).toEqual({ seq: 2, hash: other('a'), at: AT, file: join(dir, 'manifest.json'), label: `the export of ${AT_TEXT} (manifest.json)` });
    tipJson(join(dir, 'kept.json'), 3, other('b'));
    expect(readTipFile(join(dir, 'kept.json'))).toEqual({ seq: 3, hash: other('b'), at: AT, file: join(dir, 'kept.json'), label: `the tip recorded on ${AT_TEXT} in kept.json` });
    writeFileSync(join(dir, 'bad.json'), '[]');
    expect(readTipFile(join(dir, 'bad.json'))).toEqual({ file: join(dir, 'bad.json'), unreadable: 'it does not hold a sequence number, hash and time' });
  });
});

describe('checkRecordedTips', () => {
  it('a tip the history holds with the same hash is no problem; row 0 is never one', () => {
    const db = history(3);
    const tips = [recorded(3, hashAt(db, 3), 'a'), recorded(1, hashAt(db, 1), 'b'), recorded(0, other('f'), 'c')];
    expect(checkRecordedTips(db, tips)).toEqual({ checked: 3, superseded: 0, problem: null });
  });

  it('a tip past the history\'s end: the entries missing, named with the tip\'s label', () => {
    const db = history(3);
    expect(checkRecordedTips(db, [recorded(5, other('a'), 'x', AT, 'the backup of 20 June')])).toEqual({
      checked: 1,
      superseded: 0,
      problem: { seq: 5, table: 'recorded-tip', problem: 'the history ends 2 entries before the backup of 20 June: entries 4 to 5 were removed, or an older copy was put in place of the database' },
    });
    expect(checkRecordedTips(db, [recorded(4, other('a'), 'x', AT, 'the tip')]).problem?.problem).toBe(
      'the history ends 1 entry before the tip: entries 4 to 4 were removed, or an older copy was put in place of the database',
    );
  });

  it('a tip the history holds with another hash: rewritten', () => {
    const db = history(3);
    expect(checkRecordedTips(db, [recorded(2, other('a'), 'x', AT, 'the export')]).problem).toEqual({
      seq: 2,
      table: 'recorded-tip',
      problem: 'the history differs from the export at entry 2: it was rewritten after that tip was recorded',
    });
  });

  it('of several problems, the one with most entries missing is named, whatever the order', () => {
    const db = history(3);
    const tips = [recorded(4, other('a'), 'one.tip.json'), recorded(6, other('a'), 'three.tip.json'), recorded(2, other('a'), 'rewritten.tip.json')];
    for (const order of [tips, [...tips].reverse(), [tips[1]!, tips[0]!, tips[2]!]]) expect(checkRecordedTips(db, order).problem?.seq).toBe(6);
  });

  it('among rewrites (none missing), the latest entry; the problem is the right tip\'s', () => {
    const db = history(5);
    const tips = [recorded(2, other('a'), 'a.tip.json', AT, 'the second'), recorded(4, other('a'), 'b.tip.json', AT, 'the fourth'), recorded(3, other('a'), 'c.tip.json', AT, 'the third')];
    for (const order of [tips, [...tips].reverse()]) {
      expect(checkRecordedTips(db, order).problem).toEqual({ seq: 4, table: 'recorded-tip', problem: 'the history differs from the fourth at entry 4: it was rewritten after that tip was recorded' });
    }
  });

  it('among rewrites, a later entry in the tip file before an earlier one in a sidecar', () => {
    const db = history(5);
    const tips = [recorded(4, other('a'), `/b/${TIP_FILE}`, AT, 'the tip file'), recorded(2, other('b'), `/b/${BACKUP_NAME}.tip.json`, AT, 'the backup')];
    for (const order of [tips, [...tips].reverse()]) expect(checkRecordedTips(db, order).problem?.seq).toBe(4);
  });

  it('at the same entry, a backup\'s sidecar before the backup folder\'s tip file', () => {
    const db = history(2);
    const tips = [recorded(4, other('a'), `/b/${TIP_FILE}`, AT, 'the tip file'), recorded(4, other('b'), `/b/${BACKUP_NAME}.tip.json`, AT, 'the backup')];
    for (const order of [tips, [...tips].reverse()]) expect(checkRecordedTips(db, order).problem?.problem).toMatch(/before the backup:/);
    // Equal entry, equal missing, both sidecars: the first stays.
    const two = [recorded(4, other('a'), `/b/one.tip.json`, AT, 'the first'), recorded(4, other('b'), `/b/two.tip.json`, AT, 'the second')];
    expect(checkRecordedTips(db, two).problem?.problem).toMatch(/before the first:/);
  });

  it('a tip that cannot be read is a problem when nothing worse is found, named with the file', () => {
    const db = history(2);
    const unreadable = [{ file: '/b/attest-tip.json', unreadable: 'not a regular file' }, { file: '/b/second', unreadable: 'other' }];
    expect(checkRecordedTips(db, [recorded(2, hashAt(db, 2), 'x')], unreadable)).toEqual({
      checked: 1,
      superseded: 0,
      problem: { seq: null, table: 'recorded-tip', problem: 'the recorded tip /b/attest-tip.json cannot be read (not a regular file): the history cannot be compared with it' },
    });
    expect(checkRecordedTips(db, [recorded(3, other('a'), 'x', AT, 'the tip')], unreadable).problem?.seq).toBe(3);
  });

  it('a restore the user confirmed sets aside the tips written up to it, up to the higher of the tips it named', () => {
    const db = history(3);
    const restoredAt = '2026-06-21T00:00:00.000Z';
    const before = '2026-06-20T23:59:59.999Z';
    const after = '2026-06-21T00:00:00.001Z';
    recordRestore(db, { restoredFrom: 'older.sqlite', setAside: { seq: 1, hash: other('1') }, highestRecorded: null, at: '2026-06-10T00:00:00.000Z', by: null });
    recordRestore(db, { restoredFrom: BACKUP_NAME, setAside: { seq: 7, hash: other('7') }, highestRecorded: { seq: 9, hash: other('9') }, at: restoredAt, by: 'tester' });
    // Head is now row 5 (the two restores are chained).
    const check = (t: RecordedTip) => checkRecordedTips(db, [t]);
    expect(check(recorded(9, other('a'), 'x', restoredAt))).toEqual({ checked: 1, superseded: 1, problem: null });
    expect(check(recorded(9, other('a'), 'x', before)).superseded).toBe(1);
    expect(check(recorded(2, other('a'), 'x', before)).superseded).toBe(1);
    expect(check(recorded(9, other('a'), 'x', after))).toMatchObject({ superseded: 0, problem: { seq: 9 } });
    expect(check(recorded(10, other('a'), 'x', before))).toMatchObject({ superseded: 0, problem: { seq: 10 } });
    // The older restore, which named no recorded tip: up to what it set aside only.
    expect(check(recorded(1, other('a'), 'x', '2026-06-09T00:00:00.000Z')).superseded).toBe(1);
    expect(checkRecordedTips(db, [recorded(9, other('a'), 'x', before), recorded(10, other('a'), 'y', before), recorded(5, hashAt(db, 5), 'z')])).toMatchObject({ checked: 3, superseded: 1, problem: { seq: 10 } });
  });

  it('a restore that named no recorded tip sets aside up to the tip it set aside, not above', () => {
    const db = history(2);
    recordRestore(db, { restoredFrom: BACKUP_NAME, setAside: { seq: 7, hash: other('7') }, highestRecorded: null, at: AT, by: null });
    expect(checkRecordedTips(db, [recorded(7, other('a'), 'x', AT)]).superseded).toBe(1);
    expect(checkRecordedTips(db, [recorded(8, other('a'), 'x', AT)]).problem?.seq).toBe(8);
  });
});

describe('recordRestore', () => {
  it('chains a restore version naming what was set aside, who confirmed it and when', () => {
    const db = history(2);
    recordRestore(db, { restoredFrom: BACKUP_NAME, setAside: { seq: 7, hash: other('7') }, highestRecorded: { seq: 9, hash: other('9') }, at: AT, by: 'tester' });
    const v = db.prepare(`SELECT entity, version, data, recorded_at AS at, recorded_by AS by, action FROM record_versions WHERE entity = 'restore'`).get() as Record<string, unknown>;
    expect({ ...v, data: JSON.parse(v.data as string) }).toEqual({
      entity: 'restore',
      version: 1,
      data: { restoredFrom: BACKUP_NAME, setAside: { seq: 7, hash: other('7') }, highestRecorded: { seq: 9, hash: other('9') }, at: AT },
      at: AT,
      by: 'tester',
      action: 'create',
    });
    expect(headTip(db).seq).toBe(3);
  });
});

describe('updateTipFile', () => {
  const tipFile = (dir: string) => JSON.parse(readFileSync(join(dir, TIP_FILE), 'utf8')) as Record<string, unknown>;

  it('writes the history\'s tip, the time and the database\'s name, as indented JSON', () => {
    const db = history(2);
    const dir = tempDir();
    expect(updateTipFile(db, dir, AT, 'attest.sqlite')).toBe(true);
    expect(readFileSync(join(dir, TIP_FILE), 'utf8')).toBe(`{\n  "kind": "attest-chain-tip",\n  "seq": 2,\n  "hash": "${hashAt(db, 2)}",\n  "at": "${AT}",\n  "database": "attest.sqlite"\n}\n`);
  });

  it('does nothing in a folder that is missing or is a file', () => {
    const db = history(1);
    const dir = tempDir();
    expect(updateTipFile(db, join(dir, 'missing'), AT, 'db')).toBe(false);
    writeFileSync(join(dir, 'file'), 'x');
    expect(updateTipFile(db, join(dir, 'file'), AT, 'db')).toBe(false);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('advances a tip the history holds; leaves one at or past its end alone', () => {
    const db = history(3);
    const dir = tempDir();
    tipJson(join(dir, TIP_FILE), 3, hashAt(db, 3), 'earlier');
    expect(updateTipFile(db, dir, AT, 'db')).toBe(true);
    expect(tipFile(dir).at).toBe('earlier');
    tipJson(join(dir, TIP_FILE), 2, hashAt(db, 2), 'earlier');
    expect(updateTipFile(db, dir, AT, 'db')).toBe(true);
    expect(tipFile(dir)).toMatchObject({ seq: 3, hash: hashAt(db, 3), at: AT });
  });

  it('a tip at row 0 holds no history: advanced over when the history has rows, left alone when it has none', () => {
    const empty = history(0);
    const dir = tempDir();
    tipJson(join(dir, TIP_FILE), 0, other('a'), 'earlier');
    expect(updateTipFile(empty, dir, AT, 'db')).toBe(true);
    expect(tipFile(dir).at).toBe('earlier');
    const db = history(2);
    expect(updateTipFile(db, dir, AT, 'db')).toBe(true);
    expect(tipFile(dir)).toMatchObject({ seq: 2, at: AT });
  });

  it('never writes over a tip the history does not reach or differs from: the evidence of a cut', () => {
    const db = history(3);
    const dir = tempDir();
    for (const [seq, hash] of [[5, other('a')], [2, other('a')]] as const) {
      tipJson(join(dir, TIP_FILE), seq, hash, 'earlier');
      expect(updateTipFile(db, dir, AT, 'db')).toBe(false);
      expect(tipFile(dir)).toEqual({ kind: 'attest-chain-tip', seq, hash, at: 'earlier' });
    }
  });

  it('writes over a tip a confirmed restore set aside, and over one that cannot be read', () => {
    const db = history(2);
    const dir = tempDir();
    recordRestore(db, { restoredFrom: BACKUP_NAME, setAside: { seq: 7, hash: other('7') }, highestRecorded: null, at: AT, by: null });
    tipJson(join(dir, TIP_FILE), 7, other('a'), '2026-06-19T00:00:00.000Z');
    expect(updateTipFile(db, dir, AT, 'db')).toBe(true);
    expect(tipFile(dir)).toMatchObject({ seq: 3, at: AT });
    writeFileSync(join(dir, TIP_FILE), 'not JSON');
    expect(updateTipFile(db, dir, AT, 'db')).toBe(true);
    expect(tipFile(dir)).toMatchObject({ seq: 3, at: AT });
  });
});

describe('writeTipFile (the planned write, made on a reader thread)', () => {
  it('writes the planned text where there is no tip file, or one that cannot be read', () => {
    const dir = tempDir();
    const file = join(dir, TIP_FILE);
    writeTipFile(file, 'planned 4', 4);
    expect(readFileSync(file, 'utf8')).toBe('planned 4');
    writeFileSync(file, 'not JSON');
    writeTipFile(file, 'planned 5', 5);
    expect(readFileSync(file, 'utf8')).toBe('planned 5');
  });

  it('writes over an earlier tip, never over the same or a later one (a write answered meanwhile advanced it)', () => {
    const dir = tempDir();
    const file = join(dir, TIP_FILE);
    tipJson(file, 3, other('a'));
    writeTipFile(file, 'planned 4', 4);
    expect(readFileSync(file, 'utf8')).toBe('planned 4');
    for (const seq of [4, 5]) {
      tipJson(file, seq, other('b'));
      const before = readFileSync(file, 'utf8');
      writeTipFile(file, 'planned 4', 4);
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
  });

  it('what updateTipFile would write, as a plan: the file, the text and the sequence number', () => {
    const db = history(2);
    const dir = tempDir();
    expect(planTipFile(db, join(dir, 'missing'), AT, 'db')).toBe('left');
    const plan = planTipFile(db, dir, AT, 'attest.sqlite');
    expect(plan).toEqual({ file: join(dir, TIP_FILE), seq: 2, text: `{\n  "kind": "attest-chain-tip",\n  "seq": 2,\n  "hash": "${hashAt(db, 2)}",\n  "at": "${AT}",\n  "database": "attest.sqlite"\n}\n` });
    expect(readdirSync(dir)).toEqual([]);
    tipJson(join(dir, TIP_FILE), 2, hashAt(db, 2));
    expect(planTipFile(db, dir, AT, 'db')).toBe('current');
  });
});

describe('recordBackupTip', () => {
  it('writes the backup\'s own tip beside it and the history\'s tip in the folder\'s tip file', () => {
    const db = history(3);
    const dir = tempDir();
    const backup = join(dir, BACKUP_NAME);
    writeFileSync(backup, 'backup');
    expect(recordBackupTip(db, backup, tipAt(db, 2), AT, 'attest.sqlite')).toBeNull();
    expect(JSON.parse(readFileSync(`${backup}.tip.json`, 'utf8'))).toEqual({ kind: 'attest-backup-tip', seq: 2, hash: hashAt(db, 2), at: AT, backup: BACKUP_NAME });
    expect(JSON.parse(readFileSync(join(dir, TIP_FILE), 'utf8'))).toEqual({ kind: 'attest-chain-tip', seq: 3, hash: hashAt(db, 3), at: AT, database: 'attest.sqlite' });
  });

  it('never throws: a failure is given back as a message', () => {
    const db = history(1);
    const backup = join(tempDir(), 'missing', BACKUP_NAME);
    expect(recordBackupTip(db, backup, tipAt(db, 1), AT, 'db')).toBe(
      `the chain tip could not be recorded beside the backup: ENOENT: no such file or directory, open '${backup}.tip.json.${process.pid}.${threadId}.tmp'`,
    );
  });
});

describe('checkFolders', () => {
  it('compares the folders\' tips, the manifests given and the files named, each file once', () => {
    const db = history(3);
    const dir = tempDir();
    const elsewhere = tempDir();
    tipJson(join(dir, TIP_FILE), 3, hashAt(db, 3));
    tipJson(join(dir, `${BACKUP_NAME}.tip.json`), 2, hashAt(db, 2));
    json(join(elsewhere, 'manifest.json'), { kind: 'attest-export-manifest', generatedAt: AT, history: { seq: 3, hash: hashAt(db, 3) } });
    json(join(elsewhere, 'other.json'), { kind: 'something else' });
    tipJson(join(elsewhere, 'kept.json'), 1, hashAt(db, 1));
    const r = checkFolders(db, [dir], [join(elsewhere, 'manifest.json'), join(elsewhere, 'other.json')], [join(dir, TIP_FILE), join(elsewhere, 'kept.json')]);
    expect(r).toEqual({ checked: 4, superseded: 0, problem: null });
  });

  it('the folders alone, when no manifest or file is named', () => {
    const db = history(2);
    const dir = tempDir();
    tipJson(join(dir, TIP_FILE), 2, hashAt(db, 2));
    expect(checkFolders(db, [dir])).toEqual({ checked: 1, superseded: 0, problem: null });
  });

  it('a named file that is a cut tip or cannot be read is reported', () => {
    const db = history(3);
    const elsewhere = tempDir();
    tipJson(join(elsewhere, 'kept.json'), 5, other('a'), AT);
    expect(checkFolders(db, [], [], [join(elsewhere, 'kept.json')]).problem).toEqual({
      seq: 5,
      table: 'recorded-tip',
      problem: `the history ends 2 entries before the tip recorded on ${AT_TEXT} in kept.json: entries 4 to 5 were removed, or an older copy was put in place of the database`,
    });
    writeFileSync(join(elsewhere, 'bad.json'), '[]');
    expect(checkFolders(db, [], [], [join(elsewhere, 'bad.json')])).toEqual({
      checked: 0,
      superseded: 0,
      problem: { seq: null, table: 'recorded-tip', problem: `the recorded tip ${join(elsewhere, 'bad.json')} cannot be read (it does not hold a sequence number, hash and time): the history cannot be compared with it` },
    });
  });

  it('a folder\'s file that could not be read as a tip is not read again when named', () => {
    const db = history(3);
    const dir = tempDir();
    // A manifest in the tip file's place: no tip in the folder, but a manifest when named.
    json(join(dir, TIP_FILE), { kind: 'attest-export-manifest', generatedAt: AT, history: { seq: 3, hash: hashAt(db, 3) } });
    expect(checkFolders(db, [dir], [], [join(dir, TIP_FILE)])).toMatchObject({ checked: 0, problem: { seq: null } });
  });
});

describe('loggedManifests', () => {
  function logExport(db: Db, id: string, generatedAt: string, o: { chained?: boolean; manifest?: boolean; files?: [string, string][] } = {}): string {
    const folder = join(tempDir(), id);
    mkdirSync(folder);
    db.prepare(
      `INSERT INTO report_exports (id, definition, profile, exhibit_label, period_from, period_to, generated_at, app_version, folder, incident_count, manifest)
       VALUES (?, '{}', 'full', 'A', '2026-01-01', '2026-06-30', ?, '1.0.0', ?, 0, '{}')`,
    ).run(id, generatedAt, folder);
    for (const [name, format] of o.files ?? [['report.pdf', 'pdf'], ['manifest.json', 'manifest']]) {
      db.prepare(`INSERT INTO report_export_files (export_id, name, format, bytes, sha256) VALUES (?, ?, ?, 1, ?)`).run(id, name, format, other('0'));
      if (o.manifest !== false) writeFileSync(join(folder, name), '{}');
    }
    if (o.chained !== false) appendVersion(db, 'export', id, 1, { id }, { at: generatedAt, by: null });
    return join(folder, 'manifest.json');
  }

  it('the manifests of the latest exports logged here, newest first, where they still are', () => {
    const db = history(0);
    const a = logExport(db, 'EXPORT-A', '2026-06-01T10:00:00.000Z');
    const c = logExport(db, 'EXPORT-C', '2026-06-03T10:00:00.000Z');
    const b = logExport(db, 'EXPORT-B', '2026-06-02T10:00:00.000Z');
    const b2 = logExport(db, 'EXPORT-B2', '2026-06-02T10:00:00.000Z');
    logExport(db, 'EXPORT-MOVED', '2026-06-04T10:00:00.000Z', { manifest: false });
    logExport(db, 'EXPORT-BUNDLED', '2026-06-05T10:00:00.000Z', { chained: false });
    logExport(db, 'EXPORT-NO-MANIFEST', '2026-06-06T10:00:00.000Z', { files: [['report.pdf', 'pdf']] });
    expect(loggedManifests(db)).toEqual([c, b2, b, a]);
    // The limit counts the moved export (the latest logged here) before its missing manifest is left out.
    expect(loggedManifests(db, 3)).toEqual([c, b2]);
  });

  it('twenty by default', () => {
    const db = history(0);
    const all = Array.from({ length: 21 }, (_, i) => logExport(db, `EXPORT-${String(i).padStart(2, '0')}`, `2026-06-${String(i + 1).padStart(2, '0')}T10:00:00.000Z`));
    expect(loggedManifests(db)).toEqual(all.reverse().slice(0, 20));
  });
});

describe('highestRecordedTip', () => {
  it('the tip with the highest entry in these folders; the first found of equals', () => {
    const a = tempDir();
    const b = tempDir();
    expect(highestRecordedTip([a, b])).toBeNull();
    tipJson(join(a, TIP_FILE), 4, other('a'));
    tipJson(join(a, `${BACKUP_NAME}.tip.json`), 2, other('b'));
    tipJson(join(b, TIP_FILE), 4, other('c'));
    tipJson(join(b, `${BACKUP_NAME}.tip.json`), 3, other('d'));
    expect(highestRecordedTip([a, b])).toEqual({ seq: 4, hash: other('a') });
    expect(highestRecordedTip([b, a])).toEqual({ seq: 4, hash: other('c') });
    expect(highestRecordedTip([b])).toEqual({ seq: 4, hash: other('c') });
  });
});

describe('backupAgainstItsTip', () => {
  it('nothing to say of a backup without a sidecar, or one whose history reaches it with the same hash', () => {
    const dir = tempDir();
    const backup = join(dir, BACKUP_NAME);
    expect(backupAgainstItsTip(backup, { seq: 3, hash: other('a') })).toBeNull();
    tipJson(`${backup}.tip.json`, 3, other('a'));
    expect(backupAgainstItsTip(backup, { seq: 3, hash: other('a') })).toBeNull();
    expect(backupAgainstItsTip(backup, { seq: 4, hash: other('b') })).toBeNull();
  });

  it('a backup whose history ends before its sidecar: cut or replaced since', () => {
    const backup = join(tempDir(), BACKUP_NAME);
    tipJson(`${backup}.tip.json`, 5, other('a'));
    expect(backupAgainstItsTip(backup, { seq: 3, hash: other('a') })).toBe(`the backup's history ends 2 entries before the tip recorded beside it on ${AT_TEXT}: the backup file was cut or replaced since it was written`);
    expect(backupAgainstItsTip(backup, null)).toBe(`the backup's history ends 5 entries before the tip recorded beside it on ${AT_TEXT}: the backup file was cut or replaced since it was written`);
  });

  it('a backup whose history differs at its sidecar\'s entry: rewritten since', () => {
    const backup = join(tempDir(), BACKUP_NAME);
    tipJson(`${backup}.tip.json`, 3, other('a'));
    expect(backupAgainstItsTip(backup, { seq: 3, hash: other('b') })).toBe(`the backup's history differs from the tip recorded beside it on ${AT_TEXT}: the backup file was rewritten since it was written`);
    // An empty backup (no tip) against a sidecar at row 0: no hash to match.
    tipJson(`${backup}.tip.json`, 0, GENESIS);
    expect(backupAgainstItsTip(backup, null)).toMatch(/^the backup's history differs from/);
  });

  it('a sidecar that cannot be read is named', () => {
    const backup = join(tempDir(), BACKUP_NAME);
    writeFileSync(`${backup}.tip.json`, '{}');
    expect(backupAgainstItsTip(backup, { seq: 1, hash: other('a') })).toBe(`the backup's recorded tip ${backup}.tip.json cannot be read (it does not hold a sequence number, hash and time)`);
  });
});

describe('tipFilesIn', () => {
  it('the tip file and backup sidecars of a folder, nothing else; none for a folder that is missing or a file', () => {
    const dir = tempDir();
    for (const n of [TIP_FILE, `${BACKUP_NAME}.tip.json`, 'attest-20260620T100000000Z-3.sqlite.tip.json', 'notes.tip.json', 'xattest-tip.json', BACKUP_NAME, 'attest-2026.sqlite.tip.json']) writeFileSync(join(dir, n), '{}');
    expect(tipFilesIn(dir).sort()).toEqual([join(dir, TIP_FILE), join(dir, `${BACKUP_NAME}.tip.json`), join(dir, 'attest-20260620T100000000Z-3.sqlite.tip.json')].sort());
    expect(tipFilesIn(join(dir, 'missing'))).toEqual([]);
    expect(tipFilesIn(join(dir, BACKUP_NAME))).toEqual([]);
  });
});

describe('setsAside', () => {
  it('whether the history lacks one of these tips, or holds it with another hash; row 0 and no tip never count', () => {
    const db = history(3);
    expect(setsAside(db, [])).toBe(false);
    expect(setsAside(db, [null, tipAt(db, 3), tipAt(db, 1), { seq: 0, hash: other('a') }])).toBe(false);
    expect(setsAside(db, [null, tipAt(db, 3), { seq: 4, hash: other('a') }])).toBe(true);
    expect(setsAside(db, [{ seq: 2, hash: other('a') }, tipAt(db, 3)])).toBe(true);
  });
});
