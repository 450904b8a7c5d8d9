-- Reports: saved exhibit definitions with every version kept, the office's report settings, and a log of every export with the SHA-256 of each file written.
CREATE TABLE report_definitions (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  data       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX report_definitions_name ON report_definitions (name COLLATE NOCASE);

-- Every saved version of a definition, so an old export can be rebuilt from what it used.
CREATE TABLE report_definition_versions (
  id        TEXT NOT NULL,
  version   INTEGER NOT NULL,
  data      TEXT NOT NULL,
  saved_at  TEXT NOT NULL,
  saved_by  TEXT,
  PRIMARY KEY (id, version)
) STRICT, WITHOUT ROWID;

-- One row: the office's report settings (A-number policy in public exhibits, default caption).
CREATE TABLE report_settings (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  data       TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
) STRICT;

-- Every export: when, by whom, from which definition (and its full text), and the manifest.
CREATE TABLE report_exports (
  id                 TEXT PRIMARY KEY,
  definition_id      TEXT,
  definition_version INTEGER,
  definition         TEXT NOT NULL,
  profile            TEXT NOT NULL,
  exhibit_label      TEXT NOT NULL,
  period_from        TEXT NOT NULL,
  period_to          TEXT NOT NULL,
  generated_at       TEXT NOT NULL,
  generated_by       TEXT,
  app_version        TEXT NOT NULL,
  folder             TEXT NOT NULL,
  incident_count     INTEGER NOT NULL,
  manifest           TEXT NOT NULL
) STRICT;
CREATE INDEX report_exports_generated ON report_exports (generated_at DESC, id);

CREATE TABLE report_export_files (
  export_id TEXT NOT NULL REFERENCES report_exports (id),
  name      TEXT NOT NULL,
  format    TEXT NOT NULL,
  bytes     INTEGER NOT NULL,
  sha256    TEXT NOT NULL,
  PRIMARY KEY (export_id, name)
) STRICT, WITHOUT ROWID;
