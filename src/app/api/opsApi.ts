import type { Me } from '../../contract/access';
import type {
  ActionDefinition,
  Approval,
  ApprovalListQuery,
  ApprovalPage,
  ApprovalRequestBody,
  DecisionBody,
  FeedbackBody,
} from '../../contract/approvals';
import type { RecommendationOverride, OverrideRequest, RecommendationList } from '../../contract/recommendations';
import type {
  CatalogReloadResult,
  ExploreUrlResponse,
  RunbookDetail,
  RunbookList,
  RunbookListQuery,
} from '../../contract/catalog';
import type { ReadyStatus } from '../../contract/common';
import type { CorrelationLookup } from '../../contract/correlation';
import type {
  IncidentDetail,
  IncidentListQuery,
  IncidentPage,
  NoteRequest,
  TimelineEntry,
  TimelineEventRequest,
  TransitionRequest,
} from '../../contract/incidents';
import type { AssignRequest, OnCallNow, SeverityChangeRequest, TeamScheduleList } from '../../contract/oncall';
import type {
  ActionItem,
  ActionItemPage,
  ActionItemQuery,
  IncidentUpdates,
  Postmortem,
  PostmortemCreateRequest,
  PostmortemEditRequest,
  PostmortemObligations,
  StatusUpdate,
  StatusUpdateRequest,
} from '../../contract/communication';
import type { Kpis, KpiQuery } from '../../contract/kpis';
import type { OpsOverview } from '../../contract/overview';
import type { SloStatusList } from '../../contract/slo';
import { callApi } from './client';

const enc = encodeURIComponent;
type Filters<T> = Partial<Record<keyof T, string | number | undefined>>;

/**
 * Every endpoint the app uses, typed by the contract, bound to one project. Each call goes through the
 * proxy route of the capability it needs (client.ts), so Grafana checks exactly that permission.
 */
export function createOpsApi(scope: { projectId: string | null }) {
  const get = <T>(path: string, params?: Record<string, string | number | undefined>) =>
    callApi<T>({ path, params, projectId: scope.projectId });
  const post = <T>(path: string, body: unknown) =>
    callApi<T>({ method: 'POST', path, body, projectId: scope.projectId });

  return {
    projectId: scope.projectId,
    ready: () => callApi<ReadyStatus>({ path: '/readyz' }),
    me: () => callApi<Me>({ path: '/api/v1/me' }),
    overview: () => get<OpsOverview>('/api/v1/admin/ops/overview'),
    incidents: (filters: Filters<IncidentListQuery> = {}) => get<IncidentPage>('/api/v1/incidents', filters),
    incident: (id: string) => get<IncidentDetail>(`/api/v1/incidents/${enc(id)}`),
    transition: (id: string, body: TransitionRequest) =>
      post<IncidentDetail>(`/api/v1/incidents/${enc(id)}/transitions`, body),
    addNote: (id: string, body: NoteRequest) => post<TimelineEntry>(`/api/v1/incidents/${enc(id)}/notes`, body),
    recordTimeline: (id: string, body: TimelineEventRequest) =>
      post<TimelineEntry>(`/api/v1/incidents/${enc(id)}/timeline`, body),
    acknowledge: (id: string) => post<IncidentDetail>(`/api/v1/incidents/${enc(id)}/acknowledge`, undefined),
    assign: (id: string, body: AssignRequest) => post<IncidentDetail>(`/api/v1/incidents/${enc(id)}/assign`, body),
    changeSeverity: (id: string, body: SeverityChangeRequest) =>
      post<IncidentDetail>(`/api/v1/incidents/${enc(id)}/severity`, body),
    oncallNow: () => get<OnCallNow>('/api/v1/oncall/now'),
    oncallSchedules: (days = 7) => get<TeamScheduleList>('/api/v1/oncall/schedules', { days }),
    runbooks: (filters: Filters<RunbookListQuery> = {}) => get<RunbookList>('/api/v1/admin/runbooks', filters),
    runbook: (runbookId: string) => get<RunbookDetail>(`/api/v1/admin/runbooks/${enc(runbookId)}`),
    exploreUrl: (queryId: string, vars: Record<string, string>) =>
      get<ExploreUrlResponse>(`/api/v1/queries/${enc(queryId)}/explore-url`, vars),
    approvals: (filters: Filters<ApprovalListQuery> = {}) => get<ApprovalPage>('/api/v1/approvals', filters),
    approval: (id: string) => get<Approval>(`/api/v1/approvals/${enc(id)}`),
    actions: () => get<{ items: ActionDefinition[] }>('/api/v1/actions'),
    requestAction: (body: ApprovalRequestBody) => post<Approval>('/api/v1/approvals', body),
    feedback: (id: string, body: FeedbackBody) => post<Approval>(`/api/v1/approvals/${enc(id)}/feedback`, body),
    recommendations: (id: string) => get<RecommendationList>(`/api/v1/incidents/${enc(id)}/recommendations`),
    recordOverride: (id: string, body: OverrideRequest) =>
      post<RecommendationOverride>(`/api/v1/incidents/${enc(id)}/recommendations/overrides`, body),
    decide: (id: string, body: DecisionBody) => post<Approval>(`/api/v1/approvals/${enc(id)}/decision`, body),
    // Not about one project: sent without X-Project-ID, so only Grafana's grant (catalog:admin) decides.
    // No body: the route reloads from disk and refuses any body (issue 17).
    reloadCatalog: () => callApi<CatalogReloadResult>({ method: 'POST', path: '/api/v1/admin/catalog/reload' }),
    sloStatus: (service?: string) => get<SloStatusList>('/api/v1/slos/status', { service }),
    updates: (id: string) => get<IncidentUpdates>(`/api/v1/incidents/${enc(id)}/updates`),
    postUpdate: (id: string, body: StatusUpdateRequest) =>
      post<StatusUpdate>(`/api/v1/incidents/${enc(id)}/updates`, body),
    postmortem: (id: string) => get<Postmortem>(`/api/v1/incidents/${enc(id)}/postmortem`),
    createPostmortem: (id: string, body: PostmortemCreateRequest) =>
      post<Postmortem>(`/api/v1/incidents/${enc(id)}/postmortem`, body),
    editPostmortem: (id: string, body: PostmortemEditRequest) =>
      callApi<Postmortem>({
        method: 'PUT',
        path: `/api/v1/incidents/${enc(id)}/postmortem`,
        body,
        projectId: scope.projectId,
      }),
    actionItems: (filters: Filters<ActionItemQuery> = {}) =>
      get<ActionItemPage>('/api/v1/postmortems/action-items', filters),
    setActionItem: (id: string, status: 'open' | 'done') =>
      post<ActionItem>(`/api/v1/postmortems/action-items/${enc(id)}`, { status }),
    kpis: (filters: Filters<KpiQuery> = {}) => get<Kpis>('/api/v1/kpis', filters),
    postmortemObligations: () => get<PostmortemObligations>('/api/v1/postmortems/obligations'),
    correlation: (correlationId: string) => get<CorrelationLookup>(`/api/v1/correlations/${enc(correlationId)}`),
  };
}

export type OpsApi = ReturnType<typeof createOpsApi>;
