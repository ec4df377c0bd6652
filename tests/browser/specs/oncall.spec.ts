import { expect, test, testIds } from '../support/fixtures';

test('incident page: response clocks, Acknowledge and Take it', async ({ page, host }) => {
  await host.open(`incidents/${host.seeded.outboxIncident}`);
  const panel = page.getByTestId(testIds.response.panel);
  await expect(panel.getByTestId(testIds.response.clock('ack'))).toContainText(/ack (due in|breached|met)/);
  await host.screenshot('incident-response-dark');
  await panel.getByTestId(testIds.response.takeIt).click();
  await expect(panel.getByTestId(testIds.response.assignee)).toContainText('assignee');
  await expect(panel.getByTestId(testIds.response.acknowledge)).toBeDisabled();
  await expect(
    page.locator(`[data-testid="${testIds.incident.timelineEntry}"][data-kind="assigned"]`).first()
  ).toBeVisible();
  await host.open(`incidents/${host.seeded.outboxIncident}`, { theme: 'light' });
  await expect(page.getByTestId(testIds.response.panel)).toBeVisible();
  await host.screenshot('incident-response-light');
});

test('on-call page: who is on call, the week, the chains, in both themes', async ({ page, host }) => {
  await host.open('oncall');
  const teams = page.getByTestId(testIds.oncall.team);
  await expect(teams.first()).toBeVisible();
  expect(await teams.count()).toBeGreaterThanOrEqual(13);
  const sre = page.locator(`[data-testid="${testIds.oncall.team}"][data-team="platform-sre"]`);
  await expect(sre.getByTestId(testIds.oncall.now)).toContainText('Primary:');
  await expect(sre.getByTestId(testIds.oncall.segment).first()).toBeVisible();
  await expect(sre.getByTestId(testIds.oncall.chain)).toContainText('not configured');
  await host.screenshot('oncall-dark');
  await host.open('oncall', { theme: 'light' });
  await expect(page.getByTestId(testIds.oncall.team).first()).toBeVisible();
  await host.screenshot('oncall-light');
});
