-- The days of a period filter's cut week or month when a status or an answer is asked (issue 16).
-- Those days come from the D grain (every key, with the facility). Migration 0010 indexed D by
-- day alone, so the cut days of one status, answer and category were found among the days of every
-- key: at a million incidents a week or a month of the whole D grain was read, row by row, for each
-- cut period (842 ms median for status + counsel + category + a period cutting weeks). Here the
-- same two indexes lead with the key the dashboard asks (status, counsel, signed, category; the
-- ones not asked are listed as all their values), then the day: each cut period reads only the
-- rows of the keys asked. No new grain and no trigger change: a D row's key columns never change
-- (only its counts), so these indexes are written exactly when 0010's were, when a D row is added
-- or removed.
DROP INDEX incident_counts_day;
DROP INDEX incident_counts_until;
CREATE INDEX incident_counts_day ON incident_counts (status, counsel, signed, category, g1) WHERE grain = 'D';
CREATE INDEX incident_counts_until ON incident_counts (status, counsel, signed, category, g2) WHERE grain = 'D';
