import type { Db, Statement } from './driver';
const cache = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, compiled once per database handle: bulk writes spend no time re-parsing SQL. */
export function stmt(db: Db, sql: string): Statement {
  return cached(db, sql, false);
}

/** The same, returning rows as arrays (cheaper than objects for wide rows). */
export function rawStmt(db: Db, sql: string): Statement {
  return cached(db, sql, true);
}

function cached(db: Db, sql: string, raw: boolean): Statement {
  const key = raw ? `raw:${sql}` : sql;
  let m = cache.get(db);
  if (!m) {
    m = new Map();
    cache.set(db, m);
  }
  let s = m.get(key);
  if (!s) {
    s = db.prepare<unknown[], unknown>(sql);
    if (raw) s.raw(true);
    m.set(key, s);
  }
  return s;
}
