/**
 * GET /api/v1/admin/ops/overview, the I/O half. Per computation it reads, at once: the incident change
 * counter with the pending approvals and each sender's heartbeat (one cheap round trip), and the metrics
 * (backend PromQL under a 2 s deadline, else the process counters). The incident part — one aggregate
 * over the partial index of open incidents (GROUPING SETS) and the top incidents in decision order —
 * is read again only when the committed counter moved since it was last read (migration 0005), so an
 * unchanged incident table costs no scan and a reused view is exactly current, never stale.
 * The answer is assembled, validated and serialised once for every caller of the same scope that was
 * waiting (coalesce.ts: every caller gets data read after it asked).
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

import { AlertSource } from '../../contract/alerts';
import type { Severity } from '../../contract/common';
import { OpsOverview } from '../../contract/overview';
import { incidentFrom, INCIDENT_COLUMNS } from '../incidents/repository';
import type { RequestScope } from '../access/identity';
import { scopeCondition } from '../access/scope';
import type { IncidentRecord } from '../incidents/model';
import type { CatalogHolder } from '../catalog-holder';
import type { Config } from '../config';
import type { Row, Sql, Store } from '../store';
import {
  assembleOverview,
  ACTION_REQUIRED_LIMIT,
  FLEET_QUERIES,
  type HeartbeatRead,
  type MetricsSource,
  type OpenAggregates,
  type OpenGroup,
} from './assemble';
import { coalescing } from './coalesce';
import type { ProcessCounters } from './counters';
import { blockDefinitions } from './health';
import { countPendingApprovals } from '../approvals/pending-summary';
import { BackendError, queryAll } from '../prometheus';

const gzipAsync = promisify(gzip);

/** The committed value of the incident change counter (migration 0005), in the reader's snapshot. */
const VERSION_SQL = '(SELECT v FROM incident_version)';

export async function readOpenAggregates(
  sql: Sql,
  scope: RequestScope | null
): Promise<{ version: number; aggregates: OpenAggregates }> {
  const params: unknown[] = [];
  const where = scopeCondition(scope, params);
  const { rows } = await sql.query<Row>(
    `SELECT ${VERSION_SQL} AS version, GROUPING(severity) AS g_severity, GROUPING(host_role) AS g_host_role, GROUPING(service) AS g_service,
            GROUPING(signal_key) AS g_signal, GROUPING(query_id) AS g_query,
            severity, host_role, service, signal_key, query_id,
            count(*)::int AS open, sum(firing_count)::int AS firing, min(severity) AS worst
       FROM incidents WHERE is_open AND ${where}
      GROUP BY GROUPING SETS ((severity), (host_role), (service), (signal_key), (query_id))`,
    params
  );
  const aggregates: OpenAggregates = {
    bySeverity: new Map(),
    byHostRole: new Map(),
    byService: new Map(),
    bySignal: new Map(),
    byQuery: new Map(),
  };
  let version = rows.length > 0 ? Number(rows[0].version) : -1;
  if (rows.length === 0) {
    // No open incident: the counter still has to come from this statement's snapshot.
    const empty = await sql.query<Row>(
      `SELECT ${VERSION_SQL} AS version, EXISTS (SELECT 1 FROM incidents WHERE is_open AND ${where}) AS any`,
      params
    );
    version = empty.rows[0].any ? -1 : Number(empty.rows[0].version);
  }
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
  return { version, aggregates };
}

export async function readTopIncidents(
  sql: Sql,
  scope: RequestScope | null,
  limit = ACTION_REQUIRED_LIMIT
): Promise<{ version: number; top: IncidentRecord[] }> {
  const params: unknown[] = [];
  const where = scopeCondition(scope, params);
  params.push(limit);
  // The counter comes through a one-row join, so an empty result still carries it.
  const { rows } = await sql.query<Row>(
    `SELECT version.v AS version, top.* FROM (SELECT v FROM incident_version) AS version
       LEFT JOIN LATERAL (
         SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE is_open AND ${where}
          ORDER BY severity, slo_burn_rate DESC NULLS LAST, opened_at, id LIMIT $${params.length}) AS top ON TRUE`,
    params
  );
  return {
    version: Number(rows[0]?.version ?? -1),
    top: rows.filter((row) => row.id !== null && row.id !== undefined).map(incidentFrom),
  };
}

/**
 * The runbook IDs the alerts of no-runbook incidents declared (label or annotation `runbook_id`, which
 * may list several). Read only for those few incidents, so a card can name the ID the catalog lacks
 * instead of asking for an annotation the alert already has.
 */
export async function readDeclaredRunbooks(sql: Sql, incidents: IncidentRecord[]): Promise<Map<string, string[]>> {
  const ids = incidents.filter((incident) => incident.missing_runbook).map((incident) => incident.id);
  const declared = new Map<string, string[]>();
  if (ids.length === 0) {
    return declared;
  }
  const { rows } = await sql.query<Row>(
    `SELECT incident_id, labels->>'runbook_id' AS label, annotations->>'runbook_id' AS annotation
       FROM alerts WHERE incident_id = ANY($1::text[]) AND (labels ? 'runbook_id' OR annotations ? 'runbook_id')`,
    [ids]
  );
  for (const row of rows) {
    const id = String(row.incident_id);
    const values = [row.label, row.annotation]
      .filter((value): value is string => typeof value === 'string')
      .flatMap((value) => value.split(/[\s,]+/).filter(Boolean));
    declared.set(id, [...new Set([...(declared.get(id) ?? []), ...values])]);
  }
  return declared;
}

/** What changes without moving the incident counter, read every time: the counter itself, pending approvals, heartbeats. */
async function readVolatile(sql: Sql, scope: RequestScope | null, now: Date) {
  const [counter, pendingApprovals, beats] = await Promise.all([
    sql.query<Row>(`SELECT ${VERSION_SQL} AS version`),
    countPendingApprovals(sql, scope, now),
    sql.query<Row>(
      'SELECT source, last_heartbeat_at, heartbeats FROM intake_state WHERE last_heartbeat_at IS NOT NULL ORDER BY source'
    ),
  ]);
  const heartbeats: HeartbeatRead[] = beats.rows.map((row) => ({
    source: AlertSource.parse(row.source),
    lastAt: row.last_heartbeat_at instanceof Date ? row.last_heartbeat_at : new Date(String(row.last_heartbeat_at)),
    count: Number(row.heartbeats),
  }));
  return { version: Number(counter.rows[0]?.version ?? -1), pendingApprovals, heartbeats };
}

async function readMetrics(app: OverviewDeps, counters: ProcessCounters): Promise<MetricsSource> {
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
    return {
      mode: 'backend',
      blockSamples: samples.slice(0, blocks.length),
      fleetSamples: samples.slice(blocks.length),
    };
  } catch (error) {
    const failure =
      error instanceof BackendError
        ? { reason: error.reason, message: error.message }
        : { reason: 'error', message: (error as Error).message };
    counters.backendError(failure.reason);
    app.log.warn({ reason: failure.reason, err: error }, 'overview metrics backend failed; answering from in_memory');
    return inMemory(failure);
  }
}

/** What the overview reads from: plain values (the Fastify instance has them all, and passes itself). */
export interface OverviewDeps {
  store: Store;
  catalog: CatalogHolder;
  config: Pick<Config, 'prometheusUrl' | 'exploreDatasources' | 'grafanaUrl'>;
  now(): Date;
  log: { warn(details: Record<string, unknown>, message: string): void };
}

const scopeKey = (scope: RequestScope | null) =>
  scope === null ? 'none' : scope.kind === 'all' ? '*' : `${scope.tenant ?? ''}/${scope.project}`;

/** One validated OpsOverview, serialised once: UTF-8 JSON, and the same gzipped for callers that accept it. */
export interface OverviewAnswer {
  json: Buffer;
  gzip: Buffer;
}

export interface OverviewService {
  answer(scope: RequestScope | null): Promise<OverviewAnswer>;
}

/** Aggregates and top incidents of one scope, valid while the incident counter stays at `version`. */
interface IncidentView {
  version: number;
  aggregates: OpenAggregates;
  top: IncidentRecord[];
  declaredRunbooks: Map<string, string[]>;
}

export function createOverviewService(app: OverviewDeps, counters: ProcessCounters): OverviewService {
  const scopes = new Map<string, RequestScope | null>();
  const views = new Map<string, IncidentView>();

  /**
   * The incident part of the overview. Reused only when the committed counter still equals the one
   * the view was read with (both in one snapshot): then no incident changed since, and the view is
   * exactly current. Anything else is read again.
   */
  const incidentView = async (key: string, scope: RequestScope | null, version: number): Promise<IncidentView> => {
    const known = views.get(key);
    if (known && known.version === version && version >= 0) {
      return known;
    }
    const [aggregates, top] = await Promise.all([
      readOpenAggregates(app.store, scope),
      readTopIncidents(app.store, scope),
    ]);
    const view = {
      version: aggregates.version === top.version ? aggregates.version : -1,
      aggregates: aggregates.aggregates,
      top: top.top,
      // Alerts only change with the incident counter, so this belongs to the same cached view.
      declaredRunbooks: await readDeclaredRunbooks(app.store, top.top),
    };
    if (view.version >= 0) {
      views.set(key, view);
    } else {
      views.delete(key);
    }
    return view;
  };

  const compute = async (key: string): Promise<OverviewAnswer> => {
    const scope = scopes.get(key) ?? null;
    const now = app.now();
    const catalog = app.catalog.current();
    const [volatile, metrics] = await Promise.all([readVolatile(app.store, scope, now), readMetrics(app, counters)]);
    const { aggregates, top, declaredRunbooks } = await incidentView(key, scope, volatile.version);
    counters.sourceMode(metrics.mode);
    const overview = assembleOverview({
      now,
      catalog,
      explore: { datasourceUids: app.config.exploreDatasources, grafanaUrl: app.config.grafanaUrl },
      aggregates,
      top,
      declaredRunbooks,
      pendingApprovals: volatile.pendingApprovals,
      heartbeats: volatile.heartbeats,
      metrics,
      prometheusUrl: app.config.prometheusUrl,
    });
    // Validated once per computation, as the route's response schema would validate each answer,
    // and encoded (and compressed, off the event loop) once for every caller it serves.
    const json = Buffer.from(JSON.stringify(OpsOverview.parse(overview)));
    return { json, gzip: await gzipAsync(json, { level: 6 }) };
  };
  const shared = coalescing(compute);
  return {
    answer(scope) {
      const key = scopeKey(scope);
      scopes.set(key, scope);
      return shared(key);
    },
  };
}
