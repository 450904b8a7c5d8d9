-- Several laptops: this database's device (id, Ed25519 key pair: the private key never leaves the file), every device seen, signed chain tips per device, the rows of other devices' chains (each audit row with its record version), every record version's parents, and each record's heads (more than one head is a conflict). The frozen step (0007_devices.ts) makes the key pair and turns the existing history into the local device's chain. Filing codes stay unique per device but may meet a code of another laptop after a merge, so their index is no longer unique (a clash is listed, never silently renumbered).
CREATE TABLE devices (
  id             TEXT PRIMARY KEY,
  name           TEXT,
  public_key     TEXT NOT NULL,
  fingerprint    TEXT NOT NULL,
  trusted        INTEGER NOT NULL DEFAULT 1,
  first_seen_at  TEXT NOT NULL,
  last_import_at TEXT,
  -- What this device said it holds in its last bundle: {deviceId: seq}. Bundles --for it skip that.
  holds          TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE device_key (
  one         INTEGER PRIMARY KEY CHECK (one = 1),
  device      TEXT NOT NULL REFERENCES devices (id),
  private_key TEXT NOT NULL
) STRICT;

-- A device's chain tip signed with its key: sequence number, row hash, Ed25519 signature.
CREATE TABLE chain_tips (
  device    TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  hash      TEXT NOT NULL,
  signature TEXT NOT NULL,
  PRIMARY KEY (device, seq)
) STRICT, WITHOUT ROWID;

-- Other devices' chains: each row is one audit row and the record version it names.
CREATE TABLE foreign_rows (
  device       TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  at           TEXT NOT NULL,
  user         TEXT,
  action       TEXT NOT NULL,
  entity       TEXT NOT NULL,
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  data         TEXT NOT NULL,
  recorded_at  TEXT NOT NULL,
  recorded_by  TEXT,
  reason       TEXT,
  parents      TEXT,
  content_hash TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL,
  PRIMARY KEY (device, seq)
) STRICT;
CREATE INDEX foreign_rows_record ON foreign_rows (entity, id);

-- The versions a version replaces, as a JSON array of "device:seq" (NULL on rows written before:
-- their parent is the record's previous version on the same device).
ALTER TABLE record_versions ADD COLUMN parents TEXT;

-- Each record's heads (versions no other version replaces); the shown one is in its table.
CREATE TABLE record_heads (
  entity  TEXT NOT NULL,
  id      TEXT NOT NULL,
  device  TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  version INTEGER NOT NULL,
  shown   INTEGER NOT NULL,
  PRIMARY KEY (entity, id, device, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX record_heads_shown ON record_heads (entity, id, shown);

-- Every version of this database and of the chains it imported, named by (device, seq).
CREATE VIEW all_versions AS
  SELECT k.device AS device, a.seq AS seq, v.entity, v.id, v.version, v.data, v.recorded_at, v.recorded_by, v.reason, v.action, v.parents, a.content_hash
    FROM record_versions v JOIN audit_log a ON a.entity = v.entity AND a.id = v.id AND a.version = v.version, device_key k
  UNION ALL
  SELECT device, seq, entity, id, version, data, recorded_at, recorded_by, reason, action, parents, content_hash FROM foreign_rows;

DROP INDEX people_filing_code;
CREATE INDEX people_filing_code ON people (filing_code);
