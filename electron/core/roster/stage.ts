// A roster's rows staged in a TEMP table of the import's own connection (in memory: db/connect.ts
// sets temp_store), streamed in as the file is parsed, so an import never holds the whole table in
// JS. The last file staged stays (by content, sheet, encoding and kind): the check stages it, the
// write finds it there (an XLSX can only be parsed asynchronously, and the write runs synchronously
// in its transaction); a CSV is streamed in again when it is not there.
import type { Db } from '../../../db/driver';
import { stmt } from '../../../db/stmt';
import { fileFacts, scanCsv, scanRoster, type ReadOptions, type RosterInfo, type RosterRow } from './read';

export interface Staged extends RosterInfo {
  key: string;
  /** The first ten rows under the header. */
  preview: RosterRow[];
}

const staged = new WeakMap<Db, Staged>();
const ready = new WeakSet<Db>();

/** Creates the import's TEMP tables on this connection (once): the staged rows and the plan. */
export function rosterTables(db: Db): void {
  if (ready.has(db)) return;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS roster_rows (line INTEGER PRIMARY KEY, cells TEXT NOT NULL);
    CREATE TEMP TABLE IF NOT EXISTS roster_plan (
      line    INTEGER PRIMARY KEY,
      key     TEXT,
      status  TEXT NOT NULL,
      label   TEXT NOT NULL DEFAULT '',
      ref     TEXT,
      version INTEGER,
      fkey    TEXT,
      data    TEXT
    );
    CREATE INDEX IF NOT EXISTS temp.roster_plan_key ON roster_plan (key) WHERE key IS NOT NULL;
    CREATE INDEX IF NOT EXISTS temp.roster_plan_status ON roster_plan (status, line);`);
  ready.add(db);
}

const keyOf = (sha: string, o: ReadOptions) => `${sha}|${o.sheet ?? ''}|${o.encoding ?? ''}|${o.kind ?? 'people'}`;

/** Rows go in 1,000 at a time, each batch in one (nested when the caller has one) transaction. */
function stager(db: Db) {
  rosterTables(db);
  staged.delete(db);
  stmt(db, `DELETE FROM temp.roster_rows`).run();
  const insert = stmt(db, `INSERT INTO temp.roster_rows (line, cells) VALUES (?, ?)`);
  const flush = db.transaction((rows: RosterRow[]) => {
    for (const r of rows) insert.run(r.line, JSON.stringify(r.cells));
  });
  let batch: RosterRow[] = [];
  const preview: RosterRow[] = [];
  return {
    add(r: RosterRow) {
      if (preview.length < 10) preview.push(r);
      batch.push(r);
      if (batch.length >= 1000) {
        flush(batch);
        batch = [];
      }
    },
    done(key: string, info: RosterInfo): Staged {
      flush(batch);
      const s = { ...info, key, preview };
      // Staged inside a transaction that may yet roll back (the write's): not remembered.
      if (!db.inTransaction) staged.set(db, s);
      return s;
    },
  };
}

/** Stages a roster (CSV streamed, XLSX read by exceljs), or finds it staged already. */
export async function stageRoster(db: Db, path: string, o: ReadOptions): Promise<Staged> {
  const facts = fileFacts(path);
  const key = keyOf(facts.sha256, o);
  const have = staged.get(db);
  if (have?.key === key) return have;
  // The stager (which empties the table) is made when the first row arrives, after any await.
  let s: ReturnType<typeof stager> | null = null;
  const info = await scanRoster(path, o, (r) => (s ??= stager(db)).add(r), facts);
  return (s ?? stager(db)).done(key, info);
}

/**
 * For the write (synchronous): the file's SHA-256 now, and its staged rows: found staged, or a CSV
 * streamed in again; null for an XLSX not staged (check it first).
 */
export function stageRosterSync(db: Db, path: string, o: ReadOptions): { sha256: string; staged: Staged | null } {
  const facts = fileFacts(path);
  const key = keyOf(facts.sha256, o);
  const have = staged.get(db);
  if (have?.key === key) return { sha256: facts.sha256, staged: have };
  if (facts.format !== 'csv') return { sha256: facts.sha256, staged: null };
  const s = stager(db);
  const info = scanCsv(path, facts, o, (r) => s.add(r));
  return { sha256: facts.sha256, staged: s.done(key, info) };
}

/** Every staged row in order, read a page at a time (the callback may use the connection). */
export function eachStagedRow(db: Db, fn: (r: RosterRow) => void): void {
  const page = stmt(db, `SELECT line, cells FROM temp.roster_rows WHERE line > ? ORDER BY line LIMIT 1000`);
  for (let after = -1; ;) {
    const rows = page.all(after) as { line: number; cells: string }[];
    for (const r of rows) fn({ line: r.line, cells: JSON.parse(r.cells) as string[] });
    if (rows.length < 1000) return;
    after = rows[rows.length - 1]!.line;
  }
}
