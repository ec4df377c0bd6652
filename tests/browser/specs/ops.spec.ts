import { expect, test, testIds } from '../support/fixtures';

for (const theme of ['dark', 'light'] as const) {
  test(`ops page (${theme}): five sections in order, with what to do first`, async ({ page, host }) => {
    await host.open('ops', { theme });
    const ops = page.getByTestId(testIds.ops.page);
    await expect(ops).toBeVisible();
    await expect(page.getByTestId(testIds.ops.incidentCard).first()).toBeVisible();

    const sections = page.getByTestId(testIds.ops.section);
    await expect(sections).toHaveCount(5);
    const order = await sections.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-section')));
    expect(order).toEqual([
      'decision_header',
      'action_required',
      'health_summary',
      'investigation_tools',
      'fleet_detail',
    ]);

    // Decision header: the seeded incidents by severity, the pending approvals, the source mode.
    await expect(page.getByTestId(testIds.ops.severityCount('sev1'))).toContainText('1');
    await expect(page.getByTestId(testIds.ops.pendingApprovals)).not.toHaveText('0');
    await expect(page.getByTestId(testIds.ops.sourceMode)).toContainText(/In-memory|Prometheus backend/);

    // Action required: severity order, runbook links opened for the incident, the missing-runbook flag.
    const severities = await page
      .getByTestId(testIds.ops.incidentCard)
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-severity')));
    expect(severities).toEqual([...severities].sort());
    const outbox = page.getByTestId(testIds.ops.incidentCard).filter({ hasText: 'Outbox relay stalled' });
    await expect(outbox.getByTestId(testIds.ops.runbookLink)).toHaveAttribute(
      'href',
      `/a/opsdeck-ops-app/runbooks/ops.outbox.relay?incident=${host.seeded.outboxIncident}`
    );
    await expect(outbox.getByTestId(testIds.ops.exploreLink)).toHaveAttribute('href', /^\/explore\?/);
    const missing = page.getByTestId(testIds.ops.incidentCard).filter({ hasText: 'GPU thermal throttling' });
    await expect(missing.getByTestId(testIds.ops.missingRunbook)).toBeVisible();

    // Health summary: every block names its status and an investigation path.
    const blocks = page.getByTestId(testIds.ops.healthBlock);
    await expect(blocks.first()).toBeVisible();
    expect(await blocks.count()).toBeGreaterThan(3);
    await expect(blocks.first().getByRole('link', { name: /panel/i })).toHaveAttribute('href', /^\/d\//);

    // Fleet detail starts collapsed.
    await expect(page.getByRole('button', { name: /fleet and sample detail/i })).toHaveAttribute(
      'aria-expanded',
      'false'
    );

    await host.screenshot(`ops-${theme}`);
  });
}

test('ops page: auto-refresh can be paused, and refreshing keeps focus and typed text', async ({ page, host }) => {
  await host.open('ops');
  const input = page.getByTestId(testIds.ops.correlationInput);
  await input.fill('req-half');
  await input.focus();
  const refreshed = page.waitForResponse((response) => response.url().includes('/api/v1/admin/ops/overview'));
  // The RefreshPicker's own "refresh now" button.
  await page.getByTestId(testIds.ops.refreshInterval).getByRole('button').first().click();
  await refreshed;
  await input.focus();
  await expect(input).toHaveValue('req-half');
  await page.getByTestId(testIds.ops.refreshPause).click();
  await expect(page.getByTestId(testIds.ops.lastUpdated)).toContainText('auto-refresh paused');
});

test('correlation search: from the ops page to everything under one ID', async ({ page, host }) => {
  await host.open('ops');
  await page.getByTestId(testIds.ops.correlationInput).fill(host.seeded.correlationId);
  await page.getByTestId(testIds.ops.correlationSubmit).click();
  await expect(page).toHaveURL(
    new RegExp(`/a/opsdeck-ops-app/investigate\\?correlation_id=${host.seeded.correlationId}`)
  );
  const results = page.getByTestId(testIds.investigate.results);
  await expect(results).toContainText('Outbox relay stalled');
  await host.screenshot('investigate-dark');
});

test('ops page: a refresh keeps the scroll position', async ({ page, host }) => {
  await host.open('ops');
  await expect(page.getByTestId(testIds.ops.healthBlock).first()).toBeVisible();
  await page.getByTestId(testIds.ops.correlationInput).scrollIntoViewIfNeeded();
  const before = await page.evaluate(() => window.scrollY);
  expect(before).toBeGreaterThan(200);
  const refreshed = page.waitForResponse((response) => response.url().includes('/api/v1/admin/ops/overview'));
  // dispatchEvent: a real click would first scroll the header's button into view.
  await page.getByTestId(testIds.ops.refreshInterval).getByRole('button').first().dispatchEvent('click');
  await refreshed;
  await expect(page.getByTestId(testIds.ops.incidentCard).first()).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(before);
});

test('keyboard only: from the ops page to a runbook', async ({ page, host }) => {
  await host.open('ops');
  const runbook = page.getByTestId(testIds.ops.runbookLink).first();
  await expect(runbook).toBeVisible();
  for (
    let presses = 0;
    presses < 80 && !(await runbook.evaluate((element) => element === document.activeElement));
    presses++
  ) {
    await page.keyboard.press('Tab');
  }
  await expect(runbook).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/a\/opsdeck-ops-app\/runbooks\/ops\.outbox\.relay\?incident=/);
  await expect(page.getByTestId(testIds.runbook.incidentBanner)).toBeVisible();
});
