/**
 * Registers the remediation worker (approvals/runner.ts) on the instance: `app.remediation` for the
 * routes that hand it approved executions and for tests, started when the API is ready and drained
 * when it closes.
 */
import type { FastifyInstance } from 'fastify';

import { createRemediationWorker, type RemediationOptions, type RemediationRunner } from '../approvals/runner';

declare module 'fastify' {
  interface FastifyInstance {
    remediation: RemediationRunner;
  }
}

export function registerRemediation(app: FastifyInstance, options: RemediationOptions = {}) {
  const worker = createRemediationWorker(
    {
      store: app.store,
      now: () => app.now(),
      catalog: () => app.catalog.current(),
      config: app.config,
      fetch: options.fetch ?? fetch,
      log: () => app.log.child({ component: 'remediation' }),
    },
    { paused: options.paused }
  );
  app.decorate('remediation', worker);
  app.addHook('onReady', async () => worker.start(app.config.remediationIntervalMs));
  app.addHook('onClose', async () => worker.stop());
}
