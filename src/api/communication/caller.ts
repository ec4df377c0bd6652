import type { AuditContext } from '../audit/append';
import type { RequestScope } from '../access/identity';

/**
 * Who acts, where, and when: what the communication and postmortem services need from a request,
 * so that they take no Fastify types (routes build it with `callerOf`).
 */
export interface Caller {
  user: string;
  scope: RequestScope | null;
  audit: AuditContext;
  now: Date;
}

/** The audit context filed under the incident's own project (also when the caller used `X-Project-ID: *`). */
export const auditIn = (caller: Caller, where: { tenant: string; project: string }): AuditContext => ({
  ...caller.audit,
  tenant: where.tenant,
  project: where.project,
});
