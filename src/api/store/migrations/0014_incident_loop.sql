-- 0008 the incident loop (issue 12): status updates, postmortems with their action items, the
-- runbooks a published postmortem flags for review, and recommendation overrides. Every table carries
-- the tenant/project of its incident, so each read filters with the one scope condition.

-- What was said about an incident, to whom (internal responders or external stakeholders), and when.
-- The first row of an incident is its initial response (the response SLA's clock stops there).
CREATE TABLE incident_updates (
  id             TEXT PRIMARY KEY,
  incident_id    TEXT NOT NULL REFERENCES incidents (id),
  tenant         TEXT NOT NULL,
  project        TEXT NOT NULL,
  stage          TEXT NOT NULL CHECK (stage IN ('investigating', 'identified', 'monitoring', 'resolved')),
  audience       TEXT NOT NULL CHECK (audience IN ('internal', 'external')),
  message        TEXT NOT NULL,
  posted_by      TEXT NOT NULL,
  posted_at      TIMESTAMPTZ NOT NULL,
  correlation_id TEXT NOT NULL
);
CREATE INDEX incident_updates_incident_idx ON incident_updates (incident_id, id);
-- the status feed: external updates per scope, newest first
CREATE INDEX incident_updates_feed_idx ON incident_updates (tenant, project, id) WHERE audience = 'external';

-- One postmortem per incident: a generated markdown draft, edited and then published, or a link to one
-- kept elsewhere (external_url).
CREATE TABLE postmortems (
  id             TEXT PRIMARY KEY,
  incident_id    TEXT NOT NULL UNIQUE REFERENCES incidents (id),
  tenant         TEXT NOT NULL,
  project        TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  external_url   TEXT,
  markdown       TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL,
  published_at   TIMESTAMPTZ,
  CHECK ((status = 'published') = (published_at IS NOT NULL))
);
CREATE INDEX postmortems_scope_idx ON postmortems (tenant, project, id);

CREATE TABLE postmortem_action_items (
  id            TEXT PRIMARY KEY,
  postmortem_id TEXT NOT NULL REFERENCES postmortems (id),
  incident_id   TEXT NOT NULL REFERENCES incidents (id),
  tenant        TEXT NOT NULL,
  project       TEXT NOT NULL,
  position      INTEGER NOT NULL,
  title         TEXT NOT NULL,
  owner         TEXT NOT NULL,
  due_at        TIMESTAMPTZ NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('open', 'done')),
  done_at       TIMESTAMPTZ,
  CHECK ((status = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX postmortem_action_items_postmortem_idx ON postmortem_action_items (postmortem_id, position);
-- the action-items page and the overdue count: open items by due date, per scope
CREATE INDEX postmortem_action_items_open_idx ON postmortem_action_items (tenant, project, due_at) WHERE status = 'open';

-- Runbooks whose review a published postmortem made due now (the catalog's last_reviewed_at stays the
-- GitOps truth; a flag is cleared by a later review date in the catalog).
CREATE TABLE runbook_review_flags (
  runbook_id    TEXT NOT NULL,
  postmortem_id TEXT NOT NULL REFERENCES postmortems (id),
  incident_id   TEXT NOT NULL REFERENCES incidents (id),
  tenant        TEXT NOT NULL,
  project       TEXT NOT NULL,
  flagged_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (runbook_id, postmortem_id)
);

-- A person chose something other than the top recommendation (or rejected it), and why. The KPIs'
-- override rate counts these against requests made from recommendations.
CREATE TABLE recommendation_overrides (
  id                TEXT PRIMARY KEY,
  incident_id       TEXT NOT NULL REFERENCES incidents (id),
  tenant            TEXT NOT NULL,
  project           TEXT NOT NULL,
  top_action_id     TEXT NOT NULL,
  chosen_action_id  TEXT,
  kind              TEXT NOT NULL CHECK (kind IN ('chose_other', 'rejected')),
  reason            TEXT NOT NULL,
  approval_id       TEXT REFERENCES approvals (id),
  recorded_by       TEXT NOT NULL,
  recorded_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX recommendation_overrides_scope_idx ON recommendation_overrides (tenant, project, recorded_at);
