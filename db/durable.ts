// Durable file steps: what replaces a file writes a new one, fsyncs it and its folder, and renames
// it into place, so after a crash at any point the old file or the new one is there, whole.
import { closeSync, constants, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Flushes a file's data and size to the disk. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entries (a created, renamed or removed name) to the disk. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  } catch (e) {
    // Windows cannot open a folder; its renames are flushed by the file system itself.
    if (
      (e as NodeJS.ErrnoException).code === 'EISDIR' ||
      // Stryker disable next-line ConditionalExpression,StringLiteral: only Windows reaches it; the tests run on Linux and macOS
      process.platform === 'win32'
    )
      return;
    throw e;
  }
  try {
    fsyncSync(fd);
  } catch (e) {
    // Some file systems (a few FUSE and network mounts) refuse fsync on a folder.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  } finally {
    closeSync(fd);
  }
}

/** Writes bytes to a new file (failing if it exists), fsynced, owner-only. */
export function writeNewFileSynced(path: string, bytes: Uint8Array, mode = 0o600): void {
  const fd = openSync(path, 'wx', mode);
  try {
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames over `to` (atomic on one file system) and flushes the folder. */
export function renameDurably(from: string, to: string): void {
  renameSync(from, to);
  fsyncDir(dirname(to));
}

/** Puts `from` at `to` only if nothing is there (link, then unlink): never overwrites a file. */
export function moveNoReplace(from: string, to: string): void {
  linkSync(from, to);
  unlinkSync(from);
}

/** Writes a small file by temp name, fsync and rename: readers see the old content or the new. */
export function replaceFileDurably(path: string, bytes: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    unlinkSync(tmp);
  } catch {
    // no leftover
  }
  writeNewFileSynced(tmp, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
  renameDurably(tmp, path);
}

/** Whether a process id is running (for temp files named after the process that writes them). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
