-- 0002 incidents: alerts from the webhooks grouped into incidents, their timeline, what the intake last
-- heard, and the bounded log of API requests that correlation-ID lookups read. Plain PostgreSQL that
-- runs unchanged on PGlite.

-- One incident per grouping key (catalog/grouping.yaml) and tenant/project at a time; a key that fires
-- again after resolution reopens it (see src/api/incidents/logic.ts). Counters and the unions of the
-- alerts' runbooks / correlation IDs are kept on the row so that lists and the overview read one table.
CREATE TABLE incidents (
  id              TEXT PRIMARY KEY,
  grouping_key    TEXT NOT NULL,
  title           TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('detected', 'triaging', 'mitigating', 'monitoring', 'resolved', 'closed', 'reopened')),
  is_open         BOOLEAN GENERATED ALWAYS AS (status NOT IN ('resolved', 'closed')) STORED,
  -- sev1 < sev2 < sev3 < sev4 as text, so ORDER BY severity puts the worst first
  severity        TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
  signal_key      TEXT,
  signal_group    TEXT,
  tenant          TEXT NOT NULL,
  project         TEXT NOT NULL,
  owner_team      TEXT,
  service         TEXT,
  runbook_ids     JSONB NOT NULL DEFAULT '[]',
  missing_runbook BOOLEAN NOT NULL,
  -- a `query_id` annotation of an alert, preferred over the signal's saved query
  query_id        TEXT,
  firing_count    INTEGER NOT NULL DEFAULT 0 CHECK (firing_count >= 0),
  resolved_count  INTEGER NOT NULL DEFAULT 0 CHECK (resolved_count >= 0),
  correlation_ids JSONB NOT NULL DEFAULT '[]',
  trace_ids       JSONB NOT NULL DEFAULT '[]',
  resource_name   TEXT,
  host_role       TEXT CHECK (host_role IN ('platform_control', 'app_control', 'worker_compute')),
  slo_burn_rate   DOUBLE PRECISION,
  opened_at       TIMESTAMPTZ NOT NULL,
  acknowledged_at TIMESTAMPTZ,
  resolved_at     TIMESTAMPTZ,
  closed_at       TIMESTAMPTZ,
  updated_at      TIMESTAMPTZ NOT NULL,
  last_alert_at   TIMESTAMPTZ NOT NULL
);
-- the intake's "which incident does this key belong to"
CREATE INDEX incidents_key_idx ON incidents (grouping_key, tenant, project, opened_at DESC);
-- lists, newest first, per scope
CREATE INDEX incidents_scope_idx ON incidents (tenant, project, id);
-- the overview's action_required order (severity, SLO burn, age), over every project and per project
CREATE INDEX incidents_open_rank_idx ON incidents (severity, slo_burn_rate DESC NULLS LAST, opened_at, id) WHERE is_open;
CREATE INDEX incidents_open_scope_rank_idx ON incidents (tenant, project, severity, slo_burn_rate DESC NULLS LAST, opened_at, id) WHERE is_open;
CREATE INDEX incidents_correlation_idx ON incidents USING GIN (correlation_ids jsonb_path_ops);

-- One row per alert (fingerprint) per incident: the alert's latest occurrence within that incident.
CREATE TABLE alerts (
  incident_id             TEXT NOT NULL REFERENCES incidents (id),
  fingerprint             TEXT NOT NULL,
  source                  TEXT NOT NULL CHECK (source IN ('grafana', 'alertmanager')),
  alertname               TEXT NOT NULL,
  status                  TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
  severity                TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
  labels                  JSONB NOT NULL,
  annotations             JSONB NOT NULL,
  starts_at               TIMESTAMPTZ NOT NULL,
  ends_at                 TIMESTAMPTZ,
  generator_url           TEXT,
  signal_key              TEXT,
  runbook_ids             JSONB NOT NULL DEFAULT '[]',
  missing_runbook         BOOLEAN NOT NULL,
  correlation_ids         JSONB NOT NULL DEFAULT '[]',
  first_received_at       TIMESTAMPTZ NOT NULL,
  last_received_at        TIMESTAMPTZ NOT NULL,
  -- correlation ID of the webhook request that last changed this row
  delivery_correlation_id TEXT NOT NULL,
  PRIMARY KEY (incident_id, fingerprint)
);
CREATE INDEX alerts_fingerprint_idx ON alerts (fingerprint, starts_at DESC);
CREATE INDEX alerts_correlation_idx ON alerts USING GIN (correlation_ids jsonb_path_ops);
CREATE INDEX alerts_delivery_idx ON alerts (delivery_correlation_id);

-- Everything that happened to an incident, in order (ids are ULIDs).
CREATE TABLE incident_timeline (
  id             TEXT PRIMARY KEY,
  incident_id    TEXT NOT NULL REFERENCES incidents (id),
  at             TIMESTAMPTZ NOT NULL,
  kind           TEXT NOT NULL,
  actor          TEXT NOT NULL,
  summary        TEXT NOT NULL,
  data           JSONB NOT NULL DEFAULT '{}',
  correlation_id TEXT
);
CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, id);

-- When each sender was last heard from (the overview's data freshness), re-deliveries included.
CREATE TABLE intake_state (
  source           TEXT PRIMARY KEY,
  last_received_at TIMESTAMPTZ NOT NULL,
  payloads         BIGINT NOT NULL DEFAULT 0
);

-- Every API request's correlation ID, route, status and error code, so that a lookup works without
-- Loki. Written in batches off the request path and pruned to a bound (src/api/correlation/request-log.ts).
CREATE TABLE request_log (
  id             BIGSERIAL PRIMARY KEY,
  at             TIMESTAMPTZ NOT NULL,
  method         TEXT NOT NULL,
  route          TEXT NOT NULL,
  status         INTEGER NOT NULL,
  error_code     TEXT,
  correlation_id TEXT NOT NULL,
  duration_ms    DOUBLE PRECISION
);
CREATE INDEX request_log_correlation_idx ON request_log (correlation_id);
