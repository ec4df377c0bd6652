-- 0001 foundation: the tamper-evident audit log every mutating request appends to.
-- One schema for both stores (PGlite and PostgreSQL): plain PostgreSQL, no extensions.

CREATE TABLE audit_log (
  id             BIGSERIAL PRIMARY KEY,
  occurred_at    TIMESTAMPTZ NOT NULL,
  -- 'event' for a change, 'checkpoint' for the row that anchors the chain after a retention purge
  kind           TEXT NOT NULL DEFAULT 'event' CHECK (kind IN ('event', 'checkpoint')),
  actor          TEXT NOT NULL,
  role           TEXT NOT NULL,
  tenant         TEXT,
  project        TEXT,
  action         TEXT NOT NULL,
  target_type    TEXT NOT NULL,
  target_id      TEXT NOT NULL,
  before         JSONB,
  after          JSONB,
  correlation_id TEXT NOT NULL,
  source_ip      TEXT,
  -- hash = sha256(prev_hash || canonical_json(row)); see src/api/audit/chain.ts
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL UNIQUE
);

CREATE INDEX audit_log_correlation_idx ON audit_log (correlation_id);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, occurred_at);
CREATE INDEX audit_log_scope_idx ON audit_log (tenant, project, id);
