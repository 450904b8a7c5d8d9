// checkBackupCopy refuses, with its own sentence, what is not a whole Attest backup: a folder, a file
// that is no database, a SQLite file with a schema version but no Attest history. Written for the
// mutants `npm run mutate -- db/backup.ts:211-254` found alive.
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackupCopy } from '../../db/backup';
import { cleanupTempDirs, tempDir } from '../helpers';

afterEach(cleanupTempDirs);

describe('checkBackupCopy names what it refuses', () => {
  it('a folder is no backup file', () => {
    const dir = tempDir();
    const folder = join(dir, 'attest-20260101T000000000Z.sqlite');
    mkdirSync(folder);
    expect(() => checkBackupCopy(folder, join(dir, 'attest.sqlite'), { key: null })).toThrow(`no backup file at ${folder}`);
    expect(() => checkBackupCopy(join(dir, 'missing.sqlite'), join(dir, 'attest.sqlite'), { key: null })).toThrow(`no backup file at ${join(dir, 'missing.sqlite')}`);
  });

  it('whole pages that are not a database cannot be restored, and no copy is left', () => {
    const dir = tempDir();
    const file = join(dir, 'noise.sqlite');
    writeFileSync(file, Buffer.alloc(4096, 7));
    expect(() => checkBackupCopy(file, join(dir, 'attest.sqlite'), { key: null })).toThrow(/^the backup noise\.sqlite cannot be restored: ./);
    expect(readdirSync(dir)).toEqual(['noise.sqlite']);
  });

  it('a SQLite file with a schema version but no Attest history is not an Attest database', () => {
    const dir = tempDir();
    const file = join(dir, 'other.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE t (a); PRAGMA user_version = 3');
    raw.close();
    expect(() => checkBackupCopy(file, join(dir, 'attest.sqlite'), { key: null })).toThrow('other.sqlite is not an Attest database (it has no Attest history)');
  });
});
