import { of, type Observable } from 'rxjs';
import type {
  AnnotationEvent,
  AnnotationQuery,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import type { ErrorEnvelope } from '../contract/common';
import { appLinks } from '../contract/links';
import { DEFAULT_QUERY, INTERPOLATED_FIELDS, type OpsDataSourceOptions, type OpsQuery } from './types';

/** Variable queries for dashboard template variables: `tenants`, `projects`, `services`, `owner_teams`, `signals`. */
export const VARIABLE_QUERIES = ['tenants', 'projects', 'services', 'owner_teams', 'signals'] as const;

/**
 * The Opsdeck datasource in the browser. Queries, Save & test, variable queries and annotations all
 * run in the Go backend (pkg/): Grafana's server calls it through /api/ds/query, /health and
 * /resources, so alert rules, public dashboards and reports get the same frames as panels. What is
 * left here is what only the browser knows: the dashboard's template variables, the query defaults,
 * and turning incident frames into annotation events.
 */
export class OpsDataSource extends DataSourceWithBackend<OpsQuery, OpsDataSourceOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<OpsDataSourceOptions>) {
    super(instanceSettings);
    this.annotations = {
      getDefaultQuery: () => ({ queryType: 'incidents', status: '' }),
      processEvents: (annotation: AnnotationQuery<OpsQuery>, frames: DataFrame[]) =>
        of(incidentAnnotations(annotation, frames)),
    };
  }

  getDefaultQuery(): Partial<OpsQuery> {
    return DEFAULT_QUERY;
  }

  /** Hidden queries are not sent (Grafana's query runner asks filterQuery; query() callers may not). */
  filterQuery(query: OpsQuery): boolean {
    return !query.hide;
  }

  query(request: DataQueryRequest<OpsQuery>): Observable<DataQueryResponse> {
    return super.query({ ...request, targets: request.targets.filter((target) => this.filterQuery(target)) });
  }

  /**
   * Called by DataSourceWithBackend for every query before it goes to /api/ds/query: the editor's
   * defaults for a query saved without them, then `$service`, `$tenant`, … in every text field.
   */
  applyTemplateVariables(query: OpsQuery, scopedVars: ScopedVars): OpsQuery {
    const templateSrv = getTemplateSrv();
    const interpolated: OpsQuery = { ...DEFAULT_QUERY, ...query };
    for (const field of INTERPOLATED_FIELDS) {
      const value = interpolated[field];
      if (typeof value === 'string' && value !== '') {
        interpolated[field] = templateSrv.replace(value, scopedVars);
      }
    }
    return interpolated;
  }

  /** A template variable's values, from the backend's `variables/<kind>` resource. */
  async metricFindQuery(query: string): Promise<MetricFindValue[]> {
    const kind = getTemplateSrv().replace(query).trim();
    if (!(VARIABLE_QUERIES as readonly string[]).includes(kind)) {
      throw new Error(`Unknown variable query "${kind}": use one of ${VARIABLE_QUERIES.join(', ')}`);
    }
    try {
      return await this.getResource<MetricFindValue[]>(`variables/${kind}`);
    } catch (thrown) {
      throw new Error(describeFailure(thrown));
    }
  }
}

function isEnvelope(value: unknown): value is ErrorEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorEnvelope).message === 'string' &&
    typeof (value as ErrorEnvelope).correlation_id === 'string'
  );
}

/** The envelope's message with its correlation ID, or what the proxy said. */
export function describeFailure(thrown: unknown, fallback = 'The Opsdeck API request failed'): string {
  const data = typeof thrown === 'object' && thrown !== null ? (thrown as { data?: unknown }).data : undefined;
  if (isEnvelope(data)) {
    return `${data.message} (${data.code}, correlation ID ${data.correlation_id})`;
  }
  const status = typeof thrown === 'object' && thrown !== null ? (thrown as { status?: unknown }).status : undefined;
  const message =
    typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : null;
  if (message || typeof status === 'number') {
    return `${fallback}: ${message ?? `HTTP ${status}`}`;
  }
  return thrown instanceof Error ? thrown.message : fallback;
}

/** Incidents as annotations: a region from opened to resolved (or a point while open), tagged by severity and status. */
export function incidentAnnotations(
  annotation: Pick<AnnotationQuery<OpsQuery>, 'name'>,
  frames: DataFrame[]
): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const column = (name: string) => frame.fields.find((field) => field.name === name)?.values ?? [];
    const opened = column('opened_at');
    const resolved = column('resolved_at');
    const titles = column('title');
    const ids = column('id');
    const severities = column('severity');
    const statuses = column('status');
    const runbooks = column('runbook_id');
    for (let index = 0; index < frame.length; index++) {
      const time = opened[index];
      if (typeof time !== 'number') {
        continue;
      }
      const end = resolved[index];
      events.push({
        time,
        timeEnd: typeof end === 'number' ? end : undefined,
        isRegion: typeof end === 'number',
        title: String(titles[index] ?? ''),
        text: `${String(severities[index]).toUpperCase()} · ${statuses[index]}${runbooks[index] ? ` · runbook ${runbooks[index]}` : ''} · ${appLinks.incident(String(ids[index]))}`,
        tags: ['opsdeck', String(severities[index]), String(statuses[index])],
        source: annotation,
      });
    }
  }
  return events;
}
