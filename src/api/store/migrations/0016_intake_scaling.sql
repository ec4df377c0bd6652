-- 0016 intake scales with replicas (issue 13 item 4): the three rows every payload used to lock until
-- COMMIT are gone, without weakening what they guaranteed.

-- 1. The audit chain is sequenced after commit. A transaction inserts its audit rows unchained (seq,
-- prev_hash and hash NULL) and takes no global lock; a sequencer (src/api/audit/sequencer.ts) then
-- chains the committed rows in batches, one sequencer at a time under the chain lock, so rows are hashed
-- in commit order. `seq` is the chain order the verifier walks; rows written before this migration keep
-- their hashes and get seq = id (they were chained in id order).
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;

-- The append-only guard admits exactly one UPDATE per row: chaining it, once, changing nothing but
-- seq, prev_hash and hash. Everything else stays refused as before.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('opsdeck.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL
     AND NEW.hash IS NOT NULL
     AND (OLD.hash IS NULL OR (OLD.hash = NEW.hash AND OLD.prev_hash = NEW.prev_hash))
     AND (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash']) = (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash']) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'only the retention purge may delete audit rows';
END
$$;

UPDATE audit_log SET seq = id;
CREATE UNIQUE INDEX audit_log_seq_idx ON audit_log (seq);
-- What the sequencer looks for: small, since rows leave it milliseconds after their commit.
CREATE INDEX audit_log_unchained_idx ON audit_log (id) WHERE seq IS NULL;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_chained_whole
  CHECK ((seq IS NULL AND hash IS NULL AND prev_hash IS NULL) OR (seq IS NOT NULL AND hash IS NOT NULL AND prev_hash IS NOT NULL));

-- 2. The incident change counter is sharded: a writing transaction moves the shard of its connection,
-- so concurrent payloads on different connections no longer queue on one row. The overview reads the
-- SUM of the shards in the same snapshot as its aggregates. Shards only grow, so the sum moves with
-- every committed change and equal sums mean no change: reuse stays exact (migration 0005).
CREATE TABLE incident_version_shards (
  shard SMALLINT PRIMARY KEY,
  v     BIGINT NOT NULL
);
INSERT INTO incident_version_shards (shard, v)
  SELECT s, CASE WHEN s = 0 THEN (SELECT v FROM incident_version) ELSE 0 END FROM generate_series(0, 63) AS s;

CREATE OR REPLACE FUNCTION incident_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE incident_version_shards SET v = v + 1 WHERE shard = pg_backend_pid() % 64;
  RETURN NULL;
END
$$;
-- The old single row stays (a process of the previous version reads it during a rolling upgrade) but
-- no longer moves; the previous version's overview then re-reads on every call, never stale.
UPDATE incident_version SET v = -1;

-- 3. Each sender's last-heard state is sharded the same way (every payload of one sender updated one
-- row). Readers aggregate per source: max of the times, sum of the counts.
ALTER TABLE intake_state ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE intake_state DROP CONSTRAINT intake_state_pkey;
ALTER TABLE intake_state ADD PRIMARY KEY (source, shard);
