// Small fixtures for the core's own fast tests (the files the mutation runs use): no import of
// test/helpers.ts, which loads the whole core and would be loaded again for every mutant.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openDatabase } from '../db/connect';
import type { Db } from '../db/driver';
import { cleanupTempDirs } from './temp-dirs';

/** Runs fn in a savepoint rolled back after it, whatever it does: a case leaves the database as it found it. */
export function rolledBack<T>(db: Db, fn: () => T): T {
  db.exec('SAVEPOINT within');
  try {
    return fn();
  } finally {
    db.exec('ROLLBACK TO within');
    db.exec('RELEASE within');
  }
}

/**
 * A new empty database made once for the test file (its migrations run once), for tests to copy;
 * the databases a test pushes on `open` are closed after it, and its temporary folders removed.
 */
export function templateDatabase(name: string): { file: () => string; open: Db[] } {
  let dir = '';
  const open: Db[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `attest-${name}-template-`));
    openDatabase(join(dir, 'attest.sqlite')).close();
  });
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    cleanupTempDirs();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { file: () => join(dir, 'attest.sqlite'), open };
}

/** How many of this process's descriptors are open on a file in folder (its own name, or removed). Linux only. */
export function openFilesIn(folder: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${folder}/`);
    } catch {
      return false;
    }
  }).length;
}
