/** The evidence bundle the Request action panel prefills, as pure functions of what the API gave. */
import type { ActionDefinition, ApprovalRequestBody } from '../../../../contract/approvals';
import type { IncidentDetail } from '../../../../contract/incidents';
import type { Recommendation } from '../../../../contract/recommendations';

export const RISK_LEVEL = { R1: 'low', R2: 'medium', R3: 'high' } as const;

export function prefilledReasoning(rec: Recommendation | undefined, action: ActionDefinition) {
  return rec
    ? `${action.title} (runbook ${action.runbook_id}), recommended #${rec.rank}: ${rec.explanation}.`
    : `${action.title} (runbook ${action.runbook_id}), chosen by hand.`;
}

export function rollbackText(action: ActionDefinition, actions: ActionDefinition[]) {
  return action.rollback_action_id
    ? `Roll back with ${action.rollback_action_id} (${actions.find((a) => a.id === action.rollback_action_id)?.title ?? 'catalog action'})`
    : `No rollback action in the catalog; follow runbook ${action.runbook_id}`;
}

export const prefilledConfidence = (rec: Recommendation | undefined) =>
  rec?.confidence === null || rec === undefined ? '' : rec.confidence.toFixed(2);

/** The request body: the edited reasoning and confidence, risk from the risk class, impact from the resource. */
export function requestBody(
  incident: IncidentDetail,
  action: ActionDefinition,
  form: { parameters: Record<string, unknown>; reasoning: string; confidence: string; rollback: string }
): ApprovalRequestBody {
  return {
    incident_id: incident.id,
    action_id: action.id,
    parameters: form.parameters,
    evidence: {
      reasoning: form.reasoning,
      ...(form.confidence.trim() === '' ? {} : { confidence: Number(form.confidence) }),
      risk_level: RISK_LEVEL[action.risk_class],
      impact_radius: {
        resources: incident.resource_name ? [incident.resource_name] : [],
        count: incident.resource_name ? 1 : 0,
      },
      rollback_strategy: form.rollback,
    },
  };
}
