// Leaf module: the app's non-secret settings (plugin jsonData). The service token lives only in
// secureJsonData: Grafana's proxy injects it and never returns it to the browser.
import type { QueryDatasource } from '../contract/catalog';

export interface AppSettings {
  /** Where Grafana's server reaches the companion API, e.g. http://opsdeck-api:8787. */
  apiUrl?: string;
  /** A reminder of where the webhook token is kept (never the token itself). */
  webhookTokenHint?: string;
  lokiDatasourceUid?: string;
  tempoDatasourceUid?: string;
  prometheusDatasourceUid?: string;
}

export interface AppSecureSettings {
  apiToken?: string;
}

/** The jsonData key that holds each Explore datasource's UID. */
export const DATASOURCE_UID_KEYS: Record<
  QueryDatasource,
  'lokiDatasourceUid' | 'tempoDatasourceUid' | 'prometheusDatasourceUid'
> = {
  loki: 'lokiDatasourceUid',
  tempo: 'tempoDatasourceUid',
  prometheus: 'prometheusDatasourceUid',
};
