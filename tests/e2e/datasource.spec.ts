import { expect, test } from '@grafana/plugin-e2e';

import { skipWithoutGrafana } from './setup';

test.skip(skipWithoutGrafana(), 'needs a real Grafana: set GRAFANA_URL');

test('the provisioned Opsdeck datasource passes its health check (/readyz through the proxy)', async ({
  readProvisionedDataSource,
  gotoDataSourceConfigPage,
}) => {
  const datasource = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'Opsdeck' });
  const configPage = await gotoDataSourceConfigPage(datasource.uid);
  await expect(configPage.saveAndTest()).toBeOK();
});

test('the default incidents query runs through the datasource proxy route in Explore', async ({
  explorePage,
  readProvisionedDataSource,
  page,
}) => {
  const datasource = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'Opsdeck' });
  // A frontend datasource: its query is the proxy call itself, not /api/ds/query.
  const incidents = page.waitForResponse((response) => response.url().includes('/opsdeck/api/v1/incidents'));
  await explorePage.datasource.set(datasource.name);
  expect((await incidents).status()).toBe(200);
});
