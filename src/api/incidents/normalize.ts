/**
 * One webhook alert (Grafana or Alertmanager) → the normalized alert the incident logic works with:
 * fingerprint, times, catalog runbooks, severity, grouping key, tenancy and the investigation
 * identifiers (correlation IDs, trace IDs, canonical resource name, host role). Pure: the catalog is
 * passed in, nothing is read or written.
 */
import { createHash } from 'node:crypto';

import type { AlertSource, AlertStatus } from '../../contract/alerts';
import { CORRELATION_ID_PATTERN, HostRole, RESOURCE_NAME_PATTERN, type Severity } from '../../contract/common';
import { PLATFORM_PROJECT, PLATFORM_TENANT } from '../../contract/incidents';
import type { Catalog } from '../../catalog/model';
import { labelFingerprint } from './fingerprint';
import { alertSeverity } from './severity';

/** What both senders send per alert (the contract validates the rest). */
export interface WebhookAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL: string;
  /** Grafana only: the link to silence this alert. */
  silenceURL?: string;
  fingerprint?: string;
}

/** The parts of the catalog the intake reads. */
export type IntakeCatalog = Pick<Catalog, 'signals' | 'runbooks' | 'runbooksBySignal' | 'queries' | 'grouping'>;

export interface NormalizedAlert {
  fingerprint: string;
  source: AlertSource;
  alertname: string;
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  /** Only for resolved alerts: when it ended (the receive time when the sender gave none). */
  endsAt: Date | null;
  generatorUrl: string | null;
  /** Where to silence it at its sender (http(s) only). */
  silenceUrl: string | null;
  signalKey: string | null;
  signalGroup: string | null;
  /** Catalog runbooks: the `runbook_id` annotation's first, then the signal's. */
  runbookIds: string[];
  missingRunbook: boolean;
  severity: Severity;
  groupingKey: string;
  tenant: string;
  project: string;
  title: string;
  service: string | null;
  ownerTeam: string | null;
  queryId: string | null;
  correlationIds: string[];
  traceIds: string[];
  resourceName: string | null;
  hostRole: HostRole | null;
  sloBurnRate: number | null;
}

export interface NormalizeProblem {
  path: string;
  message: string;
}

/**
 * A key that fits PostgreSQL's B-tree indexes (a tuple must stay under ~2.7 kB; tenant, project and
 * grouping key share one): longer values keep their start and a hash of the whole, so distinct values
 * stay distinct. Rejecting the alert instead would make the sender retry its whole group forever.
 */
export function boundedKey(value: string, maxLength: number): string {
  if (value.length <= maxLength) {
    return value;
  }
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 16);
  return `${value.slice(0, maxLength - 18)}~${digest}`;
}

/** Only http(s) links reach the page: a sender's URL is data, and a javascript: link would run on click. */
export function httpUrl(value: string | undefined): string | null {
  if (!value) {
    return null;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The Silence link of one alert: Grafana sends its own silenceURL; for Alertmanager the silence form of
 * its UI, pre-filled with every label of the alert as an exact matcher (`…/#/silences/new?filter={…}`).
 */
export function silenceUrlOf(
  alert: WebhookAlert,
  context: { source: AlertSource; externalUrl?: string }
): string | null {
  if (context.source === 'grafana') {
    return httpUrl(alert.silenceURL);
  }
  const base = httpUrl(context.externalUrl);
  if (!base) {
    return null;
  }
  const matchers = Object.keys(alert.labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(alert.labels[name])}`)
    .join(', ');
  return `${base.replace(/\/+$/, '')}/#/silences/new?filter=${encodeURIComponent(`{${matchers}}`)}`;
}

/** Go's zero time (and anything before 1970) means "unset" in both senders' payloads. */
export function parseSenderTime(value: string | undefined): Date | null {
  if (!value) {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getTime() <= 0 ? null : date;
}

const TRACE_ID_PATTERN = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const HOST_ROLES: ReadonlySet<string> = new Set(HostRole.options);

/** Values of a label or annotation (labels first), split on commas and whitespace for the plural names. */
function valuesOf(alert: WebhookAlert, names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    for (const source of [alert.labels, alert.annotations]) {
      const value = source[name];
      if (value) {
        out.push(...value.split(/[\s,]+/).filter(Boolean));
      }
    }
  }
  return [...new Set(out)];
}

function firstOf(alert: WebhookAlert, name: string): string | null {
  return alert.labels[name] || alert.annotations[name] || null;
}

/**
 * The grouping key from catalog/grouping.yaml: the value of the first `key_labels` name the alert
 * carries (label, else annotation), then `/value` for each `scope_labels` label present.
 */
export function groupingKeyOf(
  labels: Record<string, string>,
  annotations: Record<string, string>,
  grouping: IntakeCatalog['grouping'],
  fallback: string
): string {
  const signal = grouping.key_labels.map((name) => labels[name] || annotations[name]).find(Boolean) ?? fallback;
  const scope = grouping.scope_labels.map((name) => labels[name]).filter(Boolean);
  return [signal, ...scope].join('/');
}

export function normalizeAlert(
  alert: WebhookAlert,
  context: { source: AlertSource; catalog: IntakeCatalog; receivedAt: Date; index: number; externalUrl?: string },
  problems: NormalizeProblem[]
): NormalizedAlert | null {
  const { catalog } = context;
  const at = (field: string) => `alerts.${context.index}.${field}`;
  const startsAt = parseSenderTime(alert.startsAt);
  if (!startsAt) {
    problems.push({ path: at('startsAt'), message: 'startsAt must be a real time, not the zero time' });
  }
  let endsAt: Date | null = null;
  if (alert.status === 'resolved') {
    endsAt = parseSenderTime(alert.endsAt) ?? context.receivedAt;
    if (startsAt && endsAt.getTime() < startsAt.getTime()) {
      problems.push({ path: at('endsAt'), message: 'a resolved alert cannot end before it started' });
    }
  }
  if (!startsAt) {
    return null;
  }

  const fingerprint = alert.fingerprint ?? labelFingerprint(alert.labels);
  const signalKey = firstOf(alert, 'signal_key');
  const signal = signalKey ? catalog.signals.get(signalKey) : undefined;

  const runbookIds: string[] = [];
  for (const id of valuesOf(alert, ['runbook_id'])) {
    if (catalog.runbooks.has(id) && !runbookIds.includes(id)) {
      runbookIds.push(id);
    }
  }
  for (const id of signalKey ? (catalog.runbooksBySignal.get(signalKey) ?? []) : []) {
    if (catalog.runbooks.has(id) && !runbookIds.includes(id)) {
      runbookIds.push(id);
    }
  }
  const runbooks = runbookIds.map((id) => catalog.runbooks.get(id)!);

  const alertname = alert.labels.alertname || signalKey || fingerprint;
  const queryId = firstOf(alert, 'query_id');
  const resourceName = firstOf(alert, 'resource_name');
  const hostRole = firstOf(alert, 'host_role');
  const burn = Number(firstOf(alert, 'slo_burn_rate') ?? firstOf(alert, 'burn_rate') ?? Number.NaN);

  return {
    fingerprint,
    source: context.source,
    alertname,
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt,
    endsAt,
    generatorUrl: alert.generatorURL || null,
    silenceUrl: silenceUrlOf(alert, context),
    signalKey,
    signalGroup: signal?.group ?? null,
    runbookIds,
    missingRunbook: runbookIds.length === 0,
    severity: alertSeverity({
      label: alert.labels.severity,
      runbookHints: runbooks.map((runbook) => runbook.severity_hint),
      signalDefault: signal?.default_severity ?? null,
    }),
    groupingKey: boundedKey(groupingKeyOf(alert.labels, alert.annotations, catalog.grouping, alertname), 300),
    tenant: boundedKey(alert.labels.tenant || PLATFORM_TENANT, 128),
    project: boundedKey(alert.labels.project || PLATFORM_PROJECT, 128),
    title: alert.annotations.summary || alert.annotations.title || signal?.title || alertname,
    service: alert.labels.service || null,
    ownerTeam: runbooks[0]?.owner_team ?? null,
    queryId: queryId && catalog.queries.has(queryId) ? queryId : null,
    correlationIds: valuesOf(alert, ['correlation_id', 'correlation_ids']).filter((id) =>
      CORRELATION_ID_PATTERN.test(id)
    ),
    traceIds: valuesOf(alert, ['trace_id', 'trace_ids'])
      .map((id) => id.toLowerCase())
      .filter((id) => TRACE_ID_PATTERN.test(id)),
    // An identifier in the wrong format is left out rather than failing the whole payload: the sender
    // would retry a rejected payload forever, and the labels keep the raw value.
    resourceName: resourceName && RESOURCE_NAME_PATTERN.test(resourceName) ? resourceName : null,
    hostRole: hostRole !== null && HOST_ROLES.has(hostRole) ? (hostRole as HostRole) : null,
    sloBurnRate: Number.isFinite(burn) && burn >= 0 ? burn : null,
  };
}
