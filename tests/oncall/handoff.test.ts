/**
 * The handoff summary of a shift (issue 11), on both stores: generated from the store, edited, posted —
 * stored per team and shift, on each active incident's timeline, audited — and refused for a shift
 * that has ended or for a caller who may not change incidents.
 */
import { HandoffSummary, PostedHandoff } from '../../src/contract/oncall';
import { storeKinds } from '../support/stores';
import {
  anAlert,
  anAlertmanagerPayload,
  everyProject,
  incidentDetail,
  ingest,
  useIncidentsApp,
} from '../incidents/builders';
import { ONCALL_CATALOG_DIR } from './support';

const viewer = { 'x-project-id': '*', 'x-opsdeck-capability': 'incidents:read', 'x-grafana-user': 'watcher' };
const URL = '/api/v1/oncall/handoff/platform-messaging';

describe.each(storeKinds('on-call handoff'))('shift handoff on %s', (kind) => {
  // The clock starts at SUITE_START (10:00:30) before each test; the incident tables are emptied.
  const { t } = useIncidentsApp(kind, { catalogDir: ONCALL_CATALOG_DIR });
  beforeEach(async () => {
    await t.app.store.exec('DELETE FROM oncall_handoffs');
  });

  const summary = async () =>
    HandoffSummary.parse((await t.app.inject({ method: 'GET', url: URL, headers: t.auth(everyProject) })).json());
  const post = (payload: object, headers: Record<string, string> = everyProject) =>
    t.app.inject({ method: 'POST', url: URL, headers: t.auth(headers), payload });

  /** One incident being worked (triaging, with a note) and one mitigated (monitoring). */
  async function shiftWithIncidents() {
    const worked = (await ingest(t, anAlertmanagerPayload([anAlert()]))).incident_ids[0];
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${worked}/transitions`,
      headers: t.auth(everyProject),
      payload: { to: 'triaging' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${worked}/notes`,
      headers: t.auth(everyProject),
      payload: { text: 'consumer lag on partition 7' },
    });
    const labels = { ...anAlert().labels, signal_key: 'sig_watch' };
    const watched = (await ingest(t, anAlertmanagerPayload([anAlert({ labels })], { groupKey: 'w' }))).incident_ids[0];
    await ingest(
      t,
      anAlertmanagerPayload([anAlert({ labels, status: 'resolved', endsAt: '2026-11-23T10:00:20Z' })], {
        groupKey: 'w',
      })
    );
    return { worked, watched };
  }

  it('generates the summary of the running shift from the store', async () => {
    const { worked, watched } = await shiftWithIncidents();
    const generated = await summary();
    expect(generated.shift).toEqual({
      from: '2026-11-23T09:00:00.000Z',
      until: '2026-11-30T09:00:00.000Z',
      primary: 'PM B',
    });
    expect(generated.sections.active_incidents.map((item) => item.incident_id)).toEqual([worked]);
    expect(generated.sections.active_incidents[0].detail).toContain('triaging, assignee nobody');
    expect(generated.sections.ongoing_investigations[0]).toMatchObject({ incident_id: worked });
    expect(generated.sections.ongoing_investigations[0].detail).toContain('consumer lag on partition 7');
    expect(generated.sections.known_issues.map((item) => item.incident_id)).toEqual([watched]);
    expect(generated.text).toContain('### Active incidents (1)');
    expect(generated.text).toContain('### Upcoming changes (0)');
    expect(generated.posted).toBeNull();
  });

  it('posts the edited text: stored for the shift, on each active incident, audited', async () => {
    const { worked, watched } = await shiftWithIncidents();
    const generated = await summary();
    const text = `${generated.text}\n\nWatch the consumer lag after the 10:30 deploy.`;
    const response = await post({ text, shift_from: generated.shift.from });
    expect(response.statusCode).toBe(201);
    const posted = PostedHandoff.parse(response.json());
    expect(posted).toMatchObject({ team: 'platform-messaging', posted_by: 'oncall-primary', incident_ids: [worked] });
    expect((await summary()).posted).toEqual(posted);
    const entry = (await incidentDetail(t, worked)).timeline.find((item) => item.kind === 'handoff_summary');
    expect(entry).toMatchObject({ actor: 'oncall-primary', data: { handoff_id: posted.id, text } });
    expect((await incidentDetail(t, watched)).timeline.some((item) => item.kind === 'handoff_summary')).toBe(false);
    const audit = await t.app.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'oncall.handoff_posted' AND target_id = $1",
      [posted.id]
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('refuses a stale shift, an empty text and a viewer, and writes nothing', async () => {
    const { worked } = await shiftWithIncidents();
    const generated = await summary();
    const stale = await post({ text: 'old', shift_from: '2026-11-16T09:00:00.000Z' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'shift_changed', details: { shift_from: generated.shift.from } });
    expect((await post({ text: '   ', shift_from: generated.shift.from })).statusCode).toBe(400);
    expect((await post({ text: 'x', shift_from: generated.shift.from }, viewer)).statusCode).toBe(403);
    expect((await summary()).posted).toBeNull();
    expect((await incidentDetail(t, worked)).timeline.some((item) => item.kind === 'handoff_summary')).toBe(false);
  });

  it('answers 404 for a team that oncall.yaml does not know', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/oncall/handoff/nobody',
      headers: t.auth(everyProject),
    });
    expect(response.statusCode).toBe(404);
  });
});
