-- The dashboard's numbers (issue 16): incidents counted by day, facility and category, kept by
-- triggers on the incidents table, so every write path (the app, imports, sync merges, restores of
-- a record) keeps them right and a chart over a million incidents sums thousands of rows, not a
-- million. Also an index that finds records in conflict (a head not shown) without a scan.

-- One row per (category, first day, last day, facility) of live incidents; category '' counts the
-- incidents themselves (an incident with two categories is one incident and two category counts).
-- The yes/known pairs give the counsel-present and document-signed rates.
CREATE TABLE incident_tally (
  category      TEXT NOT NULL,
  day           TEXT NOT NULL,
  until_day     TEXT NOT NULL,
  facility_id   TEXT NOT NULL,
  -- The Mondays of the first and last day's weeks (a function of them), so bars by week are
  -- grouped without a date computation per row.
  week          TEXT NOT NULL,
  until_week    TEXT NOT NULL,
  n             INTEGER NOT NULL,
  counsel_yes   INTEGER NOT NULL,
  counsel_known INTEGER NOT NULL,
  signed_yes    INTEGER NOT NULL,
  signed_known  INTEGER NOT NULL,
  PRIMARY KEY (category, day, until_day, facility_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX incident_tally_facility ON incident_tally (facility_id, category, day);

-- Live incidents by the day they were entered (created_at), facility and category: "new this week".
CREATE TABLE incident_entered_tally (
  category    TEXT NOT NULL,
  entered_day TEXT NOT NULL,
  facility_id TEXT NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (entered_day, category, facility_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER incident_tally_insert AFTER INSERT ON incidents WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO incident_tally (category, day, until_day, facility_id, week, until_week, n, counsel_yes, counsel_known, signed_yes, signed_known)
    SELECT c, NEW.occurred_on, coalesce(NEW.occurred_until, NEW.occurred_on), NEW.facility_id,
           date(NEW.occurred_on, '-6 days', 'weekday 1'), date(coalesce(NEW.occurred_until, NEW.occurred_on), '-6 days', 'weekday 1'), 1,
           NEW.counsel_present IS 1, NEW.counsel_present IS NOT NULL, NEW.document_signed IS 1, NEW.document_signed IS NOT NULL
      FROM (SELECT '' AS c UNION SELECT value FROM json_each(NEW.categories)) WHERE true
    ON CONFLICT DO UPDATE SET n = n + 1, counsel_yes = counsel_yes + excluded.counsel_yes,
      counsel_known = counsel_known + excluded.counsel_known, signed_yes = signed_yes + excluded.signed_yes,
      signed_known = signed_known + excluded.signed_known;
  INSERT INTO incident_entered_tally (category, entered_day, facility_id, n)
    SELECT c, substr(NEW.created_at, 1, 10), NEW.facility_id, 1
      FROM (SELECT '' AS c UNION SELECT value FROM json_each(NEW.categories)) WHERE true
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER incident_tally_delete AFTER DELETE ON incidents WHEN OLD.deleted_at IS NULL BEGIN
  UPDATE incident_tally SET n = n - 1, counsel_yes = counsel_yes - (OLD.counsel_present IS 1),
      counsel_known = counsel_known - (OLD.counsel_present IS NOT NULL), signed_yes = signed_yes - (OLD.document_signed IS 1),
      signed_known = signed_known - (OLD.document_signed IS NOT NULL)
    WHERE day = OLD.occurred_on AND until_day = coalesce(OLD.occurred_until, OLD.occurred_on) AND facility_id = OLD.facility_id
      AND category IN (SELECT '' UNION SELECT value FROM json_each(OLD.categories));
  UPDATE incident_entered_tally SET n = n - 1
    WHERE entered_day = substr(OLD.created_at, 1, 10) AND facility_id = OLD.facility_id
      AND category IN (SELECT '' UNION SELECT value FROM json_each(OLD.categories));
  DELETE FROM incident_tally WHERE n = 0 AND day = OLD.occurred_on AND facility_id = OLD.facility_id;
  DELETE FROM incident_entered_tally WHERE n = 0 AND entered_day = substr(OLD.created_at, 1, 10);
END;

-- An update takes the old row out (when it was live) and puts the new one in (when it is live).
CREATE TRIGGER incident_tally_update AFTER UPDATE OF occurred_on, occurred_until, facility_id, categories, counsel_present,
    document_signed, deleted_at, created_at ON incidents BEGIN
  UPDATE incident_tally SET n = n - 1, counsel_yes = counsel_yes - (OLD.counsel_present IS 1),
      counsel_known = counsel_known - (OLD.counsel_present IS NOT NULL), signed_yes = signed_yes - (OLD.document_signed IS 1),
      signed_known = signed_known - (OLD.document_signed IS NOT NULL)
    WHERE OLD.deleted_at IS NULL AND day = OLD.occurred_on AND until_day = coalesce(OLD.occurred_until, OLD.occurred_on)
      AND facility_id = OLD.facility_id AND category IN (SELECT '' UNION SELECT value FROM json_each(OLD.categories));
  UPDATE incident_entered_tally SET n = n - 1
    WHERE OLD.deleted_at IS NULL AND entered_day = substr(OLD.created_at, 1, 10) AND facility_id = OLD.facility_id
      AND category IN (SELECT '' UNION SELECT value FROM json_each(OLD.categories));
  DELETE FROM incident_tally WHERE n = 0 AND day = OLD.occurred_on AND facility_id = OLD.facility_id;
  DELETE FROM incident_entered_tally WHERE n = 0 AND entered_day = substr(OLD.created_at, 1, 10);
  INSERT INTO incident_tally (category, day, until_day, facility_id, week, until_week, n, counsel_yes, counsel_known, signed_yes, signed_known)
    SELECT c, NEW.occurred_on, coalesce(NEW.occurred_until, NEW.occurred_on), NEW.facility_id,
           date(NEW.occurred_on, '-6 days', 'weekday 1'), date(coalesce(NEW.occurred_until, NEW.occurred_on), '-6 days', 'weekday 1'), 1,
           NEW.counsel_present IS 1, NEW.counsel_present IS NOT NULL, NEW.document_signed IS 1, NEW.document_signed IS NOT NULL
      FROM (SELECT '' AS c UNION SELECT value FROM json_each(NEW.categories)) WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET n = n + 1, counsel_yes = counsel_yes + excluded.counsel_yes,
      counsel_known = counsel_known + excluded.counsel_known, signed_yes = signed_yes + excluded.signed_yes,
      signed_known = signed_known + excluded.signed_known;
  INSERT INTO incident_entered_tally (category, entered_day, facility_id, n)
    SELECT c, substr(NEW.created_at, 1, 10), NEW.facility_id, 1
      FROM (SELECT '' AS c UNION SELECT value FROM json_each(NEW.categories)) WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- The incidents already there.
INSERT INTO incident_tally (category, day, until_day, facility_id, week, until_week, n, counsel_yes, counsel_known, signed_yes, signed_known)
  SELECT c, day, until_day, facility_id, date(day, '-6 days', 'weekday 1'), date(until_day, '-6 days', 'weekday 1'), count(*), sum(cy), sum(ck), sum(sy), sum(sk) FROM (
    SELECT '' AS c, occurred_on AS day, coalesce(occurred_until, occurred_on) AS until_day, facility_id,
           counsel_present IS 1 AS cy, counsel_present IS NOT NULL AS ck, document_signed IS 1 AS sy, document_signed IS NOT NULL AS sk
      FROM incidents WHERE deleted_at IS NULL
    UNION ALL
    SELECT j.value, occurred_on, coalesce(occurred_until, occurred_on), facility_id,
           counsel_present IS 1, counsel_present IS NOT NULL, document_signed IS 1, document_signed IS NOT NULL
      FROM incidents, json_each(incidents.categories) j WHERE deleted_at IS NULL
  ) GROUP BY c, day, until_day, facility_id;
INSERT INTO incident_entered_tally (category, entered_day, facility_id, n)
  SELECT c, entered_day, facility_id, count(*) FROM (
    SELECT '' AS c, substr(created_at, 1, 10) AS entered_day, facility_id FROM incidents WHERE deleted_at IS NULL
    UNION ALL
    SELECT j.value, substr(created_at, 1, 10), facility_id FROM incidents, json_each(incidents.categories) j WHERE deleted_at IS NULL
  ) GROUP BY c, entered_day, facility_id;

-- A record is in conflict when it has a head that is not shown (each record shows exactly one).
CREATE INDEX record_heads_unshown ON record_heads (entity, id) WHERE shown = 0;
