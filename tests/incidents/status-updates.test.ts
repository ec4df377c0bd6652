/**
 * Status updates (issue 12) on both stores: the catalog's templates filled from the incident, the
 * timeline entry and audit row of each update, the first update as the initial response, and the
 * status feed (JSON and Atom) of external updates only, inside the caller's scope.
 */
import { XMLParser } from 'fast-xml-parser';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ErrorEnvelope } from '../../src/contract/common';
import { IncidentUpdates, StatusFeed, StatusUpdate } from '../../src/contract/communication';
import { REPO_CATALOG_DIR } from '../support/app';
import { storeKinds } from '../support/stores';
import {
  anAlert,
  anAlertmanagerPayload,
  incidentDetail,
  INCIDENTS_CATALOG_DIR,
  ingest,
  useIncidentsApp,
} from './builders';

/** The incidents fixture catalog with the repository's shipped status-updates.yaml. */
function catalogWithShippedTemplates() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-updates-'));
  cpSync(INCIDENTS_CATALOG_DIR, dir, { recursive: true });
  cpSync(path.join(REPO_CATALOG_DIR, 'status-updates.yaml'), path.join(dir, 'status-updates.yaml'));
  return dir;
}

const operator = (scope: string) => ({
  'x-project-id': scope,
  'x-opsdeck-capability': 'incidents:read,incidents:write,approvals:request',
  'x-grafana-user': 'ic-alice',
});

describe.each(storeKinds('status updates'))('status updates on %s', (kind) => {
  // A temporary catalog, removed after the suite.
  const { t, clock } = useIncidentsApp(kind, { catalogDir: catalogWithShippedTemplates });
  let vision: string;
  let globex: string;

  beforeEach(async () => {
    const open = async (tenant: string, project: string, alertname: string) =>
      (
        await ingest(
          t,
          anAlertmanagerPayload([
            anAlert({
              labels: { alertname, service: 'outbox-relay', severity: 'critical', tenant, project },
              annotations: { summary: `${alertname} in ${project}` },
            }),
          ])
        )
      ).incident_ids[0];
    vision = await open('t-acme', 'p-vision', 'RelayStuck');
    globex = await open('t-globex', 'p-core', 'RelaySlow');
  });

  const post = (id: string, body: object, scope = 't-acme/p-vision') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/updates`,
      headers: t.auth(operator(scope)),
      payload: body,
    });
  const get = (url: string, scope = 't-acme/p-vision') =>
    t.app.inject({
      method: 'GET',
      url,
      headers: t.auth({ ...operator(scope), 'x-opsdeck-capability': 'incidents:read' }),
    });

  it('publishes the stage template filled from the incident when no message is given', async () => {
    clock.advance(25 * 60);
    const response = await post(vision, { stage: 'identified', audience: 'external' });
    expect(response.statusCode).toBe(201);
    const update = StatusUpdate.parse(response.json());
    expect(update.message).toBe(
      'We have identified the cause of RelayStuck in p-vision and are working on a fix. Impact so far: 25 min.'
    );
    expect(update).toMatchObject({ stage: 'identified', audience: 'external', posted_by: 'ic-alice' });
    const templates = IncidentUpdates.parse((await get(`/api/v1/incidents/${vision}/updates`)).json()).templates;
    expect(templates.map((tpl) => tpl.stage)).toEqual(['investigating', 'identified', 'monitoring', 'resolved']);
    expect(templates[0].message).toContain(
      'RelayStuck in p-vision (sev1), affecting outbox-relay since 2026-11-23T10:00:30'
    );
    expect(templates.every((tpl) => !tpl.message.includes('{{'))).toBe(true);
  });

  it('writes each update on the timeline with one audit row, the first one as the initial response', async () => {
    const first = StatusUpdate.parse(
      (await post(vision, { stage: 'investigating', audience: 'internal', message: 'Looking.' })).json()
    );
    clock.advance(60);
    const second = StatusUpdate.parse(
      (await post(vision, { stage: 'identified', audience: 'external', message: 'Found it.' })).json()
    );
    expect([first.initial_response, second.initial_response]).toEqual([true, false]);
    const history = IncidentUpdates.parse((await get(`/api/v1/incidents/${vision}/updates`)).json()).items;
    expect(history.map((u) => [u.message, u.initial_response])).toEqual([
      ['Found it.', false],
      ['Looking.', true],
    ]);
    const detail = await incidentDetail(t, vision);
    const entries = detail.timeline.filter((entry) => entry.kind === 'status_update');
    expect(entries.map((entry) => entry.summary)).toEqual([
      'Internal update (investigating): Looking.',
      'External update (identified): Found it.',
    ]);
    expect(entries[0].data).toMatchObject({ initial_response: true, update_id: first.id });
    const audit = await t.app.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'incident.status_update' AND target_id = $1",
      [vision]
    );
    expect(audit.rows[0].n).toBe(2);
  });

  it('feeds only external updates of the caller scope, as JSON and as Atom', async () => {
    await post(vision, { stage: 'investigating', audience: 'internal', message: 'internal only' });
    clock.advance(60);
    await post(vision, { stage: 'identified', audience: 'external', message: 'Cause <found> & fixing' });
    clock.advance(60);
    await post(globex, { stage: 'monitoring', audience: 'external', message: 'globex external' }, 't-globex/p-core');

    const feed = StatusFeed.parse((await get('/api/v1/status')).json());
    expect(feed.items.map((u) => u.message)).toEqual(['Cause <found> & fixing']);
    expect(feed.updated_at).toBe(feed.items[0].posted_at);
    const everything = StatusFeed.parse((await get('/api/v1/status', '*')).json());
    expect(everything.items.map((u) => u.message)).toEqual(['globex external', 'Cause <found> & fixing']);

    const atom = await get('/api/v1/status/feed.atom');
    expect(atom.statusCode).toBe(200);
    expect(atom.headers['content-type']).toContain('application/atom+xml');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(atom.body);
    const entry = parsed.feed.entry;
    expect(Array.isArray(entry)).toBe(false);
    expect(entry.title['#text']).toBe('[identified] RelayStuck in p-vision');
    expect(entry.content['#text'] ?? entry.content).toBe('Cause <found> & fixing');
    expect(atom.body).not.toContain('globex');
  });

  it('refuses another project’s incident, a bad stage and a viewer', async () => {
    const foreign = await post(globex, { stage: 'investigating', audience: 'external' });
    expect(foreign.statusCode).toBe(404);
    expect(ErrorEnvelope.parse(foreign.json()).code).toBe('incident_not_found');
    const badStage = await post(vision, { stage: 'panicking', audience: 'external' });
    expect(badStage.statusCode).toBe(400);
    const viewer = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${vision}/updates`,
      headers: t.auth({ ...operator('t-acme/p-vision'), 'x-opsdeck-capability': 'incidents:read' }),
      payload: { stage: 'investigating', audience: 'external' },
    });
    expect(viewer.statusCode).toBe(403);
    const { rows } = await t.app.store.query<{ n: number }>('SELECT count(*)::int AS n FROM incident_updates');
    expect(rows[0].n).toBe(0);
  });
});
