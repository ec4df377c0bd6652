/**
 * What the approvals services need from the running API, as plain values (the route builds it from
 * the Fastify instance): the store, the clock, one catalog snapshot for the call, the settings they
 * read, how to hand an approved execution to the remediation worker, and a logger.
 */
import type { Catalog } from '../../catalog/model';
import type { Config } from '../config';
import type { Store } from '../store';
import type { WorkerLog } from './worker/context';

export interface ApprovalsContext {
  store: Store;
  now(): Date;
  catalog: Catalog;
  config: Pick<Config, 'prometheusUrl' | 'exploreDatasources' | 'grafanaUrl'>;
  /** Runs the approval's execution soon; called after the transaction that approved it committed. */
  kick(approvalId: string): void;
  log: Pick<WorkerLog, 'warn'>;
}
