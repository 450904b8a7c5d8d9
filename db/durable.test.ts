// The durable file steps, each on real files in a temporary folder, with the calls they make watched
// (test/fs-watch.ts): what a crash would expose (a missing fsync of a file or its folder, a rename
// before the data is on the disk) is not visible in the files afterwards. Fast: no database is
// opened, so `npm run mutate -- db/durable.ts` runs only this file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fsyncDir, fsyncFile, moveNoReplace, processAlive, renameDurably, replaceFileDurably, writeNewFileSynced } from './durable';
import { watchFs } from '../test/fs-watch';
import { cleanupTempDirs, tempDir } from '../test/temp-dirs';

afterEach(cleanupTempDirs);

function ok<T>(r: ReturnType<typeof watchFs<T>>): { result: T; log: { calls: string[]; open: string[] } } {
  if ('error' in r) throw r.error;
  return r;
}

function failed<T>(r: ReturnType<typeof watchFs<T>>): { error: NodeJS.ErrnoException; log: { calls: string[]; open: string[] } } {
  if (!('error' in r)) throw new Error('expected it to throw');
  return r as { error: NodeJS.ErrnoException; log: { calls: string[]; open: string[] } };
}

describe('fsyncFile', () => {
  it('opens the file, fsyncs it and closes it', () => {
    const file = join(tempDir(), 'a.bin');
    writeFileSync(file, 'abc');
    const { log } = ok(watchFs(() => fsyncFile(file)));
    expect(log.calls).toEqual([`open ${file}`, `fsync ${file}`, `close ${file}`]);
    expect(log.open).toEqual([]);
  });

  it('closes the file when the fsync fails, and the failure reaches the caller', () => {
    const file = join(tempDir(), 'a.bin');
    writeFileSync(file, 'abc');
    const { error, log } = failed(watchFs(() => fsyncFile(file), { call: 'fsyncSync', code: 'EIO' }));
    expect(error.code).toBe('EIO');
    expect(log.open).toEqual([]);
  });

  it('a missing file is an error', () => {
    expect(() => fsyncFile(join(tempDir(), 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('fsyncDir', () => {
  it('opens the folder, fsyncs it and closes it', () => {
    const dir = tempDir();
    const { log } = ok(watchFs(() => fsyncDir(dir)));
    expect(log.calls).toEqual([`open ${dir}`, `fsync ${dir}`, `close ${dir}`]);
    expect(log.open).toEqual([]);
  });

  it('refuses a file that is not a folder (opened as a folder only)', () => {
    const file = join(tempDir(), 'a.bin');
    writeFileSync(file, 'abc');
    expect(() => fsyncDir(file)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('a missing folder is an error', () => {
    expect(() => fsyncDir(join(tempDir(), 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('a folder that cannot be opened (EISDIR, as on Windows) is left to the file system', () => {
    const dir = tempDir();
    const { log } = ok(watchFs(() => fsyncDir(dir), { call: 'openSync', code: 'EISDIR' }));
    expect(log.calls).toEqual([`open ${dir}`]);
  });

  it('a file system that refuses fsync on a folder (EINVAL) is accepted, and the folder closed', () => {
    // procfs answers a folder's fsync with EINVAL for real.
    const { log } = ok(watchFs(() => fsyncDir('/proc')));
    expect(log.calls).toEqual(['open /proc', 'fsync /proc', 'close /proc']);
    expect(log.open).toEqual([]);
  });

  it('any other fsync failure reaches the caller, and the folder is closed', () => {
    const dir = tempDir();
    const { error, log } = failed(watchFs(() => fsyncDir(dir), { call: 'fsyncSync', code: 'EIO' }));
    expect(error.code).toBe('EIO');
    expect(log.open).toEqual([]);
  });
});

describe('writeNewFileSynced', () => {
  it('writes every byte to a new owner-only file, fsyncs and closes it', () => {
    const file = join(tempDir(), 'new.bin');
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
    const { log } = ok(watchFs(() => writeNewFileSynced(file, bytes)));
    expect(readFileSync(file).equals(Buffer.from(bytes))).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(log.calls.filter((c) => !c.startsWith('write '))).toEqual([`open ${file}`, `fsync ${file}`, `close ${file}`]);
    expect(log.open).toEqual([]);
  });

  it('a short write is followed by the rest', () => {
    const file = join(tempDir(), 'new.bin');
    const bytes = new Uint8Array(10_000).map((_, i) => (i * 13) % 256);
    const { log } = ok(watchFs(() => writeNewFileSynced(file, bytes), undefined, { maxWrite: 4096 }));
    expect(readFileSync(file).equals(Buffer.from(bytes))).toBe(true);
    expect(log.calls.filter((c) => c.startsWith('write '))).toEqual([`write ${file}`, `write ${file}`, `write ${file}`]);
  });

  it('an empty file is written (no write at all) and fsynced', () => {
    const file = join(tempDir(), 'empty.bin');
    const { log } = ok(watchFs(() => writeNewFileSynced(file, new Uint8Array(0))));
    expect(readFileSync(file).length).toBe(0);
    expect(log.calls).toEqual([`open ${file}`, `fsync ${file}`, `close ${file}`]);
  });

  it('takes the mode it is given', () => {
    const file = join(tempDir(), 'shared.bin');
    writeNewFileSynced(file, new Uint8Array([1]), 0o640);
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('never replaces a file that is there', () => {
    const file = join(tempDir(), 'old.bin');
    writeFileSync(file, 'old');
    expect(() => writeNewFileSynced(file, new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('closes the file when a write fails', () => {
    const file = join(tempDir(), 'new.bin');
    const { error, log } = failed(watchFs(() => writeNewFileSynced(file, new Uint8Array([1, 2, 3])), { call: 'writeSync', code: 'ENOSPC' }));
    expect(error.code).toBe('ENOSPC');
    expect(log.open).toEqual([]);
  });
});

describe('renameDurably', () => {
  it('renames over the target, then fsyncs the target folder', () => {
    const dir = tempDir();
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(join(dir, 'from'), 'new');
    writeFileSync(join(sub, 'to'), 'old');
    const { log } = ok(watchFs(() => renameDurably(join(dir, 'from'), join(sub, 'to'))));
    expect(readFileSync(join(sub, 'to'), 'utf8')).toBe('new');
    expect(existsSync(join(dir, 'from'))).toBe(false);
    expect(log.calls).toEqual([`rename ${join(dir, 'from')} -> ${join(sub, 'to')}`, `open ${sub}`, `fsync ${sub}`, `close ${sub}`]);
  });
});

describe('moveNoReplace', () => {
  it('moves a file to a free name', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'), 'A');
    moveNoReplace(join(dir, 'a'), join(dir, 'b'));
    expect(readdirSync(dir)).toEqual(['b']);
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('A');
  });

  it('never overwrites: both files stay as they were', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'), 'A');
    writeFileSync(join(dir, 'b'), 'B');
    expect(() => moveNoReplace(join(dir, 'a'), join(dir, 'b'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('B');
  });
});

describe('replaceFileDurably', () => {
  it('replaces a file with text through a fsynced temporary file renamed into place', () => {
    const dir = tempDir();
    const file = join(dir, 'settings.json');
    writeFileSync(file, 'old');
    const tmp = `${file}.tmp-${process.pid}`;
    const { log } = ok(watchFs(() => replaceFileDurably(file, '{"é":1}')));
    expect(readFileSync(file, 'utf8')).toBe('{"é":1}');
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(log.calls.filter((c) => !c.startsWith('write ') && !c.startsWith('unlink '))).toEqual([
      `open ${tmp}`,
      `fsync ${tmp}`,
      `close ${tmp}`,
      `rename ${tmp} -> ${file}`,
      `open ${dir}`,
      `fsync ${dir}`,
      `close ${dir}`,
    ]);
  });

  it('writes bytes as they are', () => {
    const file = join(tempDir(), 'blob.bin');
    replaceFileDurably(file, new Uint8Array([0, 255, 1, 2]));
    expect([...readFileSync(file)]).toEqual([0, 255, 1, 2]);
  });

  it('a leftover temporary file of this process (an earlier crash) is removed first', () => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    writeFileSync(`${file}.tmp-${process.pid}`, 'half');
    replaceFileDurably(file, 'whole');
    expect(readFileSync(file, 'utf8')).toBe('whole');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});

describe('processAlive', () => {
  it('this process is alive; one that has exited is not', () => {
    expect(processAlive(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.status).toBe(0);
    expect(processAlive(child.pid!)).toBe(false);
  });

  it("another user's process (signalling it is refused) is alive", () => {
    // PID 1 belongs to root; as root, drop the effective user for the call so the refusal is real
    // (a worker thread, as Stryker's runner uses, may not: there, root's signal is simply allowed).
    let dropped = false;
    if (process.getuid?.() === 0) {
      try {
        process.seteuid!(65534);
        dropped = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_UNSUPPORTED_OPERATION') throw e;
      }
    }
    try {
      expect(processAlive(1)).toBe(true);
    } finally {
      if (dropped) process.seteuid!(0);
    }
  });
});
