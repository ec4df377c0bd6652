import { aSloStatus, anIncidentSummary } from '../../../tests/fixtures/builders';
import { budgetBar, filterSlos, openIncidentOf, sliNow } from './slos';

const none = { service: '', team: '', state: '' };

describe('SLO page helpers', () => {
  const critical = aSloStatus({ id: 'a-critical', budget_policy_state: 'critical', error_budget_remaining: -1.5 });
  const depleted = aSloStatus({
    id: 'b-depleted',
    budget_policy_state: 'depleted',
    error_budget_remaining: -0.2,
    owner: 'fleet',
    service: 'fleet-agent',
  });
  const unknown = aSloStatus({ id: 'c-unknown', budget_policy_state: null, error_budget_remaining: null });
  const healthy = aSloStatus({ id: 'd-ok', budget_policy_state: 'remaining', error_budget_remaining: 0.9 });
  const tight = aSloStatus({ id: 'e-tight', budget_policy_state: 'remaining', error_budget_remaining: 0.1 });

  it('orders the worst budget first: critical, depleted, unknown, then the least left', () => {
    expect(filterSlos([healthy, unknown, tight, depleted, critical], none).map((s) => s.id)).toEqual([
      'a-critical',
      'b-depleted',
      'c-unknown',
      'e-tight',
      'd-ok',
    ]);
  });

  it('filters by service, team and the frozen states', () => {
    const all = [critical, depleted, unknown, healthy];
    expect(filterSlos(all, { ...none, service: 'fleet-agent' }).map((s) => s.id)).toEqual(['b-depleted']);
    expect(filterSlos(all, { ...none, team: 'core-api' }).map((s) => s.id)).toEqual([
      'a-critical',
      'c-unknown',
      'd-ok',
    ]);
    expect(filterSlos(all, { ...none, state: 'frozen' }).map((s) => s.id)).toEqual(['a-critical', 'b-depleted']);
  });

  it('reads the SLI now from the 5m burn rate, and says unknown without one', () => {
    // objective 99.9 → budget 0.001; 14.4× → error ratio 0.0144 → SLI 0.9856
    expect(sliNow({ objective: 99.9, burn_rates: { '5m': 14.4 } })).toBeCloseTo(0.9856, 10);
    expect(sliNow({ objective: 99.9, burn_rates: { '5m': null } })).toBeNull();
  });

  it('clamps the bar but keeps the real figure in the label', () => {
    expect(budgetBar(-0.4)).toEqual({ fill: 0, label: '-40%' });
    expect(budgetBar(0.425)).toEqual({ fill: 42.5, label: '42.5%' });
    expect(budgetBar(null)).toEqual({ fill: 0, label: 'unknown' });
  });

  it("links the newest open incident of the SLO's signal, none for another signal", () => {
    const older = anIncidentSummary({
      id: 'old',
      signal_key: 'api_error_rate_high',
      opened_at: '2026-11-23T08:00:00.000Z',
    });
    const newer = anIncidentSummary({
      id: 'new',
      signal_key: 'api_error_rate_high',
      opened_at: '2026-11-23T09:00:00.000Z',
    });
    const other = anIncidentSummary({
      id: 'other',
      signal_key: 'dlq_backlog_present',
      opened_at: '2026-11-23T10:00:00.000Z',
    });
    expect(openIncidentOf(healthy, [older, other, newer])?.id).toBe('new');
    expect(openIncidentOf(healthy, [other])).toBeNull();
    expect(openIncidentOf(aSloStatus({ signal_key: null }), [older])).toBeNull();
  });
});
