// What every CLI verb shares: where it writes, and opening a database that must already exist.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileKind } from '../../db/connect';
import { recoverRestoreLeftovers } from '../../db/backup';
import { explainOpenFailure, plainFsError } from '../core/fs-errors';
import { openSession, type Session } from '../core/session';

/** The sessions this process has open: a Ctrl+C cancels their jobs (interruptJobs). */
const live = new Set<Session>();

/**
 * Ctrl+C: cancels every job that can still stop (one that only reads, or writes only a file it
 * then removes). 'cancelled' when one was, 'writing' when a job runs that writes now and will
 * finish (a write transaction, a rename), 'none' when no job runs.
 */
export function interruptJobs(): 'cancelled' | 'writing' | 'none' {
  let answer: 'cancelled' | 'writing' | 'none' = 'none';
  for (const s of live) {
    for (const id of s.ctx.jobs.runningIds()) {
      if (s.ctx.jobs.cancel(id).cancelled) answer = 'cancelled';
      else if (answer === 'none') answer = 'writing';
    }
  }
  return answer;
}

/** Opened for this process's lifetime: followed by interruptJobs until it is closed. */
function followed(s: Session): Session {
  live.add(s);
  const close = s.close;
  return Object.assign(s, {
    close: () => {
      live.delete(s);
      close();
    },
  });
}

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Opens a database that must already exist, answering a bad path with one clear line. */
export function openExisting(dbFile: string, user: string | null, io: CliIo, key: string | null = null, readonly = false) {
  // A restore killed half-way is finished or undone first, and said so.
  if (!readonly) {
    try {
      for (const notice of recoverRestoreLeftovers(resolve(dbFile))) io.err(`attest: ${notice}`);
    } catch (e) {
      io.err(`attest: ${plainFsError(e)?.message ?? (e as Error).message}`);
      return undefined;
    }
  }
  if (!existsSync(dbFile)) {
    io.err(`attest: no database at ${dbFile} (create one with: attest init --db ${dbFile})`);
    return undefined;
  }
  if (statSync(dbFile).isDirectory()) {
    io.err(`attest: ${dbFile} is a directory, not a database file`);
    return undefined;
  }
  if (fileKind(dbFile) === 'empty') {
    io.err(`attest: ${dbFile} is empty (0 bytes): it is not an Attest database (an interrupted backup or copy?)`);
    return undefined;
  }
  try {
    const s = followed(openSession(dbFile, { create: false, user, key, ...(readonly ? { readonly: true } : {}) }));
    if (!readonly) for (const notice of s.vault.recovered) io.err(`attest: ${notice}`);
    // On open, every command says so when the history no longer reaches a tip recorded outside it.
    const tips = s.vault.checkRecordedTips();
    if (tips.problem) io.err(`attest: WARNING: ${tips.problem.problem}`);
    return s;
  } catch (e) {
    // SQLite cannot read a WAL-mode file in a read-only folder (it needs its -shm beside it): read a
    // private copy instead, made in the temp folder and removed on close.
    if (readonly && /unable to open database file/.test((e as Error).message)) {
      const copy = readOnlyCopy(dbFile);
      try {
        const s = openSession(copy.file, { create: false, user, key, readonly: true });
        const close = s.close;
        return { ...s, close: () => (close(), copy.remove()) };
      } catch (e2) {
        copy.remove();
        io.err(`attest: ${(plainFsError(e2)?.message ?? (e2 as Error).message).split('\n')[0]}`);
        return undefined;
      }
    }
    io.err(`attest: ${(explainOpenFailure(dbFile, e)?.message ?? (e as Error).message).split('\n')[0]}`);
    return undefined;
  }
}

/** A private copy of a database (and its WAL) to read where the folder cannot be written. */
function readOnlyCopy(dbFile: string): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'attest-verify-'));
  const file = join(dir, basename(dbFile));
  copyFileSync(dbFile, file);
  if (existsSync(`${dbFile}-wal`)) copyFileSync(`${dbFile}-wal`, `${file}-wal`);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
