-- 0018 error budget freezes on approvals (issue 18). Numbered after the issue so that migrations other
-- branches add meanwhile (0007…) keep their numbers; the migrator applies versions in order.
-- budget_at_request: the action's service's error budget and the freeze it met, as the requester saw it
-- (JSON, see BudgetAtRequest in src/contract/approvals.ts); null for requests the policy does not touch.
-- min_admin_approvals / admin_approvals_received: break-glass needs admins among its approvers; the
-- decision UPDATE counts both in one statement, so concurrent deciders cannot skip the admin.
ALTER TABLE approvals ADD COLUMN budget_at_request JSONB;
ALTER TABLE approvals ADD COLUMN min_admin_approvals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE approvals ADD COLUMN admin_approvals_received INTEGER NOT NULL DEFAULT 0;
