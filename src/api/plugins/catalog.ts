/**
 * The catalog's wiring on the app: the plain values a reload works on (`catalogWorldOf`, used by the
 * reload route and SIGHUP in server.ts), and the replica follower (catalog-sync.ts) ticking every
 * `intervalMs` while the app serves.
 */
import type { FastifyInstance } from 'fastify';

import type { CatalogWorld } from '../catalog-reload';
import { createCatalogFollower } from '../catalog-sync';

export function catalogWorldOf(app: FastifyInstance): CatalogWorld {
  return { store: app.store, catalog: app.catalog, registry: app.metrics.registry, now: () => app.now() };
}

export interface CatalogSyncOptions {
  /** 0 turns following off (the embedded store has one process, nobody to follow). */
  intervalMs: number;
}

export function registerCatalogSync(app: FastifyInstance, options: CatalogSyncOptions) {
  if (options.intervalMs <= 0 || app.store.kind !== 'postgres') {
    return;
  }
  const follow = createCatalogFollower(catalogWorldOf(app), app.log);
  let busy = false;
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
