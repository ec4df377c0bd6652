/**
 * The overview's health blocks: four golden signals and four domain signals, each with a threshold
 * and a deterministic investigation path (dashboard panel, saved query, runbook) that is there
 * whether the block is healthy or not. Pure.
 *
 * A block takes its PromQL, comparison, thresholds, unit, panel and saved query from its catalog
 * signal when the catalog has it (the catalog is the source of truth); the defaults below are the
 * same values, so that the page keeps its shape with any catalog.
 */
import type { Signal } from '../../contract/catalog';
import { absoluteLink, panelLink } from '../../contract/links';
import type { HealthBlock, HealthStatusLevel, InvestigationPath } from '../../contract/overview';
import type { Catalog } from '../../catalog/model';
import { savedQueryExploreLink, type ExploreTarget } from '../../catalog/explore';

export const GOLDEN_DASHBOARD_UID = 'opsdeck-golden-signals';
export const DOMAIN_DASHBOARD_UID = 'opsdeck-domain-signals';

type ComparisonOp = Signal['comparison'];

export interface BlockDefinition {
  key: string;
  kind: 'golden' | 'domain';
  title: string;
  /** Catalog signal the block shows, when it exists there. */
  signal_key: string | null;
  expr: string;
  comparison: ComparisonOp;
  /** null: no alarm level of its own (traffic); the block is then never crit or warn from its value. */
  threshold: number | null;
  warn_threshold: number | null;
  unit: string;
  dashboard_uid: string;
  panel_id: number;
  query_id: string;
  runbook_id: string | null;
  /** Value for `$service` in the saved query's Explore link. */
  service: string | null;
}

/** Golden signal blocks read the golden dashboard's panels 1 (latency), 2 (traffic), 3 (errors), 4 (CPU). */
const DEFAULT_BLOCKS: BlockDefinition[] = [
  {
    key: 'latency_p95',
    kind: 'golden',
    title: 'Latency p95',
    signal_key: 'api_latency_p95_high',
    expr: 'max(histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{service="api-gateway"}[5m]))))',
    comparison: '>',
    threshold: 1,
    warn_threshold: 0.5,
    unit: 'seconds',
    dashboard_uid: GOLDEN_DASHBOARD_UID,
    panel_id: 1,
    query_id: 'api_latency_p95_by_route',
    runbook_id: 'ops.api.latency',
    service: 'api-gateway',
  },
  {
    key: 'traffic',
    kind: 'golden',
    title: 'Traffic',
    signal_key: null,
    expr: 'sum(rate(http_requests_total[5m]))',
    // Traffic has no alarm level of its own (an outage shows as errors and latency).
    comparison: '<',
    threshold: null,
    warn_threshold: null,
    unit: 'requests/s',
    dashboard_uid: GOLDEN_DASHBOARD_UID,
    panel_id: 2,
    query_id: 'error_rate_by_service',
    runbook_id: 'ops.api.error_rate',
    service: 'api-gateway',
  },
  {
    key: 'error_ratio',
    kind: 'golden',
    title: 'Error ratio (5xx)',
    signal_key: 'api_error_rate_high',
    expr: 'sum by (service) (rate(http_requests_total{service="api-gateway",code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{service="api-gateway"}[5m]))',
    comparison: '>',
    threshold: 0.05,
    warn_threshold: 0.02,
    unit: 'ratio',
    dashboard_uid: GOLDEN_DASHBOARD_UID,
    panel_id: 3,
    query_id: 'error_rate_by_service',
    runbook_id: 'ops.api.error_rate',
    service: 'api-gateway',
  },
  {
    key: 'saturation',
    kind: 'golden',
    title: 'Saturation (CPU / memory)',
    signal_key: 'host_saturation_high',
    expr: 'max(1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))',
    comparison: '>',
    threshold: 0.9,
    warn_threshold: 0.8,
    unit: 'ratio',
    dashboard_uid: GOLDEN_DASHBOARD_UID,
    panel_id: 4,
    query_id: 'host_saturation',
    runbook_id: 'ops.host.saturation',
    service: null,
  },
  {
    key: 'queue_backlog',
    kind: 'domain',
    title: 'Queue / DLQ backlog',
    signal_key: 'dlq_backlog_present',
    expr: 'sum by (queue) (dlq_messages_pending)',
    comparison: '>',
    threshold: 0,
    warn_threshold: null,
    unit: 'messages',
    dashboard_uid: DOMAIN_DASHBOARD_UID,
    panel_id: 202,
    query_id: 'dlq_depth_by_queue',
    runbook_id: 'ops.queue.backlog',
    service: 'outbox-relay',
  },
  {
    key: 'outbox_relay',
    kind: 'domain',
    title: 'Outbox relay lag',
    signal_key: 'outbox_relay_degraded',
    expr: 'max by (service) (outbox_oldest_pending_age_seconds)',
    comparison: '>',
    threshold: 300,
    warn_threshold: 60,
    unit: 'seconds',
    dashboard_uid: DOMAIN_DASHBOARD_UID,
    panel_id: 201,
    query_id: 'outbox_relay_lag',
    runbook_id: 'ops.outbox.relay',
    service: 'outbox-relay',
  },
  {
    key: 'telemetry_freshness',
    kind: 'domain',
    title: 'Telemetry freshness',
    signal_key: 'fleet_telemetry_data_stale',
    expr: 'time() - max by (host_role, cluster) (fleet_telemetry_last_ingest_timestamp_seconds)',
    comparison: '>',
    threshold: 300,
    warn_threshold: 120,
    unit: 'seconds',
    dashboard_uid: DOMAIN_DASHBOARD_UID,
    panel_id: 802,
    query_id: 'fleet_telemetry_freshness',
    runbook_id: 'fleet.telemetry.pipeline',
    service: 'fleet-telemetry',
  },
  {
    key: 'database_latency',
    kind: 'domain',
    title: 'Database latency p95',
    signal_key: 'database_latency_high',
    expr: 'histogram_quantile(0.95, sum by (le, db) (rate(db_query_duration_seconds_bucket[5m])))',
    comparison: '>',
    threshold: 0.25,
    warn_threshold: 0.1,
    unit: 'seconds',
    dashboard_uid: DOMAIN_DASHBOARD_UID,
    panel_id: 301,
    query_id: 'db_query_latency_p95',
    runbook_id: 'ops.database.latency',
    service: null,
  },
];

export type HealthCatalog = Pick<Catalog, 'signals' | 'runbooks' | 'runbooksBySignal' | 'queries'>;

function fromSignal(block: BlockDefinition, signal: Signal, catalog: HealthCatalog): BlockDefinition {
  const runbook = catalog.runbooksBySignal.get(signal.key)?.find((id) => catalog.runbooks.has(id));
  return {
    ...block,
    expr: signal.expr,
    comparison: signal.comparison,
    threshold: signal.threshold,
    warn_threshold: signal.warn_threshold ?? null,
    unit: signal.unit,
    // Golden blocks keep their golden panel; domain blocks show their signal's panel.
    ...(block.kind === 'domain' ? { dashboard_uid: signal.dashboard.uid, panel_id: signal.dashboard.panel_id } : {}),
    query_id: signal.query_id,
    runbook_id: runbook ?? block.runbook_id,
    service: signal.owner_service,
  };
}

/** The eight blocks for this catalog, in display order (golden first). */
export function blockDefinitions(catalog: HealthCatalog): BlockDefinition[] {
  return DEFAULT_BLOCKS.map((block) => {
    const signal = block.signal_key ? catalog.signals.get(block.signal_key) : undefined;
    const resolved = signal ? fromSignal(block, signal, catalog) : block;
    return {
      ...resolved,
      runbook_id: resolved.runbook_id && catalog.runbooks.has(resolved.runbook_id) ? resolved.runbook_id : null,
    };
  });
}

function breaches(value: number, comparison: ComparisonOp, limit: number): boolean {
  switch (comparison) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
  }
}

/** crit past the threshold, warn past the warn threshold, ok otherwise; unknown without a value. */
export function healthStatus(
  value: number | null,
  block: Pick<BlockDefinition, 'comparison' | 'threshold' | 'warn_threshold'>
): HealthStatusLevel {
  if (value === null || Number.isNaN(value)) {
    return 'unknown';
  }
  if (block.threshold !== null && breaches(value, block.comparison, block.threshold)) {
    return 'crit';
  }
  if (block.warn_threshold !== null && breaches(value, block.comparison, block.warn_threshold)) {
    return 'warn';
  }
  return 'ok';
}

/** The worst of several series' values for the block's comparison: the highest for > and >=, the lowest for < and <=. */
export function worstValue(values: number[], comparison: ComparisonOp): number | null {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) {
    return null;
  }
  return comparison === '>' || comparison === '>=' ? Math.max(...finite) : Math.min(...finite);
}

export function investigationPath(
  block: BlockDefinition,
  catalog: HealthCatalog,
  explore: ExploreTarget
): InvestigationPath {
  const query = catalog.queries.get(block.query_id);
  const values = { window: '15m', ...(block.service ? { service: block.service } : {}) };
  return {
    dashboard_uid: block.dashboard_uid,
    panel_id: block.panel_id,
    dashboard_url: absoluteLink(explore.grafanaUrl, panelLink(block.dashboard_uid, block.panel_id)),
    query_id: block.query_id,
    explore_url: query ? savedQueryExploreLink(query, values, explore).url : null,
    runbook_id: block.runbook_id,
  };
}

/** What a block's figures rest on (HealthBlock.measures and .basis). */
export interface BlockBasis {
  measures: HealthBlock['measures'];
  basis: string;
  openIncidents: number;
}

export function healthBlock(
  block: BlockDefinition,
  value: number | null,
  status: HealthStatusLevel,
  investigation: InvestigationPath,
  basis: BlockBasis
): HealthBlock {
  return {
    key: block.key,
    kind: block.kind,
    title: block.title,
    value,
    unit: block.unit,
    comparison: block.comparison,
    threshold: block.threshold,
    warn_threshold: block.warn_threshold,
    status,
    measures: basis.measures,
    basis: basis.basis,
    open_incidents: basis.openIncidents,
    investigation,
  };
}
