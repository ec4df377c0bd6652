/**
 * Issue 17 item 5 on the embedded store: once PGlite is closed (shutdown, or a crash of the WASM
 * instance), requests that need the store answer 503 with Retry-After, not 500.
 */
import { ErrorEnvelope } from '../../src/contract/common';
import { buildTestApp } from '../support/app';
import { openTestStore } from '../support/stores';
import { everyProject, INCIDENTS_CATALOG_DIR } from '../incidents/builders';

it('a closed embedded store answers 503 with Retry-After', async () => {
  const testStore = await openTestStore('embedded');
  const t = await buildTestApp(testStore.store, { catalogDir: INCIDENTS_CATALOG_DIR });
  try {
    await testStore.store.close();
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: t.auth(everyProject) });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(ErrorEnvelope.parse(response.json()).code).toBe('store_unavailable');
  } finally {
    await t.app.close();
  }
});
