/**
 * The incident `response` object, acknowledge / assign / take it / severity change, and the on-call
 * endpoints (now, schedules, iCalendar), on both stores, with the app clock moved by hand.
 */
import { IncidentDetail } from '../../src/contract/incidents';
import { OnCallNow, TeamScheduleList } from '../../src/contract/oncall';
import { storeKinds } from '../support/stores';
import { ONCALL_CATALOG_DIR } from './support';
import {
  anAlert,
  anAlertmanagerPayload,
  everyProject,
  incidentDetail,
  ingest,
  listIncidents,
  useIncidentsApp,
} from '../incidents/builders';

const viewer = { 'x-project-id': '*', 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'watcher' };
const otherProject = {
  'x-project-id': 't-acme/p-vision',
  'x-opsdeck-capability': 'incidents:read,incidents:write',
  'x-grafana-user': 'acme-op',
};

describe.each(storeKinds('on-call response API'))('on-call response API on %s', (kind) => {
  const { t, clock } = useIncidentsApp(kind, { catalogDir: ONCALL_CATALOG_DIR });

  const post = (id: string, action: string, payload?: object, headers: Record<string, string> = everyProject) =>
    t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/${action}`, headers: t.auth(headers), payload });

  /** A sev1 incident of platform-messaging opened at 10:00:00 (the alert's startsAt). */
  async function sev1() {
    await ingest(t, anAlertmanagerPayload([anAlert()]));
    const [incident] = (await listIncidents(t)).items;
    return incident;
  }

  it('gives every incident a response object with clocks from its opening', async () => {
    const incident = await sev1();
    expect(incident.severity).toBe('sev1');
    const opened = Date.parse(incident.opened_at);
    expect(incident.response).toMatchObject({
      ack_status: 'pending',
      response_status: 'pending',
      escalation_level: 1,
      next_escalation_level: 2,
      assignee: null,
      commander: null,
    });
    expect(Date.parse(incident.response!.ack_due_at!) - opened).toBe(5 * 60_000);
    expect(Date.parse(incident.response!.response_due_at!) - opened).toBe(15 * 60_000);
    expect(Date.parse(incident.response!.escalate_due_at!) - opened).toBe(30 * 60_000);
    clock.set(new Date(opened + 6 * 60_000).toISOString());
    expect((await incidentDetail(t, incident.id)).response?.ack_status).toBe('breached');
  });

  it('acknowledges once, records who and when, and stops the escalation ladder', async () => {
    const incident = await sev1();
    clock.advance(120);
    const first = await post(incident.id, 'acknowledge');
    expect(first.statusCode).toBe(200);
    const detail = IncidentDetail.parse(first.json());
    expect(detail.response).toMatchObject({
      ack_status: 'met',
      acknowledged_by: 'oncall-primary',
      assignee: 'oncall-primary',
    });
    expect(detail.response?.acknowledged_at).toBe(clock.now().toISOString());
    // Now only the unresolved clock (30 min) is next, not the ladder's level 2 at 5 min.
    expect(Date.parse(detail.response!.next_escalation_at!) - Date.parse(incident.opened_at)).toBe(30 * 60_000);

    clock.advance(60);
    const again = await post(incident.id, 'acknowledge', undefined, {
      ...everyProject,
      'x-grafana-user': 'someone-else',
    });
    expect(IncidentDetail.parse(again.json()).response?.acknowledged_by).toBe('oncall-primary');
    const acks = IncidentDetail.parse(again.json()).timeline.filter((entry) => entry.kind === 'acknowledged');
    expect(acks).toHaveLength(1);
    const { rows } = await t.app.store.query('SELECT actor FROM audit_log WHERE action = $1 AND target_id = $2', [
      'incident.acknowledge',
      incident.id,
    ]);
    expect(rows).toEqual([{ actor: 'oncall-primary' }]);
  });

  it('marks a late acknowledgement breached', async () => {
    const incident = await sev1();
    clock.set('2026-11-23T10:07:00Z');
    const detail = IncidentDetail.parse((await post(incident.id, 'acknowledge')).json());
    expect(detail.response?.ack_status).toBe('breached');
  });

  it('counts the first note or state move by a person as the initial response', async () => {
    const incident = await sev1();
    clock.advance(300);
    const note = await post(
      incident.id,
      'notes',
      { text: 'Looking at the relay pods' },
      { ...everyProject, 'x-grafana-user': 'pm-a' }
    );
    expect(note.statusCode).toBe(201);
    const detail = await incidentDetail(t, incident.id);
    expect(detail.response).toMatchObject({ response_status: 'met', responded_by: 'pm-a', ack_status: 'pending' });
    const moved = await post(
      incident.id,
      'transitions',
      { to: 'triaging' },
      { ...everyProject, 'x-grafana-user': 'pm-b' }
    );
    const after = IncidentDetail.parse(moved.json()).response;
    // The first state move acknowledges too; the earlier note stays the initial response.
    expect(after).toMatchObject({ responded_by: 'pm-a', acknowledged_by: 'pm-b', ack_status: 'met' });
  });

  it('assigns, sets the commander, and "take it" assigns and acknowledges to the caller', async () => {
    const incident = await sev1();
    const assigned = await post(incident.id, 'assign', { assignee: 'pm-b', commander: 'ic-alex' });
    expect(IncidentDetail.parse(assigned.json()).response).toMatchObject({
      assignee: 'pm-b',
      commander: 'ic-alex',
      ack_status: 'pending',
    });
    const took = await post(incident.id, 'assign', { take: true }, { ...everyProject, 'x-grafana-user': 'pm-a' });
    const detail = IncidentDetail.parse(took.json());
    expect(detail.response).toMatchObject({
      assignee: 'pm-a',
      commander: 'ic-alex',
      acknowledged_by: 'pm-a',
      ack_status: 'met',
    });
    expect(detail.timeline.filter((entry) => entry.kind === 'assigned').map((entry) => entry.summary)).toEqual([
      'Set assignee pm-b, commander ic-alex',
      'pm-a took it',
    ]);
    const bad = await post(incident.id, 'assign', {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request' });
  });

  it('changes the severity with a reason, audited, and the clocks follow it', async () => {
    const incident = await sev1();
    const noReason = await post(incident.id, 'severity', { severity: 'sev2' });
    expect(noReason.statusCode).toBe(400);
    const changed = await post(incident.id, 'severity', { severity: 'sev2', reason: 'only one region affected' });
    expect(changed.statusCode).toBe(200);
    const detail = IncidentDetail.parse(changed.json());
    expect(detail.severity).toBe('sev2');
    expect(Date.parse(detail.response!.ack_due_at!) - Date.parse(incident.opened_at)).toBe(15 * 60_000);
    expect(detail.timeline.find((entry) => entry.kind === 'severity_changed')?.summary).toBe(
      'sev1 → sev2: only one region affected'
    );
    const { rows } = await t.app.store.query<{ before: unknown; after: unknown }>(
      'SELECT before, after FROM audit_log WHERE action = $1 AND target_id = $2',
      ['incident.severity', incident.id]
    );
    expect(rows).toEqual([
      { before: { severity: 'sev1' }, after: { severity: 'sev2', reason: 'only one region affected' } },
    ]);
  });

  it('keeps the writes to operators, inside their projects, on open incidents', async () => {
    const incident = await sev1();
    expect((await post(incident.id, 'acknowledge', undefined, viewer)).statusCode).toBe(403);
    const hidden = await post(incident.id, 'acknowledge', undefined, otherProject);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'incident_not_found' });
    expect((await post('01NOPE', 'assign', { take: true })).statusCode).toBe(404);
    await post(incident.id, 'transitions', { to: 'resolved' });
    const late = await post(incident.id, 'acknowledge');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'incident_not_open' });
  });

  it('stores next_escalation_at for the escalation worker', async () => {
    const incident = await sev1();
    await post(incident.id, 'acknowledge');
    const { rows } = await t.app.store.query<{ next_escalation_at: Date | string }>(
      'SELECT next_escalation_at FROM incidents WHERE id = $1',
      [incident.id]
    );
    expect(new Date(rows[0].next_escalation_at).getTime() - Date.parse(incident.opened_at)).toBe(30 * 60_000);
  });

  describe('on-call endpoints', () => {
    it('answers who is on call now, per team and for one team', async () => {
      clock.set('2026-11-24T13:00:00Z');
      const all = await t.app.inject({ method: 'GET', url: '/api/v1/oncall/now', headers: t.auth(viewer) });
      expect(all.statusCode).toBe(200);
      const body = OnCallNow.parse(all.json());
      expect(body.teams.map((team) => team.team)).toEqual([
        'core-api',
        'data-platform',
        'platform-messaging',
        'platform-sre',
      ]);
      const pm = body.teams.find((team) => team.team === 'platform-messaging')!;
      // Week 4 of [pm-a, pm-b] is pm-b, and an override also puts pm-b on until 18:00: one shift till the handoff.
      expect(pm.primary).toMatchObject({ user: 'pm-b', source: 'override', until: '2026-11-30T09:00:00.000Z' });
      expect(pm.secondary).toMatchObject({
        user: 'pm-a',
        from: '2026-11-23T09:00:00.000Z',
        until: '2026-11-30T09:00:00.000Z',
      });
      const one = await t.app.inject({
        method: 'GET',
        url: '/api/v1/oncall/now?team=core-api',
        headers: t.auth(viewer),
      });
      expect(OnCallNow.parse(one.json()).teams.map((team) => team.team)).toEqual(['core-api']);
      const none = await t.app.inject({
        method: 'GET',
        url: '/api/v1/oncall/now?team=nobody',
        headers: t.auth(viewer),
      });
      expect(none.statusCode).toBe(404);
      expect(Object.keys(none.json()).sort()).toEqual(['code', 'correlation_id', 'details', 'message']);
    });

    it('lists schedules with the chain resolved to people', async () => {
      clock.set('2026-11-24T13:00:00Z');
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/v1/oncall/schedules?team=core-api',
        headers: t.auth(viewer),
      });
      const [team] = TeamScheduleList.parse(response.json()).teams;
      expect(team.escalation.map((level) => level.resolved)).toEqual([['api-b'], ['api-a'], ['lead'], ['director']]);
      expect(team.escalation[0].channels).toEqual([
        { id: 'pagerduty', type: 'pagerduty', configured: false },
        { id: 'slack', type: 'slack', configured: false },
      ]);
      expect(team.timeline.filter((segment) => segment.role === 'primary').map((segment) => segment.user)).toEqual([
        'api-b',
        'api-b',
        'api-a',
      ]);
      expect(team.timeline.filter((segment) => segment.role === 'primary').map((segment) => segment.source)).toEqual([
        'override',
        'rotation:weekly',
        'rotation:weekly',
      ]);
    });

    it('exports the next 8 weeks as iCalendar', async () => {
      clock.set('2026-11-24T13:00:00Z');
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/v1/oncall/schedules/core-api.ics',
        headers: t.auth(viewer),
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
      const text = response.body;
      expect(text.startsWith('BEGIN:VCALENDAR')).toBe(true);
      const events = text.split('BEGIN:VEVENT').slice(1);
      // primary: 13:00 → 12:00 api-b... the override makes three primary events today, then weekly ones.
      expect(events.length).toBeGreaterThanOrEqual(16);
      expect(text).toContain('SUMMARY:API A on call (primary\\, core-api)');
      const ends = [...text.matchAll(/DTEND:(\d{8})/g)].map((match) => match[1]).sort();
      expect(ends[ends.length - 1]).toBe('20270119');
      const missing = await t.app.inject({
        method: 'GET',
        url: '/api/v1/oncall/schedules/nobody.ics',
        headers: t.auth(viewer),
      });
      expect(missing.statusCode).toBe(404);
      const bad = await t.app.inject({
        method: 'GET',
        url: '/api/v1/oncall/schedules/core-api.txt',
        headers: t.auth(viewer),
      });
      expect(bad.statusCode).toBe(400);
    });
  });
});
