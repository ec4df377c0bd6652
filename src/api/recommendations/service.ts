/**
 * GET /incidents/{id}/recommendations and the overrides of the top recommendation. The list is
 * computed on each read from the catalog and the project's history (nothing cached that could drift);
 * an override is stored with its reason, a timeline entry and one audit row.
 */
import type { ActionDefinition } from '../../contract/approvals';
import type { Catalog } from '../../catalog/model';
import type {
  RecommendationOverride,
  OverrideRequest,
  RecommendationList,
  OutcomeCounts,
} from '../../contract/recommendations';
import { outcomesOnSimilarIncidents } from '../approvals/repository';
import { appendAudit } from '../audit/append';
import { auditContextIn, type ActorAt } from '../access/actor';
import { incidentInScope } from '../communication/updates';
import { badRequest, notFound } from '../errors';
import type { IncidentRecord } from '../incidents/model';
import { alertsOf, insertTimeline, newIdAt } from '../incidents/repository';
import type { Row, Sql, Store } from '../store';
import { candidateActions, confidenceOf, explain, prefillParameters, rank } from './rank';

export type RecommendationCatalog = Pick<Catalog, 'actions' | 'runbooksBySignal'>;

const EMPTY: OutcomeCounts = { runs: 0, succeeded: 0, failed: 0, helped: 0, did_not_help: 0, made_worse: 0 };

/** Values a parameter may be filled from: alert labels (first alert wins), then the incident's own fields. */
async function valuesOf(sql: Sql, incident: IncidentRecord): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const alert of await alertsOf(sql, incident.id)) {
    for (const [name, value] of Object.entries(alert.labels)) {
      values[name] ??= value;
    }
  }
  const fields: Record<string, string | null | undefined> = {
    resource_name: incident.resource_name,
    service: incident.service,
    host_role: incident.host_role,
    tenant: incident.tenant,
    project: incident.project,
    correlation_id: incident.correlation_ids[0],
    trace_id: incident.trace_ids[0],
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value) {
      values[name] ??= value;
    }
  }
  return values;
}

export async function recommendationsFor(sql: Sql, catalog: RecommendationCatalog, incident: IncidentRecord) {
  const candidates = candidateActions(
    catalog.actions.values(),
    incident.runbook_ids,
    incident.signal_key ? (catalog.runbooksBySignal.get(incident.signal_key) ?? []) : []
  );
  const counts = await outcomesOnSimilarIncidents(
    sql,
    {
      tenant: incident.tenant,
      project: incident.project,
      incident_id: incident.id,
      signal_key: incident.signal_key,
      runbook_ids: incident.runbook_ids,
    },
    candidates.map((c) => c.action.id)
  );
  const values = await valuesOf(sql, incident);
  const items = rank(
    candidates.map(({ action, source }) => {
      const bySignal = counts.find((c) => c.action_id === action.id && c.basis === 'same_signal');
      const byRunbook = counts.find((c) => c.action_id === action.id && c.basis === 'same_runbook');
      const found = bySignal ?? byRunbook;
      const basis = found?.basis ?? 'none';
      const history: OutcomeCounts = found
        ? {
            runs: found.runs,
            succeeded: found.succeeded,
            failed: found.failed,
            helped: found.helped,
            did_not_help: found.did_not_help,
            made_worse: found.made_worse,
          }
        : EMPTY;
      const { parameters, missing } = prefillParameters(action, values);
      return {
        action_id: action.id,
        title: action.title,
        description: action.description,
        risk_class: action.risk_class,
        runbook_id: action.runbook_id,
        source,
        parameters,
        missing_parameters: missing,
        confidence: confidenceOf(history),
        basis,
        history,
        explanation: explain(history, basis),
        rollback_action_id: action.rollback_action_id,
      };
    })
  );
  return items;
}

export async function listRecommendations(
  store: Store,
  caller: ActorAt,
  catalog: RecommendationCatalog,
  incidentId: string
): Promise<RecommendationList> {
  const incident = await incidentInScope(store, caller, incidentId);
  const items = await recommendationsFor(store, catalog, incident);
  return {
    incident_id: incident.id,
    items,
    top_action_id: items[0]?.action_id ?? null,
    no_history: items.every((item) => item.confidence === null),
  };
}

function overrideFrom(row: Row): RecommendationOverride {
  return {
    id: String(row.id),
    incident_id: String(row.incident_id),
    top_action_id: String(row.top_action_id),
    chosen_action_id: (row.chosen_action_id as string | null) ?? null,
    kind: row.kind === 'rejected' ? 'rejected' : 'chose_other',
    reason: String(row.reason),
    approval_id: (row.approval_id as string | null) ?? null,
    recorded_by: String(row.recorded_by),
    recorded_at: (row.recorded_at instanceof Date ? row.recorded_at : new Date(String(row.recorded_at))).toISOString(),
  };
}

function checkChoice(body: OverrideRequest, top: string, actions: ReadonlyMap<string, ActionDefinition>) {
  if (body.kind === 'chose_other') {
    if (!body.chosen_action_id) {
      throw badRequest('chose_other needs chosen_action_id', { field: 'chosen_action_id' });
    }
    if (!actions.has(body.chosen_action_id)) {
      throw notFound('action_not_found', `no action ${body.chosen_action_id} in the catalog`, {
        action_id: body.chosen_action_id,
      });
    }
    if (body.chosen_action_id === top) {
      throw badRequest(`${top} is the top recommendation: choosing it is not an override`, { top_action_id: top });
    }
  }
}

/** Records that a person chose another action than the top recommendation, or rejected it, and why. */
export async function recordOverride(
  store: Store,
  caller: ActorAt,
  catalog: RecommendationCatalog,
  incidentId: string,
  body: OverrideRequest
): Promise<RecommendationOverride> {
  const now = caller.now;
  return store.transaction(async (tx) => {
    const incident = await incidentInScope(tx, caller, incidentId, true);
    const [top] = await recommendationsFor(tx, catalog, incident);
    if (!top) {
      throw badRequest(`incident ${incident.id} has no recommendation to override`, { incident_id: incident.id });
    }
    checkChoice(body, top.action_id, catalog.actions);
    if (body.approval_id) {
      const { rows } = await tx.query('SELECT 1 FROM approvals WHERE id = $1 AND incident_id = $2', [
        body.approval_id,
        incident.id,
      ]);
      if (rows.length === 0) {
        throw notFound('approval_not_found', `no approval ${body.approval_id} for incident ${incident.id}`, {
          approval_id: body.approval_id,
        });
      }
    }
    const id = newIdAt(now);
    const { rows } = await tx.query<Row>(
      `INSERT INTO recommendation_overrides (id, incident_id, tenant, project, top_action_id, chosen_action_id, kind, reason,
         approval_id, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        id,
        incident.id,
        incident.tenant,
        incident.project,
        top.action_id,
        body.kind === 'chose_other' ? body.chosen_action_id : null,
        body.kind,
        body.reason,
        body.approval_id ?? null,
        caller.user,
        now.toISOString(),
      ]
    );
    const override = overrideFrom(rows[0]);
    await insertTimeline(tx, [
      {
        id: newIdAt(now),
        incident_id: incident.id,
        at: now,
        kind: 'recommendation_overridden',
        actor: caller.user,
        summary:
          body.kind === 'rejected'
            ? `Rejected the top recommendation ${top.action_id}: ${body.reason}`
            : `Chose ${body.chosen_action_id} over the top recommendation ${top.action_id}: ${body.reason}`,
        data: { override_id: id, top_action_id: top.action_id, chosen_action_id: override.chosen_action_id },
        correlation_id: caller.audit.correlation_id,
      },
    ]);
    await appendAudit(
      tx,
      auditContextIn(caller, incident),
      { action: 'recommendation.override', target_type: 'incident', target_id: incident.id, after: override },
      now
    );
    return override;
  });
}
