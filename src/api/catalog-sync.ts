/**
 * Catalog propagation across replicas (issue 13.6): a reload through one process used to leave the
 * others serving the old catalog. A successful reload records its revision in `catalog_state` (same
 * transaction as its audit row, catalog-reload.ts); every replica compares that row with the revision
 * it serves every `intervalMs` and, when they differ, reads its own catalog directory and swaps the
 * whole catalog at once — only if what it read is exactly the announced revision. So each replica
 * serves either the old or the new revision, never a mix, and the fleet converges within one interval
 * plus one read of the catalog.
 *
 * A revision check rather than LISTEN/NOTIFY: it needs no extra dedicated connection per replica, works
 * through PgBouncer in transaction mode, and cannot miss a notification sent while a replica was
 * restarting or disconnected. It runs on the store's health connection (outside the request pool).
 *
 * A replica whose directory does not (yet) hold the announced revision — its config map not updated —
 * keeps its catalog, says so in the log and in `opsdeck_catalog_in_sync 0`, and tries again every
 * RETRY_MS: serving a catalog nobody reviewed would be worse than serving the previous one.
 */
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';

import { readCatalog } from '../catalog/load';
import { catalogMetrics } from './catalog-reload';

const RETRY_MS = 10_000;

export interface CatalogSyncOptions {
  /** 0 turns following off (the embedded store has one process, nobody to follow). */
  intervalMs: number;
}

export function registerCatalogSync(app: FastifyInstance, options: CatalogSyncOptions) {
  if (options.intervalMs <= 0 || app.store.kind !== 'postgres') {
    return;
  }
  const inSync = new Gauge({
    name: 'opsdeck_catalog_in_sync',
    help: '1 when this replica serves the catalog revision of the last reload anywhere in the fleet',
    registers: [app.metrics.registry],
  });
  inSync.set(1);
  let failed: { revision: string; at: number } | null = null;
  let busy = false;

  async function follow() {
    const { rows } = await app.store.health.query<{ revision: string }>(
      'SELECT revision FROM catalog_state WHERE id = 1'
    );
    const announced = rows[0]?.revision;
    const current = app.catalog.current();
    if (!announced || announced === current.revision) {
      inSync.set(1);
      return;
    }
    if (failed?.revision === announced && Date.now() - failed.at < RETRY_MS) {
      return;
    }
    const read = await readCatalog(app.catalog.dir, { root: current.root, now: app.now() });
    if (read.catalog.revision !== announced || read.violations.some((v) => v.severity === 'error')) {
      failed = { revision: announced, at: Date.now() };
      inSync.set(0);
      app.log.error(
        { announced, on_disk: read.catalog.revision, serving: current.revision },
        'another replica reloaded a catalog revision this replica cannot read from its catalog directory; serving the previous one'
      );
      return;
    }
    app.catalog.replace(read.catalog);
    failed = null;
    inSync.set(1);
    const metrics = catalogMetrics(app);
    metrics.loadedAt.set(read.catalog.loadedAt.getTime() / 1000);
    metrics.runbooks.set(read.catalog.runbooks.size);
    app.log.info({ revision: announced, previous: current.revision }, 'catalog reloaded by another replica; followed');
  }

  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      if (busy) {
        return;
      }
      busy = true;
      follow()
        .catch((err: unknown) => app.log.warn({ err }, 'catalog revision check failed; retrying'))
        .finally(() => {
          busy = false;
        });
    }, options.intervalMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) {
      clearInterval(timer);
    }
  });
}
