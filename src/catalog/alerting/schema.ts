/**
 * Grafana's alerting file-provisioning format (`provisioning/alerting/*.yaml`, apiVersion 1): alert
 * rule groups, contact points, notification policies and notification templates. Strict where a typo
 * would silently change behaviour (unknown keys, state names, UIDs, durations, refIds).
 * https://grafana.com/docs/grafana/latest/alerting/set-up/provision-alerting-resources/file-provisioning/
 */
import { z } from 'zod';

/** Grafana durations: `30s`, `5m`, `1h`, `1h30m`. */
export const GrafanaDuration = z.string().regex(/^(\d+(ms|s|m|h|d|w))+$/, 'expected a duration like 30s, 5m or 1h');
/** Alert rule and receiver UIDs: at most 40 letters, digits, `-` and `_`. */
export const GrafanaUid = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'UIDs are 1-40 letters, digits, - or _');
const RefId = z.string().regex(/^[A-Z][A-Za-z0-9_]*$/);
const Labels = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string());
const OrgId = z.number().int().positive();

/** Server-side expression datasource. */
export const EXPRESSION_DATASOURCE_UID = '__expr__';

const ThresholdCondition = z.object({
  evaluator: z.object({ type: z.enum(['gt', 'lt', 'within_range', 'outside_range']), params: z.array(z.number()).min(1) }),
  operator: z.object({ type: z.enum(['and', 'or']) }).optional(),
  query: z.object({ params: z.array(z.string()) }).optional(),
  reducer: z.object({ type: z.string(), params: z.array(z.unknown()) }).optional(),
  type: z.literal('query').optional(),
});

const ExpressionModel = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('threshold'), refId: RefId, expression: RefId, conditions: z.array(ThresholdCondition).length(1) }),
  z.looseObject({ type: z.literal('math'), refId: RefId, expression: z.string().min(1) }),
  z.looseObject({ type: z.literal('reduce'), refId: RefId, expression: RefId, reducer: z.string().min(1) }),
]);

const PrometheusModel = z.looseObject({
  refId: RefId,
  expr: z.string().min(1),
  instant: z.boolean().optional(),
  range: z.boolean().optional(),
});

export const GrafanaAlertQuery = z
  .object({
    refId: RefId,
    queryType: z.string().optional(),
    relativeTimeRange: z.object({ from: z.number().int().min(0), to: z.number().int().min(0) }).optional(),
    datasourceUid: z.string().min(1),
    model: z.record(z.string(), z.unknown()),
  })
  .strict()
  .superRefine((query, ctx) => {
    const model = query.datasourceUid === EXPRESSION_DATASOURCE_UID ? ExpressionModel.safeParse(query.model) : PrometheusModel.safeParse(query.model);
    if (!model.success) {
      for (const issue of model.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['model', ...issue.path], message: issue.message });
      }
    } else if (model.data.refId !== query.refId) {
      ctx.addIssue({ code: 'custom', path: ['model', 'refId'], message: `model.refId ${model.data.refId} differs from refId ${query.refId}` });
    }
  });

export const GrafanaAlertRule = z
  .object({
    uid: GrafanaUid,
    title: z.string().min(1).max(190),
    condition: RefId,
    data: z.array(GrafanaAlertQuery).min(1),
    noDataState: z.enum(['Alerting', 'NoData', 'OK', 'KeepLast']),
    execErrState: z.enum(['Alerting', 'Error', 'OK', 'KeepLast']),
    for: GrafanaDuration,
    annotations: z.record(z.string(), z.string()).default({}),
    labels: Labels.default({}),
    isPaused: z.boolean().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const refIds = rule.data.map((query) => query.refId);
    if (new Set(refIds).size !== refIds.length) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'refIds must be unique' });
    }
    if (!refIds.includes(rule.condition)) {
      ctx.addIssue({ code: 'custom', path: ['condition'], message: `condition ${rule.condition} is not a refId of data` });
    }
  });
export type GrafanaAlertRule = z.infer<typeof GrafanaAlertRule>;

export const GrafanaRuleGroup = z
  .object({
    orgId: OrgId,
    name: z.string().min(1),
    folder: z.string().min(1),
    interval: GrafanaDuration,
    rules: z.array(GrafanaAlertRule).min(1),
  })
  .strict();
export type GrafanaRuleGroup = z.infer<typeof GrafanaRuleGroup>;

export const GrafanaReceiver = z
  .object({
    uid: GrafanaUid,
    type: z.enum(['webhook', 'email', 'slack', 'pagerduty', 'opsgenie', 'teams', 'oncall']),
    settings: z.record(z.string(), z.unknown()),
    disableResolveMessage: z.boolean().optional(),
  })
  .strict()
  .superRefine((receiver, ctx) => {
    if (receiver.type === 'webhook' && !(typeof receiver.settings.url === 'string' && /^https?:\/\//.test(receiver.settings.url))) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'url'], message: 'a webhook receiver needs an http(s) url' });
    }
  });

export const GrafanaContactPoint = z.object({ orgId: OrgId, name: z.string().min(1), receivers: z.array(GrafanaReceiver).min(1) }).strict();
export type GrafanaContactPoint = z.infer<typeof GrafanaContactPoint>;

const ObjectMatcher = z.tuple([z.string().min(1), z.enum(['=', '!=', '=~', '!~']), z.string()]);

interface RouteShape {
  receiver?: string;
  group_by?: string[];
  object_matchers?: Array<z.infer<typeof ObjectMatcher>>;
  continue?: boolean;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: RouteShape[];
}

const Route: z.ZodType<RouteShape> = z.lazy(() =>
  z
    .object({
      receiver: z.string().min(1).optional(),
      group_by: z.array(z.string().min(1)).optional(),
      object_matchers: z.array(ObjectMatcher).optional(),
      continue: z.boolean().optional(),
      group_wait: GrafanaDuration.optional(),
      group_interval: GrafanaDuration.optional(),
      repeat_interval: GrafanaDuration.optional(),
      routes: z.array(Route).optional(),
    })
    .strict()
);

export const GrafanaPolicy = z
  .object({
    orgId: OrgId,
    receiver: z.string().min(1),
    group_by: z.array(z.string().min(1)).optional(),
    group_wait: GrafanaDuration.optional(),
    group_interval: GrafanaDuration.optional(),
    repeat_interval: GrafanaDuration.optional(),
    routes: z.array(Route).optional(),
  })
  .strict();
export type GrafanaPolicy = z.infer<typeof GrafanaPolicy>;

export const GrafanaTemplate = z
  .object({ orgId: OrgId, name: z.string().min(1), template: z.string().min(1) })
  .strict()
  .refine((template) => /\{\{-?\s*define\s+"[^"]+"\s*-?\}\}/.test(template.template), {
    message: 'a notification template defines at least one named template ({{ define "name" }})',
    path: ['template'],
  });
export type GrafanaTemplate = z.infer<typeof GrafanaTemplate>;

/** One provisioning file; each section is optional, at least one must be present. */
export const GrafanaAlertingFile = z
  .object({
    apiVersion: z.literal(1),
    groups: z.array(GrafanaRuleGroup).optional(),
    contactPoints: z.array(GrafanaContactPoint).optional(),
    policies: z.array(GrafanaPolicy).optional(),
    templates: z.array(GrafanaTemplate).optional(),
  })
  .strict()
  .refine((file) => Boolean(file.groups || file.contactPoints || file.policies || file.templates), {
    message: 'the file provisions nothing',
  });
export type GrafanaAlertingFile = z.infer<typeof GrafanaAlertingFile>;
