-- 0007 approvals: client idempotency keys for POST /api/v1/approvals (issue 17 item 4). A client that
-- did not get an answer (timeout, 503, a 5xx after COMMIT) retries with the same Idempotency-Key and
-- gets the request it already made, instead of requesting (and maybe running) the action twice.
-- The key is the caller's: scoped to who asked and where, so two users' keys never collide. The
-- request's fingerprint tells a genuine retry from a different request reusing a key (409).
CREATE TABLE approval_idempotency (
  tenant          TEXT NOT NULL,
  project         TEXT NOT NULL,
  requested_by    TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash    TEXT NOT NULL,
  approval_id     TEXT NOT NULL REFERENCES approvals (id),
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant, project, requested_by, idempotency_key)
);
