import { lastValueFrom } from 'rxjs';
import {
  DataSourceApi,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';

import type { OpsDataSourceOptions, OpsQuery } from './types';

/** Talks to the companion API through the datasource proxy route `opsdeck` (token added server-side). */
export class OpsDataSource extends DataSourceApi<OpsQuery, OpsDataSourceOptions> {
  readonly baseUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<OpsDataSourceOptions>) {
    super(instanceSettings);
    this.baseUrl = `${instanceSettings.url}/opsdeck`;
  }

  async query(_request: DataQueryRequest<OpsQuery>): Promise<DataQueryResponse> {
    return { data: [] };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<{ status: string; store: string }>({ url: `${this.baseUrl}/readyz`, showErrorAlert: false })
      );
      return { status: 'success', message: `Opsdeck API is ready (store: ${response.data.store})` };
    } catch (error) {
      const message = (error as { data?: { message?: string } }).data?.message ?? 'Opsdeck API is not reachable';
      return { status: 'error', message };
    }
  }
}
