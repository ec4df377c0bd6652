// Pure formatting helpers shared by the pages (unit-tested in format.test.ts).
import type { Severity } from '../../contract/common';
import type { IncidentStatus } from '../../contract/incidents';
import type { HealthStatusLevel } from '../../contract/overview';

/** Compact duration: 45s, 12m, 3h 5m, 2d 4h. Null or negative reads as an em dash. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  const s = Math.floor(seconds);
  if (s < 60) {
    return `${s}s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours}h ${rest}m` : `${hours}h`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${days}d ${restHours}h` : `${days}d`;
}

/** Seconds between an ISO time and now. */
export function secondsSince(iso: string, now: number = Date.now()): number {
  return Math.max(0, (now - Date.parse(iso)) / 1000);
}

const trimNumber = (value: number, digits: number) => Number(value.toFixed(digits)).toString();

/** A signal value in its unit: ratios as percentages, seconds as ms/s, counts with their unit. */
export function formatSignalValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return 'no data';
  }
  switch (unit) {
    case 'ratio':
      return `${trimNumber(value * 100, value * 100 < 1 ? 2 : 1)}%`;
    case 'percent':
      return `${trimNumber(value, 1)}%`;
    case 'seconds':
      return value < 1 ? `${trimNumber(value * 1000, 0)} ms` : `${trimNumber(value, 2)} s`;
    default: {
      const shown = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : trimNumber(value, 2);
      return `${shown} ${unit}`;
    }
  }
}

/** "value vs threshold" as the health block states it, e.g. `2.4% (crit > 5%)`. */
export function thresholdText(block: {
  comparison: string;
  threshold: number | null;
  warn_threshold: number | null;
  unit: string;
}): string {
  if (block.threshold === null) {
    return 'no alarm level';
  }
  const crit = `crit ${block.comparison} ${formatSignalValue(block.threshold, block.unit)}`;
  return block.warn_threshold === null
    ? crit
    : `warn ${block.comparison} ${formatSignalValue(block.warn_threshold, block.unit)} · ${crit}`;
}

export const SEVERITIES: Severity[] = ['sev1', 'sev2', 'sev3', 'sev4'];

export const SEVERITY_LABEL: Record<Severity, string> = { sev1: 'SEV1', sev2: 'SEV2', sev3: 'SEV3', sev4: 'SEV4' };

/** Badge colours as @grafana/ui names them. */
export const SEVERITY_COLOR: Record<Severity, 'red' | 'orange' | 'blue' | 'darkgrey'> = {
  sev1: 'red',
  sev2: 'orange',
  sev3: 'blue',
  sev4: 'darkgrey',
};

export const HEALTH_COLOR: Record<HealthStatusLevel, 'green' | 'orange' | 'red' | 'darkgrey'> = {
  ok: 'green',
  warn: 'orange',
  crit: 'red',
  unknown: 'darkgrey',
};

export const HEALTH_LABEL: Record<HealthStatusLevel, string> = {
  ok: 'OK',
  warn: 'Warning',
  crit: 'Critical',
  unknown: 'No data',
};

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  detected: 'Detected',
  triaging: 'Triaging',
  mitigating: 'Mitigating',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
};

export const STATUS_COLOR: Record<IncidentStatus, 'red' | 'orange' | 'blue' | 'green' | 'darkgrey' | 'purple'> = {
  detected: 'red',
  triaging: 'orange',
  mitigating: 'orange',
  monitoring: 'blue',
  resolved: 'green',
  closed: 'darkgrey',
  reopened: 'purple',
};

/** Label of the button that moves an incident to `to`. */
export const TRANSITION_VERB: Record<IncidentStatus, string> = {
  detected: 'Back to detected',
  triaging: 'Start triage',
  mitigating: 'Start mitigation',
  monitoring: 'Watch (monitoring)',
  resolved: 'Resolve',
  closed: 'Close',
  reopened: 'Reopen',
};

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatPercent(fraction: number | null | undefined, digits = 0): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction)
    ? '—'
    : `${trimNumber(fraction * 100, digits)}%`;
}
