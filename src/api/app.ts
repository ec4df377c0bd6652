/**
 * Builds the companion API as a Fastify instance; `server.ts` only starts it. Infrastructure first
 * (correlation IDs, errors, metrics, auth, OpenAPI, workers), then the routes. Every piece of
 * infrastructure is a plain `registerX(instance, options)` function from plugins/ (or its module's
 * worker) called here, in the order it must run (src/api/README.md says why this style). Tests build it through
 * tests/support/app.ts and call routes with `app.inject`. The caller owns the store (opens and closes it).
 */
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';

import type { CatalogHolder } from './catalog-holder';
import type { Config } from './config';
import type { RemediationOptions } from './approvals/runner';
import { startAuditSweep } from './audit/sequencer';
import { createIntakeGate, type IntakeGate } from './intake/gate';
import type { OncallWorkerOptions } from './oncall/worker';
import { registerOncall } from './plugins/oncall';
import { registerAuth, type RoleResolver } from './plugins/auth';
import { registerCatalogSync } from './plugins/catalog';
import { correlationIdOf, CORRELATION_HEADER } from './plugins/correlation';
import { registerErrorHandling, sendEnvelope } from './plugins/errors';
import { createMetrics, registerMetrics, type ApiMetrics } from './plugins/metrics';
import { clientErrorHandler, serverTimeouts } from './plugins/client-errors';
import { registerJsonBodyParser } from './plugins/json-body';
import { registerOverview } from './plugins/overview';
import { registerRemediation } from './plugins/remediation';
import { registerRequestLog } from './plugins/request-log';
import { registerTextGuard } from './plugins/text-guard';
import { registerRoutes } from './routes';
import type { Store } from './store';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    store: Store;
    catalog: CatalogHolder;
    metrics: ApiMetrics;
    /** Admission for alert intake (intake/gate.ts). */
    intakeGate: IntakeGate;
    /** The clock every route uses, so tests can move time. */
    now: () => Date;
  }
}

export const BODY_LIMIT_BYTES = 1024 * 1024;
export const API_VERSION = '0.1.0';
/** Replicas serve a catalog reloaded on any of them within this interval plus one catalog read (< 2 s). */
export const CATALOG_SYNC_MS = 1_000;

export interface BuildAppOptions {
  config: Config;
  store: Store;
  catalog: CatalogHolder;
  /** pino options or instance; false silences logs (tests). */
  logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance'];
  now?: () => Date;
  resolveRole?: RoleResolver;
  /** How often a replica checks for a catalog reloaded elsewhere (catalog-sync.ts, plugins/catalog.ts); 0 turns it off. */
  catalogSyncMs?: number;
  /** Intake admission (tests shrink it to provoke overload). */
  intakeGate?: IntakeGate;
  /** The remediation worker (tests pause it or inject fetch). */
  remediation?: RemediationOptions;
  /** The on-call worker (tests pause it, inject fetch, env and receiver URLs). */
  oncall?: OncallWorkerOptions;
}

/** Chains audit rows a crash left unchained (audit/sequencer.ts): at start, then every 5 s. */
function registerAuditSweep(app: FastifyInstance) {
  let stop: (() => void) | null = null;
  app.addHook('onReady', async () => {
    stop = startAuditSweep(app.store, 5_000, (error) => app.log.warn({ err: error }, 'audit chain sweep failed'));
  });
  app.addHook('onClose', async () => stop?.());
}

export function loggerOptions(level: Config['logLevel']): FastifyServerOptions['logger'] {
  return {
    level,
    base: { service: 'opsdeck-api' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
  };
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, store, catalog } = options;
  const loggerConfig = options.logger ?? loggerOptions(config.logLevel);
  const isInstance = typeof loggerConfig === 'object' && loggerConfig !== null && 'child' in loggerConfig;
  const app = Fastify({
    ...(isInstance
      ? { loggerInstance: loggerConfig as FastifyServerOptions['loggerInstance'] }
      : { logger: loggerConfig as FastifyServerOptions['logger'] }),
    bodyLimit: BODY_LIMIT_BYTES,
    ...serverTimeouts(config.requestTimeoutMs),
    clientErrorHandler,
    genReqId: correlationIdOf,
    logController: new LogController({ requestIdLogLabel: 'correlation_id' }),
    // Forwarding headers are believed only from configured proxies (issue 17 item 9: with `true`, any
    // caller could write the audit rows' source_ip with X-Forwarded-For).
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    // The router's own refusals (a path that does not decode as UTF-8, e.g. `%ED%A0%80`) get the
    // error envelope like every other 4xx.
    frameworkErrors: (error, request, reply) => {
      void reply.header(CORRELATION_HEADER, request.id);
      void sendEnvelope(reply, 400, { code: 'invalid_request', message: error.message, details: {} });
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('config', config);
  app.decorate('store', store);
  app.decorate('catalog', catalog);
  const metrics = createMetrics();
  app.decorate('metrics', metrics);
  app.decorate('intakeGate', options.intakeGate ?? createIntakeGate());
  app.decorate('now', options.now ?? (() => new Date()));

  app.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_HEADER, request.id);
  });
  registerErrorHandling(app);
  registerJsonBodyParser(app);
  registerMetrics(app, metrics);
  registerAuth(app, {
    apiToken: config.apiToken,
    webhookToken: config.webhookToken,
    devInsecure: config.devInsecure,
    access: () => catalog.current().access,
    resolveRole: options.resolveRole,
  });
  registerTextGuard(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Opsdeck companion API',
        version: API_VERSION,
        description:
          'Runbook catalog, alert intake, incidents, approvals and audit for the Opsdeck Grafana app. Every error is {code, message, correlation_id, details}.',
      },
      components: {
        securitySchemes: {
          serviceToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'OPSDECK_API_TOKEN, injected by the Grafana plugin proxy',
          },
        },
      },
      security: [{ serviceToken: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  registerRemediation(app, options.remediation);
  registerCatalogSync(app, { intervalMs: options.catalogSyncMs ?? CATALOG_SYNC_MS });
  registerAuditSweep(app);
  registerOncall(app, options.oncall);
  // The API's own context: the request hooks that must see every route (request log, the overview's
  // in_memory counters) first, then the routes. Encapsulated, so routes a test adds to the root later
  // are neither logged nor counted.
  await app.register(async (api) => {
    registerRequestLog(api);
    registerOverview(api);
    await registerRoutes(api);
  });
  return app;
}
