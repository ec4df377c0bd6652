import { expect, test, testIds } from '../support/fixtures';

for (const theme of ['dark', 'light'] as const) {
  test(`incidents list (${theme}): filters in the URL, search, and the way into an incident`, async ({
    page,
    host,
  }) => {
    await host.open('incidents?status=open', { theme });
    await expect(page.getByTestId(testIds.incidents.page)).toBeVisible();
    const rows = page.getByTestId(testIds.incidents.row);
    await expect(rows.first()).toBeVisible();
    const open = await rows.count();
    expect(open).toBeGreaterThan(1);

    await host.open('incidents?q=outbox', { theme });
    await expect(page.getByTestId(testIds.incidents.row).filter({ hasText: 'Outbox relay stalled' })).toBeVisible();
    await expect(page.getByTestId(testIds.incidents.row).filter({ hasText: 'GPU thermal throttling' })).toHaveCount(0);
    await host.screenshot(`incidents-${theme}`);

    await page.getByRole('link', { name: 'Outbox relay stalled' }).click();
    await expect(page.getByTestId(testIds.incident.header)).toBeVisible();
    await expect(page.getByTestId(testIds.requestAction.panel)).toBeVisible();
    await expect(page.getByTestId(testIds.updates.panel)).toBeVisible();
    // A status update from the template, posted to the real API, lands in the history.
    const updates = page.getByTestId(testIds.updates.panel);
    await expect(updates.getByTestId(testIds.updates.message)).toHaveValue(/Outbox relay stalled/);
    await updates.getByTestId(testIds.updates.submit).click();
    await expect(updates.getByTestId(testIds.updates.entry).first()).toContainText('investigating · internal');
    await host.screenshot(`incident-loop-panels-${theme}`);
  });

  test(`KPIs and action items (${theme})`, async ({ page, host }) => {
    await host.open('kpis?window=90d', { theme });
    await expect(page.getByTestId(testIds.kpis.page)).toBeVisible();
    await expect(page.getByTestId(testIds.kpis.target)).toHaveCount(4);
    await host.screenshot(`kpis-${theme}`);
    await host.open('action-items', { theme });
    await expect(page.getByTestId(testIds.actionItems.page)).toBeVisible();
    await expect(page.getByText('No action item here.')).toBeVisible();
    await host.screenshot(`action-items-${theme}`);
  });
}
