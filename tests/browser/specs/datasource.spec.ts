import type { Page, Request } from '@playwright/test';

import { API_TOKEN } from '../support/api';
import { expect, test, type Theme } from '../support/fixtures';
import { HOST_USER } from '../support/seed';

// The browser logs its own line for the 400 the failing health check answers (as Grafana's does); nothing else may be logged.
test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 400/] });

const DATASOURCE_PAGE = '/datasources/edit/opsdeck';

/** What the API itself answers, asked the way the datasource route asks (Viewer, every project). */
async function apiTruth<T>(path: string): Promise<T> {
  const response = await fetch(`${process.env.OPSDECK_BROWSER_API_URL}${path}`, {
    headers: {
      authorization: `Bearer ${API_TOKEN}`,
      'x-grafana-user': HOST_USER,
      'x-opsdeck-capability': 'incidents:read',
      'x-project-id': '*',
    },
  });
  expect(response.status, `${path} on the API`).toBe(200);
  return (await response.json()) as T;
}

/** Every request the page makes; none may carry a credential (the Go backend adds the token server-side). */
function recordRequests(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  return requests;
}

async function saveAndTest(page: Page) {
  await page.getByRole('button', { name: 'Save & test' }).click();
  return page.getByTestId('host-ds-test-result');
}

test("datasource settings: Save & test is the Go backend's health check; a wrong URL says so; the token never reaches the browser", async ({
  page,
  host,
}) => {
  const requests = recordRequests(page);
  await host.openRaw(DATASOURCE_PAGE, { role: 'Admin' });
  const apiUrl = page.getByRole('textbox', { name: /^API URL/ });
  await expect(apiUrl).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/);
  const workingUrl = await apiUrl.inputValue();
  await expect(page.getByRole('textbox', { name: /^Service token/ })).toHaveValue('configured');

  const result = await saveAndTest(page);
  await expect(result).toHaveAttribute('data-status', 'success');
  await expect(result).toContainText(
    /Opsdeck API is ready \(store: embedded, schema \d+\); the service token is accepted for project \*/
  );

  // Pointed at a port where nothing listens, the backend's health check says what to check.
  const instanceUrl = new URL('/api/datasources/uid/opsdeck', page.url()).toString();
  const instance = await (await page.request.get(instanceUrl)).json();
  try {
    await apiUrl.fill('http://127.0.0.1:9');
    await expect(await saveAndTest(page)).toHaveAttribute('data-status', 'error');
    await expect(result).toContainText(/not reachable: check the API URL/);
  } finally {
    // The host keeps one instance for every spec: put the working URL back even when this fails.
    await page.request.put(instanceUrl, { data: instance });
  }
  await apiUrl.fill(workingUrl);
  await expect(await saveAndTest(page)).toHaveAttribute('data-status', 'success');

  const saved = await (await page.request.get(instanceUrl)).text();
  expect(saved).toContain('"apiToken":true');
  expect(saved).not.toContain(API_TOKEN);
  expect(await page.content()).not.toContain(API_TOKEN);
  // Save & test ran three times, each as the backend's health check; nothing went through the data proxy.
  const health = requests.filter((request) => request.url().endsWith('/api/datasources/uid/opsdeck/health'));
  expect(health.length).toBe(3);
  expect(requests.filter((request) => request.url().includes('/api/datasources/proxy/'))).toHaveLength(0);
  for (const request of requests) {
    expect(await request.headerValue('authorization'), request.url()).toBeNull();
  }
});

for (const theme of ['dark', 'light'] as Theme[]) {
  test(`datasource queries (${theme}): the built plugin's incidents and runbooks frames hold what the API holds`, async ({
    page,
    host,
  }) => {
    const open = await apiTruth<{ items: Array<{ title: string }> }>('/api/v1/incidents?status=open&limit=500');
    const runbooks = await apiTruth<{ items: Array<{ id: string }> }>('/api/v1/admin/runbooks');
    expect(open.items.length).toBeGreaterThan(0);

    await host.openRaw(DATASOURCE_PAGE, { theme, role: 'Viewer' });
    const explore = page.getByTestId('host-ds-explore');
    // The default query is open incidents, answered by the Go backend through /api/ds/query.
    const queried = page.waitForRequest((request) => request.url().includes('/api/ds/query'));
    await explore.getByRole('button', { name: 'Run query' }).click();
    expect((await queried).method()).toBe('POST');
    const incidents = explore.getByTestId('host-ds-frame');
    await expect(incidents).toHaveCount(1);
    await expect(incidents).toHaveAttribute('data-rows', String(open.items.length));
    for (const incident of open.items.slice(0, 5)) {
      await expect(incidents).toContainText(incident.title);
    }

    // Switch the query type in the plugin's own QueryEditor and run it.
    await explore.getByRole('combobox').first().click();
    await page.getByRole('option', { name: /^Runbooks/ }).click();
    await explore.getByRole('button', { name: 'Run query' }).click();
    const frame = explore.getByTestId('host-ds-frame');
    await expect(frame).toHaveAttribute('data-rows', String(runbooks.items.length));
    await expect(frame).toContainText(runbooks.items[0].id);
    await host.screenshot(`datasource-${theme}`);
  });
}
