import type { ApprovalListQuery, ApprovalRequestBody, DecisionBody, FeedbackBody } from '../../contract/approvals';
import type { OverrideRequest } from '../../contract/recommendations';
import type { RunbookListQuery } from '../../contract/catalog';
import type { IncidentListQuery, NoteRequest, TimelineEventRequest, TransitionRequest } from '../../contract/incidents';
import type { AssignRequest, HandoffPost, SeverityChangeRequest } from '../../contract/oncall';
import type {
  ActionItemQuery,
  PostmortemCreateRequest,
  PostmortemEditRequest,
  StatusUpdateRequest,
} from '../../contract/communication';
import { endpoints as api } from '../../contract/endpoints';
import type { KpiQuery } from '../../contract/kpis';
import { callEndpoint, type EndpointCall } from './client';

type Filters<T> = Partial<Record<keyof T, string | number | undefined>>;
const none = {};

/**
 * Every endpoint the app uses, bound to one project. Methods, paths and answer types come from the
 * contract's endpoint table (src/contract/endpoints.ts), so a path is written once for the server, the
 * app and the datasource. Each call goes through the proxy route of the capability it needs
 * (client.ts), so Grafana checks exactly that permission.
 */
export function createOpsApi(scope: { projectId: string | null }) {
  const inProject = (call: EndpointCall = {}): EndpointCall => ({ ...call, projectId: scope.projectId });
  const query = (params: EndpointCall['params']) => inProject({ params });
  const body = (value: unknown) => inProject({ body: value });
  const incident = (id: string) => ({ id });

  return {
    projectId: scope.projectId,
    // Not about one project: sent without X-Project-ID.
    ready: () => callEndpoint(api.readyz, none),
    me: () => callEndpoint(api.me, none),
    overview: () => callEndpoint(api.opsOverview, none, inProject()),
    incidents: (filters: Filters<IncidentListQuery> = {}) => callEndpoint(api.listIncidents, none, query(filters)),
    incident: (id: string) => callEndpoint(api.getIncident, incident(id), inProject()),
    transition: (id: string, request: TransitionRequest) =>
      callEndpoint(api.transitionIncident, incident(id), body(request)),
    addNote: (id: string, request: NoteRequest) => callEndpoint(api.addNote, incident(id), body(request)),
    recordTimeline: (id: string, request: TimelineEventRequest) =>
      callEndpoint(api.recordTimeline, incident(id), body(request)),
    acknowledge: (id: string) => callEndpoint(api.acknowledgeIncident, incident(id), body(undefined)),
    assign: (id: string, request: AssignRequest) => callEndpoint(api.assignIncident, incident(id), body(request)),
    changeSeverity: (id: string, request: SeverityChangeRequest) =>
      callEndpoint(api.changeSeverity, incident(id), body(request)),
    oncallNow: () => callEndpoint(api.onCallNow, none, inProject()),
    oncallSchedules: (days = 7) => callEndpoint(api.onCallSchedules, none, query({ days })),
    handoff: (team: string) => callEndpoint(api.onCallHandoff, { team }, inProject()),
    postHandoff: (team: string, request: HandoffPost) => callEndpoint(api.postOnCallHandoff, { team }, body(request)),
    runbooks: (filters: Filters<RunbookListQuery> = {}) => callEndpoint(api.listRunbooks, none, query(filters)),
    runbook: (runbookId: string) => callEndpoint(api.getRunbook, { runbook_id: runbookId }, inProject()),
    exploreUrl: (queryId: string, vars: Record<string, string>) =>
      callEndpoint(api.exploreUrl, { query_id: queryId }, query(vars)),
    approvals: (filters: Filters<ApprovalListQuery> = {}) => callEndpoint(api.listApprovals, none, query(filters)),
    approval: (id: string) => callEndpoint(api.getApproval, incident(id), inProject()),
    actions: () => callEndpoint(api.listActions, none, inProject()),
    requestAction: (request: ApprovalRequestBody) => callEndpoint(api.requestApproval, none, body(request)),
    feedback: (id: string, request: FeedbackBody) => callEndpoint(api.approvalFeedback, incident(id), body(request)),
    recommendations: (id: string) => callEndpoint(api.listRecommendations, incident(id), inProject()),
    recordOverride: (id: string, request: OverrideRequest) =>
      callEndpoint(api.overrideRecommendation, incident(id), body(request)),
    decide: (id: string, request: DecisionBody) => callEndpoint(api.decideApproval, incident(id), body(request)),
    // Not about one project: sent without X-Project-ID, so only Grafana's grant (catalog:admin) decides.
    // No body: the route reloads from disk and refuses any body (issue 17).
    reloadCatalog: () => callEndpoint(api.reloadCatalog, none),
    sloStatus: (service?: string) => callEndpoint(api.sloStatus, none, query({ service })),
    updates: (id: string) => callEndpoint(api.listUpdates, incident(id), inProject()),
    postUpdate: (id: string, request: StatusUpdateRequest) => callEndpoint(api.postUpdate, incident(id), body(request)),
    postmortem: (id: string) => callEndpoint(api.getPostmortem, incident(id), inProject()),
    createPostmortem: (id: string, request: PostmortemCreateRequest) =>
      callEndpoint(api.createPostmortem, incident(id), body(request)),
    editPostmortem: (id: string, request: PostmortemEditRequest) =>
      callEndpoint(api.editPostmortem, incident(id), body(request)),
    actionItems: (filters: Filters<ActionItemQuery> = {}) => callEndpoint(api.listActionItems, none, query(filters)),
    setActionItem: (id: string, status: 'open' | 'done') =>
      callEndpoint(api.setActionItem, incident(id), body({ status })),
    kpis: (filters: Filters<KpiQuery> = {}) => callEndpoint(api.kpis, none, query(filters)),
    postmortemObligations: () => callEndpoint(api.postmortemObligations, none, inProject()),
    correlation: (correlationId: string) =>
      callEndpoint(api.correlation, { correlation_id: correlationId }, inProject()),
  };
}

export type OpsApi = ReturnType<typeof createOpsApi>;
