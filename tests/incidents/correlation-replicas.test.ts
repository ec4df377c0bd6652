/**
 * Issue 13.7: a correlation lookup on one replica missed requests another replica had answered in the
 * last ~360 ms (they sat in that replica's request-log buffer), and kill -9 lost that buffer. Requests
 * are now in the table before their answer leaves, so a lookup anywhere sees every request answered
 * anywhere before it started.
 */
import { CorrelationLookup } from '../../src/contract/correlation';
import { migrate } from '../../src/api/store/migrator';
import { openPostgresStore } from '../../src/api/store/postgres';
import type { Store } from '../../src/api/store';
import { buildTestApp, type TestApp } from '../support/app';
import { prerequisite } from '../support/binaries';
import { createTestDatabase, postgresAvailable } from '../support/stores';
import { everyProject, INCIDENTS_CATALOG_DIR } from './builders';

const run = prerequisite('correlation replicas suite', 'a PostgreSQL server', postgresAvailable())
  ? describe
  : describe.skip;

run('correlation lookups across replicas', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const stores: Store[] = [];
  const replicas: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 2; i += 1) {
      const store = await openPostgresStore(database.url, { max: 3 });
      await migrate(store);
      stores.push(store);
      replicas.push(await buildTestApp(store, { catalogDir: INCIDENTS_CATALOG_DIR }));
    }
  }, 60_000);
  afterAll(async () => {
    for (const t of replicas) {
      await t.app.close();
    }
    for (const store of stores) {
      await store.close();
    }
    await database.drop();
  });

  it('finds on one replica every request the other answered before the lookup started', async () => {
    const [a, b] = replicas;
    for (let i = 0; i < 10; i += 1) {
      const correlationId = `req-replica-${i}-0123456789`;
      const answered = await a.app.inject({
        method: 'GET',
        url: '/api/v1/incidents',
        headers: a.auth({ ...everyProject, 'x-correlation-id': correlationId }),
      });
      expect(answered.headers['x-correlation-id']).toBe(correlationId);
      const lookup = await b.app.inject({
        method: 'GET',
        url: `/api/v1/correlations/${correlationId}`,
        headers: b.auth(everyProject),
      });
      expect(lookup.statusCode).toBe(200);
      const found = CorrelationLookup.parse(lookup.json());
      expect(found.requests.map((r) => [r.route, r.status])).toEqual([['/api/v1/incidents', 200]]);
    }
  });
});
