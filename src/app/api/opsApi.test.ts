// The app client writes no path of its own: every call it makes is an endpoint of the contract, with that
// endpoint's method, through the proxy route of the endpoint's capability.
import { ENDPOINTS, pathPattern } from '../../contract/endpoints';
import { PROXY_ROUTE } from '../../contract/capabilities';
import { fakeApi, resetFakes } from '../test/fakeRuntime';
import { createOpsApi, type OpsApi } from './opsApi';

jest.mock('@grafana/runtime', () => jest.requireActual('../test/fakeRuntime').runtimeMock());

beforeEach(resetFakes);

type Method = Exclude<keyof OpsApi, 'projectId'>;

describe('createOpsApi', () => {
  it('calls only endpoints of the contract, with their method and capability route', async () => {
    const api = createOpsApi({ projectId: 'acme/vision' });
    const methods = Object.keys(api).filter((key): key is Method => key !== 'projectId');
    for (const method of methods) {
      // Arguments are IDs and bodies; the fake answers 404 to everything, which is all this test needs.
      const call = api[method] as (...args: unknown[]) => Promise<unknown>;
      await call('x 1', {}).catch(() => undefined);
    }
    expect(fakeApi.calls).toHaveLength(methods.length);
    for (const call of fakeApi.calls) {
      const endpoint = ENDPOINTS.find(
        (entry) => entry.method === call.method && pathPattern(entry.path).test(call.path)
      );
      expect({ call: `${call.method} ${call.path}`, known: Boolean(endpoint) }).toEqual({
        call: `${call.method} ${call.path}`,
        known: true,
      });
      if (endpoint && 'capability' in endpoint.auth) {
        expect({ call: call.path, route: call.route }).toEqual({
          call: call.path,
          route: PROXY_ROUTE[endpoint.auth.capability],
        });
      }
    }
  });

  it('encodes path parameters and sends the project only on project calls', async () => {
    const api = createOpsApi({ projectId: 'acme/vision' });
    await api.incident('a/b').catch(() => undefined);
    await api.me().catch(() => undefined);
    expect(fakeApi.calls.map((call) => [call.path, call.headers['X-Project-ID']])).toEqual([
      ['/api/v1/incidents/a%2Fb', 'acme/vision'],
      ['/api/v1/me', undefined],
    ]);
  });
});
