/**
 * Builds the API for tests, the same way the server does (buildApp), on a given store and catalog,
 * with logs captured in memory instead of stdout.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';

import { buildApp, type BuildAppOptions } from '../../src/api/app';
import { createCatalogHolder } from '../../src/api/catalog-holder';
import { loadConfig, type Config } from '../../src/api/config';
import type { Store } from '../../src/api/store';
import { loadCatalog } from '../../src/catalog/load';

export const TEST_TOKEN = 'test-service-token-0123456789';
export const TEST_WEBHOOK_TOKEN = 'test-webhook-token-0123456789';
export const MINIMAL_CATALOG_DIR = path.join(__dirname, '..', 'fixtures', 'catalog-minimal');
export const REPO_CATALOG_DIR = path.join(__dirname, '..', '..', 'catalog');

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  /** Every JSON log line the app wrote. */
  logs: Array<Record<string, unknown>>;
  /** Headers of a caller holding the service token, with optional identity headers. */
  auth(headers?: Record<string, string>): Record<string, string>;
}

export async function buildTestApp(
  store: Store,
  options: {
    env?: Record<string, string>;
    catalogDir?: string;
    now?: () => Date;
    extra?: Partial<BuildAppOptions>;
    /** Adds test-only routes before the app is sealed. */
    beforeReady?: (app: FastifyInstance) => void | Promise<void>;
    /** Level of the captured log (default info); suites sending 100,000 requests keep only warnings. */
    logLevel?: pino.Level;
  } = {}
): Promise<TestApp> {
  const catalogDir = options.catalogDir ?? MINIMAL_CATALOG_DIR;
  const config = loadConfig({
    OPSDECK_API_TOKEN: TEST_TOKEN,
    OPSDECK_WEBHOOK_TOKEN: TEST_WEBHOOK_TOKEN,
    OPSDECK_CATALOG_DIR: catalogDir,
    OPSDECK_LOG_LEVEL: 'info',
    ...options.env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line));
      }
      done();
    },
  });
  const logger = pino({ level: options.logLevel ?? 'info', base: { service: 'opsdeck-api' } }, sink);
  const catalog = createCatalogHolder(await loadCatalog(catalogDir));
  const app = await buildApp({ config, store, catalog, logger, now: options.now, ...options.extra });
  await options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    config,
    logs,
    auth: (headers = {}) => ({ authorization: `Bearer ${TEST_TOKEN}`, ...headers }),
  };
}
