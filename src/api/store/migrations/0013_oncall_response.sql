-- 0007 on-call response (issue 11): who acknowledged, responded, owns and commands an incident, how far
-- it escalated and when it escalates next; and the durable notification outbox that pages people.

ALTER TABLE incidents
  ADD COLUMN acknowledged_by    TEXT,
  ADD COLUMN responded_at       TIMESTAMPTZ,
  ADD COLUMN responded_by       TEXT,
  ADD COLUMN assignee           TEXT,
  ADD COLUMN commander          TEXT,
  ADD COLUMN escalation_level   INTEGER NOT NULL DEFAULT 1 CHECK (escalation_level >= 1),
  -- when the escalation worker must look at the incident again (null: nothing pending)
  ADD COLUMN next_escalation_at TIMESTAMPTZ;
-- the escalation worker's "which clocks are due" scan
CREATE INDEX incidents_escalation_due_idx ON incidents (next_escalation_at) WHERE is_open AND next_escalation_at IS NOT NULL;

-- One row per page: (incident, event, level, target, channel) at most once, whatever retries, crashes
-- or competing API processes do. `delivery_key` is that identity as text; receivers get it too
-- (PagerDuty dedup context, the webhook's X-Opsdeck-Delivery header) so they can deduplicate.
-- Written in the same transaction as the change that causes it; workers claim rows with a lease.
CREATE TABLE notification_outbox (
  id              TEXT PRIMARY KEY,
  delivery_key    TEXT NOT NULL UNIQUE,
  incident_id     TEXT NOT NULL REFERENCES incidents (id),
  event           TEXT NOT NULL CHECK (event IN ('opened', 'escalated', 'acknowledged', 'resolved')),
  level           INTEGER NOT NULL,
  target          TEXT NOT NULL,
  channel         TEXT NOT NULL,
  channel_type    TEXT NOT NULL CHECK (channel_type IN ('pagerduty', 'slack', 'webhook')),
  -- the people paged (user ids), resolved through the schedule when the page was written
  targets         JSONB NOT NULL DEFAULT '[]',
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      TIMESTAMPTZ NOT NULL,
  -- the moment the page became due (its cause), for the due → delivered latency metric
  due_at          TIMESTAMPTZ NOT NULL,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  lease_owner     TEXT,
  lease_until     TIMESTAMPTZ,
  delivered_at    TIMESTAMPTZ,
  last_error      TEXT
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_outbox_incident_idx ON notification_outbox (incident_id, created_at);
