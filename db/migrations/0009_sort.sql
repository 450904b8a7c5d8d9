-- The incident list sorted by category walks an index, as the date, person and facility orders do:
-- the first category code (the codes are kept sorted in the row), then the tombstone, then the date.
-- The labels' order comes from a table each connection fills from the vocabulary (labels may change,
-- codes never do), so nothing here names a label.
CREATE INDEX incidents_first_category ON incidents (json_extract(categories, '$[0]'), deleted_at, occurred_on, id);
