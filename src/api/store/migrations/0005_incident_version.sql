-- 0005 incidents: one counter that every change to `incidents` moves, in the same transaction. The
-- overview reads it in the same snapshot as its aggregates and keeps those aggregates only as long as
-- the committed counter has not moved: a reuse is then exactly current, never stale.
-- (Issue 4; 0004 is reserved for the SLO work.)

CREATE TABLE incident_version (
  id BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
  v  BIGINT NOT NULL
);
INSERT INTO incident_version (id, v) VALUES (TRUE, 0);

-- Statement-level, so a payload that changes 40 incidents moves it once. It runs at the end of the
-- writing statement; the row lock it takes is held to COMMIT, like the audit chain lock that follows.
CREATE FUNCTION incident_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE incident_version SET v = v + 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER incidents_version_bump AFTER INSERT OR UPDATE OR DELETE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION incident_version_bump();
CREATE TRIGGER incidents_version_bump_truncate AFTER TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION incident_version_bump();
