import { lastValueFrom, of, throwError } from 'rxjs';
import {
  dataFrameToJSON,
  dateTime,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
} from '@grafana/data';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';

import { anIncidentSummary } from '../../tests/fixtures/builders';
import { dataSourceSettings } from '../../tests/fixtures/grafana';
import { OpsDataSource, incidentAnnotations } from './datasource';
import { incidentsFrame } from './frames';
import type { OpsDataSourceOptions, OpsQuery } from './types';

// Grafana's server stands behind BackendSrv: /api/ds/query runs the Go backend's QueryData, /health its
// CheckHealth, /resources its CallResource. The fake records what the datasource sends and answers
// in the shapes Grafana's server answers.
const calls: BackendSrvRequest[] = [];
let answer: (call: BackendSrvRequest) => unknown = () => ({});
const variables: Record<string, string> = { service: 'api-gateway', tenant: 'acme' };

setBackendSrv({
  fetch: (call: BackendSrvRequest) => {
    calls.push(call);
    try {
      return of({ data: answer(call), status: 200, ok: true, config: call });
    } catch (failure) {
      return throwError(() => failure);
    }
  },
} as unknown as BackendSrv);

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({
    replace: (value: string) => value.replace(/\$(\w+)/g, (whole, name: string) => variables[name] ?? whole),
  }),
}));

function settings(jsonData: OpsDataSourceOptions = {}): DataSourceInstanceSettings<OpsDataSourceOptions> {
  return dataSourceSettings(jsonData);
}

function request(targets: OpsQuery[]): DataQueryRequest<OpsQuery> {
  const from = dateTime('2025-01-15T09:00:00Z');
  const to = dateTime('2025-01-15T12:00:00Z');
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from: 'now-3h', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

async function run(ds: OpsDataSource, targets: OpsQuery[]): Promise<DataQueryResponse> {
  return lastValueFrom(ds.query(request(targets)));
}

type SentQuery = OpsQuery & { datasource: { uid: string; type: string } };
const sentQueries = () => (calls[0].data as { queries: SentQuery[]; from: string; to: string }).queries;

beforeEach(() => {
  calls.length = 0;
  answer = () => ({ results: {} });
});

describe('Opsdeck datasource (frontend of the Go backend)', () => {
  it('sends queries to /api/ds/query with defaults and interpolated filters; hidden ones are left out', async () => {
    const frame = incidentsFrame('A', [anIncidentSummary()]);
    answer = () => ({ results: { A: { status: 200, frames: [dataFrameToJSON(frame)] } } });
    const ds = new OpsDataSource(settings());
    const response = await run(ds, [
      { refId: 'A', tenant: '$tenant' },
      { refId: 'B', queryType: 'runbooks', hide: true },
    ]);
    expect(calls[0].url).toBe('/api/ds/query?ds_type=opsdeck-ops-datasource&requestId=r1');
    expect(calls[0].method).toBe('POST');
    expect(sentQueries()).toHaveLength(1);
    expect(sentQueries()[0]).toMatchObject({ refId: 'A', queryType: 'incidents', status: 'open', tenant: 'acme' });
    expect(sentQueries()[0].datasource).toMatchObject({ uid: 'opsdeck', type: 'opsdeck-ops-datasource' });
    expect((calls[0].data as { from: string }).from).toBe(String(Date.parse('2025-01-15T09:00:00Z')));
    expect(response.data[0].name).toBe('incidents');
    expect(response.data[0].length).toBe(1);
  });

  it('interpolates the query project and keeps a saved empty status (every status) as it is', async () => {
    const ds = new OpsDataSource(settings({ defaultProject: 'platform/platform' }));
    await run(ds, [
      { refId: 'S', queryType: 'slo_status', service: '$service', project: '$tenant/vision', status: '' },
    ]);
    expect(sentQueries()[0]).toMatchObject({
      queryType: 'slo_status',
      service: 'api-gateway',
      project: 'acme/vision',
      status: '',
    });
  });

  it("shows the backend's error, which carries the API's envelope message and correlation ID", async () => {
    answer = () => ({
      results: {
        A: {
          status: 403,
          error: 'no access to project vision (insufficient_permissions, correlation ID req-ds-1)',
          frames: [],
        },
      },
    });
    const response = await run(new OpsDataSource(settings()), [{ refId: 'A', queryType: 'approvals' }]);
    expect(response.errors?.[0].message).toBe(
      'no access to project vision (insufficient_permissions, correlation ID req-ds-1)'
    );
  });

  it("Save & test is the backend's health check", async () => {
    answer = () => ({ status: 'OK', message: 'Opsdeck API is ready (store: embedded, schema 6)' });
    const ds = new OpsDataSource(settings());
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Opsdeck API is ready (store: embedded, schema 6)',
    });
    expect(calls[0].url).toBe('/api/datasources/uid/opsdeck/health');
    answer = () => ({ status: 'ERROR', message: 'Opsdeck API rejected the service token' });
    await expect(ds.testDatasource()).rejects.toMatchObject({
      status: 'error',
      message: 'Opsdeck API rejected the service token',
    });
  });

  it("answers variable queries from the backend's variables resource", async () => {
    answer = () => [{ text: 'a' }, { text: 'b' }];
    const ds = new OpsDataSource(settings());
    await expect(ds.metricFindQuery('tenants')).resolves.toEqual([{ text: 'a' }, { text: 'b' }]);
    expect(calls[0].url).toBe('/api/datasources/uid/opsdeck/resources/variables/tenants');
    await expect(ds.metricFindQuery('nonsense')).rejects.toThrow(/Unknown variable query/);
    answer = () => {
      throw { status: 502, data: { code: 'unreachable', message: 'API down', correlation_id: 'c-1', details: {} } };
    };
    await expect(ds.metricFindQuery('services')).rejects.toThrow('API down (unreachable, correlation ID c-1)');
  });

  it('turns incidents into annotations: regions when resolved, points while open', () => {
    const frame = incidentsFrame('Anno', [
      anIncidentSummary({ id: 'open-1', title: 'Still open' }),
      anIncidentSummary({
        id: 'done-1',
        title: 'Resolved one',
        status: 'resolved',
        severity: 'sev3',
        resolved_at: '2025-01-15T10:30:00.000Z',
      }),
    ]);
    const events = incidentAnnotations({ name: 'Incidents' }, [frame]);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ title: 'Still open', isRegion: false, tags: ['opsdeck', 'sev1', 'detected'] });
    expect(events[1]).toMatchObject({
      title: 'Resolved one',
      isRegion: true,
      timeEnd: Date.parse('2025-01-15T10:30:00.000Z'),
      tags: ['opsdeck', 'sev3', 'resolved'],
    });
    expect(events[1].text).toContain('/a/opsdeck-ops-app/incidents/done-1');
  });
});
