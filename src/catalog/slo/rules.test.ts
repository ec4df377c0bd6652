import path from 'node:path';

import type { SlothSpec } from '../../contract/slo';
import { anErrorBudgetPolicy } from '../../../tests/fixtures/builders';
import { runbookUrlMatches } from '../lint/rules/alerts';
import { loadCatalog } from '../load';
import type { Catalog } from '../model';
import { BURN_ALERT_WINDOWS, SLI_WINDOWS } from './burn';
import { promqlSyntaxErrors } from './promql';
import { sloRuleGroups, type AlertingRule, type RecordingRule } from './rules';
import { loadSlos, readErrorBudgetPolicy, resolveSlos, withWindow, type SloCatalogRefs, type SloSpecFile } from './spec';

const REPO = path.join(__dirname, '..', '..', '..');
const CATALOG = path.join(REPO, 'catalog');

const refs: SloCatalogRefs = {
  runbooks: new Set(['ops.api.error_rate']),
  queries: new Set(['error_rate_by_service']),
  signals: new Set(['api_error_rate_high']),
};

function specFile(overrides: Partial<SlothSpec['slos'][number]> = {}, file = 'slos/api.yaml'): SloSpecFile {
  return {
    file,
    spec: {
      version: 'prometheus/v1',
      service: 'api',
      labels: { owner: 'core-api' },
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          sli: {
            events: {
              error_query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
              total_query: 'sum(rate(http_requests_total[{{ .window }}]))',
            },
          },
          alerting: {
            name: 'ApiAvailability',
            labels: { signal_key: 'api_error_rate_high' },
            annotations: { runbook_id: 'ops.api.error_rate', query_id: 'error_rate_by_service' },
          },
          ...overrides,
        },
      ],
    },
  };
}

const policy = anErrorBudgetPolicy();

describe('resolving Sloth specs', () => {
  it('resolves a valid spec with Sloth ID, budget and the Opsdeck annotations', () => {
    const { slos, violations } = resolveSlos([specFile()], refs);
    expect(violations).toEqual([]);
    expect(slos).toHaveLength(1);
    expect(slos[0]).toMatchObject({
      id: 'api-availability',
      budget: 0.001,
      runbookId: 'ops.api.error_rate',
      queryId: 'error_rate_by_service',
      signalKey: 'api_error_rate_high',
      labels: { owner: 'core-api' },
    });
  });

  it('requires a runbook_id that names a runbook of the catalog', () => {
    const missing = resolveSlos([specFile({ alerting: { name: 'A', annotations: {} } })], refs);
    expect(missing.violations.map((v) => v.rule)).toEqual(['slo-runbook-missing']);
    const unknown = resolveSlos([specFile({ alerting: { name: 'A', annotations: { runbook_id: 'ops.nope.gone' } } })], refs);
    expect(unknown.violations.map((v) => v.rule)).toEqual(['slo-runbook-unknown']);
  });

  it('rejects unknown query IDs and signal keys, queries without {{.window}}, and duplicate IDs', () => {
    const bad = specFile({
      sli: { events: { error_query: 'sum(rate(errors[5m]))', total_query: 'sum(rate(total[{{.window}}]))' } },
      alerting: { name: 'A', labels: { signal_key: 'nope' }, annotations: { runbook_id: 'ops.api.error_rate', query_id: 'nope' } },
    });
    expect(resolveSlos([bad], refs).violations.map((v) => v.rule).sort()).toEqual(['slo-query-unknown', 'slo-signal-unknown', 'slo-window-missing']);
    expect(resolveSlos([specFile(), specFile({}, 'slos/again.yaml')], refs).violations.map((v) => v.rule)).toEqual(['slo-duplicate-id']);
  });

  it("substitutes Sloth's {{.window}} with or without spaces", () => {
    expect(withWindow('rate(x[{{.window}}]) + rate(y[{{ .window }}])', '1h')).toBe('rate(x[1h]) + rate(y[1h])');
  });
});

describe('generated rules of one SLO', () => {
  const [slo] = resolveSlos([specFile()], refs).slos;
  const groups = sloRuleGroups(slo, 2, policy);
  const rules = groups.flatMap((group) => group.rules);
  const recordings = rules.filter((rule): rule is RecordingRule => 'record' in rule);
  const slothGroup = groups.find((group) => group.name === 'opsdeck-slo-alerts-api-availability');
  const alerts = (slothGroup?.rules ?? []).filter((rule): rule is AlertingRule => 'alert' in rule);
  const policyGroup = groups.find((group) => group.name === 'opsdeck-slo-policy-alerts-api-availability');
  const policyAlerts = (policyGroup?.rules ?? []).filter((rule): rule is AlertingRule => 'alert' in rule);

  it('records the SLI for every window used, the period, budget, burn rates, remaining budget and policy state', () => {
    const sli = recordings.filter((rule) => rule.record.startsWith('slo:sli_error:ratio_rate')).map((rule) => rule.labels.sloth_window);
    expect(sli).toEqual([...SLI_WINDOWS, '30d']);
    const burn = recordings.filter((rule) => rule.record === 'slo:burn_rate:ratio').map((rule) => rule.labels.sloth_window);
    expect(burn).toEqual([...SLI_WINDOWS]);
    for (const name of ['slo:objective:ratio', 'slo:error_budget:ratio', 'slo:period_burn_rate:ratio', 'slo:period_error_budget_remaining:ratio']) {
      expect(recordings.map((rule) => rule.record)).toContain(name);
    }
    const states = recordings.filter((rule) => rule.record === 'slo:error_budget_policy_state');
    expect(states.map((rule) => rule.labels.state)).toEqual(['remaining', 'depleted', 'critical']);
    expect(states[1].expr).toContain('<= bool 0');
    expect(states[2].expr).toContain('<= bool -1');
    for (const rule of recordings) {
      expect(rule.labels).toMatchObject({ sloth_id: 'api-availability', sloth_service: 'api', sloth_slo: 'availability', owner: 'core-api' });
    }
  });

  it('fills the window into the SLI and keeps idle windows from recording NaN', () => {
    const oneHour = recordings.find((rule) => rule.record === 'slo:sli_error:ratio_rate1h');
    expect(oneHour?.expr).toBe('(sum(rate(http_requests_total{code=~"5.."}[1h])))\n/\n((sum(rate(http_requests_total[1h]))) > 0)');
  });

  it('pages on 14.4x/1h+5m or 6x/6h+30m and tickets on 3x/1d+2h or 1x/3d+6h', () => {
    const [page, ticket] = alerts;
    expect(page.labels).toMatchObject({ severity: 'critical', sloth_severity: 'page', signal_key: 'api_error_rate_high' });
    expect(ticket.labels).toMatchObject({ severity: 'warning', sloth_severity: 'ticket' });
    expect(page.expr).toContain('slo:sli_error:ratio_rate5m{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.0144');
    expect(page.expr).toContain('slo:sli_error:ratio_rate1h{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.0144');
    expect(page.expr).toContain('ratio_rate6h{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.006');
    expect(ticket.expr).toContain('ratio_rate1d{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.003');
    expect(ticket.expr).toContain('ratio_rate3d{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.001');
    expect(BURN_ALERT_WINDOWS).toHaveLength(4);
  });

  it('carries runbook, dashboard, saved query and a summary that states the budget left', () => {
    for (const rule of alerts) {
      expect(rule.annotations).toMatchObject({
        runbook_id: 'ops.api.error_rate',
        runbook_url: '/a/opsdeck-ops-app/runbooks/ops.api.error_rate',
        dashboard_url: '/d/opsdeck-slo-burn?viewPanel=304',
        query_id: 'error_rate_by_service',
      });
      expect(rule.annotations.summary).toContain('error budget remaining (30d): {{ with query `slo:period_error_budget_remaining:ratio{sloth_id="api-availability"}` }}');
    }
  });

  it('honours Sloth page_alert/ticket_alert overrides and never lets a spec replace the generated links', () => {
    const [custom] = resolveSlos(
      [
        specFile({
          alerting: {
            name: 'A',
            annotations: { runbook_id: 'ops.api.error_rate', runbook_url: 'https://wiki.example/rotting', summary: 'mine' },
            page_alert: { labels: { severity: 'pageteam' } },
            ticket_alert: { disable: true },
          },
        }),
      ],
      refs
    ).slos;
    const customAlerts = sloRuleGroups(custom, 0, policy)
      .filter((group) => !group.name.includes('policy-alerts'))
      .flatMap((group) => group.rules)
      .filter((rule): rule is AlertingRule => 'alert' in rule);
    expect(customAlerts).toHaveLength(1);
    expect(customAlerts[0].labels.severity).toBe('pageteam');
    expect(customAlerts[0].annotations.runbook_url).toBe('/a/opsdeck-ops-app/runbooks/ops.api.error_rate');
    expect(customAlerts[0].annotations.summary).toContain('error budget remaining');
  });

  it("adds the policy's alerts: fast burn 14.4x/1h+5m, slow burn 1.5x/1d+2h, 80% consumed, depleted", () => {
    expect(policyAlerts.map((rule) => [rule.alert, rule.labels.opsdeck_budget_alert, rule.labels.severity])).toEqual([
      ['ErrorBudgetFastBurn', 'fast_burn', 'critical'],
      ['ErrorBudgetSlowBurn', 'slow_burn', 'warning'],
      ['ErrorBudgetMostlyConsumed', 'consumed', 'warning'],
      ['ErrorBudgetDepleted', 'depleted', 'critical'],
    ]);
    const [fast, slow, consumed, depleted] = policyAlerts;
    // budget 0.001: 14.4 × 0.001 and 1.5 × 0.001
    expect(fast.expr).toContain('slo:sli_error:ratio_rate1h{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.0144');
    expect(fast.expr).toContain('ratio_rate5m{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.0144');
    expect(slow.expr).toContain('ratio_rate1d{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.0015');
    expect(slow.expr).toContain('ratio_rate2h{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} >= 0.0015');
    expect(consumed.expr).toBe('slo:period_error_budget_remaining:ratio{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} <= 0.2');
    expect(depleted.expr).toBe('slo:period_error_budget_remaining:ratio{sloth_id="api-availability", sloth_service="api", sloth_slo="availability"} <= 0');
    expect(fast.labels).toMatchObject({ sloth_severity: 'page', signal_key: 'api_error_rate_high' });
    expect(slow.labels).toMatchObject({ sloth_severity: 'ticket' });
    expect(depleted.labels.sloth_severity).toBeUndefined();
    for (const rule of policyAlerts) {
      expect(rule.annotations).toMatchObject({
        runbook_id: 'ops.api.error_rate',
        runbook_url: '/a/opsdeck-ops-app/runbooks/ops.api.error_rate',
        query_id: 'error_rate_by_service',
      });
      expect(rule.annotations.dashboard_url).toMatch(/^\/d\/opsdeck-slo-burn\?viewPanel=30[34]$/);
      expect(rule.annotations.summary).toContain('error budget remaining (30d): {{ with query');
    }
  });

  it('writes only PromQL that parses', () => {
    for (const rule of rules) {
      expect({ rule: 'record' in rule ? rule.record : rule.alert, errors: promqlSyntaxErrors(rule.expr) }).toEqual({
        rule: 'record' in rule ? rule.record : rule.alert,
        errors: [],
      });
    }
  });
});

describe('the repository SLOs', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadCatalog(CATALOG, { root: REPO });
  });

  it('include the platform golden-signal SLOs, each with a runbook of the catalog', async () => {
    const slos = await loadSlos(CATALOG, {
      runbooks: new Set(catalog.runbooks.keys()),
      queries: new Set(catalog.queries.keys()),
      signals: new Set(catalog.signals.keys()),
    });
    const byId = new Map(slos.map((slo) => [slo.id, slo]));
    expect(byId.get('api-gateway-requests-availability')?.objective).toBe(99.5);
    expect(byId.get('api-gateway-requests-latency')).toBeDefined();
    expect(byId.get('fleet-agent-communication-latency')?.objective).toBe(95);
    expect(byId.get('fleet-telemetry-telemetry-freshness')?.sli).toEqual({ kind: 'raw', errorRatioQuery: expect.stringContaining('> bool 300') });
    for (const slo of slos) {
      const runbook = catalog.runbooks.get(slo.runbookId);
      expect(runbook).toBeDefined();
      if (runbook) {
        expect(runbookUrlMatches(`/a/opsdeck-ops-app/runbooks/${slo.runbookId}`, runbook)).toBe(true);
      }
    }
  });

  it('read the error budget policy', async () => {
    const read = await readErrorBudgetPolicy(CATALOG);
    // critical is overspent beyond depleted: the policy's emergency freeze comes after its feature freeze
    expect(read.thresholds.critical_at).toBeLessThan(read.thresholds.depleted_at);
    expect(Object.keys(read.actions).sort()).toEqual(['critical', 'depleted', 'remaining']);
  });
});
