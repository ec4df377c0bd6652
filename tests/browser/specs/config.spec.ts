import { expect, test, testIds } from '../support/fixtures';

test('config page: settings shown without the token, and Test connection answers through the proxy', async ({
  page,
  host,
}) => {
  await host.openRaw('/plugins/opsdeck-ops-app', { role: 'Admin' });
  await expect(page.getByTestId(testIds.appConfig.apiUrl)).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(page.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');
  await page.getByTestId(testIds.appConfig.testConnection).click();
  await expect(page.getByTestId(testIds.appConfig.connectionResult)).toContainText('Connected');
  await expect(page.getByTestId(testIds.appConfig.connectionResult)).toContainText('Store: embedded');
  await host.screenshot('config-dark');
});
