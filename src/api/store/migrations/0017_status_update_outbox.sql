-- Issue 12: status updates are published to the owner team's Slack and webhook channels through the
-- same outbox as pages (durable, written with the update, retried, one delivery key per channel).
ALTER TABLE notification_outbox DROP CONSTRAINT IF EXISTS notification_outbox_event_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_event_check
  CHECK (event IN ('opened', 'escalated', 'acknowledged', 'resolved', 'status_update'));
-- the update as posted (id, stage, audience, message, who, when); NULL for pages
ALTER TABLE notification_outbox ADD COLUMN status_update JSONB;
