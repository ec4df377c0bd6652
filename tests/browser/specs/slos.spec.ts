/**
 * The SLO page (issue 18) against the real API with the repository's catalog. The browser suite's API
 * runs without Prometheus (in_memory), so the page must say plainly what is unknown and show the
 * states Alertmanager delivered: this spec delivers the policy's depleted alert for the
 * provisioning-dispatcher SLO through the real webhook, then reads the page in both themes.
 */
import { WEBHOOK_TOKEN } from '../support/api';
import { expect, test, testIds } from '../support/fixtures';

const DISPATCHER_SLO = 'provisioning-dispatcher-requests-success';

test.beforeAll(async () => {
  const apiUrl = process.env.OPSDECK_BROWSER_API_URL;
  if (!apiUrl) {
    throw new Error('global setup did not run (OPSDECK_BROWSER_API_URL is unset)');
  }
  // The alert as Prometheus renders the generated rule (alerts/prometheus/slo-provisioning-dispatcher.yaml).
  const response = await fetch(`${apiUrl}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
    body: JSON.stringify({
      version: '4',
      groupKey: '{}:{alertname="ErrorBudgetDepleted"}',
      status: 'firing',
      receiver: 'opsdeck',
      alerts: [
        {
          status: 'firing',
          labels: {
            alertname: 'ErrorBudgetDepleted',
            category: 'availability',
            opsdeck_budget_alert: 'depleted',
            owner: 'provisioning',
            severity: 'critical',
            signal_key: 'provisioning_failure_rate_high',
            sloth_id: DISPATCHER_SLO,
            sloth_service: 'provisioning-dispatcher',
            sloth_slo: 'requests-success',
            sloth_window: '30d',
          },
          annotations: {
            summary:
              'provisioning-dispatcher requests-success: SLO violated: the 30d error budget is depleted; error budget remaining (30d): -4.022%.',
            runbook_id: 'provisioning.pipeline.failures',
            runbook_url: '/a/opsdeck-ops-app/runbooks/provisioning.pipeline.failures',
            dashboard_url: '/d/opsdeck-slo-burn?viewPanel=503',
          },
          startsAt: new Date(Date.now() - 30 * 60_000).toISOString(),
        },
      ],
    }),
  });
  expect(response.status).toBeLessThan(300);
});

for (const theme of ['dark', 'light'] as const) {
  test(`SLO page (${theme}): every SLO, the delivered depleted state with its obligation, unknown said plainly`, async ({
    page,
    host,
  }) => {
    await host.open('slos', { theme });
    const rows = page.getByTestId(testIds.slos.row);
    await expect(rows).toHaveCount(5);
    await expect(page.getByTestId(testIds.slos.sourceMode)).toHaveAttribute('data-source-mode', 'in_memory');
    await expect(page.getByTestId(testIds.slos.sourceMode)).toContainText('budgets and burn rates are unknown');

    // worst first: the depleted SLO leads, with what the policy obliges and its links
    const dispatcher = rows.first();
    await expect(dispatcher).toHaveAttribute('data-slo-id', DISPATCHER_SLO);
    await expect(dispatcher).toHaveAttribute('data-state', 'depleted');
    await expect(dispatcher.getByTestId(testIds.slos.obligation)).toContainText('Feature freeze');
    await expect(dispatcher).toContainText('Policy: SLO violated (depleted)');
    await expect(dispatcher.getByTestId(testIds.slos.runbookLink)).toHaveAttribute(
      'href',
      /\/a\/opsdeck-ops-app\/runbooks\/provisioning\.pipeline\.failures/
    );
    await expect(dispatcher.getByTestId(testIds.slos.dashboardLink)).toHaveAttribute('href', /viewPanel=504/);
    await expect(dispatcher.getByTestId(testIds.slos.incidentLink)).toHaveAttribute('href', /\/incidents\//);

    // without Prometheus the others are unknown, not ok
    const latency = page.locator(`[data-slo-id="api-gateway-requests-latency"]`);
    await expect(latency).toHaveAttribute('data-state', 'unknown');
    await expect(latency).toContainText('State unknown');
    await expect(latency.getByTestId(testIds.slos.budgetBar)).toHaveAttribute('aria-valuetext', 'unknown');
    await host.screenshot(`slos-${theme}`);
  });
}

test('SLO page filters by service and by team, kept in the URL', async ({ page, host }) => {
  await host.open('slos?service=api-gateway');
  const rows = page.getByTestId(testIds.slos.row);
  await expect(rows).toHaveCount(2);
  for (const id of await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-slo-id')))) {
    expect(id).toMatch(/^api-gateway-/);
  }
  await host.open('slos?team=fleet');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('team fleet');
});

test('the Decision Header shows the SLOs in critical or depleted and links to them', async ({ page, host }) => {
  await host.open('ops');
  const tile = page.getByTestId(testIds.slos.headerTile);
  await expect(tile.getByTestId(testIds.slos.headerSlo)).toHaveCount(1);
  await expect(tile.getByTestId(testIds.slos.headerSlo)).toHaveAttribute('data-slo-id', DISPATCHER_SLO);
  await tile.getByRole('link', { name: 'See what the policy requires' }).click();
  await expect(page.getByTestId(testIds.slos.row)).toHaveCount(1);
  await expect(page.getByTestId(testIds.slos.row)).toHaveAttribute('data-state', 'depleted');
});
