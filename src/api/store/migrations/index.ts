/**
 * The numbered migrations, in order. Each file is plain PostgreSQL that runs unchanged on PGlite.
 * Add a file `NNNN_<what>.sql` and list it here; never edit one that has shipped (the migrator
 * refuses to start when an applied migration's checksum changed).
 */
import foundation from './0001_foundation.sql';
import incidents from './0002_incidents.sql';
import approvalsAuditGuard from './0003_approvals_audit_guard.sql';
import incidentVersion from './0005_incident_version.sql';
import approvalsIncidentFk from './0006_approvals_incident_fk.sql';
import requestLogScope from './0007_request_log_scope.sql';
import approvalBudgetFreeze from './0008_approval_budget_freeze.sql';
import restoreReconciliation from './0009_restore_reconciliation.sql';
import catalogState from './0010_catalog_state.sql';
import approvalIdempotency from './0011_approval_idempotency.sql';
import heartbeats from './0012_heartbeats.sql';
import oncallResponse from './0013_oncall_response.sql';
import incidentLoop from './0014_incident_loop.sql';
import oncallScale from './0015_oncall_scale.sql';
import intakeScaling from './0016_intake_scaling.sql';
import statusUpdateOutbox from './0017_status_update_outbox.sql';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'incidents', sql: incidents },
  { version: 3, name: 'approvals_audit_guard', sql: approvalsAuditGuard },
  { version: 5, name: 'incident_version', sql: incidentVersion },
  { version: 6, name: 'approvals_incident_fk', sql: approvalsIncidentFk },
  { version: 7, name: 'request_log_scope', sql: requestLogScope },
  { version: 8, name: 'approval_budget_freeze', sql: approvalBudgetFreeze },
  { version: 9, name: 'restore_reconciliation', sql: restoreReconciliation },
  { version: 10, name: 'catalog_state', sql: catalogState },
  { version: 11, name: 'approval_idempotency', sql: approvalIdempotency },
  { version: 12, name: 'heartbeats', sql: heartbeats },
  { version: 13, name: 'oncall_response', sql: oncallResponse },
  { version: 14, name: 'incident_loop', sql: incidentLoop },
  { version: 15, name: 'oncall_scale', sql: oncallScale },
  { version: 16, name: 'intake_scaling', sql: intakeScaling },
  { version: 17, name: 'status_update_outbox', sql: statusUpdateOutbox },
];
