/**
 * Issue 15 point 1: the generated rules ship an always-firing heartbeat per sender, and every route that
 * carries it repeats well within the overview's stale threshold — otherwise a healthy path would look
 * silent between two repeats.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

import { STALE_AFTER_SECONDS } from '../../src/api/overview/assemble';
import { isHeartbeat } from '../../src/api/incidents/heartbeat';
import { grafanaRuleGroups, notificationPolicies } from '../../src/catalog/alerting/grafana';
import { generateFiles, loadGenerateInput } from '../../src/catalog/generate';

const ROOT = path.join(__dirname, '..', '..');

function seconds(duration: string): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+)([smhd])/g)) {
    total += Number(n) * units[unit];
  }
  return total;
}

interface Route {
  matchers?: string[];
  object_matchers?: string[][];
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}

const matchesHeartbeat = (route: Route) =>
  (route.matchers ?? []).some((m) => /^opsdeck_heartbeat\s*=\s*"?true"?$/.test(m)) ||
  (route.object_matchers ?? []).some(([name, op, value]) => name === 'opsdeck_heartbeat' && op === '=' && value === 'true');

function expectHeartbeatRoute(routes: Route[] | undefined, receiver: string) {
  const route = (routes ?? []).find(matchesHeartbeat);
  expect(route).toBeDefined();
  expect(route?.receiver).toBe(receiver);
  // The heartbeat repeats at repeat_interval (its group never changes): at least twice per stale window.
  expect(seconds(route?.repeat_interval ?? '')).toBeLessThanOrEqual(STALE_AFTER_SECONDS / 2);
  expect(seconds(route?.group_interval ?? '')).toBeLessThanOrEqual(seconds(route?.repeat_interval ?? ''));
}

describe('heartbeat rules and routes', () => {
  it('generates an always-firing Prometheus heartbeat that the intake recognises', async () => {
    const files = generateFiles(await loadGenerateInput(ROOT));
    const file = files.find((f) => f.path === 'alerts/prometheus/opsdeck-heartbeat.yaml');
    expect(file).toBeDefined();
    const rules = (YAML.parse(file?.content ?? '') as { groups: Array<{ rules: Array<Record<string, unknown>> }> })
      .groups.flatMap((group) => group.rules);
    expect(rules).toEqual([
      expect.objectContaining({
        alert: 'OpsdeckHeartbeat',
        expr: 'vector(1)',
        labels: expect.objectContaining({ opsdeck_heartbeat: 'true', severity: 'none' }),
      }),
    ]);
    expect(isHeartbeat({ labels: rules[0].labels as Record<string, string> })).toBe(true);
  });

  it('generates a Grafana-managed heartbeat that fires even when its query has no data or fails', async () => {
    const { catalog } = await loadGenerateInput(ROOT);
    const rule = grafanaRuleGroups(catalog)
      .flatMap((group) => group.rules)
      .find((candidate) => candidate.labels?.opsdeck_heartbeat === 'true');
    expect(rule).toMatchObject({ noDataState: 'Alerting', execErrState: 'Alerting', for: '0s' });
    expect(rule?.labels).toMatchObject({ severity: 'none', opsdeck_actionable: 'false' });
  });

  it("routes Grafana's heartbeat to Opsdeck repeating within the stale threshold", () => {
    const [root] = notificationPolicies();
    expectHeartbeatRoute(root.routes as Route[], 'opsdeck-api');
    // First, so that no other route swallows it.
    expect(matchesHeartbeat((root.routes as Route[])[0])).toBe(true);
  });

  it("routes Alertmanager's heartbeat to Opsdeck repeating within the stale threshold (deploy/alertmanager.yml)", () => {
    const config = YAML.parse(readFileSync(path.join(ROOT, 'deploy', 'alertmanager.yml'), 'utf8')) as { route: Route };
    expectHeartbeatRoute(config.route.routes, config.route.receiver ?? '');
    expect(matchesHeartbeat((config.route.routes ?? [])[0])).toBe(true);
  });
});
