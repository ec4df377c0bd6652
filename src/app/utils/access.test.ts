import { aMe } from '../../../tests/fixtures/builders';
import { actionOf, SHIPPED_ROLES } from '../../contract/capabilities';
import {
  atLeast,
  decideBlocker,
  grantedBy,
  incidentWriteBlocker,
  initialProject,
  projectChoices,
  roleInScope,
} from './access';

/** What Grafana's hasPermission answers for a user holding these Opsdeck roles. */
const holding = (...roles: Array<keyof typeof SHIPPED_ROLES>) => {
  const actions = new Set(roles.flatMap((role) => SHIPPED_ROLES[role].map(actionOf)));
  return grantedBy((action) => actions.has(action));
};

describe('project choices', () => {
  it('offers * first to a user with a global role, then their projects', () => {
    expect(projectChoices(aMe())).toEqual(['*', 'acme/vision']);
  });

  it('offers only their projects to a user without a global role', () => {
    const me = aMe({
      global_role: null,
      projects: [
        { tenant: 'b', project: 'two', role: 'viewer' },
        { tenant: 'a', project: 'one', role: 'operator' },
      ],
    });
    expect(projectChoices(me)).toEqual(['a/one', 'b/two']);
    expect(initialProject(me, null)).toBe('a/one');
  });

  it('keeps a remembered project only while it is still allowed', () => {
    expect(initialProject(aMe(), 'acme/vision')).toBe('acme/vision');
    expect(initialProject(aMe(), 'other/gone')).toBe('*');
  });

  it('falls back to * without /me', () => {
    expect(projectChoices(null)).toEqual(['*']);
  });
});

describe('roleInScope', () => {
  it('is the higher of the global and the project grant', () => {
    const me = aMe({ global_role: 'viewer', projects: [{ tenant: 'acme', project: 'vision', role: 'approver' }] });
    expect(roleInScope(me, '*')).toBe('viewer');
    expect(roleInScope(me, 'acme/vision')).toBe('approver');
    expect(roleInScope(me, 'vision')).toBe('approver');
    expect(roleInScope(me, 'acme/other')).toBe('viewer');
    expect(roleInScope(null, 'acme/vision')).toBeNull();
  });

  it('ranks roles', () => {
    expect(atLeast('approver', 'operator')).toBe(true);
    expect(atLeast('viewer', 'operator')).toBe(false);
    expect(atLeast(null, 'viewer')).toBe(false);
  });
});

describe('grants from Grafana', () => {
  it('asks Grafana for each of the plugin’s actions', () => {
    const asked: string[] = [];
    grantedBy((action) => {
      asked.push(action);
      return false;
    });
    expect(asked).toEqual([
      'opsdeck-ops-app.incidents:read',
      'opsdeck-ops-app.incidents:write',
      'opsdeck-ops-app.approvals:request',
      'opsdeck-ops-app.approvals:decide',
      'opsdeck-ops-app.catalog:admin',
    ]);
  });
});

describe('incidentWriteBlocker', () => {
  it('blocks users whom Grafana does not grant incident writes, then roles below operator in access.yaml', () => {
    expect(incidentWriteBlocker(holding('Reader'), 'admin')).toMatch(
      /opsdeck-ops-app\.incidents:write.*Opsdeck Operator/
    );
    expect(incidentWriteBlocker(holding('Operator'), 'viewer')).toMatch(
      /operator role in catalog\/access\.yaml; you are viewer/
    );
    expect(incidentWriteBlocker(holding('Operator'), 'operator')).toBeNull();
    // Unknown role (no /me): let the API decide.
    expect(incidentWriteBlocker(holding('Admin'), null)).toBeNull();
  });
});

describe('decideBlocker', () => {
  it('follows the Approver role, not the basic role: Operator alone cannot decide, Reader + Approver can', () => {
    expect(decideBlocker(holding('Operator'))).toMatch(/opsdeck-ops-app\.approvals:decide.*Opsdeck Approver/);
    expect(decideBlocker(holding('Reader', 'Approver'))).toBeNull();
    expect(decideBlocker(holding('Admin'))).toBeNull();
  });
});
