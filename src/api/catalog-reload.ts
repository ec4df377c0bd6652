/**
 * Reloading the catalog while serving (POST /api/v1/admin/catalog/reload and SIGHUP). The new catalog
 * is read completely first; if it has any structural error the previous one keeps serving and every
 * violation is reported. Otherwise one audit row records the change (previous and new revision) and,
 * once that transaction committed, the holder swaps the whole Catalog object at once.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';

import type { CatalogViolation } from '../contract/catalog';
import { lintRead } from '../catalog/lint/engine';
import { readCatalog } from '../catalog/load';
import type { Catalog } from '../catalog/model';
import { isoDateOf } from '../catalog/review';
import { appendAudit, type AuditContext } from './audit/append';

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
export function catalogMetrics(app: FastifyInstance): CatalogMetrics {
  let metrics = metricsByRegistry.get(app.metrics.registry);
  if (!metrics) {
    const registers = [app.metrics.registry];
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
    const current = app.catalog.current();
    metrics.loadedAt.set(current.loadedAt.getTime() / 1000);
    metrics.runbooks.set(current.runbooks.size);
    metricsByRegistry.set(app.metrics.registry, metrics);
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

async function reloadOnce(app: FastifyInstance, actor: AuditContext): Promise<ReloadOutcome> {
  const metrics = catalogMetrics(app);
  const previous = app.catalog.current();
  const now = app.now();
  const read = await readCatalog(app.catalog.dir, { root: previous.root, now });
  const errors = read.violations.filter((violation) => violation.severity === 'error');
  if (errors.length > 0) {
    await app.store.transaction(async (tx) => {
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
  await app.store.transaction(async (tx) => {
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
    await tx.query(
      `INSERT INTO catalog_state (id, revision, generation, reloaded_at, reloaded_by) VALUES (1, $1, 1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET revision = $1, generation = catalog_state.generation + 1, reloaded_at = $2, reloaded_by = $3`,
      [read.catalog.revision, now.toISOString(), actor.actor]
    );
  });
  app.catalog.replace(read.catalog);
  metrics.reloads.inc({ result: 'ok' });
  metrics.loadedAt.set(read.catalog.loadedAt.getTime() / 1000);
  metrics.runbooks.set(read.catalog.runbooks.size);
  return { ok: true, previous, catalog: read.catalog, warnings };
}

/** Reloads are serialised per app, so two at once cannot swap in the older of two reads last. */
export function reloadCatalog(app: FastifyInstance, actor: AuditContext): Promise<ReloadOutcome> {
  const previous = pendingByHolder.get(app.catalog) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => reloadOnce(app, actor));
  pendingByHolder.set(app.catalog, next);
  return next;
}
