// Disk and permission failures in one plain sentence each, for dispatch and the CLI: an office
// administrator should read "the disk is full", not "internal error".
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../shared/errors';

/** The plain AppError for a full disk, a read-only file system or a refused access; else null. */
export function plainFsError(e: unknown): AppError | null {
  if (e instanceof AppError) return null;
  const err = e as { code?: unknown; path?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const path = typeof err?.path === 'string' ? ` (${err.path})` : '';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
    return new AppError('DISK_FULL', `the disk is full${path}: nothing was saved by this step; free some space and try again`);
  }
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) {
    return new AppError('READ_ONLY', `the file or its folder is read-only${path}: nothing could be written there`);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('NO_PERMISSION', `permission denied${path}: this user may not write or read there`);
  }
  // The driver reports a failed write in the middle of a commit as an I/O error; the errno is gone.
  if (code.startsWith('SQLITE_IOERR')) {
    return new AppError('DATABASE', `the disk refused a write (${code}): the last change was not saved; check free space and the drive`);
  }
  return null;
}

/**
 * SQLite says only "unable to open database file": ask the file system why (a read-only drive, a
 * folder this user may not write), so the answer is one plain line.
 */
export function explainOpenFailure(file: string, e: unknown): AppError | null {
  const direct = plainFsError(e);
  if (direct) return direct;
  for (const [path, mode] of [
    [file, constants.R_OK | constants.W_OK],
    [dirname(file), constants.W_OK],
  ] as const) {
    try {
      if (existsSync(path)) accessSync(path, mode);
    } catch (err) {
      const plain = plainFsError(err);
      if (plain) return plain;
    }
  }
  return null;
}
