-- The dashboard's numbers for every filter it offers (issue 16). Migration 0008 counted incidents by
-- category, first and last day and facility only, so the status, counsel-present and
-- document-signed filters read the incidents themselves (32 s at a million), and the unfiltered view
-- summed one row per day. Here one table holds the counts at several grains, each row keyed by every
-- filter the dashboard offers but the person (whose incidents are few and found on their index):
--   D  first and last day          W  their weeks (Mondays)      M  their months (first days)
--   Ws, Ms  weeks and months with any facility ('*'): the bars for a status or an answer
--   w, m  weeks and months with no status, answer or facility ('*', 9): the first view's bars.
--   d, Df  days with no status or answer, and no facility (d) or with it (Df): the days of a week or
--          month a period filter cuts, when no status or answer is asked (few keys, so few rows).
-- ("New this week" counts the incidents entered since Monday on their created_at index: a week's.)
-- A view lists each live incident's keys (its categories and '' for the incident itself, at every
-- grain), so the triggers, the counts of the incidents already here and the tests share one
-- definition. The keys are read while the row is as it was (BEFORE UPDATE and DELETE) and as it is
-- (AFTER INSERT and UPDATE), so every write path (the app, imports, sync merges) keeps them right.

DROP TRIGGER incident_tally_insert;
DROP TRIGGER incident_tally_delete;
DROP TRIGGER incident_tally_update;
DROP TABLE incident_tally;
DROP TABLE incident_entered_tally;

CREATE TABLE incident_counts (
  grain         TEXT NOT NULL,
  status        TEXT NOT NULL,
  -- counsel present / document signed: 1 yes, 0 no, 2 not answered, 9 any (the w and m grains).
  counsel       INTEGER NOT NULL,
  signed        INTEGER NOT NULL,
  category      TEXT NOT NULL,
  facility_id   TEXT NOT NULL,
  g1            TEXT NOT NULL,
  g2            TEXT NOT NULL,
  n             INTEGER NOT NULL,
  counsel_yes   INTEGER NOT NULL,
  counsel_known INTEGER NOT NULL,
  signed_yes    INTEGER NOT NULL,
  signed_known  INTEGER NOT NULL,
  PRIMARY KEY (grain, status, counsel, signed, category, facility_id, g1, g2)
) STRICT, WITHOUT ROWID;
-- The days at the ends of a period filter that cut through a week or month.
CREATE INDEX incident_counts_day ON incident_counts (g1) WHERE grain = 'D';
CREATE INDEX incident_counts_until ON incident_counts (g2) WHERE grain = 'D';
CREATE INDEX incident_counts_d_day ON incident_counts (category, g1) WHERE grain = 'd';
CREATE INDEX incident_counts_d_until ON incident_counts (category, g2) WHERE grain = 'd';
CREATE INDEX incident_counts_df_day ON incident_counts (category, g1) WHERE grain = 'Df';
CREATE INDEX incident_counts_df_until ON incident_counts (category, g2) WHERE grain = 'Df';

CREATE VIEW incident_count_keys AS
  SELECT DISTINCT i.id,
         g.grain,
         CASE WHEN g.plain THEN '*' ELSE i.status END AS status,
         CASE WHEN g.plain THEN 9 WHEN i.counsel_present IS 1 THEN 1 WHEN i.counsel_present IS 0 THEN 0 ELSE 2 END AS counsel,
         CASE WHEN g.plain THEN 9 WHEN i.document_signed IS 1 THEN 1 WHEN i.document_signed IS 0 THEN 0 ELSE 2 END AS signed,
         c.value AS category,
         CASE WHEN g.anywhere THEN '*' ELSE i.facility_id END AS facility_id,
         CASE g.step
           WHEN 'day' THEN i.occurred_on
           WHEN 'week' THEN date(i.occurred_on, '-6 days', 'weekday 1')
           ELSE substr(i.occurred_on, 1, 7) || '-01'
         END AS g1,
         CASE g.step
           WHEN 'day' THEN coalesce(i.occurred_until, i.occurred_on)
           WHEN 'week' THEN date(coalesce(i.occurred_until, i.occurred_on), '-6 days', 'weekday 1')
           ELSE substr(coalesce(i.occurred_until, i.occurred_on), 1, 7) || '-01'
         END AS g2,
         i.counsel_present IS 1 AS cy, i.counsel_present IS NOT NULL AS ck,
         i.document_signed IS 1 AS sy, i.document_signed IS NOT NULL AS sk
    FROM incidents i
    JOIN json_each(json_insert(i.categories, '$[#]', '')) c
    JOIN (SELECT 'D' AS grain, 0 AS plain, 0 AS anywhere, 'day' AS step UNION ALL SELECT 'W', 0, 0, 'week'
          UNION ALL SELECT 'M', 0, 0, 'month' UNION ALL SELECT 'Ws', 0, 1, 'week' UNION ALL SELECT 'Ms', 0, 1, 'month'
          UNION ALL SELECT 'w', 1, 1, 'week' UNION ALL SELECT 'm', 1, 1, 'month'
          UNION ALL SELECT 'd', 1, 1, 'day' UNION ALL SELECT 'Df', 1, 0, 'day') g
   WHERE i.deleted_at IS NULL;

CREATE TRIGGER incident_counts_insert AFTER INSERT ON incidents WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO incident_counts (grain, status, counsel, signed, category, facility_id, g1, g2, n, counsel_yes, counsel_known, signed_yes, signed_known)
    SELECT grain, status, counsel, signed, category, facility_id, g1, g2, 1, cy, ck, sy, sk FROM incident_count_keys WHERE id = NEW.id
    ON CONFLICT DO UPDATE SET n = n + 1, counsel_yes = counsel_yes + excluded.counsel_yes,
      counsel_known = counsel_known + excluded.counsel_known, signed_yes = signed_yes + excluded.signed_yes,
      signed_known = signed_known + excluded.signed_known;
END;

CREATE TRIGGER incident_counts_delete BEFORE DELETE ON incidents WHEN OLD.deleted_at IS NULL BEGIN
  UPDATE incident_counts AS t SET n = t.n - 1, counsel_yes = t.counsel_yes - k.cy, counsel_known = t.counsel_known - k.ck,
      signed_yes = t.signed_yes - k.sy, signed_known = t.signed_known - k.sk
    FROM (SELECT * FROM incident_count_keys WHERE id = OLD.id) k
   WHERE t.grain = k.grain AND t.status = k.status AND t.counsel = k.counsel AND t.signed = k.signed AND t.category = k.category
     AND t.facility_id = k.facility_id AND t.g1 = k.g1 AND t.g2 = k.g2;
  DELETE FROM incident_counts WHERE n = 0 AND (grain, status, counsel, signed, category, facility_id, g1, g2) IN
    (SELECT grain, status, counsel, signed, category, facility_id, g1, g2 FROM incident_count_keys WHERE id = OLD.id);
END;

-- An update takes the row as it was out (when it was live) and puts it in as it is (when it is live).
CREATE TRIGGER incident_counts_update_old BEFORE UPDATE OF occurred_on, occurred_until, facility_id, categories, status,
    counsel_present, document_signed, deleted_at ON incidents WHEN OLD.deleted_at IS NULL BEGIN
  UPDATE incident_counts AS t SET n = t.n - 1, counsel_yes = t.counsel_yes - k.cy, counsel_known = t.counsel_known - k.ck,
      signed_yes = t.signed_yes - k.sy, signed_known = t.signed_known - k.sk
    FROM (SELECT * FROM incident_count_keys WHERE id = OLD.id) k
   WHERE t.grain = k.grain AND t.status = k.status AND t.counsel = k.counsel AND t.signed = k.signed AND t.category = k.category
     AND t.facility_id = k.facility_id AND t.g1 = k.g1 AND t.g2 = k.g2;
  DELETE FROM incident_counts WHERE n = 0 AND (grain, status, counsel, signed, category, facility_id, g1, g2) IN
    (SELECT grain, status, counsel, signed, category, facility_id, g1, g2 FROM incident_count_keys WHERE id = OLD.id);
END;

CREATE TRIGGER incident_counts_update_new AFTER UPDATE OF occurred_on, occurred_until, facility_id, categories, status,
    counsel_present, document_signed, deleted_at ON incidents WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO incident_counts (grain, status, counsel, signed, category, facility_id, g1, g2, n, counsel_yes, counsel_known, signed_yes, signed_known)
    SELECT grain, status, counsel, signed, category, facility_id, g1, g2, 1, cy, ck, sy, sk FROM incident_count_keys WHERE id = NEW.id
    ON CONFLICT DO UPDATE SET n = n + 1, counsel_yes = counsel_yes + excluded.counsel_yes,
      counsel_known = counsel_known + excluded.counsel_known, signed_yes = signed_yes + excluded.signed_yes,
      signed_known = signed_known + excluded.signed_known;
END;

-- The incidents already there.
INSERT INTO incident_counts (grain, status, counsel, signed, category, facility_id, g1, g2, n, counsel_yes, counsel_known, signed_yes, signed_known)
  SELECT grain, status, counsel, signed, category, facility_id, g1, g2, count(*), sum(cy), sum(ck), sum(sy), sum(sk)
    FROM incident_count_keys GROUP BY grain, status, counsel, signed, category, facility_id, g1, g2;
