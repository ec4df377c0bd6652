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
 *
 * This file is the check itself, on plain values; plugins/catalog.ts schedules it on the app.
 */
import { Gauge } from 'prom-client';

import { readCatalog } from '../catalog/load';
import { catalogMetrics, type CatalogWorld } from './catalog-reload';
import { announcedRevision } from './catalog-state-repository';

const RETRY_MS = 10_000;

/** The pino-style logger the follower writes to. */
export interface SyncLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * One check of the announced revision against the served one (and a swap when they differ and the
 * catalog directory holds the announced one). Registers `opsdeck_catalog_in_sync` on the registry.
 */
export function createCatalogFollower(world: CatalogWorld, log: SyncLog): () => Promise<void> {
  const inSync = new Gauge({
    name: 'opsdeck_catalog_in_sync',
    help: '1 when this replica serves the catalog revision of the last reload anywhere in the fleet',
    registers: [world.registry],
  });
  inSync.set(1);
  let failed: { revision: string; at: number } | null = null;

  return async function follow() {
    const announced = await announcedRevision(world.store.health);
    const current = world.catalog.current();
    if (!announced || announced === current.revision) {
      inSync.set(1);
      return;
    }
    if (failed?.revision === announced && Date.now() - failed.at < RETRY_MS) {
      return;
    }
    const read = await readCatalog(world.catalog.dir, { root: current.root, now: world.now() });
    if (read.catalog.revision !== announced || read.violations.some((v) => v.severity === 'error')) {
      failed = { revision: announced, at: Date.now() };
      inSync.set(0);
      log.error(
        { announced, on_disk: read.catalog.revision, serving: current.revision },
        'another replica reloaded a catalog revision this replica cannot read from its catalog directory; serving the previous one'
      );
      return;
    }
    world.catalog.replace(read.catalog);
    failed = null;
    inSync.set(1);
    const metrics = catalogMetrics(world);
    metrics.loadedAt.set(read.catalog.loadedAt.getTime() / 1000);
    metrics.runbooks.set(read.catalog.runbooks.size);
    log.info({ revision: announced, previous: current.revision }, 'catalog reloaded by another replica; followed');
  };
}
