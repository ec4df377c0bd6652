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
import incidentLoop from './0008_incident_loop.sql';

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
  { version: 8, name: 'incident_loop', sql: incidentLoop },
];
