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

test('ops page cards: clock badges, assignee, Acknowledge and Take it, in both themes', async ({ page, host }) => {
  await host.open('ops');
  const card = page.locator(
    `[data-testid="${testIds.ops.incidentCard}"][data-incident-id="${host.seeded.outboxIncident}"]`
  );
  await expect(card.getByTestId(testIds.response.clock('ack'))).toContainText(/ack (due in|breached|met)/);
  await expect(card.getByTestId(testIds.response.assignee)).toContainText('assignee');
  await expect(card.getByTestId(testIds.response.takeIt)).toBeEnabled();
  // Breached clocks first inside a severity: no card with a running clock sits above a breached one of its severity.
  const order = await page
    .getByTestId(testIds.ops.incidentCard)
    .evaluateAll((cards) => cards.map((c) => [c.getAttribute('data-severity'), c.getAttribute('data-clock-breached')]));
  for (let i = 1; i < order.length; i += 1) {
    if (order[i][0] === order[i - 1][0]) {
      expect(order[i - 1][1] === 'false' && order[i][1] === 'true').toBe(false);
    }
  }
  await host.screenshot('ops-card-clocks-dark');
  await host.open('ops', { theme: 'light' });
  await expect(page.getByTestId(testIds.response.clock('ack')).first()).toBeVisible();
  await host.screenshot('ops-card-clocks-light');
});

test('on-call page: the shift handoff, generated, edited and posted, in both themes', async ({ page, host }) => {
  await host.open('oncall');
  const team = page.locator(`[data-testid="${testIds.oncall.team}"][data-team="platform-messaging"]`);
  const handoff = team.getByTestId(testIds.oncall.handoff);
  const text = handoff.getByTestId(testIds.oncall.handoffText);
  await expect(text).toHaveValue(/### Active incidents \(\d+\)/);
  await expect(text).toHaveValue(/### Ongoing investigations/);
  await text.fill(`${await text.inputValue()}\n\nWatch the outbox relay after the 10:30 deploy.`);
  await handoff.getByTestId(testIds.oncall.handoffPost).click();
  await expect(handoff.getByTestId(testIds.oncall.handoffPosted)).toBeVisible();
  await team.scrollIntoViewIfNeeded();
  await host.screenshot('oncall-handoff-dark');
  await host.open(`incidents/${host.seeded.outboxIncident}`);
  await expect(
    page.locator(`[data-testid="${testIds.incident.timelineEntry}"][data-kind="handoff_summary"]`).first()
  ).toBeVisible();
  await host.open('oncall', { theme: 'light' });
  await expect(
    page
      .locator(`[data-testid="${testIds.oncall.team}"][data-team="platform-messaging"]`)
      .getByTestId(testIds.oncall.handoffPosted)
  ).toBeVisible();
  await host.screenshot('oncall-handoff-light');
});
