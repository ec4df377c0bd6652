/**
 * GET /api/v1/admin/ops/overview, the I/O half: reads open-incident aggregates and the top incidents
 * (two queries over the partial indexes of open incidents), the pending approvals and the intake's
 * freshness, and the metrics (backend PromQL under a 2 s deadline, else the process counters) — all
 * at once — then assembles, validates and serialises the answer once for every caller of the same
 * scope that was waiting (see coalesce.ts: nothing is cached, every caller gets data read after it asked).
 */
import type { FastifyInstance } from 'fastify';

import type { Severity } from '../../contract/common';
import { OpsOverview } from '../../contract/overview';
import { incidentFrom, INCIDENT_COLUMNS, scopeSql } from '../incidents/repository';
import type { RequestScope } from '../plugins/auth';
import type { Row, Sql } from '../store';
import { assembleOverview, ACTION_REQUIRED_LIMIT, FLEET_QUERIES, type MetricsSource, type OpenAggregates, type OpenGroup } from './assemble';
import { coalescing } from './coalesce';
import type { ProcessCounters } from './counters';
import { blockDefinitions } from './health';
import { countPendingApprovals } from './pending-approvals';
import { BackendError, queryAll } from './prometheus';

export async function readOpenAggregates(sql: Sql, scope: RequestScope | null): Promise<OpenAggregates> {
  const params: unknown[] = [];
  const where = scopeSql(scope, params);
  const { rows } = await sql.query<Row>(
    `SELECT GROUPING(severity) AS g_severity, GROUPING(host_role) AS g_host_role, GROUPING(service) AS g_service,
            GROUPING(signal_key) AS g_signal, GROUPING(query_id) AS g_query,
            severity, host_role, service, signal_key, query_id,
            count(*)::int AS open, sum(firing_count)::int AS firing, min(severity) AS worst
       FROM incidents WHERE is_open AND ${where}
      GROUP BY GROUPING SETS ((severity), (host_role), (service), (signal_key), (query_id))`,
    params
  );
  const aggregates: OpenAggregates = { bySeverity: new Map(), byHostRole: new Map(), byService: new Map(), bySignal: new Map(), byQuery: new Map() };
  for (const row of rows) {
    const group: OpenGroup = { open: Number(row.open), firing: Number(row.firing ?? 0), worst: row.worst as Severity };
    if (Number(row.g_severity) === 0) {
      aggregates.bySeverity.set(row.severity as Severity, group);
    } else if (Number(row.g_host_role) === 0 && row.host_role) {
      aggregates.byHostRole.set(String(row.host_role), group);
    } else if (Number(row.g_service) === 0 && row.service) {
      aggregates.byService.set(String(row.service), group);
    } else if (Number(row.g_signal) === 0 && row.signal_key) {
      aggregates.bySignal.set(String(row.signal_key), group);
    } else if (Number(row.g_query) === 0 && row.query_id) {
      aggregates.byQuery.set(String(row.query_id), group);
    }
  }
  return aggregates;
}

export async function readTopIncidents(sql: Sql, scope: RequestScope | null, limit = ACTION_REQUIRED_LIMIT) {
  const params: unknown[] = [];
  const where = scopeSql(scope, params);
  params.push(limit);
  const { rows } = await sql.query<Row>(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE is_open AND ${where}
      ORDER BY severity, slo_burn_rate DESC NULLS LAST, opened_at, id LIMIT $${params.length}`,
    params
  );
  return rows.map(incidentFrom);
}

async function readLastAlertAt(sql: Sql): Promise<Date | null> {
  const { rows } = await sql.query<Row>('SELECT max(last_received_at) AS last FROM intake_state');
  const last = rows[0]?.last;
  return last === null || last === undefined ? null : last instanceof Date ? last : new Date(String(last));
}

async function readMetrics(app: FastifyInstance, counters: ProcessCounters): Promise<MetricsSource> {
  const url = app.config.prometheusUrl;
  const inMemory = (failure: { reason: string; message: string } | null): MetricsSource => ({
    mode: 'in_memory',
    window: counters.window(),
    saturation: counters.saturation(),
    platformRoles: counters.platformRoles(),
    failure,
  });
  if (!url) {
    return inMemory(null);
  }
  const blocks = blockDefinitions(app.catalog.current());
  try {
    const samples = await queryAll(url, [...blocks.map((block) => block.expr), ...FLEET_QUERIES], { at: app.now() });
    return { mode: 'backend', blockSamples: samples.slice(0, blocks.length), fleetSamples: samples.slice(blocks.length) };
  } catch (error) {
    const failure =
      error instanceof BackendError ? { reason: error.reason, message: error.message } : { reason: 'error', message: (error as Error).message };
    counters.backendError(failure.reason);
    app.log.warn({ reason: failure.reason, err: error }, 'overview metrics backend failed; answering from in_memory');
    return inMemory(failure);
  }
}

const scopeKey = (scope: RequestScope | null) =>
  scope === null ? 'none' : scope.kind === 'all' ? '*' : `${scope.tenant ?? ''}/${scope.project}`;

export interface OverviewService {
  /** The serialised, validated OpsOverview for the scope. */
  json(scope: RequestScope | null): Promise<string>;
}

export function createOverviewService(app: FastifyInstance, counters: ProcessCounters): OverviewService {
  const scopes = new Map<string, RequestScope | null>();
  const compute = async (key: string): Promise<string> => {
    const scope = scopes.get(key) ?? null;
    const now = app.now();
    const catalog = app.catalog.current();
    const [aggregates, top, pendingApprovals, lastAlertAt, metrics] = await Promise.all([
      readOpenAggregates(app.store, scope),
      readTopIncidents(app.store, scope),
      countPendingApprovals(app.store, scope, now),
      readLastAlertAt(app.store),
      readMetrics(app, counters),
    ]);
    counters.sourceMode(metrics.mode);
    const overview = assembleOverview({
      now,
      catalog,
      explore: { datasourceUids: app.config.exploreDatasources, grafanaUrl: app.config.grafanaUrl },
      aggregates,
      top,
      pendingApprovals,
      lastAlertAt,
      metrics,
      prometheusUrl: app.config.prometheusUrl,
    });
    // Validated once per computation, as the route's response schema would validate each answer.
    return JSON.stringify(OpsOverview.parse(overview));
  };
  const shared = coalescing(compute);
  return {
    json(scope) {
      const key = scopeKey(scope);
      scopes.set(key, scope);
      return shared(key);
    },
  };
}
