/**
 * Postmortems (issue 12) on both stores: the draft generated from a resolved incident, editing and
 * publishing (which flags the runbooks used for review), the markdown export, action items and their
 * overdue state, the closing rule for sev1/sev2, what is due, and tenancy.
 */
import { ErrorEnvelope } from '../../src/contract/common';
import { ActionItemPage, Postmortem, PostmortemObligations } from '../../src/contract/communication';
import { storeKinds } from '../support/stores';
import { anAlert, anAlertmanagerPayload, everyProject, ingest, useIncidentsApp } from './builders';

const vision = {
  'x-project-id': 't-acme/p-vision',
  'x-opsdeck-capability': 'incidents:read,incidents:write,approvals:request',
  'x-grafana-user': 'ic-bob',
};
const core = {
  'x-project-id': 't-globex/p-core',
  'x-opsdeck-capability': 'incidents:read,incidents:write,approvals:request',
  'x-grafana-user': 'ic-eve',
};

describe.each(storeKinds('postmortems'))('postmortems on %s', (kind) => {
  const { t, clock } = useIncidentsApp(kind);

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: t.auth(headers), ...(payload ? { payload } : {}) });

  /** A sev1 outbox incident in t-acme/p-vision, runbook opened, resolved 90 minutes after it opened. */
  async function resolvedSev1(tenant = 't-acme', project = 'p-vision', headers = vision) {
    const [id] = (
      await ingest(t, anAlertmanagerPayload([anAlert({ labels: { ...anAlert().labels, tenant, project } })]))
    ).incident_ids;
    clock.advance(120);
    expect(
      (
        await call('POST', `/incidents/${id}/timeline`, headers, {
          kind: 'runbook_opened',
          runbook_id: 'ops.outbox.relay',
        })
      ).statusCode
    ).toBe(201);
    clock.advance(90 * 60 - 120);
    expect((await call('POST', `/incidents/${id}/transitions`, headers, { to: 'resolved' })).statusCode).toBe(200);
    return id;
  }

  it('drafts from the incident: impact, timeline, prompts, and action items with owner and due date', async () => {
    const id = await resolvedSev1();
    const early = await call(
      'POST',
      `/incidents/${(await ingest(t, anAlertmanagerPayload([anAlert({ labels: { ...anAlert().labels, alertname: 'Other', signal_key: 'dlq_backlog_present', tenant: 't-acme', project: 'p-vision' } })]))).incident_ids[0]}/postmortem`,
      vision,
      {}
    );
    expect(early.statusCode).toBe(409);

    const response = await call('POST', `/incidents/${id}/postmortem`, vision, {});
    expect(response.statusCode).toBe(201);
    const pm = Postmortem.parse(response.json());
    expect(pm).toMatchObject({ status: 'draft', created_by: 'ic-bob', external_url: null });
    // sev1: due 48 h after resolution.
    expect(pm.due_at).toBe(new Date(Date.parse('2026-11-23T11:30:30Z') + 48 * 3600_000).toISOString());
    expect(pm.markdown).toContain('# Postmortem: Outbox relay is not draining');
    expect(pm.markdown).toContain('- **Duration:** 1 h 30 min');
    // Opening a runbook is not an acknowledgement; the first move (resolve) is.
    expect(pm.markdown).toContain('- **Time to acknowledge:** 1 h 30 min');
    expect(pm.markdown).toContain('tenant `t-acme`, project `p-vision`');
    expect(pm.markdown).toMatch(/\| 2026-11-23T10:02:30.000Z \| ic-bob \| Opened runbook ops.outbox.relay \|/);
    expect(pm.markdown).toContain('## Root causes');
    expect(pm.markdown).toContain('Runbooks followed: `ops.outbox.relay`');
    expect(pm.action_items).toHaveLength(1);
    expect(pm.action_items[0]).toMatchObject({
      title: 'Find and fix the root cause of "Outbox relay is not draining"',
      owner: 'platform-messaging',
      state: 'open',
      due_at: '2026-12-07T11:30:30.000Z',
    });
    const again = await call('POST', `/incidents/${id}/postmortem`, vision, {});
    expect(ErrorEnvelope.parse(again.json()).code).toBe('postmortem_exists');
  });

  it('closes a sev1 only once the postmortem is published, and publishing flags the runbooks used', async () => {
    const id = await resolvedSev1();
    const close = () => call('POST', `/incidents/${id}/transitions`, vision, { to: 'closed', note: 'reviewed' });
    expect(ErrorEnvelope.parse((await close()).json()).code).toBe('postmortem_required');
    await call('POST', `/incidents/${id}/postmortem`, vision, {});
    const draftOnly = await close();
    expect(draftOnly.statusCode).toBe(409);
    expect(ErrorEnvelope.parse(draftOnly.json()).message).toMatch(/publish the draft/);

    const edited = Postmortem.parse(
      (
        await call('PUT', `/incidents/${id}/postmortem`, vision, {
          markdown: '# Postmortem\n\nRoot cause: a stuck consumer | lock.',
          action_items: [
            { title: 'Add a lock timeout', owner: 'platform-messaging', due_at: '2026-11-30T00:00:00Z' },
            { title: 'Alert on consumer lag', owner: 'sre', due_at: '2026-11-24T00:00:00Z' },
          ],
          status: 'published',
        })
      ).json()
    );
    expect(edited.status).toBe('published');
    expect(edited.runbooks_flagged).toEqual(['ops.outbox.relay']);
    expect(edited.action_items.map((item) => item.title)).toEqual(['Add a lock timeout', 'Alert on consumer lag']);
    expect((await close()).statusCode).toBe(200);

    const exported = await call('GET', `/incidents/${id}/postmortem/export`, vision);
    expect(exported.headers['content-type']).toContain('text/markdown');
    expect(exported.body).toContain('Root cause: a stuck consumer | lock.');
    expect(exported.body).toContain('| Add a lock timeout | platform-messaging | 2026-11-30 | open |');

    const duties = PostmortemObligations.parse((await call('GET', '/postmortems/obligations', vision)).json());
    expect(duties.runbooks_to_review).toEqual([
      { runbook_id: 'ops.outbox.relay', flagged_at: edited.published_at, postmortems: 1 },
    ]);
  });

  it('tracks action items as open, done and overdue, listed per project with a cursor', async () => {
    const id = await resolvedSev1();
    await call('POST', `/incidents/${id}/postmortem`, vision, {});
    const pm = Postmortem.parse(
      (
        await call('PUT', `/incidents/${id}/postmortem`, vision, {
          action_items: [
            { title: 'late', owner: 'sre', due_at: '2026-11-23T12:00:00Z' },
            { title: 'later', owner: 'sre', due_at: '2026-11-25T12:00:00Z' },
            { title: 'latest', owner: 'dba', due_at: '2026-12-25T12:00:00Z' },
          ],
        })
      ).json()
    );
    clock.set('2026-11-24T00:00:00Z');
    const list = async (query: string, headers = vision) =>
      ActionItemPage.parse((await call('GET', `/postmortems/action-items${query}`, headers)).json());
    expect((await list('?state=overdue')).items.map((i) => i.title)).toEqual(['late']);
    const duties = PostmortemObligations.parse((await call('GET', '/postmortems/obligations', vision)).json());
    expect(duties.overdue_action_items).toBe(1);
    // The Decision Header's count stays inside the caller's scope.
    const theirs = PostmortemObligations.parse((await call('GET', '/postmortems/obligations', core)).json());
    expect(theirs.overdue_action_items).toBe(0);
    const all = PostmortemObligations.parse((await call('GET', '/postmortems/obligations', everyProject)).json());
    expect(all.overdue_action_items).toBe(1);
    expect((await list('?state=open')).items.map((i) => i.title)).toEqual(['later', 'latest']);
    const done = await call('POST', `/postmortems/action-items/${pm.action_items[0].id}`, vision, { status: 'done' });
    expect(done.json()).toMatchObject({ state: 'done', done_at: '2026-11-24T00:00:00.000Z' });
    expect((await list('?state=overdue')).items).toEqual([]);
    expect((await list('?owner=dba')).items.map((i) => i.title)).toEqual(['latest']);
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => i.title));
      cursor = page.next_cursor;
    }
    expect(seen).toEqual(['late', 'later', 'latest']);
    expect((await call('GET', '/postmortems/action-items?cursor=garbage', vision)).statusCode).toBe(400);
    // Another project sees none of them, and cannot tick one off.
    expect((await list('', core)).items).toEqual([]);
    const foreign = await call('POST', `/postmortems/action-items/${pm.action_items[1].id}`, core, { status: 'done' });
    expect(ErrorEnvelope.parse(foreign.json()).code).toBe('action_item_not_found');
  });

  it('reports due and overdue postmortems per project', async () => {
    const mine = await resolvedSev1();
    const theirs = await resolvedSev1('t-globex', 'p-core', core);
    clock.advance(49 * 3600);
    const duties = PostmortemObligations.parse((await call('GET', '/postmortems/obligations', vision)).json());
    expect(duties.postmortems_due.map((d) => [d.incident_id, d.overdue, d.postmortem_status])).toEqual([
      [mine, true, 'missing'],
    ]);
    expect(duties.overdue_postmortems).toBe(1);
    const all = PostmortemObligations.parse((await call('GET', '/postmortems/obligations', everyProject)).json());
    expect(all.postmortems_due.map((d) => d.incident_id).sort()).toEqual([mine, theirs].sort());
    // Another project's postmortem is not found, nor creatable.
    expect((await call('POST', `/incidents/${theirs}/postmortem`, vision, {})).statusCode).toBe(404);
    expect((await call('GET', `/incidents/${theirs}/postmortem`, vision)).statusCode).toBe(404);
  });
});
