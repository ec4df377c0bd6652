import { AccessFile } from '../../contract/access';
import { globalRole, memberships, projectRole, resolveScope, unscopedRole, type Subject } from './resolve';

const access = AccessFile.parse({
  version: 1,
  teams: { sre: ['sam'], commanders: ['ic'] },
  global: [
    { role: 'operator', teams: ['sre'] },
    { role: 'approver', teams: ['commanders'] },
  ],
  projects: [
    {
      tenant: 't-acme',
      project: 'p-vision',
      bindings: [
        { role: 'approver', users: ['ana'] },
        { role: 'viewer', users: ['vic'] },
      ],
    },
    { tenant: 't-acme', project: 'p-shared', bindings: [{ role: 'operator', users: ['ana'] }] },
    { tenant: 't-beta', project: 'p-shared', bindings: [{ role: 'operator', users: ['ana', 'bob'] }] },
  ],
});

const who = (user: string, grafanaRole: Subject['grafanaRole'] = 'Editor'): Subject => ({ user, grafanaRole });

describe('role resolution from the Grafana role and access.yaml', () => {
  it('maps Grafana roles and never grants approver from Grafana alone', () => {
    expect(unscopedRole(access, who('nobody', 'Viewer'))).toBe('viewer');
    expect(unscopedRole(access, who('nobody', 'Editor'))).toBe('operator');
    expect(unscopedRole(access, who('nobody', 'Admin'))).toBe('admin');
    expect(unscopedRole(access, who('nobody', null))).toBe('viewer');
  });

  it('makes Grafana Admins and global bindings members of every project', () => {
    expect(projectRole(access, who('root', 'Admin'), 't-zeta', 'anything')).toBe('admin');
    expect(projectRole(access, who('sam', 'Viewer'), 't-zeta', 'anything')).toBe('operator');
    expect(projectRole(access, who('ic', 'Editor'), 't-acme', 'p-vision')).toBe('approver');
    expect(globalRole(access, who('ana'))).toBeNull();
  });

  it('grants project bindings only in their project, raised by (never below) the Grafana role', () => {
    expect(projectRole(access, who('ana'), 't-acme', 'p-vision')).toBe('approver');
    expect(projectRole(access, who('ana'), 't-beta', 'p-vision')).toBeNull();
    expect(projectRole(access, who('vic', 'Editor'), 't-acme', 'p-vision')).toBe('operator');
    expect(projectRole(access, who('vic', 'Viewer'), 't-acme', 'p-vision')).toBe('viewer');
    expect(projectRole(access, who('mallory', 'Editor'), 't-acme', 'p-vision')).toBeNull();
  });

  it('resolves a bare project name to the one tenant the caller may see, or says it is ambiguous', () => {
    expect(resolveScope(access, who('ana'), { kind: 'project', tenant: null, project: 'p-vision' })).toEqual({
      ok: true,
      role: 'approver',
      tenant: 't-acme',
    });
    expect(resolveScope(access, who('bob'), { kind: 'project', tenant: null, project: 'p-shared' })).toEqual({
      ok: true,
      role: 'operator',
      tenant: 't-beta',
    });
    expect(resolveScope(access, who('ana'), { kind: 'project', tenant: null, project: 'p-shared' })).toEqual({
      ok: false,
      reason: 'ambiguous',
      tenants: ['t-acme', 't-beta'],
    });
    expect(resolveScope(access, who('mallory'), { kind: 'project', tenant: null, project: 'p-vision' })).toEqual({
      ok: false,
      reason: 'not_member',
    });
  });

  it('allows `*` only with a global grant', () => {
    expect(resolveScope(access, who('ana'), { kind: 'all' })).toEqual({ ok: false, reason: 'not_member' });
    expect(resolveScope(access, who('sam'), { kind: 'all' })).toEqual({ ok: true, role: 'operator', tenant: null });
    expect(resolveScope(access, who('root', 'Admin'), { kind: 'all' })).toEqual({
      ok: true,
      role: 'admin',
      tenant: null,
    });
  });

  it('lists the projects a user is bound in, with the role there', () => {
    expect(memberships(access, who('ana'))).toEqual([
      { tenant: 't-acme', project: 'p-vision', role: 'approver' },
      { tenant: 't-acme', project: 'p-shared', role: 'operator' },
      { tenant: 't-beta', project: 'p-shared', role: 'operator' },
    ]);
    expect(memberships(access, who('mallory'))).toEqual([]);
  });

  it('without access.yaml, applies the Grafana role in every project (single-tenant)', () => {
    expect(projectRole(null, who('anyone', 'Editor'), 't-x', 'p-y')).toBe('operator');
    expect(resolveScope(null, who('anyone', 'Viewer'), { kind: 'all' })).toEqual({
      ok: true,
      role: 'viewer',
      tenant: null,
    });
  });
});
