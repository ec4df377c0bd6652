import { aMe } from '../../../tests/fixtures/builders';
import { atLeast, incidentWriteBlocker, initialProject, projectChoices, roleInScope } from './access';

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

describe('incidentWriteBlocker', () => {
  it('blocks viewers (GET-only proxy route) and roles below operator', () => {
    expect(incidentWriteBlocker('viewer', 'admin')).toMatch(/Viewer/);
    expect(incidentWriteBlocker('editor', 'viewer')).toMatch(/operator role/);
    expect(incidentWriteBlocker('editor', 'operator')).toBeNull();
    // Unknown role (no /me): let the API decide.
    expect(incidentWriteBlocker('admin', null)).toBeNull();
  });
});
