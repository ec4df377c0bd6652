/**
 * Error-budget and burn-rate arithmetic for a 30-day SLO period: the windows the rules record, the
 * multiwindow multi-burn-rate alert table (Google SRE workbook, chapter "Alerting on SLOs") and the
 * error budget policy states. Pure: the rule generator, the API and the tests share it.
 */
import type { BudgetPolicyState, ErrorBudgetPolicyFile, SloStatus } from '../../contract/slo';

export const SLO_PERIOD = '30d';
export const SLO_PERIOD_MINUTES = 30 * 24 * 60;

/** Every window an alert reads, shortest first; each gets an SLI error-ratio recording rule. */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SliWindow = (typeof SLI_WINDOWS)[number];

export type BurnSeverity = 'page' | 'ticket';

export interface BurnAlertWindow {
  severity: BurnSeverity;
  /** The window that measures the burn. */
  long: SliWindow;
  /** The window that makes the alert reset soon after the errors stop. */
  short: SliWindow;
  /** Burn rate (multiple of the error budget) both windows must reach. */
  factor: number;
}

/**
 * page: 14.4× over 1h (2% of the budget in an hour) and 6× over 6h (5% in six hours);
 * ticket: 3× over 1d (10% in a day) and 1× over 3d (10% in three days).
 */
export const BURN_ALERT_WINDOWS: readonly BurnAlertWindow[] = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '1d', short: '2h', factor: 3 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
];

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 24 * 60 };

export function windowMinutes(window: string): number {
  const match = /^(\d+)([mhd])$/.exec(window);
  if (!match) {
    throw new Error(`not a window: ${window}`);
  }
  return Number(match[1]) * UNIT_MINUTES[match[2]];
}

/** Rounds away binary noise (1 - 0.995 = 0.0050000000000000044) so rule files show 0.005. */
export const tidy = (value: number) => Number(value.toPrecision(12));

/** The error budget of an objective given in percent, as a ratio: 99.5 → 0.005. */
export function errorBudget(objectivePercent: number): number {
  return tidy((100 - objectivePercent) / 100);
}

/** The error ratio at which a burn-rate condition holds: factor × budget. */
export function burnThreshold(factor: number, budget: number): number {
  return tidy(factor * budget);
}

/** Fraction of the period's budget an alert condition has spent by the time it holds. */
export function budgetSpentWhenFiring(alert: BurnAlertWindow): number {
  return tidy((alert.factor * windowMinutes(alert.long)) / SLO_PERIOD_MINUTES);
}

/**
 * Minutes from the start of a constant burn (at constant traffic, after a clean period) until the
 * condition holds: the long window's ratio grows linearly and reaches factor × budget after
 * long × factor / burnRate; the short window is full long before. Infinity when the burn never gets there.
 */
export function minutesToFire(alert: BurnAlertWindow, burnRate: number): number {
  if (burnRate < alert.factor) {
    return Number.POSITIVE_INFINITY;
  }
  const long = windowMinutes(alert.long);
  const short = windowMinutes(alert.short);
  return Math.max((long * alert.factor) / burnRate, (short * alert.factor) / burnRate);
}

export const burnRate = (errorRatio: number, budget: number) => errorRatio / budget;

/** Fraction of the budget left after a period whose error ratio was `periodErrorRatio` (<0 = overspent). */
export const budgetRemaining = (periodErrorRatio: number, budget: number) => 1 - periodErrorRatio / budget;

/** The error budget policy state for the fraction of budget left (critical is overspent beyond depleted). */
export function policyState(remaining: number, policy: ErrorBudgetPolicyFile): BudgetPolicyState {
  if (remaining <= policy.thresholds.critical_at) {
    return 'critical';
  }
  if (remaining <= policy.thresholds.depleted_at) {
    return 'depleted';
  }
  return 'remaining';
}

/** The short window of a policy burn alert: 1/12 of the long one (SRE workbook), one we record. */
export const SHORT_WINDOW: Record<'1h' | '6h' | '1d' | '3d', SliWindow> = { '1h': '5m', '6h': '30m', '1d': '2h', '3d': '6h' };

/**
 * A policy burn alert ("P% of the period's budget within window W") as a burn-rate condition:
 * the factor is P/100 × period / W (2% in 1h → 14.4×; 5% in 1d → 1.5×).
 */
export function policyBurnWindow(
  alert: { budget_spent_percent: number; window: keyof typeof SHORT_WINDOW },
  severity: BurnSeverity
): BurnAlertWindow {
  const factor = tidy(((alert.budget_spent_percent / 100) * SLO_PERIOD_MINUTES) / windowMinutes(alert.window));
  return { severity, long: alert.window, short: SHORT_WINDOW[alert.window], factor };
}

/** The worst burn alert currently firing for an SLO. */
export function alertStateOf(firing: readonly string[]): SloStatus['alert_state'] {
  if (firing.includes('page')) {
    return 'page';
  }
  if (firing.includes('ticket')) {
    return 'ticket';
  }
  return 'ok';
}
