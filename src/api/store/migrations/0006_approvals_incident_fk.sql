-- 0006 approvals: every request belongs to an incident that exists. The service already answers 404
-- `incident_not_found` before it inserts; this makes the database hold the same rule for any other
-- writer (a script, a restore, a future route). Incidents are never deleted, so no ON DELETE rule.
-- Validated when it is added: an orphan already in a database stops the migration with its name
-- rather than being carried forward silently.
ALTER TABLE approvals
  ADD CONSTRAINT approvals_incident_fk FOREIGN KEY (incident_id) REFERENCES incidents (id);
