/**
 * Issue 13.1: a second process on the same embedded data dir used to start, serve its own copy of the
 * state and leave a broken audit chain behind. Now the first opener holds the directory: a second
 * `opsdeck serve` exits at once naming the holder, `opsdeck audit verify` says "in use by PID", and a
 * lock left by kill -9 is taken over by the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runAuditPurge, runAuditVerify, EXIT_CANNOT_CHECK, EXIT_OK } from '../../src/cli/commands/audit';
import { openEmbeddedStore } from '../../src/api/store/pglite';
import { MINIMAL_CATALOG_DIR } from '../support/app';
import { killHard, listening, PROCESS_WEBHOOK_TOKEN, spawnServe, type ServeProcess } from '../support/serve-process';

describe('one process per embedded data dir', () => {
  let dir: string;
  const running: ServeProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-lock-'));
  });
  afterAll(async () => {
    await Promise.all(running.map(killHard));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second serve and the CLI while one runs, and takes over after kill -9', async () => {
    const env = { OPSDECK_DATA_DIR: path.join(dir, 'data'), OPSDECK_CATALOG_DIR: MINIMAL_CATALOG_DIR };
    const first = spawnServe(env);
    running.push(first);
    const url = await listening(first, 120_000);
    const created = await fetch(`${url}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROCESS_WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        version: '4',
        status: 'firing',
        receiver: 'opsdeck',
        groupKey: 'lock-test',
        alerts: [
          { status: 'firing', labels: { alertname: 'LockTest', service: 'api' }, startsAt: new Date().toISOString() },
        ],
      }),
    });
    expect(created.status).toBe(200);

    const second = spawnServe(env);
    running.push(second);
    // Before the fix the second process became ready too: race its exit against its readiness.
    const outcome = await Promise.race([
      second.exited.then((code) => ({ exit: code })),
      listening(second, 120_000).then(() => ({ exit: 'listening' })),
    ]);
    expect(outcome).toEqual({ exit: 2 });
    expect(second.output()).toContain(`in use by PID ${first.child.pid}`);
    expect(second.output()).not.toContain('Server listening');

    for (const run of [runAuditVerify, runAuditPurge]) {
      const lines: string[] = [];
      const code = await run({
        dataDir: env.OPSDECK_DATA_DIR,
        env: {},
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      });
      expect(code).toBe(EXIT_CANNOT_CHECK);
      expect(lines.join('\n')).toContain(`in use by PID ${first.child.pid}`);
    }
    // The refused openers did not disturb the holder.
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    await killHard(first);
    const third = spawnServe(env);
    running.push(third);
    const thirdUrl = await listening(third, 120_000);
    expect((await fetch(`${thirdUrl}/readyz`)).status).toBe(200);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);

    const lines: string[] = [];
    expect(
      await runAuditVerify({
        dataDir: env.OPSDECK_DATA_DIR,
        env: {},
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      })
    ).toBe(EXIT_OK);
    expect(lines.join('\n')).toContain('audit log OK');
    // What the first process acknowledged before kill -9 is there.
    const store = await openEmbeddedStore(env.OPSDECK_DATA_DIR);
    try {
      const { rows } = await store.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM alerts WHERE labels->>'alertname' = 'LockTest'"
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await store.close();
    }
  }, 300_000);
});
