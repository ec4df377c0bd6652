import type { SavedQuery } from '../../contract/catalog';
import { evidenceLink, evidenceQueryValues, windowSince } from './evidence-links';

const OPENED = new Date('2026-07-15T10:00:00.000Z');
const after = (ms: number) => new Date(OPENED.getTime() + ms);
const MINUTE = 60_000;

describe('windowSince', () => {
  it('rounds the time since the incident opened up to a Prometheus duration, at least 5m', () => {
    expect(windowSince(OPENED, after(30_000))).toBe('5m');
    expect(windowSince(OPENED, after(42 * MINUTE + 1))).toBe('43m');
    expect(windowSince(OPENED, after(3 * 60 * MINUTE + 1))).toBe('4h');
    expect(windowSince(OPENED, after(3 * 24 * 60 * MINUTE + 1))).toBe('4d');
  });
});

describe('evidence links', () => {
  const query = {
    id: 'error_rate_by_service',
    title: 'Error ratio by service',
    datasource: 'prometheus',
    expr: 'sum(rate(http_requests_total{service="$service",code=~"5.."}[$window]))',
    default_range: 'now-1h',
  } as unknown as SavedQuery;
  const target = { datasourceUids: { prometheus: 'prom', loki: 'loki', tempo: 'tempo' } };
  const incident = {
    opened_at: OPENED,
    service: 'billing-api',
    host_role: null,
    resource_name: null,
    correlation_id: null,
    trace_id: null,
  };

  it('fills $service from the incident and $window from the time since it opened', () => {
    const link = evidenceLink(query, evidenceQueryValues(incident, after(20 * MINUTE)), target);
    expect(link.missing_variables).toEqual([]);
    expect(JSON.parse(new URLSearchParams(link.explore_url!.split('?')[1]).get('panes')!).opsdeck.queries[0].expr).toBe(
      'sum(rate(http_requests_total{service="billing-api",code=~"5.."}[20m]))'
    );
  });

  it('names the variable it cannot fill', () => {
    const link = evidenceLink(query, evidenceQueryValues({ ...incident, service: null }, after(MINUTE)), target);
    expect(link).toMatchObject({ explore_url: null, missing_variables: ['service'] });
  });
});
