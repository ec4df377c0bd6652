import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

export const QUERY_TYPES = ['incidents', 'runbooks', 'approvals', 'audit', 'overview_health', 'slo_status'] as const;
export type OpsQueryType = (typeof QUERY_TYPES)[number];

export interface OpsQuery extends DataQuery {
  queryType?: OpsQueryType;
}

export const DEFAULT_QUERY: Partial<OpsQuery> = { queryType: 'incidents' };

/** Non-secret settings; the API token is in secureJsonData and injected by the data proxy route. */
export interface OpsDataSourceOptions extends DataSourceJsonData {
  apiUrl?: string;
}

export interface OpsSecureJsonData {
  apiToken?: string;
}
