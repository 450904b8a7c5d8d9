import type { Db, Statement } from './open';
const cache = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, compiled once per database handle: bulk writes spend no time re-parsing SQL. */
export function stmt(db: Db, sql: string): Statement {
  let m = cache.get(db);
  if (!m) {
    m = new Map();
    cache.set(db, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = db.prepare<unknown[], unknown>(sql);
    m.set(sql, s);
  }
  return s;
}
