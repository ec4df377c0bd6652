/**
 * Reloading the catalog while serving (POST /api/v1/admin/catalog/reload and SIGHUP). The new catalog
 * is read completely first; if it has any structural error the previous one keeps serving and every
 * violation is reported. Otherwise one audit row records the change (previous and new revision) and,
 * once that transaction committed, the holder swaps the whole Catalog object at once.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

import type { CatalogViolation } from '../contract/catalog';
import { lintRead } from '../catalog/lint/engine';
import { readCatalog } from '../catalog/load';
import type { Catalog } from '../catalog/model';
import { isoDateOf } from '../catalog/review';
import { appendAudit, type AuditContext } from './audit/append';
import type { CatalogHolder } from './catalog-holder';
import { announceRevision } from './catalog-state-repository';
import type { Store } from './store';

/** What a reload works on, as plain values (plugins/catalog.ts `catalogWorldOf` builds it from the app). */
export interface CatalogWorld {
  store: Store;
  catalog: CatalogHolder;
  /** The app's metrics registry, where the catalog metrics live. */
  registry: Registry;
  now(): Date;
}

export type ReloadOutcome =
  | { ok: true; previous: Catalog; catalog: Catalog; warnings: CatalogViolation[] }
  | { ok: false; current: Catalog; violations: CatalogViolation[] };

export interface CatalogMetrics {
  reloads: Counter<'result'>;
  failures: Counter;
  loadedAt: Gauge;
  runbooks: Gauge;
}

// Keyed by the registry and the holder, which a route plugin and the root instance share.
const metricsByRegistry = new WeakMap<object, CatalogMetrics>();
const pendingByHolder = new WeakMap<object, Promise<unknown>>();

/** The catalog metrics of this app, registered on app.metrics.registry the first time. */
export function catalogMetrics(world: Pick<CatalogWorld, 'registry' | 'catalog'>): CatalogMetrics {
  let metrics = metricsByRegistry.get(world.registry);
  if (!metrics) {
    const registers = [world.registry];
    metrics = {
      reloads: new Counter({
        name: 'opsdeck_catalog_reloads_total',
        help: 'Catalog reloads by result (ok, rejected)',
        labelNames: ['result'],
        registers,
      }),
      failures: new Counter({
        name: 'opsdeck_catalog_reload_failures_total',
        help: 'Catalog reloads rejected because the new catalog is invalid',
        registers,
      }),
      loadedAt: new Gauge({
        name: 'opsdeck_catalog_loaded_timestamp_seconds',
        help: 'When the catalog being served was loaded',
        registers,
      }),
      runbooks: new Gauge({
        name: 'opsdeck_catalog_runbooks',
        help: 'Runbooks in the catalog being served',
        registers,
      }),
    };
    const current = world.catalog.current();
    metrics.loadedAt.set(current.loadedAt.getTime() / 1000);
    metrics.runbooks.set(current.runbooks.size);
    metricsByRegistry.set(world.registry, metrics);
  }
  return metrics;
}

const summary = (catalog: Catalog) => ({
  revision: catalog.revision,
  loaded_at: catalog.loadedAt.toISOString(),
  runbooks: catalog.runbooks.size,
  signals: catalog.signals.size,
  queries: catalog.queries.size,
  alert_rules: catalog.alerts.rules.length,
});

async function reloadOnce(world: CatalogWorld, actor: AuditContext): Promise<ReloadOutcome> {
  const metrics = catalogMetrics(world);
  const previous = world.catalog.current();
  const now = world.now();
  const read = await readCatalog(world.catalog.dir, { root: previous.root, now });
  const errors = read.violations.filter((violation) => violation.severity === 'error');
  if (errors.length > 0) {
    await world.store.transaction(async (tx) => {
      await appendAudit(
        tx,
        actor,
        {
          action: 'catalog.reload_rejected',
          target_type: 'catalog',
          target_id: previous.revision,
          before: summary(previous),
          after: { violations: errors.length, rules: [...new Set(errors.map((error) => error.rule))] },
        },
        now
      );
    });
    metrics.failures.inc();
    metrics.reloads.inc({ result: 'rejected' });
    return { ok: false, current: previous, violations: errors };
  }
  const warnings = lintRead(read, { today: isoDateOf(now) }).findings;
  await world.store.transaction(async (tx) => {
    await appendAudit(
      tx,
      actor,
      {
        action: 'catalog.reload',
        target_type: 'catalog',
        target_id: read.catalog.revision,
        before: summary(previous),
        after: summary(read.catalog),
      },
      now
    );
    // The other replicas follow this row (catalog-sync.ts).
    await announceRevision(tx, read.catalog.revision, now, actor.actor);
  });
  world.catalog.replace(read.catalog);
  metrics.reloads.inc({ result: 'ok' });
  metrics.loadedAt.set(read.catalog.loadedAt.getTime() / 1000);
  metrics.runbooks.set(read.catalog.runbooks.size);
  return { ok: true, previous, catalog: read.catalog, warnings };
}

/** Reloads are serialised per app, so two at once cannot swap in the older of two reads last. */
export function reloadCatalog(world: CatalogWorld, actor: AuditContext): Promise<ReloadOutcome> {
  const previous = pendingByHolder.get(world.catalog) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => reloadOnce(world, actor));
  pendingByHolder.set(world.catalog, next);
  return next;
}
