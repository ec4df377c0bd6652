-- 0015 on-call at scale (issue 11, second session).

-- One token bucket per notification target (a PagerDuty routing key, a Slack webhook URL, a webhook
-- URL; the key is a hash, never the secret), shared by every API process on the database: a delivery
-- batch reserves its tokens with one atomic upsert, so N processes together stay under the target's
-- rate instead of N times it. `granted` is what the last reservation got (RETURNING reads it).
CREATE TABLE notification_rate_buckets (
  key         TEXT PRIMARY KEY,
  tokens      DOUBLE PRECISION NOT NULL,
  refilled_at TIMESTAMPTZ NOT NULL,
  granted     INTEGER NOT NULL DEFAULT 0
);

-- Which occurrence of the incident is running: 1 when opened, +1 on every reopen. A reopen is a new
-- page (as Grafana OnCall re-pages a re-fired alert group): its pages carry the occurrence in their
-- delivery key and its clocks run from `occurrence_at`.
ALTER TABLE incidents ADD COLUMN occurrence INTEGER NOT NULL DEFAULT 1;
ALTER TABLE incidents ADD COLUMN occurrence_at TIMESTAMPTZ;

-- The handoff summaries posted at a shift change: per team and shift, the text as posted (edited from
-- the generated draft), who posted it, and the incidents whose timeline it went to. Several posts per
-- shift are kept (a correction is a new post); the latest is shown.
CREATE TABLE oncall_handoffs (
  id             TEXT PRIMARY KEY,
  team           TEXT NOT NULL,
  -- the scope it was posted in (NULL: every project); a project's caller sees only its own handoffs
  tenant         TEXT,
  project        TEXT,
  shift_from     TIMESTAMPTZ NOT NULL,
  shift_until    TIMESTAMPTZ NOT NULL,
  text           TEXT NOT NULL,
  incident_ids   JSONB NOT NULL DEFAULT '[]',
  posted_by      TEXT NOT NULL,
  posted_at      TIMESTAMPTZ NOT NULL,
  correlation_id TEXT NOT NULL
);
CREATE INDEX oncall_handoffs_shift_idx ON oncall_handoffs (team, shift_from, id);
