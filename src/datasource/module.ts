import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { OpsDataSource } from './datasource';
import type { OpsDataSourceOptions, OpsQuery } from './types';

export const plugin = new DataSourcePlugin<OpsDataSource, OpsQuery, OpsDataSourceOptions>(OpsDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
