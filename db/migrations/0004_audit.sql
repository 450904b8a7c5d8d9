-- Tamper-evident history: every write appends one hash-chained audit row; settings hold the backup plan.
CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  user         TEXT,
  action       TEXT NOT NULL,
  entity       TEXT NOT NULL,
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX audit_log_record ON audit_log (entity, id, version);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
