/**
 * The server registers its routes from the endpoints table (src/contract/endpoints.ts), and the app
 * client and the datasource build their URLs from it: the two must never drift. Every route Fastify
 * registered (HEAD twins aside) is in the table with the same auth, and every table entry is registered.
 */
import type { FastifyInstance } from 'fastify';

import { ENDPOINTS } from '../../src/contract/endpoints';
import { buildTestApp } from '../support/app';
import { openTestStore, type TestStore } from '../support/stores';

describe('registered routes = the endpoints table', () => {
  let store: TestStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await openTestStore('embedded');
    ({ app } = await buildTestApp(store.store));
  });

  afterAll(async () => {
    await app?.close();
    await store?.dispose();
  });

  it('has the same method + path set', () => {
    const registered = app
      .authRoutes()
      .filter((route) => route.method !== 'HEAD')
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    const table = ENDPOINTS.map((entry) => `${entry.method} ${entry.path}`).sort();
    expect(registered).toEqual(table);
  });

  it('declares on each route the auth its entry names', () => {
    const byKey = new Map(ENDPOINTS.map((entry) => [`${entry.method} ${entry.path}`, entry.auth]));
    for (const route of app.authRoutes().filter((each) => each.method !== 'HEAD')) {
      expect({ route: `${route.method} ${route.url}`, auth: route.auth }).toEqual({
        route: `${route.method} ${route.url}`,
        auth: byKey.get(`${route.method} ${route.url}`),
      });
    }
  });
});
