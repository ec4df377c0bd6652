-- 0007 restore: an execution restored from a backup while it was pending or running may already have
-- been sent (and recorded as succeeded) by the source after the backup was taken. Such rows wait in
-- needs_reconciliation for an admin's decision instead of being re-sent by the worker, which only picks
-- up pending and expired running rows.
ALTER TABLE executions DROP CONSTRAINT executions_status_check;
ALTER TABLE executions ADD CONSTRAINT executions_status_check
  CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'needs_reconciliation'));
