/**
 * Recommendations (issue 12) on both stores: the catalog actions of the incident's runbooks, then of
 * its signal; parameters prefilled from labels only where the JSON Schema accepts them; confidence
 * from this project's past outcomes (same signal, then same runbook) with the counts; "no history"
 * said plainly; ranking; overrides with their reason. Plus the pure formula on its own.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { ActionDefinition } from '../../src/contract/approvals';
import { ErrorEnvelope } from '../../src/contract/common';
import { RecommendationOverride, RecommendationList } from '../../src/contract/recommendations';
import { confidenceOf } from '../../src/api/recommendations/rank';
import { seedIncident } from '../support/remediation';
import { storeKinds } from '../support/stores';
import {
  anAlert,
  anAlertmanagerPayload,
  incidentDetail,
  INCIDENTS_CATALOG_DIR,
  ingest,
  useIncidentsApp,
} from './builders';

const dryRun = { type: 'dry_run' } as const;
const ACTIONS: ActionDefinition[] = [
  {
    id: 'relay.scale',
    title: 'Scale the relay',
    description: 'More relay replicas',
    risk_class: 'R2',
    runbook_id: 'ops.outbox.relay',
    parameters: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', minimum: 1, maximum: 24 },
        service: { type: 'string', pattern: '^[a-z-]+$' },
        namespace: { type: 'string', pattern: '^[a-z]+$' },
      },
      required: ['replicas', 'service'],
      additionalProperties: false,
    },
    executor: dryRun,
    rollback_action_id: null,
  },
  {
    id: 'relay.restart',
    title: 'Restart the relay',
    description: 'Rolling restart',
    risk_class: 'R1',
    runbook_id: 'ops.outbox.relay',
    parameters: {
      type: 'object',
      properties: { reset_lease: { type: 'boolean', default: false } },
      additionalProperties: false,
    },
    executor: dryRun,
    rollback_action_id: null,
  },
  {
    id: 'queue.replay',
    title: 'Replay the DLQ',
    description: 'Replays dead letters',
    risk_class: 'R2',
    runbook_id: 'ops.queue.backlog',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    executor: dryRun,
    rollback_action_id: null,
  },
];

function catalogWithActions() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-recommendations-'));
  cpSync(INCIDENTS_CATALOG_DIR, dir, { recursive: true });
  writeFileSync(path.join(dir, 'actions.catalog.json'), JSON.stringify({ version: 1, actions: ACTIONS }));
  return dir;
}

describe('confidence formula', () => {
  const counts = (c: Partial<Parameters<typeof confidenceOf>[0]>) => ({
    runs: 0,
    succeeded: 0,
    failed: 0,
    helped: 0,
    did_not_help: 0,
    made_worse: 0,
    ...c,
  });
  it('is null without runs, counts helped fully and bare successes half, everything else zero', () => {
    expect(confidenceOf(counts({}))).toBeNull();
    expect(confidenceOf(counts({ runs: 4, succeeded: 4, helped: 4 }))).toBe(1);
    expect(confidenceOf(counts({ runs: 4, succeeded: 2, failed: 2 }))).toBe(0.25);
    expect(confidenceOf(counts({ runs: 2, succeeded: 2, made_worse: 1, did_not_help: 1 }))).toBe(0);
  });
});

describe.each(storeKinds('recommendations'))('recommendations on %s', (kind) => {
  // A temporary catalog, removed after the suite.
  const { t, clock } = useIncidentsApp(kind, { catalogDir: catalogWithActions });
  const vision = {
    'x-project-id': 't-acme/p-vision',
    'x-opsdeck-capability': 'incidents:read,incidents:write,approvals:request',
    'x-grafana-user': 'ic',
  };

  /** An incident of `signal` in `project`, with extra labels. */
  async function incident(signal: string, labels: Record<string, string> = {}, project = 'p-vision') {
    const alert = anAlert({
      labels: {
        alertname: `${signal}-${clock.now().getTime()}`,
        severity: 'critical',
        signal_key: signal,
        tenant: 't-acme',
        project,
        ...labels,
      },
      annotations: { summary: signal },
    });
    clock.advance(1);
    return (await ingest(t, anAlertmanagerPayload([alert]))).incident_ids[0];
  }

  /** A finished run of `actionId` on `incidentId` with its feedback, written as the approvals module stores it. */
  async function pastRun(incidentId: string, actionId: string, status: 'succeeded' | 'failed', outcome?: string) {
    const id = `appr-${Math.random().toString(36).slice(2, 12)}`;
    const { rows } = await t.app.store.query<{ tenant: string; project: string }>(
      'SELECT tenant, project FROM incidents WHERE id = $1',
      [incidentId]
    );
    await t.app.store.query(
      `INSERT INTO approvals (id, incident_id, tenant, project, action_id, action_title, risk_class, status, requires_approval,
         policy_reason, min_approvals, requested_by, requested_at, expires_at, parameters, evidence, similar_past_outcomes,
         saved_query_links, correlation_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5, 'R1', $6, false, 'auto', 0, 'past', $7, $7, '{}', '{}', '{}', '[]', 'seed', $7)`,
      [id, incidentId, rows[0].tenant, rows[0].project, actionId, status, clock.now().toISOString()]
    );
    if (outcome) {
      await t.app.store.query(
        `INSERT INTO approval_feedback (approval_id, outcome, recorded_by, recorded_at) VALUES ($1, $2, 'past', $3)`,
        [id, outcome, clock.now().toISOString()]
      );
    }
  }

  const recommendations = async (id: string, headers = vision) =>
    RecommendationList.parse(
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/recommendations`, headers: t.auth(headers) })
      ).json()
    );

  it('says "no history" instead of a number, ranks R1 first, and prefills only what the schema accepts', async () => {
    const id = await incident('outbox_relay_degraded', {
      service: 'outbox-relay',
      replicas: 'lots',
      namespace: 'Messaging',
    });
    const list = await recommendations(id);
    expect(list.no_history).toBe(true);
    expect(list.items.map((r) => [r.rank, r.action_id, r.confidence, r.basis, r.source])).toEqual([
      [1, 'relay.restart', null, 'none', 'runbook'],
      [2, 'relay.scale', null, 'none', 'runbook'],
    ]);
    expect(list.items[0].explanation).toMatch(/^no history/);
    expect(list.items[0].parameters).toEqual({ reset_lease: false });
    // service fits its pattern; "lots" is no integer and "Messaging" breaks the lower-case pattern.
    expect(list.items[1].parameters).toEqual({ service: 'outbox-relay' });
    expect(list.items[1].missing_parameters).toEqual(['replicas']);
    expect(list.top_action_id).toBe('relay.restart');
  });

  it('computes confidence from this project’s outcomes on the same signal, with the counts', async () => {
    // Past incidents of the same signal (seeded: the intake would group them into the current one).
    const past1 = await seedIncident(t.app.store, { tenant: 't-acme', project: 'p-vision' });
    const past2 = await seedIncident(t.app.store, { tenant: 't-acme', project: 'p-vision' });
    await pastRun(past1, 'relay.scale', 'succeeded', 'helped');
    await pastRun(past2, 'relay.scale', 'succeeded', 'helped');
    await pastRun(past2, 'relay.scale', 'succeeded');
    await pastRun(past1, 'relay.restart', 'failed');
    await pastRun(past2, 'relay.restart', 'succeeded', 'made_worse');
    // Another project's glowing history of the restart must not count.
    const foreign = await seedIncident(t.app.store, { tenant: 't-acme', project: 'p-other' });
    for (let i = 0; i < 5; i += 1) {
      await pastRun(foreign, 'relay.restart', 'succeeded', 'helped');
    }
    const now = await incident('outbox_relay_degraded');
    const list = await recommendations(now);
    expect(list.no_history).toBe(false);
    expect(list.items.map((r) => [r.action_id, r.confidence, r.basis])).toEqual([
      ['relay.scale', 2.5 / 3, 'same_signal'],
      ['relay.restart', 0, 'same_signal'],
    ]);
    expect(list.items[0].history).toEqual({
      runs: 3,
      succeeded: 3,
      failed: 0,
      helped: 2,
      did_not_help: 0,
      made_worse: 0,
    });
    expect(list.items[0].explanation).toBe('3 of 3 runs succeeded on incidents of the same signal; feedback: 2 helped');
    expect(list.items[1].explanation).toBe(
      '1 of 2 runs succeeded on incidents of the same signal; feedback: 1 made it worse'
    );
  });

  it('falls back to incidents that shared a runbook when the signal has no history', async () => {
    const past = await seedIncident(t.app.store, { tenant: 't-acme', project: 'p-vision' });
    await t.app.store.query(
      `UPDATE incidents SET signal_key = 'relay_lag_high', runbook_ids = '["ops.outbox.relay"]' WHERE id = $1`,
      [past]
    );
    await pastRun(past, 'relay.restart', 'succeeded', 'helped');
    const list = await recommendations(await incident('outbox_relay_degraded'));
    expect(list.items[0]).toMatchObject({ action_id: 'relay.restart', confidence: 1, basis: 'same_runbook' });
    expect(list.items[0].explanation).toBe(
      '1 of 1 runs succeeded on incidents with the same runbook; feedback: 1 helped'
    );
  });

  it('records an override with its reason, refuses choosing the top one as an override, and stays in scope', async () => {
    const id = await incident('outbox_relay_degraded', { service: 'outbox-relay' });
    const post = (body: object, headers = vision) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${id}/recommendations/overrides`,
        headers: t.auth(headers),
        payload: body,
      });
    const notAnOverride = await post({ kind: 'chose_other', chosen_action_id: 'relay.restart', reason: 'x' });
    expect(notAnOverride.statusCode).toBe(400);
    expect((await post({ kind: 'chose_other', reason: 'no choice' })).statusCode).toBe(400);
    expect((await post({ kind: 'rejected', reason: '   ' })).statusCode).toBe(400);
    const response = await post({
      kind: 'chose_other',
      chosen_action_id: 'relay.scale',
      reason: 'restart did not hold last week',
    });
    expect(response.statusCode).toBe(201);
    expect(RecommendationOverride.parse(response.json())).toMatchObject({
      top_action_id: 'relay.restart',
      chosen_action_id: 'relay.scale',
      recorded_by: 'ic',
    });
    const detail = await incidentDetail(t, id);
    expect(detail.timeline.find((e) => e.kind === 'recommendation_overridden')?.summary).toBe(
      'Chose relay.scale over the top recommendation relay.restart: restart did not hold last week'
    );
    const other = { ...vision, 'x-project-id': 't-acme/p-other' };
    const foreign = await post({ kind: 'rejected', reason: 'not mine' }, other);
    expect(ErrorEnvelope.parse(foreign.json()).code).toBe('incident_not_found');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/recommendations`, headers: t.auth(other) }))
        .statusCode
    ).toBe(404);
  });
});
