/**
 * Issue 13.6: a catalog reload through one process left the other replicas serving the old catalog.
 * Now every replica on the same PostgreSQL follows the revision of the last reload within 2 s, swapping
 * its whole catalog, and a replica whose directory does not hold that revision keeps its catalog.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CatalogReloadResult } from '../../src/contract/catalog';
import { openPostgresStore } from '../../src/api/store/postgres';
import type { Store } from '../../src/api/store';
import { buildTestApp, type TestApp } from '../support/app';
import { prerequisite } from '../support/binaries';
import { createTestDatabase, postgresAvailable } from '../support/stores';
import { migrate } from '../../src/api/store/migrator';
import { FIXTURES_DIR } from '../lint/make-fixtures';

const run = prerequisite('catalog replicas suite', 'a PostgreSQL server', postgresAvailable())
  ? describe
  : describe.skip;
const admin = { 'x-opsdeck-capability': 'catalog:admin', 'x-grafana-user': 'ada' };

async function eventually(probe: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > ms) {
      throw new Error(`not within ${ms} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now() - started;
}

run('catalog reload across replicas', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const stores: Store[] = [];
  const replicas: TestApp[] = [];
  const repos: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 3; i += 1) {
      // Each replica has its own copy of the catalog, as each pod mounts its own config map.
      const repo = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-catalog-replica-'));
      cpSync(path.join(FIXTURES_DIR, 'valid'), repo, { recursive: true });
      repos.push(repo);
      const store = await openPostgresStore(database.url, { max: 3 });
      await migrate(store);
      stores.push(store);
      replicas.push(await buildTestApp(store, { catalogDir: path.join(repo, 'catalog') }));
    }
  }, 120_000);
  afterAll(async () => {
    for (const t of replicas) {
      await t.app.close();
    }
    for (const store of stores) {
      await store.close();
    }
    await database.drop();
    repos.forEach((repo) => rmSync(repo, { recursive: true, force: true }));
  });

  const edit = (repo: string, line: string) => {
    const file = path.join(repo, 'catalog/runbooks/api-error-rate.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('## Verification\n', `## Verification\n\n- [ ] ${line}\n`));
  };

  it('serves the new revision on every replica within 2 s of a reload on one of them', async () => {
    const before = replicas[0].app.catalog.current().revision;
    repos.forEach((repo) => edit(repo, 'Page the reporter back.'));
    const response = await replicas[0].app.inject({
      method: 'POST',
      url: '/api/v1/admin/catalog/reload',
      headers: replicas[0].auth(admin),
    });
    expect(response.statusCode).toBe(200);
    const { revision } = CatalogReloadResult.parse(response.json());
    expect(revision).not.toBe(before);
    for (const t of replicas) {
      await eventually(() => t.app.catalog.current().revision === revision, 2_000);
    }
  });

  it('three replicas reloading the same change at once agree on one revision (issue 13: racing reloads)', async () => {
    const before = replicas[0].app.catalog.current().revision;
    repos.forEach((repo) => edit(repo, 'Race the reload.'));
    // Two reloads per replica, all at once: each answers the same revision, one audit row each.
    const audited = async () =>
      Number(
        (
          await stores[0].query<{ n: number }>(
            "SELECT count(*)::int AS n FROM audit_log WHERE action = 'catalog.reload'"
          )
        ).rows[0].n
      );
    const auditBefore = await audited();
    const responses = await Promise.all(
      [...replicas, ...replicas].map((t) =>
        t.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/reload', headers: t.auth(admin) })
      )
    );
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    const revisions = new Set(responses.map((r) => CatalogReloadResult.parse(r.json()).revision));
    expect(revisions.size).toBe(1);
    const [revision] = revisions;
    expect(revision).not.toBe(before);
    for (const t of replicas) {
      await eventually(() => t.app.catalog.current().revision === revision, 2_000);
    }
    const state = await stores[1].query<{ revision: string }>('SELECT revision FROM catalog_state WHERE id = 1');
    expect(state.rows).toEqual([{ revision }]);
    expect(await audited()).toBe(auditBefore + responses.length);
  });

  it('keeps the previous catalog on a replica whose directory does not hold the announced revision', async () => {
    const serving = replicas[2].app.catalog.current().revision;
    edit(repos[0], 'Tell the status page.');
    edit(repos[1], 'Tell the status page.');
    edit(repos[2], 'Something else entirely.'); // its config map differs
    const response = await replicas[0].app.inject({
      method: 'POST',
      url: '/api/v1/admin/catalog/reload',
      headers: replicas[0].auth(admin),
    });
    const { revision } = CatalogReloadResult.parse(response.json());
    await eventually(() => replicas[1].app.catalog.current().revision === revision, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(replicas[2].app.catalog.current().revision).toBe(serving);
    expect(await replicas[2].app.metrics.registry.getSingleMetricAsString('opsdeck_catalog_in_sync')).toContain(
      'opsdeck_catalog_in_sync 0'
    );
  });
});
