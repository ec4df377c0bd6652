import { expect, test, testIds } from '../support/fixtures';

test('incident page: header, checklist ticks go to the timeline, a transition with a note', async ({ page, host }) => {
  await host.open(`incidents/${host.seeded.outboxIncident}`);
  const header = page.getByTestId(testIds.incident.header);
  await expect(header).toContainText('MTTA');
  await expect(page.getByRole('heading', { name: /Outbox relay stalled/ })).toBeVisible();
  await expect(page.getByTestId(testIds.incident.alertsTable)).toContainText('OutboxRelayDegraded');
  await expect(page.getByTestId(testIds.incident.savedQuery).first().getByRole('link')).toHaveAttribute(
    'href',
    /^\/explore\?/
  );

  // Tick the first checklist step: it is recorded on the timeline.
  const step = page.getByTestId(testIds.incident.checklistStep).first();
  await step.getByRole('checkbox').check({ force: true });
  await expect(step).toHaveAttribute('data-checked', 'true');
  await expect(
    page.locator(`[data-testid="${testIds.incident.timelineEntry}"][data-kind="checklist_step_done"]`)
  ).toHaveCount(1);

  // Move it on, with a note.
  await page.getByTestId(testIds.incident.transitionNote).fill('Lease re-acquired after restart; watching lag.');
  await page.getByTestId(testIds.incident.transition('mitigating')).click();
  await expect(page.getByText('Mitigating').first()).toBeVisible();
  await expect(
    page.locator(`[data-testid="${testIds.incident.timelineEntry}"][data-kind="state_changed"]`).first()
  ).toContainText(/mitigating/i);

  await host.screenshot('incident-dark');
  await host.open(`incidents/${host.seeded.outboxIncident}`, { theme: 'light' });
  await expect(page.getByTestId(testIds.incident.header)).toBeVisible();
  await host.screenshot('incident-light');
});

test('incident page: a Grafana viewer (Opsdeck Reader) sees it read-only', async ({ page, host }) => {
  await host.open(`incidents/${host.seeded.apiErrorsIncident}`, { role: 'Viewer', user: 'acme-observer' });
  await expect(page.getByTestId(testIds.incident.header)).toBeVisible();
  await expect(page.getByTestId(testIds.incident.writeBlocked)).toContainText('opsdeck-ops-app.incidents:write');
});
