import { capabilityForCall } from './capabilities';
import { buildPath, ENDPOINTS, endpoints, pathPattern } from './endpoints';

describe('the endpoints table', () => {
  it('names each method and path once', () => {
    const keys = ENDPOINTS.map((entry) => `${entry.method} ${entry.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('builds concrete URLs: params encoded, unset query values left out, arrays repeated', () => {
    expect(buildPath(endpoints.getIncident, { id: 'inc 1/x' })).toBe('/api/v1/incidents/inc%201%2Fx');
    expect(
      buildPath(endpoints.listIncidents, {}, { status: 'open', limit: 20, cursor: undefined, q: '', team: null })
    ).toBe('/api/v1/incidents?status=open&limit=20');
    expect(buildPath(endpoints.listApprovals, {}, { status: ['pending', 'approved'] })).toBe(
      '/api/v1/approvals?status=pending&status=approved'
    );
    expect(buildPath(endpoints.reconcileExecution, { approval_id: 'a1' })).toBe(
      '/api/v1/admin/executions/a1/reconcile'
    );
  });

  it('refuses a missing param instead of calling /incidents/undefined', () => {
    expect(() => buildPath(endpoints.getIncident, {} as { id: string })).toThrow('no value for :id');
  });

  it('matches a param as one segment, never across a slash', () => {
    const pattern = pathPattern(endpoints.getIncident.path);
    expect(pattern.test('/api/v1/incidents/i1')).toBe(true);
    expect(pattern.test('/api/v1/incidents/i1/notes')).toBe(false);
    expect(pathPattern(endpoints.statusAtom.path).test('/api/v1/status/feedxatom')).toBe(false);
  });

  it('gives capabilityForCall what each entry declares (writes listed once)', () => {
    for (const entry of ENDPOINTS) {
      if (!('capability' in entry.auth)) {
        continue;
      }
      const url = entry.path.replace(/:[a-z_]+/g, 'x1');
      expect(`${entry.method} ${entry.path} ${capabilityForCall(entry.method, url)}`).toBe(
        `${entry.method} ${entry.path} ${entry.auth.capability}`
      );
    }
    expect(capabilityForCall('GET', '/api/v1/audit/verify?x=1')).toBe('catalog:admin');
    expect(capabilityForCall('GET', '/api/v1/unknown')).toBe('incidents:read');
    expect(capabilityForCall('POST', '/api/v1/unknown')).toBe('catalog:admin');
  });
});
