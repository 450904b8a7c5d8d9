-- Initial schema: facilities, people and incidents, with every version of every record kept.
CREATE TABLE facilities (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  city          TEXT NOT NULL,
  state         TEXT NOT NULL,
  operator      TEXT NOT NULL,
  operator_name TEXT,
  standard      TEXT NOT NULL,
  version       INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
) STRICT;
CREATE INDEX facilities_name ON facilities (name COLLATE NOCASE);

CREATE TABLE people (
  id                  TEXT PRIMARY KEY,
  family_name         TEXT NOT NULL,
  given_name          TEXT NOT NULL,
  name_original       TEXT,
  a_number            TEXT NOT NULL UNIQUE CHECK (length(a_number) = 9),
  birth_date          TEXT,
  nationality         TEXT,
  current_facility_id TEXT REFERENCES facilities (id),
  version             INTEGER NOT NULL,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  deleted_at          TEXT
) STRICT;
CREATE INDEX people_name ON people (family_name COLLATE NOCASE, given_name COLLATE NOCASE);
CREATE INDEX people_facility ON people (current_facility_id);

CREATE TABLE incidents (
  id          TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL REFERENCES people (id),
  facility_id TEXT NOT NULL REFERENCES facilities (id),
  occurred_on TEXT NOT NULL,
  summary     TEXT NOT NULL,
  version     INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT
) STRICT;
CREATE INDEX incidents_date ON incidents (occurred_on DESC, id);
CREATE INDEX incidents_person ON incidents (person_id, occurred_on DESC);
CREATE INDEX incidents_facility ON incidents (facility_id, occurred_on DESC);

CREATE TABLE incident_categories (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  category    TEXT NOT NULL,
  PRIMARY KEY (incident_id, category)
) STRICT, WITHOUT ROWID;
CREATE INDEX incident_categories_category ON incident_categories (category, incident_id);

-- Every version of every record, as written. Nothing here is ever updated or deleted.
CREATE TABLE record_versions (
  entity      TEXT NOT NULL,
  id          TEXT NOT NULL,
  version     INTEGER NOT NULL,
  data        TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT,
  reason      TEXT,
  PRIMARY KEY (entity, id, version)
) STRICT, WITHOUT ROWID;
