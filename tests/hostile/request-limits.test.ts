/**
 * Issue 17 items 9 and 12: forwarding headers are believed only from OPSDECK_TRUSTED_PROXIES; the
 * catalog reload takes no body; the webhook payload's own strings and the evidence have length limits;
 * alert senders never hold the API token; the datasource's proxy route is read-only like the app's
 * viewer route. None of this depends on the store, so it runs on the embedded one.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ErrorEnvelope } from '../../src/contract/common';
import { buildTestApp, TEST_TOKEN, type TestApp } from '../support/app';
import {
  completeEvidence,
  headersFor,
  makeRemediationCatalog,
  OWN,
  ownScope,
  PERSONAS,
  requestBodies,
  seedIncident,
} from '../support/remediation';
import { openTestStore, type TestStore } from '../support/stores';
import { anAlert, anAlertmanagerPayload, aGrafanaPayload, webhookAuth } from '../incidents/builders';

const admin = { 'x-opsdeck-capability': 'catalog:admin', 'x-grafana-user': 'root' };

describe('request limits and trust boundaries', () => {
  let testStore: TestStore;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let incidentId: string;
  const apps: TestApp[] = [];

  const build = async (env: Record<string, string> = {}) => {
    const t = await buildTestApp(testStore.store, {
      catalogDir: catalog.dir,
      env: { OPSDECK_REMEDIATION_INTERVAL_MS: '0', ...env },
      extra: { remediation: { paused: true } },
    });
    apps.push(t);
    return t;
  };

  beforeAll(async () => {
    testStore = await openTestStore('embedded');
    catalog = makeRemediationCatalog();
    incidentId = await seedIncident(testStore.store, OWN);
  }, 60_000);
  afterAll(async () => {
    for (const t of apps) {
      await t.app.close();
    }
    await testStore.dispose();
    catalog.remove();
  });

  async function sourceIpOfNote(t: TestApp, options: { remoteAddress: string; forwardedFor: string }) {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/notes`,
      headers: { ...headersFor(PERSONAS.operator, ownScope), 'x-forwarded-for': options.forwardedFor },
      remoteAddress: options.remoteAddress,
      payload: { text: 'who am I' },
    });
    expect(response.statusCode).toBe(201);
    const { rows } = await testStore.store.query<{ source_ip: string }>(
      'SELECT source_ip FROM audit_log WHERE correlation_id = $1',
      [response.headers['x-correlation-id']]
    );
    return rows[0]?.source_ip;
  }

  describe('OPSDECK_TRUSTED_PROXIES (item 9)', () => {
    it('by default X-Forwarded-For is ignored: the audit row has the socket address', async () => {
      const t = await build();
      expect(await sourceIpOfNote(t, { remoteAddress: '203.0.113.9', forwardedFor: '10.9.9.9' })).toBe('203.0.113.9');
    });

    it('X-Forwarded-For is believed from a configured proxy only', async () => {
      const t = await build({ OPSDECK_TRUSTED_PROXIES: '192.0.2.0/24' });
      expect(await sourceIpOfNote(t, { remoteAddress: '192.0.2.10', forwardedFor: '198.51.100.7' })).toBe(
        '198.51.100.7'
      );
      expect(await sourceIpOfNote(t, { remoteAddress: '203.0.113.9', forwardedFor: '198.51.100.7' })).toBe(
        '203.0.113.9'
      );
    });
  });

  describe('item 12', () => {
    it('the catalog reload takes no body: a JSON body answers 400 and neither reloads nor audits', async () => {
      const t = await build();
      const count = async () =>
        Number(
          (
            await testStore.store.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'catalog.%'"
            )
          ).rows[0].n
        );
      const before = await count();
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/catalog/reload',
        headers: t.auth(admin),
        payload: { anything: 'at all' },
      });
      expect(response.statusCode).toBe(400);
      expect(ErrorEnvelope.parse(response.json()).code).toBe('invalid_request');
      expect(await count()).toBe(before);
      const plain = await t.app.inject({ method: 'POST', url: '/api/v1/admin/catalog/reload', headers: t.auth(admin) });
      expect(plain.statusCode).toBe(200);
    });

    it.each([
      ['receiver', { receiver: 'r'.repeat(200_000) }],
      ['groupKey', { groupKey: 'g'.repeat(200_000) }],
    ])('an Alertmanager %s of 200 KB answers 400', async (field, overrides) => {
      const t = await build({ OPSDECK_WEBHOOK_TOKEN: 'test-webhook-token-0123456789' });
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/alerts/alertmanager',
        headers: webhookAuth,
        payload: anAlertmanagerPayload([anAlert()], overrides),
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(field);
    });

    it('a Grafana payload version of 200 KB answers 400', async () => {
      const t = await build();
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/alerts/grafana',
        headers: webhookAuth,
        payload: aGrafanaPayload([anAlert()], { version: 'v'.repeat(200_000) }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('version');
    });

    it('an evidence environment of 200 KB answers 400', async () => {
      const t = await build();
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/approvals',
        headers: headersFor(PERSONAS.operator, ownScope),
        payload: requestBodies.r3(incidentId, completeEvidence({ environment: 'e'.repeat(200_000) })),
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('environment');
    });

    it('the API token does not open the intake; without OPSDECK_WEBHOOK_TOKEN the intake refuses everyone', async () => {
      const t = await build({ OPSDECK_WEBHOOK_TOKEN: '' });
      for (const authorization of [`Bearer ${TEST_TOKEN}`, `Bearer `, 'Bearer test-webhook-token-0123456789']) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/alerts/alertmanager',
          headers: { authorization },
          payload: anAlertmanagerPayload([anAlert()]),
        });
        expect(response.statusCode).toBe(401);
      }
      // The rest of the API still works with the API token.
      const list = await t.app.inject({
        method: 'GET',
        url: '/api/v1/incidents',
        headers: headersFor(PERSONAS.operator, ownScope),
      });
      expect(list.statusCode).toBe(200);
    });

    it('an X-Grafana-User of 12 KB answers 400, not a 500 from the audit index', async () => {
      // Single-tenant (no access.yaml): any login is a member, so the request reaches the audit row.
      const open = makeRemediationCatalog(null);
      try {
        const t = await buildTestApp(testStore.store, {
          catalogDir: open.dir,
          env: { OPSDECK_REMEDIATION_INTERVAL_MS: '0' },
          extra: { remediation: { paused: true } },
        });
        apps.push(t);
        // Random text does not compress, so the audit row's actor index entry would pass PostgreSQL's limit.
        const login = randomBytes(6_000).toString('hex');
        const response = await t.app.inject({
          method: 'POST',
          url: `/api/v1/incidents/${incidentId}/notes`,
          headers: { ...headersFor(PERSONAS.operator, ownScope), 'x-grafana-user': login },
          payload: { text: 'hello' },
        });
        expect(response.statusCode).toBe(400);
        expect(ErrorEnvelope.parse(response.json()).details).toMatchObject({ header: 'X-Grafana-User' });
      } finally {
        open.remove();
      }
    });

    it("the datasource's proxy route is GET-only and gated by the read action, like the app's read route", () => {
      const read = (file: string) =>
        JSON.parse(readFileSync(path.join(__dirname, '..', '..', file), 'utf8')) as {
          routes: Array<{
            path: string;
            method?: string;
            reqAction?: string;
            headers?: Array<{ name: string; content: string }>;
          }>;
        };
      const [route] = read('src/datasource/plugin.json').routes;
      const appRead = read('plugin.json').routes.find((r) => r.path === 'read/*');
      const readAction = 'opsdeck-ops-app.incidents:read';
      expect({ method: route.method, reqAction: route.reqAction }).toEqual({ method: 'GET', reqAction: readAction });
      expect({ method: appRead?.method, reqAction: appRead?.reqAction }).toEqual({
        method: 'GET',
        reqAction: readAction,
      });
    });
  });
});
