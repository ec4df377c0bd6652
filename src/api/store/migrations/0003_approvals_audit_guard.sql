-- 0003 remediation: approval requests, decisions, executions, verification and feedback; and the
-- audit log's append-only guard. Plain PostgreSQL that runs unchanged on PGlite.

-- One request to run one catalog action for one incident. The status moves only forward:
-- pending → approved | rejected | expired; approved → executing → succeeded | failed. The final move out
-- of pending is a conditional UPDATE ... WHERE status = 'pending', so concurrent deciders get one winner.
CREATE TABLE approvals (
  id                    TEXT PRIMARY KEY,
  incident_id           TEXT NOT NULL,
  tenant                TEXT NOT NULL,
  project               TEXT NOT NULL,
  action_id             TEXT NOT NULL,
  action_title          TEXT NOT NULL,
  risk_class            TEXT NOT NULL CHECK (risk_class IN ('R1', 'R2', 'R3')),
  status                TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'executing', 'succeeded', 'failed')),
  requires_approval     BOOLEAN NOT NULL,
  policy_reason         TEXT NOT NULL,
  min_approvals         INTEGER NOT NULL CHECK (min_approvals >= 0),
  -- distinct approvers so far; the request is approved when it reaches max(min_approvals, 1)
  approvals_received    INTEGER NOT NULL DEFAULT 0 CHECK (approvals_received >= 0),
  requested_by          TEXT NOT NULL,
  requested_at          TIMESTAMPTZ NOT NULL,
  expires_at            TIMESTAMPTZ NOT NULL,
  decided_at            TIMESTAMPTZ,
  parameters            JSONB NOT NULL,
  -- the evidence bundle as submitted, and what the API added to it at request time
  evidence              JSONB NOT NULL,
  similar_past_outcomes JSONB NOT NULL,
  slo_burn_at_request   DOUBLE PRECISION,
  saved_query_links     JSONB NOT NULL,
  correlation_id        TEXT NOT NULL,
  updated_at            TIMESTAMPTZ NOT NULL,
  CHECK (status <> 'pending' OR approvals_received < GREATEST(min_approvals, 1))
);
CREATE INDEX approvals_scope_idx ON approvals (tenant, project, id);
CREATE INDEX approvals_incident_idx ON approvals (incident_id, id);
CREATE INDEX approvals_history_idx ON approvals (tenant, project, action_id, id);
-- the overview's pending count and the expiry sweep
CREATE INDEX approvals_pending_idx ON approvals (expires_at) WHERE status = 'pending';

-- Every approve/reject. One per approver per request; exactly one may be final (the one that moved the
-- request out of pending), which the partial unique index enforces whatever the application does.
CREATE TABLE approval_decisions (
  id          BIGSERIAL PRIMARY KEY,
  approval_id TEXT NOT NULL REFERENCES approvals (id),
  decided_by  TEXT NOT NULL,
  decision    TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
  comment     TEXT NOT NULL,
  decided_at  TIMESTAMPTZ NOT NULL,
  final       BOOLEAN NOT NULL,
  UNIQUE (approval_id, decided_by)
);
CREATE UNIQUE INDEX approval_decisions_one_final_idx ON approval_decisions (approval_id) WHERE final;

-- The intent to run an approved action, written in the same transaction as the approval, before the
-- executor is called. A worker claims it (pending → running, with a lease), calls the executor with
-- the Idempotency-Key, and records the result. After a crash, pending rows and running rows whose
-- lease ran out are claimed again and re-sent with the same key.
CREATE TABLE executions (
  approval_id     TEXT PRIMARY KEY REFERENCES approvals (id),
  idempotency_key TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  lease_until     TIMESTAMPTZ,
  http_status     INTEGER,
  output_excerpt  TEXT,
  duration_ms     DOUBLE PRECISION,
  created_at      TIMESTAMPTZ NOT NULL,
  started_at      TIMESTAMPTZ,
  finished_at     TIMESTAMPTZ
);
CREATE INDEX executions_open_idx ON executions (created_at) WHERE status IN ('pending', 'running');

-- The action's verification query, due hold_minutes after a successful execution.
CREATE TABLE verifications (
  approval_id TEXT PRIMARY KEY REFERENCES approvals (id),
  promql      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'passed', 'failed', 'skipped')),
  due_at      TIMESTAMPTZ NOT NULL,
  checked_at  TIMESTAMPTZ,
  detail      TEXT
);
CREATE INDEX verifications_due_idx ON verifications (due_at) WHERE status = 'pending';

-- What the operator says the action did; feeds "similar past outcomes" of later requests.
CREATE TABLE approval_feedback (
  approval_id TEXT PRIMARY KEY REFERENCES approvals (id),
  outcome     TEXT NOT NULL CHECK (outcome IN ('helped', 'did_not_help', 'made_worse')),
  comment     TEXT,
  recorded_by TEXT NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL
);

-- The audit log is append-only: UPDATE, DELETE and TRUNCATE are rejected, except the DELETE of the
-- retention purge (src/api/audit/purge.ts), which sets the transaction-local setting
-- opsdeck.audit_purge = 'on' and writes the checkpoint row that keeps the chain verifiable.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('opsdeck.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'only the retention purge may delete audit rows';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE INDEX audit_log_time_idx ON audit_log (occurred_at);
