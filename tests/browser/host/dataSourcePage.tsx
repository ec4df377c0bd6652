/**
 * The host's stand-in for Grafana's datasource pages, for the nested Opsdeck datasource: the BUILT
 * dist/datasource/module.js loaded through SystemJS like the app, its ConfigEditor with "Save & test"
 * (settings PUT to the host server, then the plugin's own testDatasource()), and an Explore-like pane
 * with its QueryEditor, "Run query" calling the plugin's query() and the frames it returned shown as
 * tables. Every call goes to the host server's stand-ins for Grafana's backend-datasource API
 * (/api/ds/query, /health, /resources), which run the Go backend with the instance's secure settings:
 * the browser never holds the token.
 */
import React, { useState } from 'react';
import { isObservable, lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import {
  CoreApp,
  DataSourcePlugin,
  FieldType,
  getDefaultTimeRange,
  type DataFrame,
  type DataQuery,
  type DataQueryRequest,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
  type DataSourceSettings,
  type GrafanaTheme2,
  type TestDataSourceResponse,
} from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { Alert, Button, useStyles2 } from '@grafana/ui';

export const DATASOURCE_PAGE = '/datasources/edit/';

/** What the host's datasource page works with: the plugin, one instance of its class, its settings. */
export interface LoadedDataSource {
  plugin: DataSourcePlugin<DataSourceApi>;
  settings: DataSourceSettings;
  meta: DataSourcePluginMeta;
}

export async function loadDataSource(uid: string, meta: DataSourcePluginMeta): Promise<LoadedDataSource> {
  const [exports, settings] = await Promise.all([
    window.System.import(`/public/plugins/${meta.id}/module.js`),
    fetch(`/api/datasources/uid/${uid}`).then((response) => response.json() as Promise<DataSourceSettings>),
  ]);
  const plugin = exports.plugin;
  if (!(plugin instanceof DataSourcePlugin)) {
    throw new Error('dist/datasource/module.js does not export a DataSourcePlugin named `plugin`');
  }
  const fullMeta = { ...meta, baseUrl: `public/plugins/${meta.id}`, module: `public/plugins/${meta.id}/module.js` };
  plugin.meta = fullMeta;
  return { plugin, settings, meta: fullMeta };
}

/** What Grafana gives the datasource's constructor: the saved settings without any secure value. */
function instanceSettings(meta: DataSourcePluginMeta, saved: DataSourceSettings): DataSourceInstanceSettings {
  return {
    id: saved.id,
    uid: saved.uid,
    type: saved.type,
    name: saved.name,
    url: saved.url,
    access: saved.access === 'direct' ? 'direct' : 'proxy',
    jsonData: saved.jsonData,
    readOnly: saved.readOnly,
    meta,
  };
}

/** Dashboard variables: the host has none, so `$x` stays as typed (as in Grafana with no such variable). */
export class HostTemplateSrv implements TemplateSrv {
  getVariables() {
    return [];
  }
  replace(target?: string) {
    return target ?? '';
  }
  containsTemplate(target?: string) {
    return /\$\w+|\$\{\w+/.test(target ?? '');
  }
  updateTimeRange() {}
}

function queryRequest(query: DataQuery): DataQueryRequest<DataQuery> {
  return {
    requestId: `host-${Date.now()}`,
    interval: '1m',
    intervalMs: 60_000,
    range: getDefaultTimeRange(),
    scopedVars: {},
    targets: [query],
    timezone: 'utc',
    app: CoreApp.Explore,
    startTime: Date.now(),
  };
}

export function DataSourcePage({ loaded }: { loaded: LoadedDataSource }) {
  const s = useStyles2(getStyles);
  const { plugin } = loaded;
  const ConfigEditor = plugin.components.ConfigEditor;
  const QueryEditor = plugin.components.QueryEditor;
  const [options, setOptions] = useState<DataSourceSettings>(loaded.settings);
  const [dataSource, setDataSource] = useState<DataSourceApi>(
    () => new plugin.DataSourceClass(instanceSettings(loaded.meta, loaded.settings))
  );
  const [test, setTest] = useState<TestDataSourceResponse | null>(null);
  const [query, setQuery] = useState<DataQuery>(() => ({
    refId: 'A',
    ...dataSource.getDefaultQuery?.(CoreApp.Explore),
  }));
  const [result, setResult] = useState<{ frames: DataFrame[] } | { error: string } | null>(null);

  const saveAndTest = async () => {
    setTest(null);
    const response = await fetch(`/api/datasources/uid/${options.uid}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options),
    });
    const saved = (await response.json()) as DataSourceSettings;
    setOptions(saved);
    const next = new plugin.DataSourceClass(instanceSettings(loaded.meta, saved));
    setDataSource(next);
    // A backend datasource's testDatasource() rejects with {status, message} on failure; Grafana's page
    // shows that message, as here.
    setTest(
      await next.testDatasource().catch((failure: unknown) => ({
        status: 'error',
        message: (failure as { message?: string })?.message ?? String(failure),
      }))
    );
  };

  const run = async (current: DataQuery = query) => {
    setResult(null);
    try {
      const answer = dataSource.query(queryRequest(current));
      const response = isObservable(answer) ? await lastValueFrom(answer) : await answer;
      // Grafana shows a query's error on the panel instead of its (empty) frames.
      setResult(
        response.errors?.length
          ? { error: response.errors.map((failure) => failure.message).join('; ') }
          : { frames: response.data as DataFrame[] }
      );
    } catch (error) {
      setResult({ error: (error as Error).message });
    }
  };

  return (
    <div className={s.page}>
      <h1 className={s.title}>Data source: {options.name}</h1>
      <section aria-label="Settings" data-testid="host-ds-settings">
        {ConfigEditor && <ConfigEditor options={options} onOptionsChange={setOptions} />}
        <Button onClick={saveAndTest}>Save &amp; test</Button>
        {test && (
          <div className={s.block} data-testid="host-ds-test-result" data-status={test.status}>
            <Alert title={test.message} severity={test.status === 'success' ? 'success' : 'error'} />
          </div>
        )}
      </section>
      <section aria-label="Explore" className={s.block} data-testid="host-ds-explore">
        <h2 className={s.subtitle}>Explore</h2>
        {QueryEditor && (
          <QueryEditor
            datasource={dataSource}
            query={query}
            onChange={setQuery}
            onRunQuery={() => run()}
            app={CoreApp.Explore}
          />
        )}
        <Button onClick={() => run()}>Run query</Button>
        {result && 'error' in result && (
          <div className={s.block} data-testid="host-ds-query-error">
            <Alert title={result.error} severity="error" />
          </div>
        )}
        {result &&
          'frames' in result &&
          result.frames.map((frame, index) => <FrameTable key={`${frame.refId}-${index}`} frame={frame} />)}
      </section>
    </div>
  );
}

/** One frame as a plain table: its name, refId and row count as data attributes for the specs. */
function FrameTable({ frame }: { frame: DataFrame }) {
  const s = useStyles2(getStyles);
  const rows = Array.from({ length: Math.min(frame.length, 50) }, (_, row) => row);
  return (
    <figure
      className={s.block}
      data-testid="host-ds-frame"
      data-ref-id={frame.refId}
      data-frame-name={frame.name ?? ''}
      data-rows={frame.length}
    >
      <figcaption>
        {frame.name ?? frame.refId}: {frame.length} rows
      </figcaption>
      <table className={s.table}>
        <thead>
          <tr>
            {frame.fields.map((field) => (
              <th key={field.name}>{field.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row}>
              {frame.fields.map((field) => (
                <td key={field.name}>{formatCell(field.values[row], field.type)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function formatCell(value: unknown, type: FieldType): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (type === FieldType.time && typeof value === 'number') {
    return new Date(value).toISOString();
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(2, 3, 4), background: theme.colors.background.primary, minHeight: '100%' }),
  title: css({ fontSize: theme.typography.h2.fontSize, margin: theme.spacing(0, 0, 3) }),
  subtitle: css({ fontSize: theme.typography.h4.fontSize }),
  block: css({ marginTop: theme.spacing(2) }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
  }),
});
