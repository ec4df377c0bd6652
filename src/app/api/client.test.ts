import { capabilityForCall } from '../../contract/capabilities';
import { apiError, fakeApi, proxyError, resetFakes } from '../test/fakeRuntime';
import { callApi, proxyUrl } from './client';
import { OpsApiError, toOpsApiError } from './errors';

jest.mock('@grafana/runtime', () => jest.requireActual('../test/fakeRuntime').runtimeMock());

beforeEach(resetFakes);

describe('proxy route', () => {
  it('is the route of the capability the call needs, whatever the basic role', () => {
    expect(proxyUrl('approvals:decide', '/api/v1/approvals/a1/decision')).toBe(
      '/api/plugin-proxy/opsdeck-ops-app/decide/api/v1/approvals/a1/decision'
    );
    expect(capabilityForCall('GET', '/api/v1/approvals/a1')).toBe('incidents:read');
    expect(capabilityForCall('GET', '/api/v1/audit/verify')).toBe('catalog:admin');
    expect(capabilityForCall('POST', '/api/v1/incidents/i1/notes')).toBe('incidents:write');
    expect(capabilityForCall('POST', '/api/v1/approvals')).toBe('approvals:request');
    expect(capabilityForCall('POST', '/api/v1/approvals/a1/feedback')).toBe('approvals:request');
    expect(capabilityForCall('POST', '/api/v1/approvals/a1/decision')).toBe('approvals:decide');
    expect(capabilityForCall('POST', '/api/v1/admin/catalog/reload')).toBe('catalog:admin');
  });
});

describe('callApi', () => {
  it('calls through the plugin proxy with X-Project-ID, the body, and only the params that are set', async () => {
    fakeApi.on('POST /api/v1/approvals/:id/decision', { ok: true });
    await callApi({
      method: 'POST',
      path: '/api/v1/approvals/a1/decision',
      body: { decision: 'approve', comment: 'ok' },
      projectId: 'acme/vision',
      params: { a: 'x', b: undefined, c: '' },
    });
    const [call] = fakeApi.calls;
    expect(call.route).toBe('decide');
    expect(call.headers['X-Project-ID']).toBe('acme/vision');
    expect(call.body).toEqual({ decision: 'approve', comment: 'ok' });
    expect(call.params).toEqual({ a: 'x' });
  });

  it('sends no X-Project-ID when no project is chosen', async () => {
    fakeApi.on('GET /api/v1/me', { user: 'alice' });
    await callApi({ path: '/api/v1/me' });
    expect(fakeApi.calls[0].headers).toEqual({});
  });

  it("rejects with the API's envelope: message, code and correlation ID", async () => {
    fakeApi.on('GET /api/v1/incidents/:id', apiError(404, 'incident_not_found', 'no incident 42', 'req-abc-12345'));
    await expect(callApi({ path: '/api/v1/incidents/42' })).rejects.toMatchObject({
      name: 'OpsApiError',
      status: 404,
      code: 'incident_not_found',
      message: 'no incident 42',
      correlationId: 'req-abc-12345',
    });
  });

  it('explains a proxy answer that is not an envelope', async () => {
    fakeApi.on('GET /readyz', proxyError(502, { message: 'Bad Gateway' }));
    const error = await callApi({ path: '/readyz' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpsApiError);
    expect(error).toMatchObject({ status: 502, code: 'proxy_error', correlationId: null });
    expect((error as Error).message).toMatch(/Bad Gateway — is the companion API running/);
  });
});

describe('toOpsApiError', () => {
  it('names network failures and denied routes', () => {
    expect(toOpsApiError(new TypeError('Failed to fetch'))).toMatchObject({
      code: 'network_error',
      message: 'Failed to fetch',
      status: 0,
    });
    expect(toOpsApiError({ status: 403, data: { message: 'Forbidden' } })).toMatchObject({
      code: 'insufficient_permissions',
      message: 'Forbidden',
    });
    expect(toOpsApiError({ status: 500, statusText: 'Internal Server Error', data: 'oops' }).message).toBe(
      'HTTP 500 Internal Server Error'
    );
  });
});
