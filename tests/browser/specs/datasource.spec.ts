import type { Page, Request } from '@playwright/test';

import { API_TOKEN } from '../support/api';
import { expect, test, type Theme } from '../support/fixtures';
import { HOST_USER } from '../support/seed';

// The browser logs its own line for the 502 the unreachable-URL check provokes; nothing else may be logged.
test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 502/] });

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

/** Every request the page makes; none may carry a credential (the proxies add the token server-side). */
function recordRequests(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  return requests;
}

async function saveAndTest(page: Page) {
  await page.getByRole('button', { name: 'Save & test' }).click();
  return page.getByTestId('host-ds-test-result');
}

test('datasource settings: Save & test answers through the data proxy; a wrong URL says so; the token never reaches the browser', async ({
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
  await expect(result).toContainText(/Opsdeck API is ready \(store: embedded, schema \d+\)/);

  // Pointed at a port where nothing listens, the proxy answers 502 and the plugin says what to check.
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
  const proxied = requests.filter((request) => request.url().includes('/api/datasources/proxy/uid/opsdeck/opsdeck/'));
  expect(proxied.length).toBeGreaterThanOrEqual(3);
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
    // The default query is open incidents.
    await explore.getByRole('button', { name: 'Run query' }).click();
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
