import { checkQuerySyntax, sampleQueryText, unknownVariables } from '../../src/catalog/query-syntax';

describe('saved query syntax', () => {
  it.each([
    ['loki', '{service="$service"} | json | correlation_id="$correlation_id" | line_format "{{.msg}}"'],
    ['loki', 'sum by (host_role) (count_over_time({host_role="$host_role"} |= "error" [$window]))'],
    ['tempo', '{ trace:id = "$trace_id" }'],
    ['tempo', '{ resource.service.name = "$service" && status = error }'],
    ['prometheus', 'sum by (service) (rate(http_requests_total{service="$service",code=~"5.."}[$window]))'],
    ['prometheus', 'sum(rate(http_requests_total[$__rate_interval]))'],
  ] as const)('%s parses: %s', (datasource, expr) => {
    expect(checkQuerySyntax(datasource, expr)).toBeNull();
  });

  it.each([
    ['loki', '{service="$service" | json', 1],
    ['tempo', '{ trace:id = }', 1],
    ['prometheus', 'sum(rate(http_requests_total[5m])', 1],
    ['prometheus', 'rate(x[5m])\n  / by (service)', 2],
  ] as const)('%s reports a syntax error with its position: %s', (datasource, expr, line) => {
    const problem = checkQuerySyntax(datasource, expr);
    expect(problem).not.toBeNull();
    expect(problem?.line).toBe(line);
    expect(problem?.column).toBeGreaterThan(0);
  });

  it('substitutes sample values, escaped, before parsing', () => {
    expect(sampleQueryText('{a="$resource_name"} [$window]')).toBe(
      '{a="core42:aicloud:eu-west-1:t-acme:p-vision:allocation:alloc-42"} [5m]'
    );
  });

  it('names variables Opsdeck cannot fill, allowing Grafana globals', () => {
    expect(unknownVariables('{tenant="$tenant", s="${service}"} [$__interval] $1')).toEqual(['tenant']);
    expect(unknownVariables('rate(x[$window])')).toEqual([]);
  });
});
