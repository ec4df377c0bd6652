import path from 'node:path';

/** catalog-incidents plus response-policy.yaml and oncall.yaml (tests/fixtures/catalog-oncall/README.md). */
export const ONCALL_CATALOG_DIR = path.join(__dirname, '..', 'fixtures', 'catalog-oncall');

export const HOOK_SECRET = 'test-hook-secret-0123456789abcdef';
export const PD_KEY = 'R0UT1NGKEY0123456789ABCDEFGHIJKL';
export const GRAFANA = 'https://grafana.example.com';

/**
 * buildTestApp options for paging against the local receivers: the fixture catalog's channels point
 * at them, the worker is paused (tests call tick()), links are absolute under GRAFANA.
 */
export function pagingTestOptions(receiversUrl: string, now: () => Date) {
  return {
    catalogDir: ONCALL_CATALOG_DIR,
    now,
    env: { OPSDECK_GRAFANA_URL: GRAFANA },
    extra: {
      oncall: {
        paused: true,
        env: {
          OPSDECK_TEST_PD_KEY: PD_KEY,
          OPSDECK_TEST_SLACK_URL: `${receiversUrl}/slack`,
          OPSDECK_TEST_HOOK_URL: `${receiversUrl}/hook`,
          OPSDECK_TEST_HOOK_SECRET: HOOK_SECRET,
        },
        pagerDutyUrl: `${receiversUrl}/v2/enqueue`,
      },
    },
  };
}
