/**
 * Severity of an alert and of an incident. Pure.
 *
 * An alert's severity is, in order of precedence:
 * 1. its `severity` label: `sev1`..`sev4` as is, or the common names critical → sev1,
 *    error|major|high → sev2, warning|minor|medium → sev3, info|low|none → sev4 (case-insensitive);
 * 2. the worst `severity_hint` of the catalog runbooks the alert attached;
 * 3. the default severity of its catalog signal;
 * 4. sev3.
 * An incident's severity is the worst of all its alerts' (resolved ones included: it never drops).
 */
import { SEVERITY_ORDER, type Severity } from '../../contract/common';

const SEVERITY_NAMES: Record<string, Severity> = {
  sev1: 'sev1',
  sev2: 'sev2',
  sev3: 'sev3',
  sev4: 'sev4',
  critical: 'sev1',
  error: 'sev2',
  major: 'sev2',
  high: 'sev2',
  warning: 'sev3',
  minor: 'sev3',
  medium: 'sev3',
  info: 'sev4',
  low: 'sev4',
  none: 'sev4',
};

export const DEFAULT_SEVERITY: Severity = 'sev3';

/** The severity a `severity` label names, or null when it names none we know. */
export function severityFromLabel(value: string | undefined): Severity | null {
  if (value === undefined) {
    return null;
  }
  return SEVERITY_NAMES[value.trim().toLowerCase()] ?? null;
}

/** The worst (lowest-numbered) of the given severities; null for none. */
export function worstSeverity(severities: Iterable<Severity | null | undefined>): Severity | null {
  let worst: Severity | null = null;
  for (const severity of severities) {
    if (severity && (worst === null || SEVERITY_ORDER[severity] < SEVERITY_ORDER[worst])) {
      worst = severity;
    }
  }
  return worst;
}

export function alertSeverity(input: {
  label: string | undefined;
  runbookHints: readonly Severity[];
  signalDefault: Severity | null;
}): Severity {
  return severityFromLabel(input.label) ?? worstSeverity(input.runbookHints) ?? input.signalDefault ?? DEFAULT_SEVERITY;
}
