-- 0008 catalog propagation: the catalog revision the fleet should serve. A successful reload on any
-- replica records it here in the transaction of its audit row; every replica compares it with the
-- revision it serves about once a second and reloads from its own catalog directory when they differ.
CREATE TABLE catalog_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  revision    TEXT NOT NULL,
  generation  BIGINT NOT NULL,
  reloaded_at TIMESTAMPTZ NOT NULL,
  reloaded_by TEXT NOT NULL
);
