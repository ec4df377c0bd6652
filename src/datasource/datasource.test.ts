import { of, throwError } from 'rxjs';
import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';

import { anIncidentSummary, anOverview, aSloStatus } from '../../tests/fixtures/builders';
import { dataSourceSettings } from '../../tests/fixtures/grafana';
import { OpsDataSource, incidentAnnotations } from './datasource';
import { incidentsFrame } from './frames';
import type { OpsDataSourceOptions, OpsQuery } from './types';

type Call = { url: string; params?: Record<string, unknown>; headers?: Record<string, string> };
const calls: Call[] = [];
let answer: (call: Call) => unknown = () => ({});
const variables: Record<string, string> = { service: 'api-gateway', tenant: 'acme' };

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({
    fetch: (call: Call) => {
      calls.push(call);
      try {
        return of({ data: answer(call), status: 200 });
      } catch (failure) {
        return throwError(() => failure);
      }
    },
  }),
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

beforeEach(() => {
  calls.length = 0;
  answer = () => ({});
});

describe('Opsdeck datasource', () => {
  it('queries incidents through the proxy route with the default project and interpolated filters', async () => {
    answer = () => ({ items: [anIncidentSummary()], next_cursor: null });
    const ds = new OpsDataSource(settings());
    const response = await ds.query(
      request([{ refId: 'A', queryType: 'incidents', status: 'open', tenant: '$tenant' }])
    );
    expect(calls[0].url).toBe('/api/datasources/proxy/uid/opsdeck/opsdeck/api/v1/incidents');
    expect(calls[0].params).toEqual({ status: 'open', tenant: 'acme', limit: 500 });
    expect(calls[0].headers).toEqual({ 'X-Project-ID': '*' });
    expect(response.data[0].name).toBe('incidents');
    expect(response.data[0].length).toBe(1);
  });

  it('uses the query project (with variables) over the datasource default', async () => {
    answer = () => ({ items: [aSloStatus(), aSloStatus({ id: 'x', service: 'billing' })] });
    const ds = new OpsDataSource(settings({ defaultProject: 'platform/platform' }));
    const response = await ds.query(
      request([{ refId: 'S', queryType: 'slo_status', service: '$service', project: '$tenant/vision' }])
    );
    expect(calls[0].url).toMatch(/\/api\/v1\/slos\/status$/);
    expect(calls[0].headers).toEqual({ 'X-Project-ID': 'acme/vision' });
    expect(response.data[0].length).toBe(1);
  });

  it('sends the dashboard time range to the audit query', async () => {
    answer = () => ({ items: [], next_cursor: null });
    await new OpsDataSource(settings()).query(request([{ refId: 'A', queryType: 'audit', actor: 'alice' }]));
    expect(calls[0].params).toEqual({
      actor: 'alice',
      from: '2025-01-15T09:00:00.000Z',
      to: '2025-01-15T12:00:00.000Z',
      limit: 500,
    });
  });

  it('reads the health blocks from the overview', async () => {
    answer = () => anOverview();
    const response = await new OpsDataSource(settings()).query(request([{ refId: 'H', queryType: 'overview_health' }]));
    expect(response.data[0].length).toBe(2);
  });

  it("surfaces the API's envelope message and correlation ID", async () => {
    answer = () => {
      throw {
        status: 403,
        data: {
          code: 'insufficient_permissions',
          message: 'no access to project vision',
          correlation_id: 'req-ds-1',
          details: {},
        },
      };
    };
    await expect(
      new OpsDataSource(settings()).query(request([{ refId: 'A', queryType: 'approvals' }]))
    ).rejects.toThrow('no access to project vision (insufficient_permissions, correlation ID req-ds-1)');
  });

  it('tests the connection with /readyz through the proxy', async () => {
    answer = () => ({ status: 'ready', store: 'embedded', schema_version: 3 });
    const ds = new OpsDataSource(settings());
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Opsdeck API is ready (store: embedded, schema 3)',
    });
    expect(calls[0].url).toBe('/api/datasources/proxy/uid/opsdeck/opsdeck/readyz');
    answer = () => {
      throw { status: 502, data: { message: 'Bad Gateway' } };
    };
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'error',
      message: 'Opsdeck API is not reachable: check the API URL: Bad Gateway',
    });
  });

  it('answers variable queries with distinct sorted values', async () => {
    answer = () => ({
      items: [
        anIncidentSummary({ tenant: 'b' }),
        anIncidentSummary({ tenant: 'a' }),
        anIncidentSummary({ tenant: 'b' }),
      ],
      next_cursor: null,
    });
    await expect(new OpsDataSource(settings()).metricFindQuery('tenants')).resolves.toEqual([
      { text: 'a' },
      { text: 'b' },
    ]);
    await expect(new OpsDataSource(settings()).metricFindQuery('nonsense')).rejects.toThrow(/Unknown variable query/);
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
