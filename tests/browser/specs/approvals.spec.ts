import { expect, test, testIds } from '../support/fixtures';

test('approvals page: pending requests first', async ({ page, host }) => {
  await host.open('approvals');
  const pending = page.getByTestId(testIds.approvals.pending).getByTestId(testIds.approvals.row);
  await expect(pending.first()).toBeVisible();
  expect(await pending.count()).toBeGreaterThanOrEqual(3);
  await expect(pending.filter({ hasText: 'Drain and requeue' }).first()).toBeVisible();
  await host.screenshot('approvals-dark');
});

test('approve a request: comment required, then the decision is recorded', async ({ page, host }) => {
  await host.open(`approvals/${host.seeded.approvals.toApprove}`);
  await expect(page.getByTestId(testIds.approval.evidence)).toContainText('invoice.created');
  const approve = page.getByTestId(testIds.approval.approve);
  await expect(approve).toHaveAttribute('aria-disabled', 'true');
  await host.screenshot('approval-dark');
  await page
    .getByTestId(testIds.approval.comment)
    .fill('Checked the DLQ depth query: 412 events, all invoice.created; 4.2.1 is live.');
  await approve.click();
  await expect(page.getByTestId(testIds.approval.status)).toHaveAttribute(
    'data-status',
    /approved|executing|succeeded/
  );
  await expect(page.getByTestId(testIds.approval.decisions)).toContainText('4.2.1 is live');
});

test('reject a request with a comment', async ({ page, host }) => {
  await host.open(`approvals/${host.seeded.approvals.toReject}`, { theme: 'light' });
  await page
    .getByTestId(testIds.approval.comment)
    .fill('Scaling hides the stuck dispatcher; find why it stalls first.');
  await page.getByTestId(testIds.approval.reject).click();
  await expect(page.getByTestId(testIds.approval.status)).toHaveAttribute('data-status', 'rejected');
  await host.screenshot('approval-rejected-light');
});

test('the requester cannot decide their own request, and is told why', async ({ page, host }) => {
  await host.open(`approvals/${host.seeded.approvals.ownRequest}`);
  await expect(page.getByTestId(testIds.approval.blockedReason)).toBeVisible();
  await expect(page.getByTestId(testIds.approval.comment)).toBeDisabled();
  await expect(page.getByTestId(testIds.approval.approve)).toHaveAttribute('aria-disabled', 'true');
});
