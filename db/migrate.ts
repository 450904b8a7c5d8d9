import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './driver';
import { backfillAudit } from './migrations/0004_audit';
import { refoldDerivedColumns } from './migrations/0005_kurdish_fold';
import { chainOutsideRows } from './migrations/0006_chain_outside_rows';
import { migratePeopleAndDevice } from './migrations/0007_devices';

// Steps a migration needs beyond SQL, by migration name (so renumbering keeps them attached); they
// run inside the migration's transaction. Each is frozen in its own file beside its SQL and calls
// none of today's code: what an old migration does never changes.
const AFTER_SQL: Record<string, (db: Db) => void> = {
  audit: backfillAudit,
  kurdish_fold: refoldDerivedColumns,
  chain_outside_rows: chainOutsideRows,
  devices: migratePeopleAndDevice,
};

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** A database written by a newer Attest: we refuse it rather than misread it. */
export class DatabaseFromFutureError extends Error {
  override name = 'DatabaseFromFutureError';
  constructor(
    readonly fileVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `this database has schema version ${fileVersion}, newer than this Attest knows (${knownVersion}); ` +
        'update Attest before opening it',
    );
  }
}

export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('./migrations/', import.meta.url));
}

export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file, i) => {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new Error(`migration file ${file} is not named NNNN_purpose.sql`);
    const version = Number(m[1]);
    if (version !== i + 1) throw new Error(`migration ${file} breaks the numbering: expected ${i + 1}`);
    return { version, name: m[2]!, sql: readFileSync(join(dir, file), 'utf8') };
  });
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies pending migrations, each in its own transaction with its user_version bump. */
export function migrate(db: Db, opts: { dir?: string; readonly?: boolean; to?: number } = {}): number {
  const migrations = loadMigrations(opts.dir);
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseFromFutureError(current, latest);
  const target = opts.to ?? latest;
  if (current >= target) return current;
  if (opts.readonly) throw new Error(`database needs migration to version ${target}; open it writable once`);
  for (const m of migrations.slice(current, target)) {
    db.transaction(() => {
      // Another process may have applied it while this one waited for the write lock.
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      AFTER_SQL[m.name]?.(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return target;
}
