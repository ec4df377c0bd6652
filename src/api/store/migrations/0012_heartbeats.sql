-- The delivery path's heartbeat per sender (issue 15): the always-firing heartbeat rules
-- (alerts/prometheus/opsdeck-heartbeat.yaml and the Grafana-managed one) arrive like any alert but open
-- no incident; each firing delivery moves last_heartbeat_at and counts one. The overview's freshness
-- is the age of these, not of the last real alert (a quiet night is not a broken path).
ALTER TABLE intake_state ADD COLUMN last_heartbeat_at TIMESTAMPTZ;
ALTER TABLE intake_state ADD COLUMN heartbeats BIGINT NOT NULL DEFAULT 0;

-- Each alert's Silence link to its sender (Alertmanager's silence form filtered by the alert's labels,
-- or Grafana's silenceURL): http(s) only, null when the sender gave no usable base URL.
ALTER TABLE alerts ADD COLUMN silence_url TEXT;
