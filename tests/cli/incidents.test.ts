/**
 * Issue 15 point 8: `opsdeck incidents` and `opsdeck incident <id>` answer from a running API with the
 * token alone, as a terminal user wants them: worst first, one line each, the runbook to open, and the
 * alerts told apart by their distinguishing labels.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runIncident, runIncidents } from '../../src/cli/commands/incidents';
import { buildTestApp, TEST_TOKEN, type TestApp } from '../support/app';
import { openTestStore, type TestStore } from '../support/stores';
import {
  anAlert,
  anAlertmanagerPayload,
  ingest,
  INCIDENTS_CATALOG_DIR,
  listIncidents,
  resetIncidents,
} from '../incidents/builders';

describe('opsdeck incidents / incident <id>', () => {
  let testStore: TestStore;
  let t: TestApp;
  let url: string;
  let cwd: string;

  beforeAll(async () => {
    testStore = await openTestStore('embedded');
    t = await buildTestApp(testStore.store, { catalogDir: INCIDENTS_CATALOG_DIR });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    await resetIncidents(t);
    await ingest(
      t,
      anAlertmanagerPayload([
        anAlert({
          labels: {
            alertname: 'ObjectStoreDiskFull',
            severity: 'critical',
            instance: 'gpu-worker-17',
            service: 'object-store',
          },
          annotations: { summary: 'Disk 97% full on gpu-worker-17' },
        }),
        anAlert({
          labels: {
            alertname: 'ObjectStoreDiskFull',
            severity: 'critical',
            instance: 'gpu-worker-18',
            service: 'object-store',
          },
          annotations: { summary: 'Disk 99% full on gpu-worker-18' },
        }),
        anAlert({
          labels: {
            alertname: 'ApiErrors',
            signal_key: 'api_error_rate_high',
            severity: 'warning',
            project: 'p-vision',
          },
        }),
      ])
    );
    cwd = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-cli-'));
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
    rmSync(cwd, { recursive: true, force: true });
  });

  function capture() {
    const lines: string[] = [];
    const errors: string[] = [];
    return { lines, errors, out: (line: string) => lines.push(line), err: (line: string) => errors.push(line) };
  }

  it('lists the open incidents worst first, one line each, with the token of the environment', async () => {
    const io = capture();
    const code = await runIncidents({ env: { OPSDECK_API_URL: url, OPSDECK_API_TOKEN: TEST_TOKEN }, cwd, ...io });
    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    const [header, ...rows] = io.lines;
    expect(header).toMatch(/^SEV\s+STATUS\s+AGE\s+ID\s+PROJECT\s+TITLE/);
    const incidentRows = rows.filter((row) => /^SEV\d/.test(row));
    expect(incidentRows).toHaveLength(2);
    expect(incidentRows[0]).toMatch(/^SEV1\s+detected\s/);
    expect(incidentRows[1]).toContain('p-vision');
    expect(incidentRows[1]).toMatch(/^SEV3\s+detected\s/);
    expect(io.lines.at(-1)).toBe('2 open incidents');
  });

  it('reads the token npm start wrote to .opsdeck/api-token, and prints JSON on request', async () => {
    mkdirSync(path.join(cwd, '.opsdeck'), { recursive: true });
    writeFileSync(path.join(cwd, '.opsdeck', 'api-token'), `${TEST_TOKEN}\n`);
    const io = capture();
    const code = await runIncidents({ env: { OPSDECK_API_URL: url }, cwd, json: true, ...io });
    expect(code).toBe(0);
    const answer = JSON.parse(io.lines.join('\n')) as { items: Array<{ id: string }> };
    expect(answer.items).toHaveLength(2);
  });

  it('details one incident: its alerts told apart by the labels they do not share, and their summaries', async () => {
    const [disk] = (await listIncidents(t, '?severity=sev1')).items;
    const io = capture();
    const code = await runIncident(disk.id, {
      env: { OPSDECK_API_URL: url, OPSDECK_API_TOKEN: TEST_TOKEN },
      cwd,
      ...io,
    });
    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    const text = io.lines.join('\n');
    expect(text).toContain(disk.id);
    expect(text).toMatch(/instance=gpu-worker-17 .*Disk 97% full on gpu-worker-17/);
    expect(text).toMatch(/instance=gpu-worker-18 .*Disk 99% full on gpu-worker-18/);
  });

  it("answers an unknown ID with the API's error, its correlation ID and exit 1", async () => {
    const io = capture();
    const code = await runIncident('01JUNKNOWN0000000000000000', {
      env: { OPSDECK_API_URL: url, OPSDECK_API_TOKEN: TEST_TOKEN },
      cwd,
      ...io,
    });
    expect(code).toBe(1);
    expect(io.errors.join('\n')).toMatch(/incident_not_found.*correlation [\w-]+/);
  });

  it('says where it looked when no API answers, exit 2', async () => {
    const io = capture();
    const code = await runIncidents({
      env: { OPSDECK_API_URL: 'http://127.0.0.1:9', OPSDECK_API_TOKEN: 'x' },
      cwd,
      ...io,
    });
    expect(code).toBe(2);
    expect(io.errors.join('\n')).toContain('cannot reach the Opsdeck API at http://127.0.0.1:9');
  });
});
