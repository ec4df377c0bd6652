import { parseRuleFile } from '../../src/catalog/alert-rules';

const PROMETHEUS = `groups:
  - name: api
    rules:
      - record: job:errors:rate5m
        expr: sum(rate(http_requests_total[5m]))
      - alert: "ApiErrorRateHigh"
        expr: x > 0.05
        labels:
          severity: sev2
          signal_key: api_error_rate_high
        annotations:
          runbook_id: ops.api.error_rate
          runbook_url: catalog/runbooks/api-error-rate.md
      - alert: Watchdog # always firing
        expr: vector(1)
        labels:
          severity: none
`;

const GRAFANA = JSON.stringify(
  {
    apiVersion: 1,
    groups: [
      {
        name: 'outbox',
        rules: [
          {
            uid: 'o1',
            title: 'Outbox relay degraded',
            labels: { opsdeck_actionable: 'false' },
            annotations: { runbook_id: ' ops.outbox.relay ' },
          },
        ],
      },
    ],
  },
  null,
  2
);

describe('alert rule files', () => {
  it('indexes Prometheus alerts with their line, runbook and signal, skipping recording rules', () => {
    const rules = parseRuleFile('alerts/prometheus/api.yaml', PROMETHEUS);
    expect(
      rules.map(({ name, kind, line, runbookId, runbookUrl, signal_key, actionable }) => ({
        name,
        kind,
        line,
        runbookId,
        runbookUrl,
        signal_key,
        actionable,
      }))
    ).toEqual([
      {
        name: 'ApiErrorRateHigh',
        kind: 'prometheus',
        line: 6,
        runbookId: 'ops.api.error_rate',
        runbookUrl: 'catalog/runbooks/api-error-rate.md',
        signal_key: 'api_error_rate_high',
        actionable: true,
      },
      {
        name: 'Watchdog',
        kind: 'prometheus',
        line: 14,
        runbookId: null,
        runbookUrl: null,
        signal_key: null,
        actionable: false,
      },
    ]);
  });

  it('indexes Grafana provisioning rules from JSON', () => {
    const [rule] = parseRuleFile('provisioning/alerting/outbox.json', GRAFANA);
    expect(rule).toMatchObject({
      name: 'Outbox relay degraded',
      kind: 'grafana',
      line: 9,
      runbookId: 'ops.outbox.relay',
      actionable: false,
      group: 'outbox',
    });
  });

  it('ignores files without rule groups and reports broken YAML with its line', () => {
    expect(parseRuleFile('alerts/alertmanager.yml', 'route:\n  receiver: opsdeck\n')).toEqual([]);
    expect(() => parseRuleFile('alerts/x.yaml', 'groups:\n  - name: a\n    rules: [\n')).toThrow(
      expect.objectContaining({ line: expect.any(Number) })
    );
  });
});
