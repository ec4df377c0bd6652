/**
 * The RBAC rule over the plugin manifests (plugin.json and src/datasource/plugin.json; dist.test.ts
 * applies it to dist/): see tests/support/plugin-rbac.ts. Also: one route per capability, the shipped
 * roles grant what src/contract/capabilities.ts says, Approver to no basic role.
 *
 * A test rather than an `opsdeck lint` rule: `opsdeck lint` checks the GitOps catalog's content, and
 * plugin.json is not catalog content.
 */
import { actionOf, CAPABILITIES, PLUGIN_ID, PROXY_ROUTE, SHIPPED_ROLES } from '../../src/contract/capabilities';
import { loadManifest as load, rbacViolations, type Manifest } from '../support/plugin-rbac';

describe('plugin.json RBAC', () => {
  const app = load('plugin.json');
  const dataSource = load('src/datasource/plugin.json');

  it('gates every route with reqAction on a declared action, and uses every declared action', () => {
    expect(rbacViolations(app, dataSource)).toEqual([]);
  });

  it('reports a route without reqAction, an undeclared action, a missing header and an unused action', () => {
    const broken: Manifest = {
      ...app,
      routes: [
        { path: 'old/*', reqRole: 'Editor' },
        { path: 'x/*', reqAction: `${PLUGIN_ID}.nothing:write`, headers: [] },
        ...(app.routes ?? []).filter((route) => route.path !== 'decide/*'),
      ],
    };
    expect(rbacViolations(broken, dataSource)).toEqual([
      `${PLUGIN_ID} route old/* has no reqAction`,
      `${PLUGIN_ID} route x/* requires ${PLUGIN_ID}.nothing:write, which no role of ${PLUGIN_ID} declares`,
      `${PLUGIN_ID} route x/* must set X-Opsdeck-Capability to what its reqAction proves (${PLUGIN_ID}.nothing:write)`,
      `${actionOf('approvals:decide')} is declared but no route or page requires it`,
    ]);
  });

  it('has one route per capability, named as the app calls it, and the datasource only reads with GET', () => {
    for (const capability of CAPABILITIES) {
      const route = app.routes?.find((r) => r.path === `${PROXY_ROUTE[capability]}/*`);
      expect(route?.reqAction).toBe(actionOf(capability));
    }
    // Grafana matches one method per route entry: write/* is listed twice, for POST and for PUT (the
    // postmortem edit), both gated by incidents:write.
    expect(app.routes).toHaveLength(CAPABILITIES.length + 1);
    // Reads are GET only; a write route takes only the methods its API calls use.
    expect(app.routes?.find((r) => r.path === 'read/*')?.method).toBe('GET');
    expect(app.routes?.filter((r) => r.path === 'write/*').map((r) => r.method)).toEqual(['POST', 'PUT']);
    for (const path of ['request/*', 'decide/*']) {
      expect(app.routes?.find((r) => r.path === path)?.method).toBe('POST');
    }
    expect(dataSource.routes).toEqual([
      expect.objectContaining({ method: 'GET', reqAction: actionOf('incidents:read') }),
    ]);
  });

  it('ships the roles of the access table: Reader → Viewer, Operator → Editor, Admin → Admin, Approver to nobody', () => {
    const shipped = Object.fromEntries(
      (app.roles ?? []).map((r) => [
        r.role.name,
        {
          grants: r.grants,
          capabilities: r.role.permissions
            .map((p) => p.action)
            .filter((a) => CAPABILITIES.some((c) => actionOf(c) === a))
            .sort(),
        },
      ])
    );
    const expected = (name: keyof typeof SHIPPED_ROLES, grants: string[]) => ({
      grants,
      capabilities: SHIPPED_ROLES[name].map(actionOf).sort(),
    });
    expect(shipped).toEqual({
      Reader: expected('Reader', ['Viewer']),
      Operator: expected('Operator', ['Editor']),
      Approver: expected('Approver', []),
      Admin: expected('Admin', ['Admin']),
    });
    // Every role opens the app.
    for (const r of app.roles ?? []) {
      expect(r.role.permissions).toContainEqual({ action: 'plugins.app:access', scope: `plugins:id:${PLUGIN_ID}` });
    }
  });

  it('requires a Grafana that evaluates reqAction on app plugin routes (11.6 and later)', () => {
    expect(app.dependencies.grafanaDependency).toBe('>=12.3.0');
  });
});
