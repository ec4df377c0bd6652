/**
 * Every route of the companion API, once: method, path, the zod schemas of its params, query, body and
 * success answers, and what it needs (RBAC capability and whether X-Project-ID scopes it).
 *
 * The server registers each route from its entry (src/api/routes/register.ts; a test holds the set of
 * registered routes equal to this table), the app client and the datasource build their URLs with
 * {@link buildPath}, and capabilities.ts derives `capabilityForCall` from it. A path is written here and
 * nowhere else. Summaries, tags and error answers are the server's (OpenAPI) and stay in the routes.
 *
 * Paths use Fastify's `:param` style. Answers that are not JSON (Atom, Markdown, iCalendar) have no
 * `responses` schema here.
 */
import { z } from 'zod';

import { Me } from './access';
import { AlertmanagerWebhookPayload, GrafanaWebhookPayload, IntakeResult } from './alerts';
import {
  ActionList,
  Approval,
  ApprovalListQuery,
  ApprovalPage,
  ApprovalRequestBody,
  DecisionBody,
  FeedbackBody,
} from './approvals';
import { AuditPage, AuditQuery, AuditVerifyResult } from './audit';
import type { Capability } from './capability-names';
import {
  CatalogReloadResult,
  ExploreUrlQuery,
  ExploreUrlResponse,
  RunbookDetail,
  RunbookList,
  RunbookListQuery,
  SavedQueryDetail,
  SavedQueryList,
  SavedQueryListQuery,
  SignalList,
} from './catalog';
import { CorrelationId, HealthStatus, ReadyStatus } from './common';
import {
  ActionItem,
  ActionItemPage,
  ActionItemQuery,
  ActionItemUpdate,
  IncidentUpdates,
  Postmortem,
  PostmortemCreateRequest,
  PostmortemEditRequest,
  PostmortemObligations,
  StatusFeed,
  StatusFeedQuery,
  StatusUpdate,
  StatusUpdateRequest,
} from './communication';
import { CorrelationLookup } from './correlation';
import {
  IncidentDetail,
  IncidentListQuery,
  IncidentPage,
  NoteRequest,
  TimelineEntry,
  TimelineEventRequest,
  TransitionRequest,
} from './incidents';
import { KpiQuery, Kpis } from './kpis';
import {
  AssignRequest,
  HandoffPost,
  HandoffSummary,
  OnCallNow,
  PostedHandoff,
  SeverityChangeRequest,
  SignalChangeRequest,
  TeamScheduleList,
} from './oncall';
import { OpsOverview } from './overview';
import { OverrideRequest, RecommendationList, RecommendationOverride } from './recommendations';
import { SloStatusList } from './slo';

export type HttpMethod = 'GET' | 'POST' | 'PUT';

/** What a route needs; the server's auth plugin enforces it (src/api/plugins/auth.ts). */
export type EndpointAuth =
  /** Operational endpoints: /healthz, /readyz, /metrics, /openapi.json. */
  | { public: true }
  /** Alert intake: the webhook token, as Bearer or as the Basic-auth password. */
  | { webhook: true }
  /**
   * The service token plus `capability` proved by Grafana (and, in a project, an access.yaml role that
   * reaches it). `projectScoped: true` requires X-Project-ID; `'optional'` lets a caller who may see every
   * project leave it out (the scope is then `*`) and asks everyone else for it.
   */
  | { capability: Capability; projectScoped?: boolean | 'optional' };

export interface Endpoint {
  method: HttpMethod;
  /** The full path, Fastify style: `/api/v1/incidents/:id`. */
  path: string;
  auth: EndpointAuth;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success answers by status (the JSON ones). */
  responses?: Partial<Record<200 | 201, z.ZodType>>;
}

/** Keeps each entry's literal types (path, schemas) so clients infer params and answers from it. */
const endpoint = <const E extends Endpoint>(entry: E): E => entry;

const read = { capability: 'incidents:read' } as const;
const readScoped = { capability: 'incidents:read', projectScoped: true } as const;
const writeScoped = { capability: 'incidents:write', projectScoped: true } as const;
const requestScoped = { capability: 'approvals:request', projectScoped: true } as const;
const admin = { capability: 'catalog:admin' } as const;

/** `:id` of an incident, an approval or an action item. */
export const IdParams = z.object({ id: z.string().min(1).max(64) });
export const ReconcileParams = z.object({ approval_id: z.string().min(1).max(64) });
export const ReconcileBody = z.object({
  outcome: z.enum(['resend', 'succeeded', 'failed']),
  comment: z.string().trim().min(1).max(2000),
});
export type ReconcileBody = z.infer<typeof ReconcileBody>;
export const ReconcileResult = z.object({ approval_id: z.string(), outcome: ReconcileBody.shape.outcome });
export const RunbookParams = z.object({ runbook_id: z.string().min(1).max(200) });
export const SignalParams = z.object({ signal_key: z.string().min(1).max(200) });
export const QueryParams = z.object({ query_id: z.string().min(1).max(200) });
export const CorrelationParams = z.object({ correlation_id: CorrelationId });
export const OnCallNowQuery = z.object({ team: z.string().min(1).max(64).optional() });
export const OnCallSchedulesQuery = z.object({
  team: z.string().min(1).max(64).optional(),
  days: z.coerce.number().int().min(1).max(28).default(7),
});
/** `:team` of catalog/oncall.yaml. */
export const TeamParams = z.object({ team: z.string().min(1).max(64) });
export const IcsParams = z.object({ file: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}\.ics$/, '{team}.ics') });
export const SloStatusQuery = z.object({ service: z.string().min(1).max(200).optional() });

const V1 = '/api/v1';

export const endpoints = {
  // operations: public, no tenant data
  healthz: endpoint({ method: 'GET', path: '/healthz', auth: { public: true }, responses: { 200: HealthStatus } }),
  readyz: endpoint({ method: 'GET', path: '/readyz', auth: { public: true }, responses: { 200: ReadyStatus } }),
  /** Prometheus text exposition format. */
  metrics: endpoint({ method: 'GET', path: '/metrics', auth: { public: true }, responses: { 200: z.string() } }),
  openapi: endpoint({ method: 'GET', path: '/openapi.json', auth: { public: true } }),
  backup: endpoint({
    method: 'GET',
    path: `${V1}/admin/backup`,
    auth: admin,
    responses: { 200: z.any().describe('application/gzip tarball') },
  }),
  reconcileExecution: endpoint({
    method: 'POST',
    path: `${V1}/admin/executions/:approval_id/reconcile`,
    auth: admin,
    params: ReconcileParams,
    body: ReconcileBody,
    responses: { 200: ReconcileResult },
  }),

  // catalog (global content: no X-Project-ID)
  listRunbooks: endpoint({
    method: 'GET',
    path: `${V1}/admin/runbooks`,
    auth: read,
    query: RunbookListQuery,
    responses: { 200: RunbookList },
  }),
  getRunbook: endpoint({
    method: 'GET',
    path: `${V1}/admin/runbooks/:runbook_id`,
    auth: read,
    params: RunbookParams,
    responses: { 200: RunbookDetail },
  }),
  listSignals: endpoint({ method: 'GET', path: `${V1}/signals`, auth: read, responses: { 200: SignalList } }),
  signalRunbooks: endpoint({
    method: 'GET',
    path: `${V1}/signals/:signal_key/runbooks`,
    auth: read,
    params: SignalParams,
    responses: { 200: RunbookList },
  }),
  listQueries: endpoint({
    method: 'GET',
    path: `${V1}/queries`,
    auth: read,
    query: SavedQueryListQuery,
    responses: { 200: SavedQueryList },
  }),
  getQuery: endpoint({
    method: 'GET',
    path: `${V1}/queries/:query_id`,
    auth: read,
    params: QueryParams,
    responses: { 200: SavedQueryDetail },
  }),
  exploreUrl: endpoint({
    method: 'GET',
    path: `${V1}/queries/:query_id/explore-url`,
    auth: read,
    params: QueryParams,
    query: ExploreUrlQuery,
    responses: { 200: ExploreUrlResponse },
  }),
  reloadCatalog: endpoint({
    method: 'POST',
    path: `${V1}/admin/catalog/reload`,
    auth: admin,
    responses: { 200: CatalogReloadResult },
  }),
  sloStatus: endpoint({
    method: 'GET',
    path: `${V1}/slos/status`,
    auth: read,
    query: SloStatusQuery,
    responses: { 200: SloStatusList },
  }),
  me: endpoint({ method: 'GET', path: `${V1}/me`, auth: read, responses: { 200: Me } }),

  // remediation and audit
  listActions: endpoint({ method: 'GET', path: `${V1}/actions`, auth: readScoped, responses: { 200: ActionList } }),
  listApprovals: endpoint({
    method: 'GET',
    path: `${V1}/approvals`,
    auth: readScoped,
    query: ApprovalListQuery,
    responses: { 200: ApprovalPage },
  }),
  getApproval: endpoint({
    method: 'GET',
    path: `${V1}/approvals/:id`,
    auth: readScoped,
    params: IdParams,
    responses: { 200: Approval },
  }),
  requestApproval: endpoint({
    method: 'POST',
    path: `${V1}/approvals`,
    auth: requestScoped,
    body: ApprovalRequestBody,
    responses: { 201: Approval },
  }),
  decideApproval: endpoint({
    method: 'POST',
    path: `${V1}/approvals/:id/decision`,
    auth: { capability: 'approvals:decide', projectScoped: true },
    params: IdParams,
    body: DecisionBody,
    responses: { 200: Approval },
  }),
  approvalFeedback: endpoint({
    method: 'POST',
    path: `${V1}/approvals/:id/feedback`,
    auth: requestScoped,
    params: IdParams,
    body: FeedbackBody,
    responses: { 200: Approval },
  }),
  listAudit: endpoint({
    method: 'GET',
    path: `${V1}/audit`,
    auth: readScoped,
    query: AuditQuery,
    responses: { 200: AuditPage },
  }),
  verifyAudit: endpoint({
    method: 'GET',
    path: `${V1}/audit/verify`,
    auth: admin,
    responses: { 200: AuditVerifyResult },
  }),

  // alert intake
  alertmanagerWebhook: endpoint({
    method: 'POST',
    path: `${V1}/alerts/alertmanager`,
    auth: { webhook: true },
    body: AlertmanagerWebhookPayload,
    responses: { 200: IntakeResult },
  }),
  grafanaWebhook: endpoint({
    method: 'POST',
    path: `${V1}/alerts/grafana`,
    auth: { webhook: true },
    body: GrafanaWebhookPayload,
    responses: { 200: IntakeResult },
  }),

  // incidents
  listIncidents: endpoint({
    method: 'GET',
    path: `${V1}/incidents`,
    auth: readScoped,
    query: IncidentListQuery,
    responses: { 200: IncidentPage },
  }),
  getIncident: endpoint({
    method: 'GET',
    path: `${V1}/incidents/:id`,
    auth: readScoped,
    params: IdParams,
    responses: { 200: IncidentDetail },
  }),
  transitionIncident: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/transitions`,
    auth: writeScoped,
    params: IdParams,
    body: TransitionRequest,
    responses: { 200: IncidentDetail },
  }),
  addNote: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/notes`,
    auth: writeScoped,
    params: IdParams,
    body: NoteRequest,
    responses: { 201: TimelineEntry },
  }),
  recordTimeline: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/timeline`,
    auth: writeScoped,
    params: IdParams,
    body: TimelineEventRequest,
    responses: { 201: TimelineEntry },
  }),
  acknowledgeIncident: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/acknowledge`,
    auth: writeScoped,
    params: IdParams,
    responses: { 200: IncidentDetail },
  }),
  assignIncident: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/assign`,
    auth: writeScoped,
    params: IdParams,
    body: AssignRequest,
    responses: { 200: IncidentDetail },
  }),
  changeSeverity: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/severity`,
    auth: writeScoped,
    params: IdParams,
    body: SeverityChangeRequest,
    responses: { 200: IncidentDetail },
  }),
  // issue 12: a person reclassifies the incident (counts toward the false classification rate)
  changeSignal: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/signal`,
    auth: writeScoped,
    params: IdParams,
    body: SignalChangeRequest,
    responses: { 200: IncidentDetail },
  }),

  // overview and correlation: reads across projects
  opsOverview: endpoint({
    method: 'GET',
    path: `${V1}/admin/ops/overview`,
    auth: { capability: 'incidents:read', projectScoped: 'optional' },
    responses: { 200: OpsOverview },
  }),
  correlation: endpoint({
    method: 'GET',
    path: `${V1}/correlations/:correlation_id`,
    auth: readScoped,
    params: CorrelationParams,
    responses: { 200: CorrelationLookup },
  }),

  // status updates and feed
  listUpdates: endpoint({
    method: 'GET',
    path: `${V1}/incidents/:id/updates`,
    auth: readScoped,
    params: IdParams,
    responses: { 200: IncidentUpdates },
  }),
  postUpdate: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/updates`,
    auth: writeScoped,
    params: IdParams,
    body: StatusUpdateRequest,
    responses: { 201: StatusUpdate },
  }),
  statusFeed: endpoint({
    method: 'GET',
    path: `${V1}/status`,
    auth: readScoped,
    query: StatusFeedQuery,
    responses: { 200: StatusFeed },
  }),
  statusAtom: endpoint({ method: 'GET', path: `${V1}/status/feed.atom`, auth: readScoped, query: StatusFeedQuery }),

  // postmortems
  getPostmortem: endpoint({
    method: 'GET',
    path: `${V1}/incidents/:id/postmortem`,
    auth: readScoped,
    params: IdParams,
    responses: { 200: Postmortem },
  }),
  createPostmortem: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/postmortem`,
    auth: writeScoped,
    params: IdParams,
    body: PostmortemCreateRequest,
    responses: { 201: Postmortem },
  }),
  editPostmortem: endpoint({
    method: 'PUT',
    path: `${V1}/incidents/:id/postmortem`,
    auth: writeScoped,
    params: IdParams,
    body: PostmortemEditRequest,
    responses: { 200: Postmortem },
  }),
  exportPostmortem: endpoint({
    method: 'GET',
    path: `${V1}/incidents/:id/postmortem/export`,
    auth: readScoped,
    params: IdParams,
  }),
  listActionItems: endpoint({
    method: 'GET',
    path: `${V1}/postmortems/action-items`,
    auth: readScoped,
    query: ActionItemQuery,
    responses: { 200: ActionItemPage },
  }),
  setActionItem: endpoint({
    method: 'POST',
    path: `${V1}/postmortems/action-items/:id`,
    auth: writeScoped,
    params: IdParams,
    body: ActionItemUpdate,
    responses: { 200: ActionItem },
  }),
  postmortemObligations: endpoint({
    method: 'GET',
    path: `${V1}/postmortems/obligations`,
    auth: readScoped,
    responses: { 200: PostmortemObligations },
  }),

  // recommendations and KPIs
  listRecommendations: endpoint({
    method: 'GET',
    path: `${V1}/incidents/:id/recommendations`,
    auth: readScoped,
    params: IdParams,
    responses: { 200: RecommendationList },
  }),
  overrideRecommendation: endpoint({
    method: 'POST',
    path: `${V1}/incidents/:id/recommendations/overrides`,
    auth: requestScoped,
    params: IdParams,
    body: OverrideRequest,
    responses: { 201: RecommendationOverride },
  }),
  kpis: endpoint({ method: 'GET', path: `${V1}/kpis`, auth: readScoped, query: KpiQuery, responses: { 200: Kpis } }),

  // on-call (schedules are global reads)
  onCallNow: endpoint({
    method: 'GET',
    path: `${V1}/oncall/now`,
    auth: read,
    query: OnCallNowQuery,
    responses: { 200: OnCallNow },
  }),
  onCallSchedules: endpoint({
    method: 'GET',
    path: `${V1}/oncall/schedules`,
    auth: read,
    query: OnCallSchedulesQuery,
    responses: { 200: TeamScheduleList },
  }),
  onCallIcs: endpoint({ method: 'GET', path: `${V1}/oncall/schedules/:file`, auth: read, params: IcsParams }),
  // the shift handoff: it covers the caller's incidents, so it is scoped; posting writes to their timelines
  onCallHandoff: endpoint({
    method: 'GET',
    path: `${V1}/oncall/handoff/:team`,
    auth: readScoped,
    params: TeamParams,
    responses: { 200: HandoffSummary },
  }),
  postOnCallHandoff: endpoint({
    method: 'POST',
    path: `${V1}/oncall/handoff/:team`,
    auth: writeScoped,
    params: TeamParams,
    body: HandoffPost,
    responses: { 201: PostedHandoff },
  }),
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
export const ENDPOINTS: readonly Endpoint[] = Object.values(endpoints);

/** The `:param` names of a path, as a type: `'/a/:id/b/:x'` → `'id' | 'x'`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type PathParams<E extends Endpoint> = { [K in PathParamNames<E['path']>]: string };

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** A path as a pattern matching its concrete URLs (each `:param` one non-empty segment). */
export function pathPattern(path: string): RegExp {
  const escaped = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}$`);
}

/**
 * The concrete URL of a call: `:params` filled (URL-encoded), and the query string of the values that
 * are set (null, undefined and '' are left out; an array repeats the key). Throws when a param is missing,
 * since a request to `/incidents/undefined` would be a confusing 404.
 */
export function buildPath<E extends Endpoint>(
  entry: E,
  params: PathParams<E>,
  query?: Record<string, QueryValue>
): string {
  const values = params as Record<string, string | undefined>;
  const path = entry.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      throw new Error(`${entry.method} ${entry.path}: no value for :${name}`);
    }
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== '') {
        search.append(key, String(item));
      }
    }
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}
