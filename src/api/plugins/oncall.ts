/**
 * Registers the on-call worker (oncall/worker.ts) on the instance: `app.oncall` for tests and the
 * metrics, checked against the configuration before the API starts, started when the API is ready
 * and stopped when it closes.
 */
import type { FastifyInstance } from 'fastify';

import { checkPagingConfig, createOncallWorker, type OncallWorker, type OncallWorkerOptions } from '../oncall/worker';

declare module 'fastify' {
  interface FastifyInstance {
    oncall: OncallWorker;
  }
}

export function registerOncall(app: FastifyInstance, options: OncallWorkerOptions = {}) {
  checkPagingConfig(app.catalog.current(), app.config.grafanaUrl, options.env ?? process.env);
  const worker = createOncallWorker(
    {
      store: app.store,
      now: () => app.now(),
      catalog: () => app.catalog.current(),
      grafanaUrl: app.config.grafanaUrl,
      registry: app.metrics.registry,
      log: app.log,
    },
    options
  );
  app.decorate('oncall', worker);
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());
}
