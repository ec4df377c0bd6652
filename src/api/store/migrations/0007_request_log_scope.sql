-- 0007 request log: each record carries the tenant/project of the request that made it, so the
-- correlation lookup can keep a viewer of one project from reading another project's request records
-- (route, status, duration). Rows written before this migration, and requests made outside any project
-- (webhook deliveries, unauthenticated calls, `X-Project-ID: *`), stay NULL: like audit rows outside a
-- project, only a `*` caller sees them. The lookup filters by correlation_id first (indexed), so the
-- scope columns need no index of their own.
ALTER TABLE request_log
  ADD COLUMN tenant TEXT,
  ADD COLUMN project TEXT;
