/**
 * Issue 17 item 11, on both stores: Grafana logins are case-insensitive, so separation of duties and
 * "one decision per approver" compare logins without regard to letter case. `ADM` and `Adm` may not
 * approve what `adm` requested, and `ANA` is not a second approver after `ana`.
 */
import { Approval } from '../../src/contract/approvals';
import { ErrorEnvelope } from '../../src/contract/common';
import type { AccessFile } from '../../src/contract/access';
import { buildTestApp, TEST_TOKEN, type TestApp } from '../support/app';
import { makeRemediationCatalog, OWN, ownScope, requestBodies, seedIncident } from '../support/remediation';
import { openTestStore, storeKinds, type TestStore } from '../support/stores';

const ACCESS: AccessFile = {
  version: 1,
  teams: {},
  global: [],
  projects: [
    {
      ...OWN,
      bindings: [
        { role: 'operator', users: ['adm'], teams: [] },
        // The same people, spelled as Grafana may forward them: bindings name each spelling so that
        // only the separation-of-duties rule, not membership, decides these cases.
        { role: 'approver', users: ['adm', 'ADM', 'Adm', ' adm ', 'ana', 'ANA', 'bob'], teams: [] },
      ],
    },
  ],
};

const as = (user: string) => ({
  authorization: `Bearer ${TEST_TOKEN}`,
  'x-grafana-user': user,
  'x-opsdeck-capability': 'incidents:read,incidents:write,approvals:request,approvals:decide',
  'x-project-id': ownScope,
});

describe.each(storeKinds('separation of duties suite'))('separation of duties on %s', (kind) => {
  let testStore: TestStore;
  let catalog: ReturnType<typeof makeRemediationCatalog>;
  let t: TestApp;

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    catalog = makeRemediationCatalog(ACCESS);
    t = await buildTestApp(testStore.store, {
      catalogDir: catalog.dir,
      env: { OPSDECK_REMEDIATION_INTERVAL_MS: '0' },
      extra: { remediation: { paused: true } },
    });
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
    catalog.remove();
  });

  async function requestR3(by: string) {
    const incidentId = await seedIncident(testStore.store, OWN);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/approvals',
      headers: as(by),
      payload: requestBodies.r3(incidentId),
    });
    expect(response.statusCode).toBe(201);
    return Approval.parse(response.json()).id;
  }

  const decide = (id: string, user: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${id}/decision`,
      headers: as(user),
      payload: { decision: 'approve', comment: 'looks right' },
    });

  it.each(['ADM', 'Adm', ' adm '])('%s may not approve an R3 that adm requested', async (approver) => {
    const id = await requestR3('adm');
    const response = await decide(id, approver);
    expect(response.statusCode).toBe(403);
    expect(ErrorEnvelope.parse(response.json()).code).toBe('separation_of_duties');
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/approvals/${id}`, headers: as(approver) });
    expect(Approval.parse(view.json()).can_decide.allowed).toBe(false);
  });

  it('ANA is not a second approver after ana: the request still waits for someone else', async () => {
    const id = await requestR3('adm');
    expect((await decide(id, 'ana')).statusCode).toBe(200);
    const again = await decide(id, 'ANA');
    expect(again.statusCode).toBe(409);
    expect(ErrorEnvelope.parse(again.json()).code).toBe('already_decided');
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/approvals/${id}`, headers: as('ANA') });
    expect(Approval.parse(view.json())).toMatchObject({ status: 'pending', can_decide: { allowed: false } });
    const second = await decide(id, 'bob');
    expect(second.statusCode).toBe(200);
    expect(Approval.parse(second.json()).status).toBe('approved');
  });

  it('BOB keeps bob’s access.yaml binding: bindings match logins case-insensitively too', async () => {
    // Before, access.yaml matched logins exactly, so `BOB` (as Grafana may forward bob) was not a member.
    const id = await requestR3('adm');
    const decided = await decide(id, 'BOB');
    expect(decided.statusCode).toBe(200);
    expect(Approval.parse(decided.json()).decisions.map((d) => d.by)).toEqual(['BOB']);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: as('Bob') });
    expect(me.json()).toMatchObject({ role: 'approver' });
    // Someone bound nowhere is still no member, however it is spelled.
    expect((await decide(id, 'CAROL')).statusCode).toBe(403);
  });
});
