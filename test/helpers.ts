import { createHash } from 'node:crypto';
import type { Db } from '../db/driver';
import { openSession, type Session } from '../electron/core/session';

import { tempDbFile } from './temp-dirs';

export { cleanupTempDirs, tempDbFile, tempDir } from './temp-dirs';

/** A fixed clock, so tests are reproducible. */
export function fixedClock(iso = '2026-06-20T10:00:00.000Z'): () => Date {
  return () => new Date(iso);
}

export function testSession(file = tempDbFile()): Session {
  return openSession(file, { user: 'test-attorney', now: fixedClock() });
}

/** Hash of every row of every user table: equal hashes mean nothing was written. */
export function contentHash(db: Db): string {
  const h = createHash('sha256');
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
       AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`)
    .pluck()
    .all() as string[];
  // Virtual (FTS) tables are covered by their shadow tables, which hold the index itself.
  for (const t of tables) {
    h.update(`#${t}\n`);
    for (const row of db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).raw().all()) h.update(JSON.stringify(row) + '\n');
  }
  return h.digest('hex');
}

export const SAMPLE_FACILITY = {
  name: 'North Lake Processing Center',
  city: 'Baldwin',
  state: 'MI',
  operator: 'PRIVATE',
  operatorName: 'GEO Group',
  standard: 'PBNDS_2011',
} as const;

export const SAMPLE_PERSON = {
  familyName: 'Haddad',
  givenName: 'Yusuf',
  nameOriginal: 'يوسف حداد',
  aNumber: 'A 012-345-678',
  birthDate: '1990-03-14',
  nationality: 'Iraq',
};
