/**
 * Re-records the API answers of the datasource's frame contract (tests/fixtures/datasource/api/) from the
 * real API, seeded as the browser suite seeds it. Then run
 *   OPSDECK_WRITE_FRAME_CONTRACT=1 npx jest --selectProjects plugin src/datasource/frames.contract.test.ts
 * to rewrite the expected frames from frames.ts, review the diff, and run `go test ./pkg/...`.
 * Usage: npx tsx scripts/record-datasource-fixtures.ts [--out dir]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { API_TOKEN, startApi, WEBHOOK_TOKEN } from '../tests/browser/support/api';
import { seed } from '../tests/browser/support/seed';

const root = path.resolve(__dirname, '..');
const outIndex = process.argv.indexOf('--out');
const out = path.resolve(outIndex >= 0 ? process.argv[outIndex + 1] : path.join(root, 'tests/fixtures/datasource/api'));

/** What each answer file holds: the request the datasource makes for the contract's query. */
const RECORDINGS: Record<string, { path: string; auth: boolean }> = {
  'incidents.json': { path: '/api/v1/incidents?limit=500', auth: true },
  'runbooks.json': { path: '/api/v1/admin/runbooks', auth: true },
  'approvals.json': { path: '/api/v1/approvals?limit=500', auth: true },
  'audit.json': {
    path: '/api/v1/audit?from=2000-01-01T00:00:00.000Z&to=2100-01-01T00:00:00.000Z&limit=500',
    auth: true,
  },
  'overview.json': { path: '/api/v1/admin/ops/overview', auth: true },
  'slo_status.json': { path: '/api/v1/slos/status', auth: true },
  // issue 11: who is on call now (the seeded API reads the repository's catalog/oncall.yaml).
  'oncall.json': { path: '/api/v1/oncall/now', auth: true },
  // issue 12: the operating KPIs over the seeded history (the datasource sends window=30d by default).
  'kpis.json': { path: '/api/v1/kpis?window=30d', auth: true },
  'readyz.json': { path: '/readyz', auth: false },
  'error-401.json': { path: '/api/v1/incidents', auth: false },
};

async function main() {
  const buildDir = path.join(root, 'tests/browser/.host-build', `record-${process.pid}`);
  mkdirSync(buildDir, { recursive: true });
  mkdirSync(out, { recursive: true });
  const api = await startApi(root, buildDir);
  try {
    await seed(api.url, { apiToken: API_TOKEN, webhookToken: WEBHOOK_TOKEN });
    for (const [file, { path: target, auth }] of Object.entries(RECORDINGS)) {
      const response = await fetch(`${api.url}${target}`, {
        headers: {
          authorization: `Bearer ${auth ? API_TOKEN : 'not-the-token'}`,
          'x-project-id': '*',
          'x-opsdeck-capability': 'incidents:read',
          'x-grafana-user': 'sre-lead',
        },
      });
      writeFileSync(path.join(out, file), await response.text());
      console.log(`${file}: HTTP ${response.status} from ${target}`);
    }
  } finally {
    await api.stop();
    rmSync(buildDir, { recursive: true, force: true });
  }
}

void main();
