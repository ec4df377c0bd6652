import type { AuditContext, Identity } from './identity';

/**
 * Who acts in a domain call, as plain values: the parts of the request's identity a service decides
 * on, and the audit context (with the correlation id) its audit and timeline rows record. Routes build
 * it from the request (plugins/auth.ts `actorOf`), so services never see Fastify. This is the one
 * "who does this" type of the API (it replaced the communication module's `Caller`).
 */
export interface Actor {
  user: Identity['user'];
  scope: Identity['scope'];
  capabilities: Identity['capabilities'];
  /** The access.yaml role where the request acts (null: no binding there). */
  scopeRole: Identity['scopeRole'];
  audit: AuditContext;
}

/**
 * An actor and the instant its request is handled (plugins/auth.ts `actorAt`). The incident,
 * status-update, postmortem and recommendation services have no clock of their own and stamp every
 * row of one call with this one `now`; the approvals services read theirs from `ApprovalsContext`
 * because the remediation worker shares it without any actor. "When" is not part of "who", hence
 * an extension rather than a field of `Actor`.
 */
export interface ActorAt extends Actor {
  now: Date;
}

/** The actor's audit context filed under the target's own project (also when the caller used `X-Project-ID: *`). */
export const auditContextIn = (actor: Actor, where: { tenant: string; project: string }): AuditContext => ({
  ...actor.audit,
  tenant: where.tenant,
  project: where.project,
});
