/**
 * Starts the API: configuration → store (migrated) → catalog → app → listen. Stops gracefully on
 * SIGTERM/SIGINT, in this order (bounded by OPSDECK_SHUTDOWN_TIMEOUT_MS):
 *   1. stop accepting connections and finish the requests in flight (Fastify's close);
 *   2. let the remediation worker finish and record the executions it has in flight, flush the
 *      request log (the app's onClose hooks);
 *   3. only then close the store.
 * The store is closed here, after app.close() resolved, and not in an onClose hook: Fastify runs
 * onClose hooks in reverse order of registration, so a hook added last ran first and ended the pool
 * under the worker's feet (issue 13.2: results not saved, actions re-sent by another replica).
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import net from 'node:net';
import { ulid } from 'ulid';

import { loadCatalog } from '../catalog/load';
import { buildApp } from './app';
import { createCatalogHolder } from './catalog-holder';
import { reloadCatalog } from './catalog-reload';
import { catalogWorldOf } from './plugins/catalog';
import type { Config } from './config';
import { openStore } from './store';
import { migrate } from './store/migrator';

/** The port cannot be bound: the CLI prints the message on one line and exits non-zero at once. */
export class ListenError extends Error {}

/** A one-line, actionable message for the listen errors a user causes (port taken, not allowed). */
function portProblem(config: Config, code: string | undefined): ListenError | null {
  if (code === 'EADDRINUSE') {
    return new ListenError(
      `port ${config.port} on ${config.host} is already in use (EADDRINUSE): stop the process that holds it ` +
        `(\`ss -ltnp 'sport = :${config.port}'\`) or set OPSDECK_PORT to a free port`
    );
  }
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return new ListenError(
      `cannot listen on ${config.host}:${config.port} (${code}): check OPSDECK_HOST and OPSDECK_PORT`
    );
  }
  return null;
}

/**
 * Binds the port once and lets it go, before the store opens (a fresh embedded store takes seconds):
 * a taken port is reported at once. listenOrClose still guards the real listen against a race.
 */
async function probePort(config: Config): Promise<void> {
  if (config.port === 0) {
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(portProblem(config, error.code) ?? error));
    probe.listen({ port: config.port, host: config.host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * Listens, or closes the app (and with it the store) and throws a ListenError naming the port: an
 * open store would otherwise keep the process alive after a failed listen, and `npm start` would wait.
 */
async function listenOrClose(app: FastifyInstance, config: Config): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw portProblem(config, (error as NodeJS.ErrnoException).code) ?? error;
  }
}

export async function startServer(config: Config): Promise<FastifyInstance> {
  await probePort(config);
  const catalog = await loadCatalog(config.catalogDir);
  const store = await openStore(config);
  let app: FastifyInstance;
  try {
    await migrate(store);
    app = await buildApp({ config, store, catalog: createCatalogHolder(catalog) });
  } catch (error) {
    await store.close();
    throw error;
  }
  if (config.devInsecure) {
    app.log.warn('OPSDECK_DEV_INSECURE=1: the API accepts requests without a token. Never use this outside a laptop.');
  }
  // SIGHUP reloads the catalog like POST /api/v1/admin/catalog/reload; an invalid one is logged and ignored.
  const onHangup = () => {
    const correlationId = `sighup-${ulid()}`;
    reloadCatalog(catalogWorldOf(app), {
      actor: 'system:sighup',
      role: 'admin',
      tenant: null,
      project: null,
      correlation_id: correlationId,
      source_ip: null,
    })
      .then((outcome) => {
        if (outcome.ok) {
          app.log.info(
            { correlation_id: correlationId, revision: outcome.catalog.revision, warnings: outcome.warnings.length },
            'catalog reloaded on SIGHUP'
          );
        } else {
          app.log.error(
            {
              correlation_id: correlationId,
              violations: outcome.violations.slice(0, 50),
              count: outcome.violations.length,
            },
            'catalog reload on SIGHUP rejected; serving the previous catalog'
          );
        }
      })
      .catch((error: unknown) =>
        app.log.error({ err: error, correlation_id: correlationId }, 'catalog reload on SIGHUP failed')
      );
  };
  process.on('SIGHUP', onHangup);
  app.addHook('onClose', async () => {
    process.off('SIGHUP', onHangup);
  });
  await listenOrClose(app, config);
  app.log.info({ store: store.kind, catalog: catalog.dir, runbooks: catalog.runbooks.size }, 'opsdeck api ready');

  // SIGHUP is ours (catalog reload); close-with-grace would otherwise treat it as a shutdown.
  closeWithGrace({ delay: config.shutdownTimeoutMs, skip: ['SIGHUP'] }, async ({ signal, err }) => {
    if (err) {
      app.log.error({ err }, 'shutting down after an unexpected error');
    } else {
      app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    }
    await app.close();
    await store.close();
  });
  return app;
}
