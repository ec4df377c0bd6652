/**
 * The ops overview from what was read: open-incident aggregates, the top incidents, the pending
 * approvals, the senders' heartbeats, and either the backend's PromQL samples or the process counters.
 * Pure, so the ordering, the fallbacks and the guidance are tested directly.
 */
import { HostRole, SEVERITY_ORDER, Severity } from '../../contract/common';
import type { AlertSource } from '../../contract/alerts';
import type {
  DeliveryPath,
  FleetRow,
  HealthBlock,
  IncidentCard,
  OpsOverview,
  SourceMode,
} from '../../contract/overview';
import type { ExploreTarget } from '../../catalog/explore';
import type { IncidentResponse } from '../../contract/oncall';
import type { IncidentRecord } from '../incidents/model';
import { firstSavedQuery, runbookRefs, savedQueryLink, type PresentCatalog } from '../incidents/present';
import type { WindowSummary } from './counters';
import {
  blockDefinitions,
  healthBlock,
  healthStatus,
  investigationPath,
  worstValue,
  type BlockDefinition,
  type HealthCatalog,
} from './health';
import type { Sample } from '../prometheus';

/** The action_required list shows the worst incidents first, at most this many (the header counts them all). */
export const ACTION_REQUIRED_LIMIT = 25;
/**
 * A sender whose heartbeat is older than this is silent. The heartbeat routes repeat every 1 minute
 * (repeat_interval must stay well below this: docs/heartbeat-and-freshness.md).
 */
export const STALE_AFTER_SECONDS = 300;
export const MAX_SERVICE_ROWS = 30;
export const MAX_INVESTIGATION_QUERIES = 15;
export const CORRELATION_SEARCH_ENDPOINT = '/api/v1/correlations/{correlation_id}';

/** One group of open incidents (by severity, host role, service, signal or saved query). */
export interface OpenGroup {
  open: number;
  firing: number;
  worst: Severity;
}

export interface OpenAggregates {
  bySeverity: Map<Severity, OpenGroup>;
  byHostRole: Map<string, OpenGroup>;
  byService: Map<string, OpenGroup>;
  bySignal: Map<string, OpenGroup>;
  byQuery: Map<string, OpenGroup>;
}

/** The fleet PromQL of `backend` mode, after the health blocks' queries. */
export const FLEET_QUERIES = [
  'sum by (host_role) (increase(http_requests_total[5m]))',
  'sum by (host_role) (increase(http_requests_total{code=~"5.."}[5m]))',
  'sum by (service) (increase(http_requests_total[5m]))',
  'sum by (service) (increase(http_requests_total{code=~"5.."}[5m]))',
] as const;

export type MetricsSource =
  | { mode: 'backend'; blockSamples: Sample[][]; fleetSamples: Sample[][] }
  | {
      mode: 'in_memory';
      window: WindowSummary;
      saturation: number;
      platformRoles: Record<HostRole, { requests: number; errors: number }>;
      /** Set when a backend is configured and failed: what failed. */
      failure: { reason: string; message: string } | null;
    };

export interface HeartbeatRead {
  source: AlertSource;
  lastAt: Date;
  count: number;
}

/**
 * The delivery path from the heartbeats, the same in both source modes: a Prometheus backend being
 * reachable says nothing about Alertmanager → Opsdeck, and a quiet night without alerts is not stale.
 */
export function deliveryPath(
  heartbeats: HeartbeatRead[],
  now: Date
): { delivery: DeliveryPath; freshness: number | null } {
  const senders = heartbeats.map((beat) => {
    const age = Math.max(0, Math.round((now.getTime() - beat.lastAt.getTime()) / 1000));
    return {
      source: beat.source,
      last_heartbeat_at: beat.lastAt.toISOString(),
      age_seconds: age,
      heartbeats: beat.count,
      late: age > STALE_AFTER_SECONDS,
    };
  });
  const silent = senders.filter((sender) => sender.late).map((sender) => sender.source);
  const state = senders.length === 0 ? 'unproven' : silent.length > 0 ? 'silent' : 'alive';
  const freshness = senders.length === 0 ? null : Math.max(...senders.map((sender) => sender.age_seconds));
  return { delivery: { state, senders, silent_senders: silent }, freshness };
}

export interface OverviewInput {
  now: Date;
  catalog: PresentCatalog & HealthCatalog;
  explore: ExploreTarget;
  aggregates: OpenAggregates;
  top: IncidentRecord[];
  /** Runbook IDs the alerts of no-runbook incidents declared, by incident (see readDeclaredRunbooks). */
  declaredRunbooks?: Map<string, string[]>;
  /** Top incidents with a response clock past due and not done (they sort first inside a severity). */
  breached?: ReadonlySet<string>;
  /** The response object of each top incident, at `now`. */
  responses?: Map<string, IncidentResponse>;
  pendingApprovals: number;
  /** Each sender's latest firing heartbeat (senders that never sent one are absent). */
  heartbeats: HeartbeatRead[];
  metrics: MetricsSource;
  prometheusUrl: string | null;
}

export function degradedGuidance(prometheusUrl: string, failure: { reason: string; message: string }): string {
  return (
    `Metrics backend failed (${failure.reason}: ${failure.message}), so this answer fell back to in_memory: ` +
    `golden blocks show this Opsdeck API replica's own requests over the last 5 minutes and domain blocks ` +
    `only what open incidents say; fleet request counts are this replica's since it started. Check that ` +
    `OPSDECK_PROMETHEUS_URL (${prometheusUrl}) is reachable from the API and that Prometheus answers /-/ready ` +
    `within 2 s; runbook ops.metrics.source_mode.`
  );
}

function incidentCard(input: OverviewInput, incident: IncidentRecord): IncidentCard {
  const context = { catalog: input.catalog, explore: input.explore };
  return {
    incident_id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    signal_key: incident.signal_key,
    owner_team: incident.owner_team,
    tenant: incident.tenant,
    project: incident.project,
    opened_at: incident.opened_at.toISOString(),
    age_seconds: Math.max(0, Math.round((input.now.getTime() - incident.opened_at.getTime()) / 1000)),
    runbooks: runbookRefs(input.catalog, incident.runbook_ids),
    missing_runbook: incident.missing_runbook,
    // Against the catalog now: an ID added since the alert arrived is no longer "unknown".
    unknown_runbook_ids: (input.declaredRunbooks?.get(incident.id) ?? []).filter(
      (id) => !input.catalog.runbooks.has(id)
    ),
    first_saved_query: firstSavedQuery(context, incident),
    slo_burn_rate: incident.slo_burn_rate,
    firing_alerts: incident.firing_count,
    response: input.responses?.get(incident.id),
    clock_breached: input.breached?.has(incident.id) ?? false,
  };
}

/**
 * Cards in decision order: severity, then a breached response clock first (issue 11), then SLO burn
 * (known and higher first), then age (older first).
 */
type CardOrder = Pick<IncidentRecord, 'id' | 'severity' | 'slo_burn_rate' | 'opened_at'> & { breached?: boolean };

export function compareCards(a: CardOrder, b: CardOrder): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    Number(b.breached ?? false) - Number(a.breached ?? false) ||
    (b.slo_burn_rate ?? -1) - (a.slo_burn_rate ?? -1) ||
    a.opened_at.getTime() - b.opened_at.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

const STATUS_RANK = { ok: 0, unknown: 1, warn: 2, crit: 3 } as const;

/** The status the firing open incidents of the block's signal give it (sev1/sev2 crit, else warn), if any fire. */
function incidentsOf(block: BlockDefinition, aggregates: OpenAggregates) {
  const group = block.signal_key ? aggregates.bySignal.get(block.signal_key) : undefined;
  if (!group || group.firing === 0) {
    return null;
  }
  const status = SEVERITY_ORDER[group.worst] <= SEVERITY_ORDER.sev2 ? ('crit' as const) : ('warn' as const);
  const text = `${group.open} open incident${group.open === 1 ? '' : 's'} of ${block.signal_key} firing (worst ${group.worst})`;
  return { status, open: group.open, text };
}

function inMemoryValue(key: string, metrics: Extract<MetricsSource, { mode: 'in_memory' }>): number | null {
  switch (key) {
    case 'latency_p95':
      return metrics.window.latencyP95Seconds;
    case 'traffic':
      return metrics.window.requestsPerSecond;
    case 'error_ratio':
      return metrics.window.errorRatio;
    case 'saturation':
      return metrics.saturation;
    default:
      return null;
  }
}

/**
 * One block per definition. A firing open incident of the block's signal always shows: the status is
 * never better than the incidents', in both modes. Without a backend, a block with such an incident
 * shows the incidents (not this process's figures beside them); a golden block without one shows this
 * API process's own counters and says so; a domain block without one has nothing to show.
 */
function healthBlocks(input: OverviewInput): HealthBlock[] {
  const { metrics } = input;
  return blockDefinitions(input.catalog).map((block, index) => {
    const path = investigationPath(block, input.catalog, input.explore);
    const incidents = incidentsOf(block, input.aggregates);
    const openIncidents = incidents?.open ?? 0;
    if (metrics.mode === 'backend') {
      const value = worstValue(
        (metrics.blockSamples[index] ?? []).map((sample) => sample.value),
        block.comparison
      );
      const measured = healthStatus(value, block);
      const status = incidents && STATUS_RANK[incidents.status] > STATUS_RANK[measured] ? incidents.status : measured;
      const basis = `Prometheus, every replica${incidents ? `; ${incidents.text}` : ''}`;
      return healthBlock(block, value, status, path, { measures: 'metrics_backend', basis, openIncidents });
    }
    if (incidents) {
      const basis = `No metrics backend: ${incidents.text}`;
      return healthBlock(block, null, incidents.status, path, { measures: 'open_incidents', basis, openIncidents });
    }
    const value = inMemoryValue(block.key, metrics);
    if (value === null) {
      const basis = `No metrics backend, and no open incident of ${block.signal_key ?? 'this signal'} fires`;
      return healthBlock(block, null, 'unknown', path, { measures: 'nothing', basis, openIncidents });
    }
    const basis = 'Measures this Opsdeck API process only, over the last 5 minutes (no metrics backend)';
    return healthBlock(block, value, healthStatus(value, block), path, {
      measures: 'api_process',
      basis,
      openIncidents,
    });
  });
}

function sumBy(samples: Sample[] | undefined, label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const sample of samples ?? []) {
    const key = sample.labels[label];
    if (key && Number.isFinite(sample.value)) {
      out.set(key, (out.get(key) ?? 0) + sample.value);
    }
  }
  return out;
}

function fleetRows(input: OverviewInput): FleetRow[] {
  const { metrics, aggregates } = input;
  const backend = metrics.mode === 'backend';
  const roleRequests = backend ? sumBy(metrics.fleetSamples[0], 'host_role') : null;
  const roleErrors = backend ? sumBy(metrics.fleetSamples[1], 'host_role') : null;
  const serviceRequests = backend ? sumBy(metrics.fleetSamples[2], 'service') : null;
  const serviceErrors = backend ? sumBy(metrics.fleetSamples[3], 'service') : null;

  const rows: FleetRow[] = HostRole.options.map((role) => {
    const group = aggregates.byHostRole.get(role);
    const counted = metrics.mode === 'in_memory' ? metrics.platformRoles[role] : null;
    return {
      kind: 'host_role',
      key: role,
      open_incidents: group?.open ?? 0,
      firing_alerts: group?.firing ?? 0,
      worst_severity: group?.worst ?? null,
      requests: counted ? counted.requests : (roleRequests?.get(role) ?? 0),
      errors: counted ? counted.errors : (roleErrors?.get(role) ?? 0),
    };
  });

  const services = new Set<string>([...aggregates.byService.keys(), ...(serviceRequests?.keys() ?? [])]);
  const serviceRows: FleetRow[] = [...services].map((service) => {
    const group = aggregates.byService.get(service);
    return {
      kind: 'service',
      key: service,
      open_incidents: group?.open ?? 0,
      firing_alerts: group?.firing ?? 0,
      worst_severity: group?.worst ?? null,
      requests: serviceRequests ? (serviceRequests.get(service) ?? 0) : null,
      errors: serviceErrors ? (serviceErrors.get(service) ?? 0) : null,
    };
  });
  serviceRows.sort(
    (a, b) =>
      b.open_incidents - a.open_incidents ||
      (a.worst_severity ? SEVERITY_ORDER[a.worst_severity] : 9) -
        (b.worst_severity ? SEVERITY_ORDER[b.worst_severity] : 9) ||
      (b.errors ?? 0) - (a.errors ?? 0) ||
      a.key.localeCompare(b.key)
  );
  return [...rows, ...serviceRows.slice(0, MAX_SERVICE_ROWS)];
}

function investigationQueries(
  input: OverviewInput,
  cards: IncidentCard[]
): OpsOverview['investigation_tools']['saved_queries'] {
  const context = { catalog: input.catalog, explore: input.explore };
  const ranked = (groups: Map<string, OpenGroup>) =>
    [...groups.entries()].sort(
      ([ka, a], [kb, b]) => SEVERITY_ORDER[a.worst] - SEVERITY_ORDER[b.worst] || b.open - a.open || ka.localeCompare(kb)
    );
  const reasons = new Map<string, string>();
  const plural = (n: number) => `${n} open incident${n === 1 ? '' : 's'}`;
  for (const [queryId, group] of ranked(input.aggregates.byQuery)) {
    if (!reasons.has(queryId)) {
      reasons.set(queryId, `named by the alerts of ${plural(group.open)} (worst ${group.worst})`);
    }
  }
  for (const [signalKey, group] of ranked(input.aggregates.bySignal)) {
    const signal = input.catalog.signals.get(signalKey);
    if (signal && !reasons.has(signal.query_id)) {
      reasons.set(signal.query_id, `${plural(group.open)} on ${signal.title} (worst ${group.worst})`);
    }
  }
  // One rule with the cards: the query a card offers (its incident's first saved query, which may come
  // from its runbook's citations) is always listed here too.
  for (const card of cards) {
    if (card.first_saved_query && !reasons.has(card.first_saved_query.id)) {
      reasons.set(card.first_saved_query.id, `first saved query of ${card.title} (${card.severity})`);
    }
  }
  const links = [];
  for (const [queryId, reason] of reasons) {
    const link = savedQueryLink(context, queryId, { window: '15m' });
    if (link) {
      links.push({ ...link, reason });
    }
    if (links.length >= MAX_INVESTIGATION_QUERIES) {
      break;
    }
  }
  return links;
}

export function assembleOverview(input: OverviewInput): OpsOverview {
  const { now, metrics } = input;
  const bySeverity = Object.fromEntries(
    Severity.options.map((severity) => [severity, input.aggregates.bySeverity.get(severity)?.open ?? 0])
  ) as Record<Severity, number>;
  const { delivery, freshness } = deliveryPath(input.heartbeats, now);
  const failure = metrics.mode === 'in_memory' ? metrics.failure : null;
  const sourceMode: SourceMode = metrics.mode;
  const cards = input.top
    .map((incident) => ({ ...incident, breached: input.breached?.has(incident.id) ?? false }))
    .sort(compareCards)
    .slice(0, ACTION_REQUIRED_LIMIT)
    .map((incident) => incidentCard(input, incident));
  return {
    decision_header: {
      generated_at: now.toISOString(),
      data_freshness_seconds: freshness,
      stale: delivery.state === 'silent',
      stale_after_seconds: STALE_AFTER_SECONDS,
      source_mode: sourceMode,
      degraded: failure !== null,
      guidance: failure && input.prometheusUrl ? degradedGuidance(input.prometheusUrl, failure) : null,
      open_incidents: { total: Object.values(bySeverity).reduce((sum, n) => sum + n, 0), by_severity: bySeverity },
      pending_approvals: input.pendingApprovals,
      delivery,
    },
    action_required: { cards },
    health_summary: { blocks: healthBlocks(input) },
    investigation_tools: {
      saved_queries: investigationQueries(input, cards),
      correlation_search: { endpoint: CORRELATION_SEARCH_ENDPOINT },
    },
    fleet_detail: { rows: fleetRows(input) },
  };
}
