/**
 * Heartbeat alerts: the always-firing rules whose only job is to prove that the alert delivery path
 * (rule evaluation → Alertmanager or Grafana's notifier → Opsdeck's webhook) is alive. They arrive like
 * any alert but are counted per sender instead of opening an incident. Pure.
 *
 * Recognised by the label `opsdeck_heartbeat="true"` that the generated rules carry, and by the
 * `alertname="Watchdog"` of kube-prometheus-stack, so a cluster that already runs its Watchdog only has
 * to route it here (docs/heartbeat-and-freshness.md).
 */
import type { WebhookAlert } from './normalize';

export const HEARTBEAT_LABEL = 'opsdeck_heartbeat';
export const WATCHDOG_ALERTNAME = 'Watchdog';

export function isHeartbeat(alert: Pick<WebhookAlert, 'labels'>): boolean {
  return alert.labels[HEARTBEAT_LABEL] === 'true' || alert.labels.alertname === WATCHDOG_ALERTNAME;
}

/**
 * Splits a payload's alerts: the heartbeats that prove the path now (firing ones; a resolved heartbeat
 * means its rule stopped, which proves nothing), and the alerts the incident logic handles.
 */
export function splitHeartbeats<T extends Pick<WebhookAlert, 'labels' | 'status'>>(
  alerts: T[]
): { beats: number; alerts: Array<{ alert: T; index: number }> } {
  let beats = 0;
  const rest: Array<{ alert: T; index: number }> = [];
  alerts.forEach((alert, index) => {
    if (!isHeartbeat(alert)) {
      rest.push({ alert, index });
    } else if (alert.status === 'firing') {
      beats += 1;
    }
  });
  return { beats, alerts: rest };
}
