/**
 * The delivery path's heartbeat, one per sender: an always-firing rule (Prometheus's `Watchdog`
 * pattern) whose deliveries the Opsdeck intake counts instead of opening an incident. When they stop,
 * the ops page says "delivery path silent for 7m (Alertmanager)" — the only honest freshness signal
 * (docs/heartbeat-and-freshness.md).
 *
 * The routes repeat the heartbeat every minute: an always-firing group never changes, so Alertmanager
 * and Grafana re-send it only at repeat_interval, which must stay well below the overview's stale
 * threshold (5 minutes; tests/catalog/heartbeat.test.ts checks both senders' routes against it).
 */
import type { PrometheusRuleFile } from '../slo/rules';

export const HEARTBEAT_LABELS = { opsdeck_heartbeat: 'true', opsdeck_actionable: 'false', severity: 'none' } as const;
export const HEARTBEAT_ALERTNAME = 'OpsdeckHeartbeat';
export const HEARTBEAT_REPEAT_INTERVAL = '1m';
const SUMMARY = 'Always firing: proves that rule evaluation → notifier → Opsdeck webhook delivers';
const DESCRIPTION =
  'Heartbeat of the alert delivery path. Opsdeck counts it per sender and shows the path silent when it stops ' +
  'arriving; it never opens an incident. Do not silence it.';

export function prometheusHeartbeatFile(): PrometheusRuleFile {
  return {
    groups: [
      {
        name: 'opsdeck-heartbeat',
        interval: '30s',
        rules: [
          {
            alert: HEARTBEAT_ALERTNAME,
            expr: 'vector(1)',
            labels: { ...HEARTBEAT_LABELS },
            annotations: { summary: SUMMARY, description: DESCRIPTION },
          },
        ],
      },
    ],
  };
}

export const GRAFANA_HEARTBEAT = {
  uid: 'opsdeck_heartbeat',
  title: 'Opsdeck heartbeat',
  summary: SUMMARY,
  description: DESCRIPTION,
} as const;
