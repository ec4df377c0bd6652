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
