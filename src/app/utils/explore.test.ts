import { aSavedQueryLink } from '../../../tests/fixtures/builders';
import { exploreHref, queryVariablesOf } from './explore';

const panesOf = (url: string) => JSON.parse(new URLSearchParams(url.split('?')[1]).get('panes') ?? '{}');

describe('exploreHref', () => {
  const url = aSavedQueryLink().explore_url;

  it("keeps the API's link when no UID is configured", () => {
    expect(exploreHref(url, 'prometheus', {})).toBe(url);
  });

  it('points the panes and their queries at the configured datasource UID', () => {
    const href = exploreHref(url, 'prometheus', { prometheusDatasourceUid: 'prom-eu' });
    expect(href).toMatch(/^\/explore\?/);
    const panes = panesOf(href ?? '');
    expect(panes.a.datasource).toBe('prom-eu');
    expect(panes.a.queries[0].datasource).toEqual({ type: 'prometheus', uid: 'prom-eu' });
    expect(panes.a.queries[0].expr).toBe('max(outbox_oldest_pending_age_seconds)');
  });

  it('returns null without a link and leaves unparseable links alone', () => {
    expect(exploreHref(null, 'loki', { lokiDatasourceUid: 'x' })).toBeNull();
    expect(exploreHref('/explore?panes=not-json', 'loki', { lokiDatasourceUid: 'x' })).toBe('/explore?panes=not-json');
  });
});

describe('queryVariablesOf', () => {
  it('lists $name and ${name} variables once, in order, ignoring unknown names', () => {
    expect(queryVariablesOf('{service="$service"} |= "${correlation_id}" | $other | $service')).toEqual([
      'service',
      'correlation_id',
    ]);
    expect(queryVariablesOf('sum(rate(x[5m]))')).toEqual([]);
  });
});
