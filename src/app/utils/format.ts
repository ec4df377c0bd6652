// Pure formatting helpers shared by the pages (unit-tested in format.test.ts).
import type { Severity } from '../../contract/common';
import type { IncidentStatus } from '../../contract/incidents';
import { orderOf, SEVERITY, type Vocabulary } from '../../contract/vocabulary';

/** A vocabulary's short words by state. */
export const labelsOf = <K extends string>(vocabulary: Vocabulary<K>) =>
  Object.fromEntries(Object.entries<{ label: string }>(vocabulary).map(([key, term]) => [key, term.label])) as Record<
    K,
    string
  >;

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

// Words, order and colours of the states come from the contract's vocabulary (shared with the datasource).
export const SEVERITIES: Severity[] = orderOf(SEVERITY);
export const SEVERITY_LABEL = labelsOf(SEVERITY);

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
