/**
 * The PostgreSQL health connection (one `pg.Client` outside the pool, store.health) is shared by
 * /readyz and the catalog follower. Two of their queries at once on that one client made pg log
 * "Calling client.query() when the client is already executing a query is deprecated" (pg queues them
 * itself today; pg 9 drops that queue). The store now runs the connection's queries one at a time.
 *
 * pg reports it through util.deprecate, i.e. `process.emitWarning` on Node's own process object, once
 * per loaded copy of pg: jest gives each test file a sandboxed `process`, so the test listens on the
 * real one (vm.runInThisContext('process')), and this file is the only one of its kind so that the
 * once-only warning is still unspent. The second assertion does not depend on that mechanism: no pg
 * client ever has two queries in flight.
 */
import pg from 'pg';
import vm from 'node:vm';

import { announcedRevision } from '../../src/api/catalog-state-repository';
import { buildTestApp, type TestApp } from '../support/app';
import { prerequisite } from '../support/binaries';
import { openTestStore, postgresAvailable, type TestStore } from '../support/stores';

const ALREADY_EXECUTING = /already executing a query/;
// PostgreSQL only: on the embedded store `health` is the store itself (PGlite, no pg client).
const run = prerequisite('health connection suite', 'a PostgreSQL server', postgresAvailable())
  ? describe
  : describe.skip;

/** The most queries each pg client had in flight at once, over the whole test. */
function watchInFlight() {
  const inFlight = new WeakMap<object, number>();
  let most = 0;
  const original = pg.Client.prototype.query;
  const patched = function (this: pg.Client, ...args: unknown[]) {
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) {
      const now = (inFlight.get(this) ?? 0) + 1;
      inFlight.set(this, now);
      most = Math.max(most, now);
      const done = () => inFlight.set(this, (inFlight.get(this) ?? 1) - 1);
      result.then(done, done);
    }
    return result;
  };
  pg.Client.prototype.query = patched as typeof original;
  return {
    most: () => most,
    restore: () => {
      pg.Client.prototype.query = original;
    },
  };
}

run('the PostgreSQL health connection', () => {
  let t: TestStore;
  let api: TestApp;

  beforeAll(async () => {
    t = await openTestStore('postgres');
    api = await buildTestApp(t.store);
  });

  afterAll(async () => {
    await api?.app.close();
    await t?.dispose();
  });

  it('answers concurrent /readyz calls and catalog checks with no "already executing" warning', async () => {
    const realProcess = vm.runInThisContext('process') as NodeJS.Process;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    realProcess.on('warning', onWarning);
    const watch = watchInFlight();
    try {
      const answers = await Promise.all([
        ...Array.from({ length: 12 }, () => api.app.inject({ method: 'GET', url: '/readyz' })),
        ...Array.from({ length: 6 }, () => announcedRevision(t.store.health)),
      ]);
      const ready = answers.slice(0, 12) as Array<{ statusCode: number; json(): unknown }>;
      expect(ready.map((answer) => answer.statusCode)).toEqual(Array(12).fill(200));
      expect(ready[0].json()).toMatchObject({ status: 'ready', store: 'postgres' });
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((message) => ALREADY_EXECUTING.test(message))).toEqual([]);
      expect(watch.most()).toBe(1);
    } finally {
      watch.restore();
      realProcess.off('warning', onWarning);
    }
  });
});
