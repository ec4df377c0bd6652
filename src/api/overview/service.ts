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

import { OpsOverview } from '../../contract/overview';
import type { RequestScope } from '../access/identity';
import type { IncidentRecord } from '../incidents/model';
import { breachCutoffs, presentResponse, readNextBreach, type ResponseRow } from '../oncall/response';
import type { CatalogHolder } from '../catalog-holder';
import type { Config } from '../config';
import type { Sql, Store } from '../store';
import { assembleOverview, FLEET_QUERIES, type MetricsSource, type OpenAggregates } from './assemble';
import { coalescing } from './coalesce';
import type { ProcessCounters } from './counters';
import { blockDefinitions } from './health';
import { countPendingApprovals } from '../approvals/pending-summary';
import { BackendError, queryAll } from '../prometheus';
import {
  readDeclaredRunbooks,
  readHeartbeats,
  readIncidentVersion,
  readOpenAggregates,
  readTopIncidents,
} from './repository';

const gzipAsync = promisify(gzip);

/** What changes without moving the incident counter, read every time: the counter itself, pending approvals, heartbeats. */
async function readVolatile(sql: Sql, scope: RequestScope | null, now: Date) {
  const [version, pendingApprovals, heartbeats] = await Promise.all([
    readIncidentVersion(sql),
    countPendingApprovals(sql, scope, now),
    readHeartbeats(sql),
  ]);
  return { version, pendingApprovals, heartbeats };
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

/**
 * Aggregates and top incidents of one scope, valid while the incident counter stays at `version` and
 * no response clock has fallen due since (`until`; the order puts breached clocks first).
 */
interface IncidentView {
  version: number;
  until: Date | null;
  aggregates: OpenAggregates;
  top: IncidentRecord[];
  breached: Set<string>;
  responses: Map<string, ResponseRow>;
  declaredRunbooks: Map<string, string[]>;
}

export function createOverviewService(app: OverviewDeps, counters: ProcessCounters): OverviewService {
  const scopes = new Map<string, RequestScope | null>();
  const views = new Map<string, IncidentView>();

  /**
   * The incident part of the overview. Reused only when the committed counter still equals the one
   * the view was read with (both in one snapshot) and no clock fell due since: then no incident
   * changed and no card moved, and the view is exactly current. Anything else is read again.
   */
  const incidentView = async (key: string, scope: RequestScope | null, version: number): Promise<IncidentView> => {
    const known = views.get(key);
    const now = app.now();
    if (known && known.version === version && version >= 0 && (!known.until || now < known.until)) {
      return known;
    }
    const catalog = app.catalog.current();
    const [aggregates, top, until] = await Promise.all([
      readOpenAggregates(app.store, scope),
      readTopIncidents(app.store, scope, breachCutoffs(catalog, now)),
      readNextBreach(app.store, catalog, scope, now),
    ]);
    const view = {
      version: aggregates.version === top.version ? aggregates.version : -1,
      until,
      aggregates: aggregates.aggregates,
      top: top.top,
      breached: top.breached,
      responses: top.responses,
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
    const { aggregates, top, declaredRunbooks, breached, responses } = await incidentView(key, scope, volatile.version);
    counters.sourceMode(metrics.mode);
    const overview = assembleOverview({
      now,
      catalog,
      explore: { datasourceUids: app.config.exploreDatasources, grafanaUrl: app.config.grafanaUrl },
      aggregates,
      top,
      declaredRunbooks,
      breached,
      // Presented now: a clock's status and "due in" move with time, not with the incident counter.
      responses: new Map(
        top.map((incident) => [incident.id, presentResponse(catalog, incident, responses.get(incident.id)!, now)])
      ),
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
