import { expect, test, testIds } from '../support/fixtures';

// The browser logs its own line for the 404 provoked here; nothing else may be logged.
test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 404/] });

test("an unknown incident shows the API's message and a copyable correlation ID", async ({ page, host }) => {
  await host.open('incidents/01NOTANINCIDENT0000000000');
  const error = page.getByTestId(testIds.state.error);
  await expect(error).toBeVisible();
  await expect(error).toContainText('incident_not_found');
  const correlationId = error.getByTestId(testIds.state.correlationId);
  await expect(correlationId).toHaveText(/\S{8,}/);
  await expect(error.getByRole('button', { name: /copy correlation id/i })).toBeVisible();
  await host.screenshot('error-state-dark');
  // The ID is the one the API logged and echoed: the investigate page finds the failed request under it.
  const id = (await correlationId.textContent()) ?? '';
  await host.open(`investigate?correlation_id=${encodeURIComponent(id)}`);
  await expect(page.getByTestId(testIds.investigate.results)).toContainText('404');
  await host.screenshot('investigate-failed-request-dark');
});
