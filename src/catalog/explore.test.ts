import type { SavedQuery } from '../contract/catalog';
import { exploreUrl, InvalidVariableError, savedQueryExploreLink, substituteVariables, variablesOf } from './explore';

const uids = { loki: 'loki-uid', tempo: 'tempo-uid', prometheus: 'prom-uid' };

function savedQuery(overrides: Partial<SavedQuery> = {}): SavedQuery {
  return {
    id: 'api_error_by_correlation_id',
    title: 'API errors by correlation ID',
    datasource: 'loki',
    expr: '{service="$service"} | json | correlation_id="${correlation_id}"',
    owner_service: 'api-gateway',
    description: 'Error log lines of one request',
    default_range: 'now-6h',
    ...overrides,
  };
}

describe('saved query variables', () => {
  it('finds $name and ${name} placeholders once each, in order', () => {
    expect(variablesOf('{a="$service"} |= "${correlation_id}" |= "$service" [$window]')).toEqual(['service', 'correlation_id', 'window']);
    expect(variablesOf('rate(x[5m])')).toEqual([]);
  });

  it('escapes values so they cannot break out of a string literal', () => {
    const { expr, missing } = substituteVariables('{a="$service"}', { service: 'api" } or {x="1' });
    expect(missing).toEqual([]);
    expect(expr).toBe('{a="api\\" } or {x=\\"1"}');
  });

  it('reports missing variables and keeps their placeholders', () => {
    const { expr, missing } = substituteVariables('{a="$service"} |= "$trace_id"', { service: 'api-gateway' });
    expect(missing).toEqual(['trace_id']);
    expect(expr).toBe('{a="api-gateway"} |= "$trace_id"');
  });

  it('accepts only durations for $window', () => {
    expect(substituteVariables('rate(x[$window])', { window: '15m' }).expr).toBe('rate(x[15m])');
    expect(() => substituteVariables('rate(x[$window])', { window: '5m]) or vector(1' })).toThrow(InvalidVariableError);
  });
});

describe('Explore links', () => {
  it('builds a schemaVersion=1 panes URL with the datasource UID and time range', () => {
    const url = new URL(exploreUrl('prometheus', 'up', { datasourceUids: uids, from: 'now-3h', grafanaUrl: 'https://grafana.example' }));
    expect(url.pathname).toBe('/explore');
    expect(url.searchParams.get('schemaVersion')).toBe('1');
    const panes = JSON.parse(url.searchParams.get('panes') as string);
    expect(panes.opsdeck).toEqual({
      datasource: 'prom-uid',
      queries: [{ refId: 'A', datasource: { type: 'prometheus', uid: 'prom-uid' }, expr: 'up' }],
      range: { from: 'now-3h', to: 'now' },
    });
  });

  it('uses TraceQL fields for Tempo', () => {
    const url = new URL(`http://g${exploreUrl('tempo', '{ trace:id = "abc" }', { datasourceUids: uids })}`);
    const query = JSON.parse(url.searchParams.get('panes') as string).opsdeck.queries[0];
    expect(query).toMatchObject({ queryType: 'traceql', query: '{ trace:id = "abc" }', datasource: { uid: 'tempo-uid' } });
  });

  it('links a saved query with its default range, or gives no URL when a variable is missing', () => {
    const ok = savedQueryExploreLink(savedQuery(), { service: 'api-gateway', correlation_id: 'req-12345678' }, { datasourceUids: uids });
    expect(ok.missing).toEqual([]);
    const panes = JSON.parse(new URL(`http://g${ok.url}`).searchParams.get('panes') as string);
    expect(panes.opsdeck.queries[0].expr).toBe('{service="api-gateway"} | json | correlation_id="req-12345678"');
    expect(panes.opsdeck.range.from).toBe('now-6h');

    const missing = savedQueryExploreLink(savedQuery(), { service: 'api-gateway' }, { datasourceUids: uids });
    expect(missing.url).toBeNull();
    expect(missing.missing).toEqual(['correlation_id']);
  });
});
