import { lastValueFrom, of } from 'rxjs';
import {
  DataSourceApi,
  type AnnotationEvent,
  type AnnotationQuery,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv } from '@grafana/runtime';

import type { ApprovalPage } from '../contract/approvals';
import type { AuditPage } from '../contract/audit';
import type { RunbookList } from '../contract/catalog';
import type { ErrorEnvelope } from '../contract/common';
import type { IncidentPage, IncidentSummary } from '../contract/incidents';
import type { OnCallNow } from '../contract/oncall';
import type { OpsOverview } from '../contract/overview';
import type { SloStatus } from '../contract/slo';
import {
  approvalsFrame,
  auditFrame,
  healthFrame,
  incidentsFrame,
  oncallFrame,
  runbooksFrame,
  sloFrame,
} from './frames';
import { DEFAULT_QUERY, INTERPOLATED_FIELDS, type OpsDataSourceOptions, type OpsQuery } from './types';

type Params = Record<string, string | number | undefined>;

/** Variable queries for dashboard template variables: `tenants`, `projects`, `services`, `owner_teams`, `signals`. */
export const VARIABLE_QUERIES = ['tenants', 'projects', 'services', 'owner_teams', 'signals'] as const;

/** Talks to the companion API through the datasource proxy route `opsdeck` (token added server-side). */
export class OpsDataSource extends DataSourceApi<OpsQuery, OpsDataSourceOptions> {
  readonly baseUrl: string;
  readonly defaultProject: string;

  constructor(instanceSettings: DataSourceInstanceSettings<OpsDataSourceOptions>) {
    super(instanceSettings);
    this.baseUrl = `${instanceSettings.url}/opsdeck`;
    this.defaultProject = instanceSettings.jsonData.defaultProject?.trim() || '*';
    this.annotations = {
      getDefaultQuery: () => ({ queryType: 'incidents', status: '' }),
      processEvents: (annotation: AnnotationQuery<OpsQuery>, frames: DataFrame[]) =>
        of(incidentAnnotations(annotation, frames)),
    };
  }

  getDefaultQuery(): Partial<OpsQuery> {
    return DEFAULT_QUERY;
  }

  /** Fills `$service`, `$tenant`, … in every text field of the query. */
  applyTemplateVariables(query: OpsQuery, scopedVars: ScopedVars): OpsQuery {
    const templateSrv = getTemplateSrv();
    const interpolated: OpsQuery = { ...query };
    for (const field of INTERPOLATED_FIELDS) {
      const value = query[field];
      if (typeof value === 'string' && value !== '') {
        interpolated[field] = templateSrv.replace(value, scopedVars);
      }
    }
    return interpolated;
  }

  async query(request: DataQueryRequest<OpsQuery>): Promise<DataQueryResponse> {
    const targets = request.targets.filter((target) => !target.hide);
    const frames = await Promise.all(
      targets.map((target) =>
        this.runQuery(this.applyTemplateVariables({ ...DEFAULT_QUERY, ...target }, request.scopedVars), request)
      )
    );
    return { data: frames };
  }

  private async runQuery(query: OpsQuery, request: DataQueryRequest<OpsQuery>): Promise<DataFrame> {
    const refId = query.refId;
    const limit = query.limit ?? 500;
    switch (query.queryType ?? 'incidents') {
      case 'incidents': {
        const page = await this.get<IncidentPage>('/api/v1/incidents', query, {
          status: query.status || undefined,
          severity: query.severity,
          signal: query.signal,
          owner_team: query.ownerTeam,
          tenant: query.tenant,
          limit,
        });
        return incidentsFrame(refId, page.items);
      }
      case 'runbooks': {
        const list = await this.get<RunbookList>('/api/v1/admin/runbooks', query, {
          signal: query.signal,
          owner_team: query.ownerTeam,
          severity: query.severity,
          review: query.review,
        });
        return runbooksFrame(refId, list.items);
      }
      case 'approvals': {
        const page = await this.get<ApprovalPage>('/api/v1/approvals', query, {
          status: query.status,
          risk_class: query.riskClass,
          limit,
        });
        return approvalsFrame(refId, page.items);
      }
      case 'audit': {
        const page = await this.get<AuditPage>('/api/v1/audit', query, {
          actor: query.actor,
          action: query.action,
          correlation_id: query.correlationId,
          from: request.range.from.toISOString(),
          to: request.range.to.toISOString(),
          limit,
        });
        return auditFrame(refId, page.items);
      }
      case 'overview_health': {
        const overview = await this.get<OpsOverview>('/api/v1/admin/ops/overview', query, {});
        return healthFrame(refId, overview.health_summary.blocks, overview.decision_header.generated_at);
      }
      case 'oncall': {
        const now = await this.get<OnCallNow>('/api/v1/oncall/now', query, { team: query.ownerTeam });
        return oncallFrame(refId, now);
      }
      case 'slo_status': {
        const list = await this.get<{ items: SloStatus[] }>('/api/v1/slos/status', query, { service: query.service });
        const items = query.service ? list.items.filter((slo) => slo.service === query.service) : list.items;
        return sloFrame(refId, items);
      }
    }
  }

  private async get<T>(path: string, query: Pick<OpsQuery, 'project'>, params: Params): Promise<T> {
    const clean = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined && value !== ''));
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({
          url: `${this.baseUrl}${path}`,
          params: clean,
          headers: { 'X-Project-ID': query.project?.trim() || this.defaultProject },
          showErrorAlert: false,
        })
      );
      return response.data;
    } catch (thrown) {
      throw new Error(describeFailure(thrown));
    }
  }

  async metricFindQuery(query: string): Promise<MetricFindValue[]> {
    const kind = getTemplateSrv().replace(query).trim();
    const distinct = (values: Array<string | null>) =>
      Array.from(new Set(values.filter((value): value is string => Boolean(value))))
        .sort()
        .map((text) => ({ text }));
    switch (kind) {
      case 'tenants':
      case 'projects':
      case 'owner_teams':
      case 'signals': {
        const page = await this.get<IncidentPage>('/api/v1/incidents', {}, { limit: 500 });
        const pick: Record<string, (i: IncidentSummary) => string | null> = {
          tenants: (i) => i.tenant,
          projects: (i) => i.project,
          owner_teams: (i) => i.owner_team,
          signals: (i) => i.signal_key,
        };
        return distinct(page.items.map(pick[kind]));
      }
      case 'services': {
        const list = await this.get<{ items: SloStatus[] }>('/api/v1/slos/status', {}, {});
        return distinct(list.items.map((slo) => slo.service));
      }
      default:
        throw new Error(`Unknown variable query "${kind}": use one of ${VARIABLE_QUERIES.join(', ')}`);
    }
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<{ status: string; store: string; schema_version?: number }>({
          url: `${this.baseUrl}/readyz`,
          showErrorAlert: false,
        })
      );
      return {
        status: 'success',
        message: `Opsdeck API is ready (store: ${response.data.store}${response.data.schema_version ? `, schema ${response.data.schema_version}` : ''})`,
      };
    } catch (thrown) {
      return { status: 'error', message: describeFailure(thrown, 'Opsdeck API is not reachable: check the API URL') };
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
        text: `${String(severities[index]).toUpperCase()} · ${statuses[index]}${runbooks[index] ? ` · runbook ${runbooks[index]}` : ''} · /a/opsdeck-ops-app/incidents/${ids[index]}`,
        tags: ['opsdeck', String(severities[index]), String(statuses[index])],
        source: annotation,
      });
    }
  }
  return events;
}
