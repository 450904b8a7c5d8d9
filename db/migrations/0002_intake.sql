-- Intake: the full person, interview and incident record, staff, drafts, filing codes and full-text search. Additive only, so laptops on older versions still merge.
ALTER TABLE record_versions ADD COLUMN action TEXT;

ALTER TABLE people ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE people ADD COLUMN interpreter_needed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN detained_since TEXT;
ALTER TABLE people ADD COLUMN class_membership TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE people ADD COLUMN removal_order_status TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE people ADD COLUMN counsel TEXT;
ALTER TABLE people ADD COLUMN consent_given INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN consent_date TEXT;
ALTER TABLE people ADD COLUMN consent_scope TEXT;
ALTER TABLE people ADD COLUMN filing_code TEXT;
-- Derived keys for the similar-name warning and name search; filled by the app (see db/derived.ts).
ALTER TABLE people ADD COLUMN name_key TEXT;
ALTER TABLE people ADD COLUMN original_key TEXT;
ALTER TABLE people ADD COLUMN folded_name TEXT;

-- Filing codes CM-###: one row per code ever handed out, never deleted, so a code is never reused.
CREATE TABLE filing_codes (
  n            INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id    TEXT NOT NULL UNIQUE,
  allocated_at TEXT NOT NULL
);
INSERT INTO filing_codes (person_id, allocated_at) SELECT id, created_at FROM people ORDER BY created_at, id;
UPDATE people SET filing_code = (SELECT 'CM-' || printf('%03d', n) FROM filing_codes WHERE person_id = people.id);
CREATE UNIQUE INDEX people_filing_code ON people (filing_code);
CREATE INDEX people_name_key ON people (name_key);
CREATE INDEX people_original_key ON people (original_key);
CREATE INDEX people_folded_name ON people (folded_name);
CREATE INDEX people_created ON people (created_at);
CREATE INDEX people_detained_since ON people (detained_since);

CREATE TABLE staff (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT,
  version    INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX staff_name ON staff (name COLLATE NOCASE);

CREATE TABLE interviews (
  id                    TEXT PRIMARY KEY,
  person_id             TEXT NOT NULL REFERENCES people (id),
  started_at            TEXT NOT NULL,
  place                 TEXT,
  interviewer           TEXT NOT NULL,
  mode                  TEXT NOT NULL,
  interpreter           TEXT,
  interpreter_language  TEXT,
  duration_minutes      INTEGER,
  declaration_status    TEXT NOT NULL,
  declaration_signed_on TEXT,
  notes                 TEXT,
  version               INTEGER NOT NULL,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  deleted_at            TEXT
) STRICT;
CREATE INDEX interviews_person ON interviews (person_id, started_at DESC);
CREATE INDEX interviews_started ON interviews (started_at DESC, id);

-- The categories also as a sorted JSON array on the row, so a page of incidents reads without a join;
-- incident_categories stays the index for filtering.
ALTER TABLE incidents ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
UPDATE incidents SET categories = (SELECT json_group_array(category) FROM
  (SELECT category FROM incident_categories c WHERE c.incident_id = incidents.id ORDER BY category));
ALTER TABLE incidents ADD COLUMN interview_id TEXT REFERENCES interviews (id);
ALTER TABLE incidents ADD COLUMN occurred_until TEXT;
ALTER TABLE incidents ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'exact';
ALTER TABLE incidents ADD COLUMN own_words TEXT;
ALTER TABLE incidents ADD COLUMN staff_involved TEXT NOT NULL DEFAULT '[]';
ALTER TABLE incidents ADD COLUMN witnesses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE incidents ADD COLUMN deprivation_minutes INTEGER;
ALTER TABLE incidents ADD COLUMN document_pressed TEXT;
ALTER TABLE incidents ADD COLUMN document_other TEXT;
ALTER TABLE incidents ADD COLUMN document_signed INTEGER;
ALTER TABLE incidents ADD COLUMN counsel_present INTEGER;
ALTER TABLE incidents ADD COLUMN grievance_filed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN grievance_answer TEXT;
ALTER TABLE incidents ADD COLUMN corroboration TEXT;
ALTER TABLE incidents ADD COLUMN raised_with_opposing_counsel_on TEXT;
ALTER TABLE incidents ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
ALTER TABLE incidents ADD COLUMN include_in_report INTEGER NOT NULL DEFAULT 1;
-- The incident's row in incident_text (explicit, because a TEXT-keyed table's rowid may change on VACUUM).
ALTER TABLE incidents ADD COLUMN search_rowid INTEGER;
CREATE UNIQUE INDEX incidents_search_rowid ON incidents (search_rowid);
CREATE INDEX incidents_interview ON incidents (interview_id);
CREATE INDEX incidents_created ON incidents (created_at DESC, id);
-- Date-ordered pages of live incidents (all, per facility, per person, by the rarer yes/no
-- filters), with the id as tie-breaker and the other filter columns (the end of a date range too) carried along: a first page
-- tests its filters and a capped count runs on the index alone (deleted_at rides along, always
-- null here, so the index covers the query).
CREATE INDEX incidents_live_page ON incidents (occurred_on, id, status, counsel_present, document_signed, occurred_until, deleted_at)
  WHERE deleted_at IS NULL;
CREATE INDEX incidents_facility_page ON incidents (facility_id, occurred_on, id, status, counsel_present, document_signed, occurred_until, deleted_at)
  WHERE deleted_at IS NULL;
CREATE INDEX incidents_person_page ON incidents (person_id, occurred_on, id, occurred_until, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX incidents_document_signed_page ON incidents (document_signed, occurred_on, id, counsel_present, status, occurred_until, deleted_at)
  WHERE deleted_at IS NULL AND document_signed IS NOT NULL;
CREATE INDEX incidents_counsel_present_page ON incidents (counsel_present, occurred_on, id, document_signed, status, occurred_until, deleted_at)
  WHERE deleted_at IS NULL AND counsel_present IS NOT NULL;
-- Search candidates come from the full-text index by rowid; this tests their filters without
-- reading each incident.
CREATE INDEX incidents_search_filter ON incidents (search_rowid, deleted_at, facility_id, person_id, status,
  counsel_present, document_signed, occurred_on, occurred_until);
-- A category filter walks its own date-ordered index (per facility too) instead of testing every
-- incident: the incident's date, facility and tombstone are copied here (kept in sync by
-- db/repo/incidents.ts), so a first page and its capped count read the index alone.
ALTER TABLE incident_categories ADD COLUMN occurred_on TEXT;
ALTER TABLE incident_categories ADD COLUMN facility_id TEXT;
ALTER TABLE incident_categories ADD COLUMN deleted_at TEXT;
UPDATE incident_categories SET (occurred_on, facility_id, deleted_at) =
  (SELECT occurred_on, facility_id, deleted_at FROM incidents i WHERE i.id = incident_id);
CREATE INDEX incident_categories_page ON incident_categories (category, occurred_on, incident_id, deleted_at);
CREATE INDEX incident_categories_facility_page ON incident_categories (category, facility_id, occurred_on, incident_id, deleted_at);

-- Full-text index over summary and own words, folded by shared/text-fold.ts (Arabic letter variants,
-- tatweel and harakat, Latin diacritics) before indexing and before querying. Contentless: the text
-- lives in incidents; rows are deleted by rowid.
CREATE VIRTUAL TABLE incident_text USING fts5 (
  body,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Unsaved interview and incident forms, so a crash or a closed window loses nothing.
CREATE TABLE drafts (
  key      TEXT PRIMARY KEY,
  kind     TEXT NOT NULL,
  data     TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  saved_by TEXT
) STRICT;
