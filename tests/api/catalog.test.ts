/**
 * The runbook, signal and saved-query API and the catalog reload, through app.inject. The catalog is a
 * temporary copy of the lint fixture repository `valid/` so that the reload tests can edit it.
 * Reload writes audit rows, so the suite runs on both stores.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  CatalogReloadResult,
  ExploreUrlResponse,
  RunbookDetail,
  RunbookList,
  SavedQueryDetail,
  SavedQueryList,
  SignalList,
  type CatalogViolation,
} from '../../src/contract/catalog';
import { ErrorEnvelope } from '../../src/contract/common';
import { buildTestApp, type TestApp } from '../support/app';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { FIXTURES_DIR } from '../lint/make-fixtures';

const viewer = { 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'vera' };
const admin = { 'x-opsdeck-capability': 'incidents:read,catalog:admin', 'x-grafana-user': 'ada' };

describe.each(storeKinds('catalog api'))('catalog API on the %s store', (kind) => {
  let testStore: TestStore;
  let t: TestApp;
  let repo: string;
  let clock = new Date('2026-11-23T12:00:00Z');

  const get = (url: string, headers: Record<string, string> = viewer) =>
    t.app.inject({ method: 'GET', url, headers: t.auth(headers) });
  const reload = (headers: Record<string, string> = admin) =>
    t.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/reload', headers: t.auth(headers) });
  const envelope = (body: unknown, code: string) => {
    const parsed = ErrorEnvelope.parse(body);
    expect(parsed.code).toBe(code);
    return parsed;
  };

  beforeAll(async () => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-catalog-api-'));
    cpSync(path.join(FIXTURES_DIR, 'valid'), repo, { recursive: true });
    testStore = await openTestStore(kind);
    t = await buildTestApp(testStore.store, {
      catalogDir: path.join(repo, 'catalog'),
      now: () => clock,
      env: { OPSDECK_EXPLORE_TEMPO_UID: 'tempo-prod', OPSDECK_GRAFANA_URL: 'https://grafana.example' },
    });
  });
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
    rmSync(repo, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock = new Date('2026-11-23T12:00:00Z');
  });

  describe('runbooks', () => {
    it('needs the service token', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/admin/runbooks' });
      expect(response.statusCode).toBe(401);
      envelope(response.json(), 'unauthenticated');
    });

    it('lists runbooks in manifest order with review status and signal groups', async () => {
      const response = await get('/api/v1/admin/runbooks');
      expect(response.statusCode).toBe(200);
      const list = RunbookList.parse(response.json());
      expect(list.groups).toBeUndefined();
      expect(
        list.items.map(({ id, review_status, review_due_at, signal_groups }) => ({
          id,
          review_status,
          review_due_at,
          signal_groups,
        }))
      ).toEqual([
        { id: 'ops.outbox.relay', review_status: 'ok', review_due_at: '2027-01-30', signal_groups: ['messaging'] },
        { id: 'ops.api.error_rate', review_status: 'ok', review_due_at: '2027-01-13', signal_groups: ['api_edge'] },
      ]);
    });

    it('moves review_status to due_soon 15 days before the 90-day limit and to overdue after it, by app.now()', async () => {
      // ops.api.error_rate was reviewed 2026-10-15: 75 days later is 2026-12-29, 91 days later 2027-01-14.
      const statusOn = async (day: string) => {
        clock = new Date(`${day}T08:00:00Z`);
        const list = RunbookList.parse((await get('/api/v1/admin/runbooks?q=error_rate')).json());
        return list.items.map((item) => item.review_status);
      };
      expect(await statusOn('2026-12-28')).toEqual(['ok']);
      expect(await statusOn('2026-12-29')).toEqual(['due_soon']);
      expect(await statusOn('2027-01-13')).toEqual(['due_soon']);
      expect(await statusOn('2027-01-14')).toEqual(['overdue']);

      const overdue = RunbookList.parse((await get('/api/v1/admin/runbooks?review=overdue')).json());
      expect(overdue.items.map((item) => item.id)).toEqual(['ops.api.error_rate']);
    });

    it('filters by signal, owner_team, severity and q', async () => {
      const ids = async (query: string) =>
        RunbookList.parse((await get(`/api/v1/admin/runbooks?${query}`)).json()).items.map((item) => item.id);
      expect(await ids('signal=api_latency_p95_high')).toEqual(['ops.api.error_rate']);
      expect(await ids('owner_team=platform-messaging')).toEqual(['ops.outbox.relay']);
      expect(await ids('severity=sev1')).toEqual(['ops.outbox.relay']);
      expect(await ids('q=OUTBOX')).toEqual(['ops.outbox.relay']);
      expect(await ids('q=api.error')).toEqual(['ops.api.error_rate']);
      expect(await ids('signal=api_latency_p95_high&severity=sev1')).toEqual([]);
    });

    it('groups by signal group in the groups stable order', async () => {
      const list = RunbookList.parse((await get('/api/v1/admin/runbooks?group_by=signal_group')).json());
      expect(
        list.groups?.map((group) => [group.group.key, group.group.order, group.runbooks.map((r) => r.id)])
      ).toEqual([
        ['api_edge', 1, ['ops.api.error_rate']],
        ['messaging', 2, ['ops.outbox.relay']],
      ]);
    });

    it('rejects an unknown filter value with 400 invalid_request', async () => {
      const response = await get('/api/v1/admin/runbooks?severity=sev9');
      expect(response.statusCode).toBe(400);
      envelope(response.json(), 'invalid_request');
    });

    it('shows one runbook with its markdown, checklist, signals, alert rules and saved queries', async () => {
      const response = await get('/api/v1/admin/runbooks/ops.api.error_rate');
      expect(response.statusCode).toBe(200);
      const detail = RunbookDetail.parse(response.json());
      expect(detail.content).toBe(readFileSync(path.join(repo, 'catalog/runbooks/api-error-rate.md'), 'utf8'));
      expect(detail.checklist.map((step) => step.id)).toEqual([
        'diagnosis-1',
        'diagnosis-2',
        'diagnosis-3',
        'mitigation-1',
        'verification-1',
      ]);
      expect(detail.checklist[3]).toEqual({
        id: 'mitigation-1',
        section: 'mitigation',
        text: '1. Roll back the last release (R2, one approver).',
        body: '',
      });
      expect(detail.signal_details.map((signal) => signal.key)).toEqual([
        'api_error_rate_high',
        'api_latency_p95_high',
      ]);
      expect(detail.alert_rules).toEqual([
        {
          file: 'alerts/prometheus/api.yaml',
          name: 'ApiErrorRateHigh',
          kind: 'prometheus',
          signal_key: 'api_error_rate_high',
        },
      ]);
      expect(detail.saved_queries.map((query) => query.id)).toEqual(['error_rate_by_service', 'trace_by_id']);
      expect(detail.review_status).toBe('ok');
    });

    it('answers an unknown runbook with 404 runbook_not_found', async () => {
      const response = await get('/api/v1/admin/runbooks/ops.nothing.here');
      expect(response.statusCode).toBe(404);
      expect(envelope(response.json(), 'runbook_not_found').details).toEqual({ runbook_id: 'ops.nothing.here' });
    });
  });

  describe('signals', () => {
    it('lists signals by group order with their runbooks', async () => {
      const list = SignalList.parse((await get('/api/v1/signals')).json());
      expect(list.groups.map((group) => group.key)).toEqual(['api_edge', 'messaging']);
      expect(list.items.map((signal) => [signal.key, signal.runbook_ids])).toEqual([
        ['api_error_rate_high', ['ops.api.error_rate']],
        ['api_latency_p95_high', ['ops.api.error_rate']],
        ['outbox_relay_degraded', ['ops.outbox.relay']],
      ]);
    });

    it('gives the runbooks of one signal, or 404 signal_not_found', async () => {
      const list = RunbookList.parse((await get('/api/v1/signals/outbox_relay_degraded/runbooks')).json());
      expect(list.items.map((item) => [item.id, item.review_status])).toEqual([['ops.outbox.relay', 'ok']]);
      const missing = await get('/api/v1/signals/no_such_signal/runbooks');
      expect(missing.statusCode).toBe(404);
      envelope(missing.json(), 'signal_not_found');
    });
  });

  describe('saved queries', () => {
    it('lists saved queries with their variables and citing runbooks, filtered', async () => {
      const all = SavedQueryList.parse((await get('/api/v1/queries')).json());
      expect(all.items.map((query) => [query.id, query.variables, query.runbook_ids])).toEqual([
        ['api_error_by_correlation_id', ['service', 'correlation_id'], ['ops.outbox.relay']],
        ['trace_by_id', ['trace_id'], ['ops.api.error_rate']],
        ['error_rate_by_service', ['service', 'window'], ['ops.api.error_rate']],
      ]);
      const loki = SavedQueryList.parse((await get('/api/v1/queries?datasource=loki')).json());
      expect(loki.items.map((query) => query.id)).toEqual(['api_error_by_correlation_id']);
      const search = SavedQueryList.parse((await get('/api/v1/queries?q=trace')).json());
      expect(search.items.map((query) => query.id)).toEqual(['trace_by_id']);
    });

    it('shows one saved query or 404 query_not_found', async () => {
      const query = SavedQueryDetail.parse((await get('/api/v1/queries/trace_by_id')).json());
      expect(query).toMatchObject({ datasource: 'tempo', variables: ['trace_id'] });
      const missing = await get('/api/v1/queries/nope');
      expect(missing.statusCode).toBe(404);
      envelope(missing.json(), 'query_not_found');
    });

    it('builds a Grafana Explore link with the configured datasource UID and time range', async () => {
      const response = await get(
        '/api/v1/queries/trace_by_id/explore-url?trace_id=4bf92f3577b34da6&from=now-3h&to=now-1h'
      );
      expect(response.statusCode).toBe(200);
      const link = ExploreUrlResponse.parse(response.json());
      expect(link).toMatchObject({
        query_id: 'trace_by_id',
        datasource: 'tempo',
        datasource_uid: 'tempo-prod',
        expr: '{ trace:id = "4bf92f3577b34da6" }',
        from: 'now-3h',
        to: 'now-1h',
      });
      const url = new URL(link.url);
      expect(`${url.origin}${url.pathname}`).toBe('https://grafana.example/explore');
      expect(url.searchParams.get('schemaVersion')).toBe('1');
      const pane = JSON.parse(url.searchParams.get('panes') ?? '{}').opsdeck;
      expect(pane.datasource).toBe('tempo-prod');
      expect(pane.range).toEqual({ from: 'now-3h', to: 'now-1h' });
      expect(pane.queries[0]).toMatchObject({ query: '{ trace:id = "4bf92f3577b34da6" }', queryType: 'traceql' });
    });

    it('uses the query default range and escapes values', async () => {
      const link = ExploreUrlResponse.parse(
        (
          await get(
            `/api/v1/queries/api_error_by_correlation_id/explore-url?service=api-gateway&correlation_id=${encodeURIComponent('x" or "1')}`
          )
        ).json()
      );
      expect(link.from).toBe('now-6h');
      expect(link.expr).toContain('correlation_id="x\\" or \\"1"');
    });

    it('answers a missing variable with 400 missing_variable naming it', async () => {
      const response = await get('/api/v1/queries/error_rate_by_service/explore-url?service=api-gateway');
      expect(response.statusCode).toBe(400);
      const error = envelope(response.json(), 'missing_variable');
      expect(error.message).toContain('window');
      expect(error.details).toEqual({ missing: ['window'], variable: 'window' });
    });

    it('rejects a window that is not a duration and a malformed time range', async () => {
      const window = await get(
        '/api/v1/queries/error_rate_by_service/explore-url?service=api-gateway&window=5m%5D)%20or%20vector(1'
      );
      expect(window.statusCode).toBe(400);
      expect(envelope(window.json(), 'invalid_request').details).toEqual({ variable: 'window' });
      const from = await get('/api/v1/queries/trace_by_id/explore-url?trace_id=abc&from=yesterday');
      expect(from.statusCode).toBe(400);
      envelope(from.json(), 'invalid_request');
    });
  });

  describe('reload', () => {
    const auditRows = async (action: string) =>
      (
        await t.app.store.query<{ actor: string; role: string; target_id: string; after: unknown }>(
          'SELECT actor, role, target_id, after FROM audit_log WHERE action = $1 ORDER BY id',
          [action]
        )
      ).rows;

    it('is for admins only', async () => {
      const response = await reload(viewer);
      expect(response.statusCode).toBe(403);
      envelope(response.json(), 'insufficient_permissions');
    });

    it('swaps in the edited catalog atomically and writes one audit row', async () => {
      const before = t.app.catalog.current();
      const file = path.join(repo, 'catalog/runbooks/api-error-rate.md');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('## Verification\n', '## Verification\n\n- [ ] Page the reporter back.\n')
      );
      const response = await reload();
      expect(response.statusCode).toBe(200);
      const result = CatalogReloadResult.parse(response.json());
      expect(result).toMatchObject({
        reloaded: true,
        previous_revision: before.revision,
        runbooks: 2,
        signals: 3,
        queries: 3,
        alert_rules: 3,
        warnings: [],
      });
      expect(result.revision).not.toBe(before.revision);
      expect(t.app.catalog.current().revision).toBe(result.revision);

      const detail = RunbookDetail.parse((await get('/api/v1/admin/runbooks/ops.api.error_rate')).json());
      expect(detail.checklist.map((step) => step.text)).toContain('Page the reporter back.');
      const rows = await auditRows('catalog.reload');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor: 'ada', role: 'admin', target_id: result.revision });
    });

    it('reports governance findings as warnings without refusing the catalog', async () => {
      clock = new Date('2027-03-01T00:00:00Z');
      const result = CatalogReloadResult.parse((await reload()).json());
      expect(result.warnings.map((warning) => warning.rule)).toEqual([
        'runbook-review-overdue',
        'runbook-review-overdue',
      ]);
    });

    it('keeps serving the previous catalog when the new one is invalid: 422 with every violation, a metric and an audit row', async () => {
      const serving = t.app.catalog.current();
      const manifestFile = path.join(repo, 'catalog/runbooks.catalog.json');
      const queriesFile = path.join(repo, 'catalog/queries.catalog.json');
      const manifest = readFileSync(manifestFile, 'utf8');
      const queries = readFileSync(queriesFile, 'utf8');
      try {
        const broken = JSON.parse(manifest);
        broken.runbooks[0].signals.push('no_such_signal');
        delete broken.runbooks[1].owner_team;
        writeFileSync(manifestFile, JSON.stringify(broken, null, 2));
        writeFileSync(queriesFile, queries.replace('"datasource": "tempo"', '"datasource": "jaeger"'));

        const response = await reload();
        expect(response.statusCode).toBe(422);
        const error = envelope(response.json(), 'catalog_invalid');
        const violations = (error.details.violations as CatalogViolation[]).map((v) => [v.path, v.rule]).sort();
        expect(violations).toEqual([
          ['catalog/queries.catalog.json', 'catalog-schema'],
          ['catalog/runbooks.catalog.json', 'runbook-required-field'],
          ['catalog/runbooks.catalog.json', 'runbook-signal-unknown'],
        ]);
        expect(error.details.revision).toBe(serving.revision);
        expect(t.app.catalog.current()).toBe(serving);
        const list = RunbookList.parse((await get('/api/v1/admin/runbooks')).json());
        expect(list.items).toHaveLength(2);

        const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
        expect(metrics.body).toMatch(/^opsdeck_catalog_reload_failures_total 1$/m);
        expect(metrics.body).toMatch(/^opsdeck_catalog_reloads_total\{result="rejected"\} 1$/m);
        const rejected = await auditRows('catalog.reload_rejected');
        expect(rejected).toHaveLength(1);
        expect(rejected[0]).toMatchObject({ actor: 'ada', target_id: serving.revision });
      } finally {
        writeFileSync(manifestFile, manifest);
        writeFileSync(queriesFile, queries);
      }
      expect((await reload()).statusCode).toBe(200);
    });
  });
});
