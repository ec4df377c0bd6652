/**
 * Recommendations (issue 12): the catalog actions that fit an incident, ranked, with parameters
 * prefilled from the incident and a confidence from past outcomes; and overrides of the top one.
 */
import { z } from 'zod';

import { RiskClass } from './approvals';
import { IsoDateTime } from './common';

export const OutcomeCounts = z.object({
  /** Finished runs (succeeded + failed) of the action on similar incidents. */
  runs: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  helped: z.number().int(),
  did_not_help: z.number().int(),
  made_worse: z.number().int(),
});
export type OutcomeCounts = z.infer<typeof OutcomeCounts>;

export const Recommendation = z.object({
  rank: z.number().int().min(1),
  action_id: z.string(),
  title: z.string(),
  description: z.string(),
  risk_class: RiskClass,
  runbook_id: z.string(),
  /** Why it is offered: an action of one of the incident's runbooks, or of a runbook of its signal. */
  source: z.enum(['runbook', 'signal']),
  /** Parameters filled from the incident's labels and fields where the action's JSON Schema accepts them. */
  parameters: z.record(z.string(), z.unknown()),
  /** Required parameters nobody could fill: the operator must. */
  missing_parameters: z.array(z.string()),
  /** 0..1, or null when the action has no history on similar incidents (no number is invented). */
  confidence: z.number().min(0).max(1).nullable(),
  /** Which incidents the history comes from: the same signal, else the same runbook, else none. */
  basis: z.enum(['same_signal', 'same_runbook', 'none']),
  history: OutcomeCounts,
  /** The sentence the UI shows, e.g. "helped 3 of 4 runs on incidents of the same signal" or "no history". */
  explanation: z.string(),
  rollback_action_id: z.string().nullable(),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const RecommendationList = z
  .object({
    incident_id: z.string(),
    items: z.array(Recommendation),
    top_action_id: z.string().nullable(),
    /** True when no recommended action has any history on similar incidents. */
    no_history: z.boolean(),
  })
  .meta({ id: 'RecommendationList' });
export type RecommendationList = z.infer<typeof RecommendationList>;

export const OverrideRequest = z.object({
  /** chose_other: another action was requested instead of the top one; rejected: the top one was refused. */
  kind: z.enum(['chose_other', 'rejected']),
  chosen_action_id: z.string().min(1).max(200).optional(),
  approval_id: z.string().min(1).max(64).optional(),
  reason: z.string().trim().min(1, 'a reason is required').max(5_000),
});
export type OverrideRequest = z.infer<typeof OverrideRequest>;

export const RecommendationOverride = z
  .object({
    id: z.string(),
    incident_id: z.string(),
    top_action_id: z.string(),
    chosen_action_id: z.string().nullable(),
    kind: z.enum(['chose_other', 'rejected']),
    reason: z.string(),
    approval_id: z.string().nullable(),
    recorded_by: z.string(),
    recorded_at: IsoDateTime,
  })
  .meta({ id: 'RecommendationOverride' });
export type RecommendationOverride = z.infer<typeof RecommendationOverride>;
