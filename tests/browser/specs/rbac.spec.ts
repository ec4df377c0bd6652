/**
 * Grafana's RBAC decides what a user may do: the host signs users in with the permissions Grafana would
 * give them (the Opsdeck role of their basic role, plus roles an admin granted) and its proxy evaluates
 * each route's reqAction against them, as Grafana's plugin proxy does.
 */
import { expect, test, testIds } from '../support/fixtures';

const DECIDE_ROUTE = '/api/plugin-proxy/opsdeck-ops-app/decide/api/v1/approvals';

test('a Grafana Viewer granted Opsdeck Approver decides a request', async ({ page, host }) => {
  // ic-alex is a global approver in catalog/access.yaml; Grafana grants them only what their roles carry.
  await host.open(`approvals/${host.seeded.approvals.forGrantedApprover}`, {
    role: 'Viewer',
    user: 'ic-alex',
    grant: ['Approver'],
  });
  await expect(page.getByTestId(testIds.approval.blockedReason)).toHaveCount(0);
  await page.getByTestId(testIds.approval.comment).fill('Checked the DLQ depth query; same poison pattern.');
  await page.getByTestId(testIds.approval.approve).click();
  await expect(page.getByTestId(testIds.approval.status)).toHaveAttribute(
    'data-status',
    /approved|executing|succeeded/
  );
  await expect(page.getByTestId(testIds.approval.decisions)).toContainText('ic-alex');
});

test('without the Approver role, the same Viewer cannot decide: the control says why', async ({ page, host }) => {
  // The role revoked (never granted): the Reader role of the Viewer basic role reads, nothing more.
  await host.open(`approvals/${host.seeded.approvals.r3Pending}`, { role: 'Viewer', user: 'ic-alex' });
  await expect(page.getByTestId(testIds.approval.blockedReason)).toContainText('opsdeck-ops-app.approvals:decide');
  await expect(page.getByTestId(testIds.approval.comment)).toBeDisabled();
});

test.describe('refused', () => {
  // The hand-made call below is refused on purpose; Chromium logs the 403 of that fetch.
  test.use({ allowedConsoleErrors: [/status of 403/] });

  test('an Editor without Approver is refused with the reason, and Grafana’s proxy refuses the route', async ({
    page,
    host,
  }) => {
    // oncall-secondary: platform SRE (operator in access.yaml), Grafana Editor → Opsdeck Operator only.
    await host.open(`approvals/${host.seeded.approvals.r3Pending}`, { role: 'Editor', user: 'oncall-secondary' });
    const reason = page.getByTestId(testIds.approval.blockedReason);
    await expect(reason).toContainText('opsdeck-ops-app.approvals:decide');
    await expect(reason).toContainText('Opsdeck Approver');
    await expect(page.getByTestId(testIds.approval.approve)).toHaveAttribute('aria-disabled', 'true');
    await host.screenshot('approval-editor-without-approver-dark');
    // Not only the UI: the decide route's reqAction stops a hand-made call before it reaches the API.
    const status = await page.evaluate(
      async ([url, id]) =>
        (
          await fetch(`${url}/${id}/decision`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-project-id': '*' },
            body: JSON.stringify({ decision: 'approve', comment: 'sneaking past the UI' }),
          })
        ).status,
      [DECIDE_ROUTE, host.seeded.approvals.r3Pending]
    );
    expect(status).toBe(403);
    // And the request is still pending.
    await page.reload();
    await expect(page.getByTestId(testIds.approval.status)).toHaveAttribute('data-status', 'pending');
  });
});

test('an Opsdeck Admin reloads the catalog; an Editor has no such control', async ({ page, host }) => {
  await host.open('runbooks', { role: 'Editor', user: 'oncall-secondary' });
  await expect(page.getByTestId(testIds.runbooks.group).first()).toBeVisible();
  await expect(page.getByTestId(testIds.runbooks.reloadCatalog)).toHaveCount(0);

  await host.open('runbooks', { role: 'Admin', user: 'sre-lead' });
  await page.getByTestId(testIds.runbooks.reloadCatalog).click();
  await expect(page.getByTestId(testIds.runbooks.reloadResult)).toContainText(/Revision [0-9a-f]{12}: \d+ runbooks/);
  await expect(page.getByTestId(testIds.runbooks.group).first()).toBeVisible();
  await host.screenshot('runbooks-catalog-reloaded-dark');
});
