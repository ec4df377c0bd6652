/**
 * Issue 17 items 2 and 3, on both stores: NUL characters and lone surrogates in any field answer 400
 * naming the field (never 500), except in alert webhooks, which are stored with the offending text
 * escaped and flagged so that Alertmanager's other alerts are not lost; and no input can make the
 * audit chain read as broken, because each row is hashed exactly as it is stored.
 */
import type { LightMyRequestResponse } from 'fastify';

import { ErrorEnvelope } from '../../src/contract/common';
import { appendAudit } from '../../src/api/audit/append';
import { verifyAuditChain } from '../../src/api/audit/verify';
import { buildTestApp, type TestApp } from '../support/app';
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
import { openTestStore, storeKinds, type TestStore } from '../support/stores';
import { anAlert, anAlertmanagerPayload, aGrafanaPayload, webhookAuth } from '../incidents/builders';

const NUL = 'a\u0000b';
const LONE = 'g\ud800';
const LOW_LONE = '\udc00x';
// A leading U+FEFF is kept by PostgreSQL but dropped by PGlite when it reads a text value back (its
// UTF-8 decoder strips a byte-order mark): stored and read text would differ on one store only.
const LEADING_BOM = '\ufeffb';
const BAD_TEXTS = { nul: NUL, lone_surrogate: LONE, lone_low_surrogate: LOW_LONE, leading_bom: LEADING_BOM } as const;

function expectInvalidText(response: LightMyRequestResponse, path: string) {
  expect(response.statusCode).toBe(400);
  const envelope = ErrorEnvelope.parse(response.json());
  expect(envelope.code).toBe('invalid_request');
  const issues = (envelope.details.issues ?? []) as Array<{ path: string; code: string }>;
  expect(issues.map((issue) => issue.path)).toContain(path);
}

describe.each(storeKinds('hostile text suite'))('hostile text on %s', (kind) => {
  let testStore: TestStore;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let t: TestApp;
  let incidentId: string;

  const operator = headersFor(PERSONAS.operator, ownScope);
  const approver = headersFor(PERSONAS.approver, ownScope);
  const admin = { ...headersFor(PERSONAS.globalAdmin, null) };

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    catalog = makeRemediationCatalog();
    t = await buildTestApp(testStore.store, {
      catalogDir: catalog.dir,
      env: { OPSDECK_REMEDIATION_INTERVAL_MS: '0' },
      extra: { remediation: { paused: true } },
    });
    incidentId = await seedIncident(testStore.store, OWN);
  }, 60_000);

  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
    catalog.remove();
  });

  async function auditOk() {
    const verify = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: admin });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true, first_broken_id: null });
  }

  async function pendingR3(): Promise<string> {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/approvals',
      headers: operator,
      payload: requestBodies.r3(incidentId),
    });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  }

  describe.each(Object.entries(BAD_TEXTS))('%s', (_name, bad) => {
    it('note text and transition note answer 400 naming the field', async () => {
      expectInvalidText(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/incidents/${incidentId}/notes`,
          headers: operator,
          payload: { text: bad },
        }),
        'body.text'
      );
      expectInvalidText(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/incidents/${incidentId}/transitions`,
          headers: operator,
          payload: { to: 'mitigating', note: bad },
        }),
        'body.note'
      );
    });

    it('decision comment, feedback comment and evidence answer 400 naming the field', async () => {
      const approvalId = await pendingR3();
      expectInvalidText(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/approvals/${approvalId}/decision`,
          headers: approver,
          payload: { decision: 'approve', comment: bad },
        }),
        'body.comment'
      );
      expectInvalidText(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/approvals/${approvalId}/feedback`,
          headers: operator,
          payload: { outcome: 'helped', comment: bad },
        }),
        'body.comment'
      );
      for (const field of ['reasoning', 'rollback_strategy', 'environment'] as const) {
        expectInvalidText(
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/approvals',
            headers: operator,
            payload: requestBodies.r3(incidentId, completeEvidence({ [field]: bad })),
          }),
          `body.evidence.${field}`
        );
      }
      expectInvalidText(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/approvals',
          headers: operator,
          payload: { ...requestBodies.r1(incidentId), parameters: { [bad]: true } },
        }),
        `body.parameters.${bad.replace(/[\u0000\ud800-\udfff]|^\ufeff/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}(key)`
      );
      await auditOk();
    });

    it('path parameters and filters answer 400, not 500', async () => {
      const encoded = encodeURIComponent(bad === NUL ? bad : 'x\u0000');
      for (const url of [
        `/api/v1/incidents/${encoded}`,
        `/api/v1/approvals/${encoded}`,
        `/api/v1/incidents?signal=${encoded}`,
        `/api/v1/audit?actor=${encoded}`,
        `/api/v1/approvals?incident_id=${encoded}`,
      ]) {
        const response = await t.app.inject({ method: 'GET', url, headers: operator });
        expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
        ErrorEnvelope.parse(response.json());
      }
      const decide = await t.app.inject({
        method: 'POST',
        url: `/api/v1/approvals/${encoded}/decision`,
        headers: approver,
        payload: { decision: 'approve', comment: 'fine' },
      });
      expectInvalidText(decide, 'params.id');
    });

    it('an alert webhook is stored with the text escaped and flagged; its other alerts are stored too', async () => {
      const clean = anAlert({ labels: { alertname: 'Clean', signal_key: 'clean', team: 'core' } });
      const dirty = anAlert({
        labels: { alertname: 'Dirty', signal_key: 'dirty', team: bad, [`x${bad}`]: 'v' },
        annotations: { summary: bad },
      });
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/alerts/alertmanager',
        headers: webhookAuth,
        payload: anAlertmanagerPayload([clean, dirty], { groupKey: `{}:${bad}`, receiver: `r${bad}` }),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ received: 2, created: 2 });
      const { rows } = await testStore.store.query<{ alertname: string; labels: unknown; annotations: unknown }>(
        "SELECT alertname, labels, annotations FROM alerts WHERE alertname IN ('Clean', 'Dirty') ORDER BY alertname"
      );
      expect(rows.map((row) => row.alertname)).toEqual(['Clean', 'Dirty']);
      const labels = (typeof rows[1].labels === 'string' ? JSON.parse(rows[1].labels) : rows[1].labels) as Record<
        string,
        string
      >;
      const annotations = (
        typeof rows[1].annotations === 'string' ? JSON.parse(rows[1].annotations) : rows[1].annotations
      ) as Record<string, string>;
      expect(labels.team).toMatch(/\\u(0000|d800|dc00|feff)/);
      expect(annotations.opsdeck_escaped_text).toContain('labels.team');
      expect(annotations.summary).toMatch(/\\u(0000|d800|dc00|feff)/);
      await auditOk();
      await testStore.store.exec(
        "DELETE FROM incident_timeline; DELETE FROM alerts WHERE alertname IN ('Clean','Dirty')"
      );
    });

    it('an alert whose fingerprint is the bad text is stored once: the same payload again creates nothing', async () => {
      const alert = { ...anAlert({ labels: { alertname: 'Printed', signal_key: 'printed' } }), fingerprint: bad };
      const send = () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/alerts/alertmanager',
          headers: webhookAuth,
          payload: anAlertmanagerPayload([alert]),
        });
      const first = await send();
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ received: 1, created: 1 });
      const again = await send();
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ received: 1, created: 0 });
      const { rows } = await testStore.store.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM alerts WHERE alertname = 'Printed'"
      );
      expect(rows[0].n).toBe(1);
      await auditOk();
      await testStore.store.exec("DELETE FROM incident_timeline; DELETE FROM alerts WHERE alertname = 'Printed'");
    });

    it('a Grafana webhook with bad text in every string field is stored, never 500', async () => {
      const alert = {
        ...anAlert({ labels: { alertname: `G${bad}`, tenant: `t${bad}`, project: `p${bad}` } }),
        fingerprint: `f${bad}`,
        valueString: bad,
      };
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/alerts/grafana',
        headers: webhookAuth,
        payload: aGrafanaPayload([alert], { receiver: bad, groupKey: bad, title: bad, message: bad }),
      });
      expect(response.statusCode).toBe(200);
      await auditOk();
    });
  });

  it('an audit row is hashed exactly as stored, whatever text reaches it (the chain stays verifiable)', async () => {
    await testStore.store.transaction((tx) =>
      appendAudit(
        tx,
        {
          actor: `actor${LONE}`,
          role: 'operator',
          tenant: `t${NUL}`,
          project: null,
          correlation_id: `corr${LOW_LONE}`,
          source_ip: null,
        },
        {
          action: 'test.hostile',
          target_type: 'thing',
          target_id: `id${LONE}${NUL}`,
          after: { [`k${NUL}`]: `v${LONE}`, nested: [LOW_LONE, { deep: NUL }], missing: undefined },
        }
      )
    );
    const result = await verifyAuditChain(testStore.store);
    expect(result).toMatchObject({ ok: true, first_broken_id: null });
  });
});
