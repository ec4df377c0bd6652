/**
 * What the remediation worker's steps (execute, verify, expire) and the audit-retention trigger need
 * from the running API, as plain values: the store, the clock, the catalog, the few settings they read,
 * fetch and a logger. `runner.ts` builds it from the Fastify instance, so the steps never import Fastify.
 */
import type { Catalog } from '../../../catalog/model';
import type { AuditContext } from '../../audit/append';
import type { Config } from '../../config';
import type { Store } from '../../store';
import type { Fetch } from '../executor';
import type { ApprovalRecord } from '../repository';

export const MINUTE = 60_000;
/** How many rows of each kind one tick takes on; the rest waits for the next tick. */
export const BATCH = 20;

/** The pino-style logger the steps write to (a Fastify child logger in the API). */
export interface WorkerLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface WorkerContext {
  store: Store;
  now(): Date;
  catalog(): Catalog;
  config: Pick<Config, 'executorBaseUrl' | 'executorToken' | 'prometheusUrl' | 'auditRetentionDays'>;
  fetch: Fetch;
  log(): WorkerLog;
  /** True once the API is shutting down: retries stop waiting. */
  closing(): boolean;
}

/** The worker writes audit rows as the system actor, in the approval's tenant and project. */
export const systemContext = (
  approval: Pick<ApprovalRecord, 'tenant' | 'project' | 'correlation_id'>
): AuditContext => ({
  actor: 'opsdeck',
  role: 'system',
  tenant: approval.tenant,
  project: approval.project,
  correlation_id: approval.correlation_id,
  source_ip: null,
});
