import type { ErrorBudgetPolicyFile } from '../../contract/slo';
import { anErrorBudgetPolicy } from '../../../tests/fixtures/builders';
import {
  alertStateOf,
  budgetRemaining,
  budgetSpentWhenFiring,
  BURN_ALERT_WINDOWS,
  burnRate,
  burnThreshold,
  errorBudget,
  minutesToFire,
  policyBurnWindow,
  policyState,
  SLI_WINDOWS,
  windowMinutes,
} from './burn';

const policy: ErrorBudgetPolicyFile = anErrorBudgetPolicy();

const alert = (severity: 'page' | 'ticket', long: string) => {
  const found = BURN_ALERT_WINDOWS.find((a) => a.severity === severity && a.long === long);
  if (!found) {
    throw new Error(`no ${severity} alert over ${long}`);
  }
  return found;
};

describe('error budget arithmetic', () => {
  it('turns objectives in percent into budgets without binary noise', () => {
    expect(errorBudget(99.5)).toBe(0.005);
    expect(errorBudget(99.9)).toBe(0.001);
    expect(errorBudget(95)).toBe(0.05);
    expect(burnThreshold(14.4, 0.005)).toBe(0.072);
    expect(burnThreshold(6, 0.001)).toBe(0.006);
  });

  it('reads windows in minutes', () => {
    expect(SLI_WINDOWS.map(windowMinutes)).toEqual([5, 30, 60, 120, 360, 1440, 4320]);
    expect(() => windowMinutes('1w')).toThrow('not a window');
  });

  it('records an SLI for every window an alert reads', () => {
    for (const a of BURN_ALERT_WINDOWS) {
      expect(SLI_WINDOWS).toContain(a.long);
      expect(SLI_WINDOWS).toContain(a.short);
      expect(windowMinutes(a.short)).toBeLessThan(windowMinutes(a.long));
    }
  });

  it('uses the workbook table: 2% in 1h and 5% in 6h page, 10% in 1d or 3d opens a ticket', () => {
    expect(BURN_ALERT_WINDOWS.map((a) => [a.severity, a.long, a.short, a.factor])).toEqual([
      ['page', '1h', '5m', 14.4],
      ['page', '6h', '30m', 6],
      ['ticket', '1d', '2h', 3],
      ['ticket', '3d', '6h', 1],
    ]);
    expect(BURN_ALERT_WINDOWS.map(budgetSpentWhenFiring)).toEqual([0.02, 0.05, 0.1, 0.1]);
  });

  it('predicts when a step burn fires each condition', () => {
    // the scenarios of alerts/tests/slo-api-gateway*.test.yaml
    expect(minutesToFire(alert('page', '1h'), 14.4)).toBe(60);
    expect(minutesToFire(alert('page', '6h'), 8)).toBe(270);
    expect(minutesToFire(alert('page', '1h'), 8)).toBe(Number.POSITIVE_INFINITY);
    expect(minutesToFire(alert('ticket', '1d'), 4)).toBe(1080);
    expect(minutesToFire(alert('ticket', '3d'), 2)).toBe(2160);
    expect(minutesToFire(alert('ticket', '1d'), 2)).toBe(Number.POSITIVE_INFINITY);
    for (const a of BURN_ALERT_WINDOWS) {
      expect(minutesToFire(a, 0.5)).toBe(Number.POSITIVE_INFINITY);
    }
    // a faster burn fires sooner
    expect(minutesToFire(alert('page', '1h'), 28.8)).toBe(30);
  });

  it('computes burn rate and budget left', () => {
    expect(burnRate(0.072, 0.005)).toBeCloseTo(14.4, 10);
    expect(budgetRemaining(0, 0.005)).toBe(1);
    expect(budgetRemaining(0.005, 0.005)).toBe(0);
    expect(budgetRemaining(0.072, 0.005)).toBeCloseTo(-13.4, 10);
  });
});

describe('error budget policy state', () => {
  it.each([
    [1, 'remaining'],
    [0.25, 'remaining'],
    [0.0001, 'remaining'],
    [0, 'depleted'],
    [-0.99, 'depleted'],
    [-1, 'critical'],
    [-3, 'critical'],
  ] as const)('%p of the budget left is %s', (remaining, state) => {
    expect(policyState(remaining, policy)).toBe(state);
  });
});

describe('policy burn alerts as burn-rate windows', () => {
  it('turns "P% of the 30-day budget within W" into factor P/100 × 30d / W with a short window of W/12', () => {
    // 2% of 720 h in 1 h = 14.4×; 5% of 30 d in 1 d = 1.5×
    expect(policyBurnWindow({ budget_spent_percent: 2, window: '1h' }, 'page')).toEqual({ severity: 'page', long: '1h', short: '5m', factor: 14.4 });
    expect(policyBurnWindow({ budget_spent_percent: 5, window: '1d' }, 'ticket')).toEqual({ severity: 'ticket', long: '1d', short: '2h', factor: 1.5 });
  });
});

describe('alert state of an SLO', () => {
  it('is the worst firing severity', () => {
    expect(alertStateOf([])).toBe('ok');
    expect(alertStateOf(['ticket'])).toBe('ticket');
    expect(alertStateOf(['ticket', 'page'])).toBe('page');
  });
});
