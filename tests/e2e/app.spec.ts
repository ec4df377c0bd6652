import { expect, test } from '@grafana/plugin-e2e';

import { testIds } from '../../src/app/testIds';
import { seedOnce, skipWithoutGrafana } from './setup';

const pluginId = 'opsdeck-ops-app';

test.skip(skipWithoutGrafana(), 'needs a real Grafana: set GRAFANA_URL');

test.beforeAll(async () => {
  await seedOnce();
});

test('ops page shows the five sections in order', async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/ops' });
  await expect(page.getByTestId(testIds.ops.incidentCard).first()).toBeVisible();
  const order = await page
    .getByTestId(testIds.ops.section)
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-section')));
  expect(order).toEqual([
    'decision_header',
    'action_required',
    'health_summary',
    'investigation_tools',
    'fleet_detail',
  ]);
  await expect(page.getByTestId(testIds.ops.missingRunbook).first()).toBeVisible();
});

test('incident page: checklist tick lands on the timeline', async ({ gotoAppPage, page }) => {
  const seeded = await seedOnce();
  await gotoAppPage({ pluginId, path: `/incidents/${seeded.outboxIncident}` });
  const step = page.getByTestId(testIds.incident.checklistStep).first();
  await step.getByRole('checkbox').check({ force: true });
  await expect(step).toHaveAttribute('data-checked', 'true');
  await expect(
    page.locator(`[data-testid="${testIds.incident.timelineEntry}"][data-kind="checklist_step_done"]`).first()
  ).toBeVisible();
});

test("a runbook deep link (an alert's runbook_url) opens the runbook", async ({ gotoAppPage, page }) => {
  await gotoAppPage({ pluginId, path: '/runbooks/ops.outbox.relay' });
  await expect(page.getByTestId(testIds.runbook.markdown)).toBeVisible();
  await expect(page.getByTestId(testIds.runbook.markdown).locator('script, iframe, form')).toHaveCount(0);
});

test('approve and reject, each with a comment', async ({ gotoAppPage, page }) => {
  const seeded = await seedOnce();
  await gotoAppPage({ pluginId, path: `/approvals/${seeded.approvals.toApprove}` });
  await page.getByTestId(testIds.approval.comment).fill('Checked the DLQ depth query; the fix is live.');
  await page.getByTestId(testIds.approval.approve).click();
  await expect(page.getByTestId(testIds.approval.status)).toHaveAttribute(
    'data-status',
    /approved|executing|succeeded|failed/
  );

  await gotoAppPage({ pluginId, path: `/approvals/${seeded.approvals.toReject}` });
  await page.getByTestId(testIds.approval.comment).fill('Find why the dispatcher stalls first.');
  await page.getByTestId(testIds.approval.reject).click();
  await expect(page.getByTestId(testIds.approval.status)).toHaveAttribute('data-status', 'rejected');
});

test('config page: Test connection answers through the plugin proxy', async ({ gotoAppConfigPage, page }) => {
  await gotoAppConfigPage({ pluginId });
  await page.getByTestId(testIds.appConfig.testConnection).click();
  await expect(page.getByTestId(testIds.appConfig.connectionResult)).toContainText('Connected');
});
