import { AccessFile } from '../../contract/access';
import { globalRole, memberships, projectRole, resolveScope, UNLIMITED } from './resolve';

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

describe('where a user may act, by access.yaml', () => {
  it('makes global bindings members of every project, with their role as the limit', () => {
    expect(projectRole(access, 'sam', 't-zeta', 'anything')).toBe('operator');
    expect(projectRole(access, 'ic', 't-acme', 'p-vision')).toBe('approver');
    expect(globalRole(access, 'sam')).toBe('operator');
    expect(globalRole(access, 'ana')).toBeNull();
  });

  it('grants project bindings only in their project; nobody else is a member', () => {
    expect(projectRole(access, 'ana', 't-acme', 'p-vision')).toBe('approver');
    expect(projectRole(access, 'ana', 't-beta', 'p-vision')).toBeNull();
    expect(projectRole(access, 'vic', 't-acme', 'p-vision')).toBe('viewer');
    expect(projectRole(access, 'mallory', 't-acme', 'p-vision')).toBeNull();
  });

  it('matches logins case-insensitively, as Grafana does (issue 17 item 11 follow-up)', () => {
    // Grafana signs `ANA` in as `ana` and its proxy forwards the login as typed; access.yaml may also
    // spell a login with capitals. Either way it is one person, as separation of duties already says.
    expect(projectRole(access, 'ANA', 't-acme', 'p-vision')).toBe('approver');
    expect(projectRole(access, ' Ana ', 't-acme', 'p-vision')).toBe('approver');
    expect(globalRole(access, 'Sam')).toBe('operator');
    expect(memberships(access, 'Bob')).toEqual([{ tenant: 't-beta', project: 'p-shared', role: 'operator' }]);
    const capitals = AccessFile.parse({
      version: 1,
      teams: { oncall: ['Olga'] },
      global: [{ role: 'admin', users: ['Root'] }],
      projects: [{ tenant: 't', project: 'p', bindings: [{ role: 'operator', teams: ['oncall'] }] }],
    });
    expect(globalRole(capitals, 'root')).toBe('admin');
    expect(projectRole(capitals, 'olga', 't', 'p')).toBe('operator');
    expect(resolveScope(capitals, 'OLGA', { kind: 'project', tenant: null, project: 'p' })).toEqual({
      ok: true,
      role: 'operator',
      tenant: 't',
    });
    // Still exact on everything but case and surrounding blanks.
    expect(projectRole(access, 'an a', 't-acme', 'p-vision')).toBeNull();
  });

  it('takes the highest of a user’s global and project bindings', () => {
    const both = AccessFile.parse({
      version: 1,
      global: [{ role: 'viewer', users: ['gil'] }],
      projects: [{ tenant: 't', project: 'p', bindings: [{ role: 'approver', users: ['gil'] }] }],
    });
    expect(projectRole(both, 'gil', 't', 'p')).toBe('approver');
    expect(projectRole(both, 'gil', 't', 'q')).toBe('viewer');
  });

  it('resolves a bare project name to the one tenant the user may see, or says it is ambiguous', () => {
    expect(resolveScope(access, 'ana', { kind: 'project', tenant: null, project: 'p-vision' })).toEqual({
      ok: true,
      role: 'approver',
      tenant: 't-acme',
    });
    expect(resolveScope(access, 'bob', { kind: 'project', tenant: null, project: 'p-shared' })).toEqual({
      ok: true,
      role: 'operator',
      tenant: 't-beta',
    });
    expect(resolveScope(access, 'ana', { kind: 'project', tenant: null, project: 'p-shared' })).toEqual({
      ok: false,
      reason: 'ambiguous',
      tenants: ['t-acme', 't-beta'],
    });
    expect(resolveScope(access, 'mallory', { kind: 'project', tenant: null, project: 'p-vision' })).toEqual({
      ok: false,
      reason: 'not_member',
    });
  });

  it('allows `*` only with a global binding', () => {
    expect(resolveScope(access, 'ana', { kind: 'all' })).toEqual({ ok: false, reason: 'not_member' });
    expect(resolveScope(access, 'sam', { kind: 'all' })).toEqual({ ok: true, role: 'operator', tenant: null });
  });

  it('lists the projects a user is bound in, with the role there', () => {
    expect(memberships(access, 'ana')).toEqual([
      { tenant: 't-acme', project: 'p-vision', role: 'approver' },
      { tenant: 't-acme', project: 'p-shared', role: 'operator' },
      { tenant: 't-beta', project: 'p-shared', role: 'operator' },
    ]);
    expect(memberships(access, 'mallory')).toEqual([]);
  });

  it('without access.yaml narrows nothing: everyone is a member of every project, without a limit', () => {
    expect(UNLIMITED).toBe('admin');
    expect(projectRole(null, 'anyone', 't-x', 'p-y')).toBe(UNLIMITED);
    expect(resolveScope(null, 'anyone', { kind: 'all' })).toEqual({ ok: true, role: UNLIMITED, tenant: null });
    expect(memberships(null, 'anyone')).toEqual([]);
  });
});
