/**
 * Telling people what is happening (issue 12): status updates with their catalog templates and the
 * status feed; postmortems, their policy and their action items.
 */
import { z } from 'zod';

import { IsoDateTime, Severity } from './common';

// ---------- status updates ----------

export const UPDATE_STAGES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const UpdateStage = z.enum(UPDATE_STAGES);
export type UpdateStage = z.infer<typeof UpdateStage>;

export const UpdateAudience = z.enum(['internal', 'external']);
export type UpdateAudience = z.infer<typeof UpdateAudience>;

/** Placeholders a status-update template may use; each is filled from the incident. */
export const TEMPLATE_PLACEHOLDERS = [
  'title',
  'incident_id',
  'severity',
  'status',
  'signal',
  'service',
  'tenant',
  'project',
  'owner_team',
  'resource_name',
  'opened_at',
  'resolved_at',
  'duration',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** catalog/status-updates.yaml: one template per stage. */
export const StatusTemplatesFile = z.object({
  version: z.literal(1),
  templates: z.object({
    investigating: z.string().min(1).max(5_000),
    identified: z.string().min(1).max(5_000),
    monitoring: z.string().min(1).max(5_000),
    resolved: z.string().min(1).max(5_000),
  }),
});
export type StatusTemplatesFile = z.infer<typeof StatusTemplatesFile>;

export const StatusUpdateRequest = z.object({
  stage: UpdateStage,
  audience: UpdateAudience,
  /** The text to publish; omitted = the stage's template filled from the incident. */
  message: z.string().trim().min(1).max(10_000).optional(),
});
export type StatusUpdateRequest = z.infer<typeof StatusUpdateRequest>;

export const StatusUpdate = z
  .object({
    id: z.string(),
    incident_id: z.string(),
    incident_title: z.string(),
    tenant: z.string(),
    project: z.string(),
    stage: UpdateStage,
    audience: UpdateAudience,
    message: z.string(),
    posted_by: z.string(),
    posted_at: IsoDateTime,
    /** True for the incident's first update: it is the initial response the response SLA measures. */
    initial_response: z.boolean(),
  })
  .meta({ id: 'StatusUpdate' });
export type StatusUpdate = z.infer<typeof StatusUpdate>;

/** GET /incidents/{id}/updates: the history and the four templates filled for this incident. */
export const IncidentUpdates = z
  .object({
    items: z.array(StatusUpdate),
    templates: z.array(z.object({ stage: UpdateStage, message: z.string() })),
  })
  .meta({ id: 'IncidentUpdates' });
export type IncidentUpdates = z.infer<typeof IncidentUpdates>;

export const StatusFeedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** GET /status: external updates of the caller's projects, newest first. */
export const StatusFeed = z
  .object({ updated_at: IsoDateTime.nullable(), items: z.array(StatusUpdate) })
  .meta({ id: 'StatusFeed' });
export type StatusFeed = z.infer<typeof StatusFeed>;

// ---------- postmortems ----------

/** catalog/postmortem-policy.yaml: which severities need a postmortem and how soon after resolution. */
export const PostmortemPolicyFile = z.object({
  version: z.literal(1),
  required: z
    .partialRecord(
      Severity,
      z.object({
        due_hours: z
          .number()
          .int()
          .min(1)
          .max(24 * 90),
      })
    )
    .default({}),
  /** Due date given to a generated action item. */
  action_item_due_days: z.number().int().min(1).max(365).default(14),
});
export type PostmortemPolicyFile = z.infer<typeof PostmortemPolicyFile>;

export const PostmortemStatus = z.enum(['draft', 'published']);
export type PostmortemStatus = z.infer<typeof PostmortemStatus>;

export const ActionItemStatus = z.enum(['open', 'done']);
/** `overdue` is derived: open past its due date. */
export const ActionItemState = z.enum(['open', 'done', 'overdue']);
export type ActionItemState = z.infer<typeof ActionItemState>;

export const ActionItem = z
  .object({
    id: z.string(),
    postmortem_id: z.string(),
    incident_id: z.string(),
    tenant: z.string(),
    project: z.string(),
    title: z.string(),
    owner: z.string(),
    due_at: IsoDateTime,
    state: ActionItemState,
    done_at: IsoDateTime.nullable(),
  })
  .meta({ id: 'ActionItem' });
export type ActionItem = z.infer<typeof ActionItem>;

export const Postmortem = z
  .object({
    id: z.string(),
    incident_id: z.string(),
    tenant: z.string(),
    project: z.string(),
    status: PostmortemStatus,
    /** A postmortem kept elsewhere (wiki, doc): the markdown then only points there. */
    external_url: z.string().nullable(),
    markdown: z.string(),
    created_by: z.string(),
    created_at: IsoDateTime,
    updated_at: IsoDateTime,
    published_at: IsoDateTime.nullable(),
    due_at: IsoDateTime.nullable(),
    action_items: z.array(ActionItem),
    /** Runbooks flagged for review when it was published. */
    runbooks_flagged: z.array(z.string()),
  })
  .meta({ id: 'Postmortem' });
export type Postmortem = z.infer<typeof Postmortem>;

const ActionItemInput = z.object({
  title: z.string().trim().min(1).max(500),
  owner: z.string().trim().min(1).max(200),
  due_at: IsoDateTime,
});

export const PostmortemCreateRequest = z.object({
  /** Link to a postmortem kept elsewhere instead of a generated draft. */
  external_url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .optional(),
});
export type PostmortemCreateRequest = z.infer<typeof PostmortemCreateRequest>;

export const PostmortemEditRequest = z.object({
  markdown: z.string().min(1).max(200_000).optional(),
  /** Replaces the action-item list when given (items keep their id when `id` is passed). */
  action_items: z
    .array(ActionItemInput.extend({ id: z.string().optional() }))
    .max(100)
    .optional(),
  status: z.literal('published').optional(),
});
export type PostmortemEditRequest = z.infer<typeof PostmortemEditRequest>;

export const ActionItemUpdate = z.object({ status: ActionItemStatus });

export const ActionItemQuery = z.object({
  state: ActionItemState.optional(),
  owner: z.string().max(200).optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ActionItemQuery = z.infer<typeof ActionItemQuery>;

export const ActionItemPage = z
  .object({ items: z.array(ActionItem), next_cursor: z.string().nullable() })
  .meta({ id: 'ActionItemPage' });
export type ActionItemPage = z.infer<typeof ActionItemPage>;

/** GET /postmortems/obligations: what the Decision Header warns about. */
export const PostmortemObligations = z
  .object({
    postmortems_due: z.array(
      z.object({
        incident_id: z.string(),
        title: z.string(),
        severity: Severity,
        tenant: z.string(),
        project: z.string(),
        due_at: IsoDateTime,
        overdue: z.boolean(),
        postmortem_status: z.enum(['missing', 'draft']),
      })
    ),
    overdue_postmortems: z.number().int(),
    overdue_action_items: z.number().int(),
    runbooks_to_review: z.array(
      z.object({ runbook_id: z.string(), flagged_at: IsoDateTime, postmortems: z.number().int() })
    ),
  })
  .meta({ id: 'PostmortemObligations' });
export type PostmortemObligations = z.infer<typeof PostmortemObligations>;
