import { DataSourcePlugin } from '@grafana/data';

import { OpsDataSource } from './datasource';
import type { OpsDataSourceOptions, OpsQuery } from './types';

export const plugin = new DataSourcePlugin<OpsDataSource, OpsQuery, OpsDataSourceOptions>(OpsDataSource);
