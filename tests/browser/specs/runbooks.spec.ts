import { expect, test, testIds } from '../support/fixtures';

test('runbooks page: grouped by signal group, filtered, with review badges', async ({ page, host }) => {
  await host.open('runbooks');
  const groups = page.getByTestId(testIds.runbooks.group);
  await expect(groups.first()).toBeVisible();
  expect(await groups.count()).toBeGreaterThan(5);
  await expect(groups.first()).toHaveAttribute('data-group', 'api_edge');
  await host.screenshot('runbooks-dark');
  await page.getByTestId(testIds.runbooks.search).getByRole('textbox').fill('outbox');
  await expect(page.getByTestId(testIds.runbooks.item).first()).toHaveAttribute('data-runbook-id', 'ops.outbox.relay');
  await expect(page).toHaveURL(/q=outbox/);
});

test("a runbook deep link (an alert's runbook_url) renders the markdown safely", async ({ page, host }) => {
  await host.open('runbooks/ops.outbox.relay');
  await expect(page.getByRole('heading', { level: 1, name: 'Outbox relay degraded' })).toBeVisible();
  const markdown = page.getByTestId(testIds.runbook.markdown);
  await expect(markdown.getByRole('heading', { level: 2, name: 'Mitigation' })).toBeVisible();
  await expect(markdown.locator('script, iframe, form, input')).toHaveCount(0);
  await expect(page.getByTestId(testIds.runbook.metadata)).toContainText('platform-messaging');
  await expect(page.getByTestId(testIds.runbook.signals)).toContainText('Outbox relay');
  // Without an incident, the checklist is read-only and says how to record ticks.
  await expect(page.getByTestId(testIds.runbook.checklistStep).first().getByRole('checkbox')).toBeDisabled();
  await host.screenshot('runbook-dark');
});

test('from an incident card to its runbook: ticks go to that incident', async ({ page, host }) => {
  await host.open('ops');
  const card = page.getByTestId(testIds.ops.incidentCard).filter({ hasText: 'Dead letters waiting' });
  await card.getByTestId(testIds.ops.runbookLink).first().click();
  await expect(page).toHaveURL(new RegExp(`/runbooks/ops.queue.backlog\\?incident=${host.seeded.dlqIncident}`));
  await expect(page.getByTestId(testIds.runbook.incidentBanner)).toContainText('Dead letters waiting');
  const step = page.getByTestId(testIds.runbook.checklistStep).first();
  const posted = page.waitForResponse(
    (response) =>
      response.url().endsWith(`/incidents/${host.seeded.dlqIncident}/timeline`) &&
      response.request().method() === 'POST' &&
      response.request().postData()?.includes('checklist_step_done') === true
  );
  await step.getByRole('checkbox').check({ force: true });
  expect((await posted).status()).toBe(201);
  await expect(step).toHaveAttribute('data-checked', 'true');
  await host.screenshot('runbook-from-incident-dark');
});
