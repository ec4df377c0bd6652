/**
 * The Golden Signals of every service: latency, traffic, errors, saturation (CPU, memory, queue depth,
 * DB load). One definition feeds both the Golden Signals dashboard (panel IDs 1–7, which the overview's
 * health blocks and the symptom table link to — never renumber them) and the Grafana alert rules for
 * the golden signals. Each alert attaches to the catalog signal the overview uses for that golden
 * signal, so its incident finds that signal's runbook.
 */
import type { Signal } from '../../contract/catalog';

export interface GoldenTarget {
  /** PromQL with the dashboard's `$service`, `$environment`, `$host_role` variables. */
  expr: string;
  legend: string;
}

export interface GoldenAlert {
  /** Stable rule UID suffix and alert title. */
  key: string;
  title: string;
  /** PromQL without dashboard variables: the whole fleet, one series per service/instance/queue/db. */
  expr: string;
  comparison: Signal['comparison'];
  threshold: number;
  for: string;
  severity: 'sev1' | 'sev2' | 'sev3';
  /** The catalog signal this golden signal belongs to (its runbook, its incident). */
  signalKey: string;
  summary: string;
}

export interface GoldenPanel {
  id: number;
  title: string;
  description: string;
  unit: string;
  targets: GoldenTarget[];
  /** Panels that answer "why": data links to this saved query in Explore and to the signal's runbook. */
  why: { queryId: string; signalKey: string } | null;
  alert: GoldenAlert | null;
}

/** Label matchers every golden panel applies (the dashboard's variables). */
const SCOPE = 'env=~"$environment", host_role=~"$host_role"';
const SERVICE_SCOPE = `service="$service", ${SCOPE}`;

export const GOLDEN_PANELS: readonly GoldenPanel[] = [
  {
    id: 1,
    title: 'Latency p50/p95/p99',
    description: 'Request duration quantiles of the selected service, from http_request_duration_seconds.',
    unit: 's',
    targets: [0.5, 0.95, 0.99].map((q) => ({
      expr: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${SERVICE_SCOPE}}[$__rate_interval])))`,
      legend: `p${Math.round(q * 100)}`,
    })),
    why: { queryId: 'api_latency_p95_by_route', signalKey: 'api_latency_p95_high' },
    alert: {
      key: 'golden_latency_p99_high',
      title: 'Golden signals: p99 latency above 2.5 s',
      expr: 'histogram_quantile(0.99, sum by (le, service) (rate(http_request_duration_seconds_bucket[5m])))',
      comparison: '>',
      threshold: 2.5,
      for: '10m',
      severity: 'sev3',
      signalKey: 'api_latency_p95_high',
      summary: 'p99 latency of {{ $labels.service }} is {{ humanizeDuration $values.A.Value }} (threshold 2.5 s)',
    },
  },
  {
    id: 2,
    title: 'Traffic',
    description: 'Requests per second of the selected service by status code.',
    unit: 'reqps',
    targets: [
      {
        expr: `sum by (code) (rate(http_requests_total{${SERVICE_SCOPE}}[$__rate_interval]))`,
        legend: '{{code}}',
      },
    ],
    why: null,
    alert: null,
  },
  {
    id: 3,
    title: 'Error ratio (4xx/5xx)',
    description: 'Share of responses of the selected service that are 4xx (caller errors) and 5xx (our errors).',
    unit: 'percentunit',
    targets: ['4', '5'].map((cls) => ({
      expr: `sum(rate(http_requests_total{${SERVICE_SCOPE}, code=~"${cls}.."}[$__rate_interval])) / sum(rate(http_requests_total{${SERVICE_SCOPE}}[$__rate_interval]))`,
      legend: `${cls}xx`,
    })),
    why: { queryId: 'error_rate_by_service', signalKey: 'api_error_rate_high' },
    alert: {
      key: 'golden_error_ratio_high',
      title: 'Golden signals: 5xx ratio above 5%',
      expr: 'sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))',
      comparison: '>',
      threshold: 0.05,
      for: '5m',
      severity: 'sev2',
      signalKey: 'api_error_rate_high',
      summary: '{{ $labels.service }} answers {{ humanizePercentage $values.A.Value }} of requests with a 5xx (threshold 5%)',
    },
  },
  {
    id: 4,
    title: 'CPU',
    description: 'CPU busy share per host of the selected environment and host role.',
    unit: 'percentunit',
    targets: [
      {
        expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle", ${SCOPE}}[$__rate_interval]))`,
        legend: '{{instance}}',
      },
    ],
    why: { queryId: 'host_saturation', signalKey: 'host_saturation_high' },
    alert: {
      key: 'golden_cpu_saturation_high',
      title: 'Golden signals: host CPU above 90%',
      expr: '1 - avg by (instance, host_role) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
      comparison: '>',
      threshold: 0.9,
      for: '15m',
      severity: 'sev3',
      signalKey: 'host_saturation_high',
      summary: 'CPU of {{ $labels.instance }} ({{ $labels.host_role }}) is {{ humanizePercentage $values.A.Value }} busy (threshold 90%)',
    },
  },
  {
    id: 5,
    title: 'Memory',
    description: 'Memory in use per host of the selected environment and host role.',
    unit: 'percentunit',
    targets: [
      {
        expr: `1 - max by (instance) (node_memory_MemAvailable_bytes{${SCOPE}} / node_memory_MemTotal_bytes{${SCOPE}})`,
        legend: '{{instance}}',
      },
    ],
    why: { queryId: 'host_saturation', signalKey: 'host_saturation_high' },
    alert: {
      key: 'golden_memory_saturation_high',
      title: 'Golden signals: host memory above 90%',
      expr: '1 - max by (instance, host_role) (node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)',
      comparison: '>',
      threshold: 0.9,
      for: '15m',
      severity: 'sev3',
      signalKey: 'host_saturation_high',
      summary: 'memory of {{ $labels.instance }} ({{ $labels.host_role }}) is {{ humanizePercentage $values.A.Value }} in use (threshold 90%)',
    },
  },
  {
    id: 6,
    title: 'Queue depth',
    description: 'Messages waiting per queue, dead-letter queues and pending outbox events.',
    unit: 'short',
    targets: [
      { expr: `sum by (queue) (queue_depth{${SCOPE}})`, legend: '{{queue}}' },
      { expr: `sum by (queue) (dlq_messages_pending{${SCOPE}})`, legend: 'DLQ {{queue}}' },
      { expr: `sum(outbox_pending_events{${SCOPE}})`, legend: 'outbox pending' },
    ],
    why: { queryId: 'dlq_depth_by_queue', signalKey: 'dlq_backlog_present' },
    alert: {
      key: 'golden_queue_depth_high',
      title: 'Golden signals: queue depth above 1000',
      expr: 'max by (queue) (queue_depth)',
      comparison: '>',
      threshold: 1000,
      for: '15m',
      severity: 'sev3',
      signalKey: 'dlq_backlog_present',
      summary: 'queue {{ $labels.queue }} holds {{ $values.A.Value }} messages (threshold 1000)',
    },
  },
  {
    id: 7,
    title: 'DB load',
    description: 'Connection pool use per database, and the p95 query duration.',
    unit: 'percentunit',
    targets: [
      { expr: `max by (db) (db_connections_in_use{${SCOPE}} / db_connections_max{${SCOPE}})`, legend: 'pool in use {{db}}' },
      {
        expr: `histogram_quantile(0.95, sum by (le, db) (rate(db_query_duration_seconds_bucket{${SCOPE}}[$__rate_interval])))`,
        legend: 'p95 query s {{db}}',
      },
    ],
    why: { queryId: 'db_query_latency_p95', signalKey: 'database_latency_high' },
    alert: {
      key: 'golden_db_pool_saturated',
      title: 'Golden signals: database pool above 90%',
      expr: 'max by (db) (db_connections_in_use / db_connections_max)',
      comparison: '>',
      threshold: 0.9,
      for: '10m',
      severity: 'sev2',
      signalKey: 'database_latency_high',
      summary: 'database {{ $labels.db }} uses {{ humanizePercentage $values.A.Value }} of its connection pool (threshold 90%)',
    },
  },
];
