/**
 * One webhook payload → one transaction: normalize and check every alert (any problem: 400 listing all
 * of them, nothing written), wait for a turn at the intake gate, then under the intake lock read the state, plan, write the plan, note
 * the sender as heard from, and append the payload's audit row. The caller answers only after this
 * resolves, i.e. after COMMIT.
 */
import type { Catalog } from '../../catalog/model';
import type { AlertSource, IntakeResult } from '../../contract/alerts';
import type { AuditContext } from '../access/identity';
import { appendAudit } from '../audit/append';
import { badRequest } from '../errors';
import {
  IntakePlanner,
  latestPerFingerprint,
  type IntakeContext as PlanContext,
  type IntakeState,
} from '../incidents/intake-plan';
import { normalizeAlert, type NormalizedAlert, type NormalizeProblem, type WebhookAlert } from '../incidents/normalize';
import { splitHeartbeats } from '../incidents/heartbeat';
import { intakeLockSlots, loadIntakeState, newIdAt, noteHeartbeats, writeIntakePlan } from '../incidents/repository';
import { pageOpenedIncidents, pageReopenedIncidents, reopenedIn } from '../oncall/hooks';
import { forEachChunk, yieldingSql, yieldToEventLoop, type Store, type StoreKind } from '../store';
import type { IntakeGate } from './gate';

export interface WebhookPayload {
  receiver: string;
  status: string;
  groupKey: string;
  /** Alertmanager's own URL (its silence form is built from it). */
  externalURL?: string;
  alerts: WebhookAlert[];
}

const MAX_AUDITED_IDS = 50;

/**
 * Chunk sizes of a big payload (issue 17 item 7): the event loop gets a turn between chunks. In-process
 * work (normalising, planning) runs 250 alerts at a time; SQL statements carry at most 1,000 rows on
 * PostgreSQL (the server does the work, the process only encodes the chunk) and 50 on the embedded
 * store, whose PGlite executes every statement synchronously in this thread: a 100-row statement there
 * took 15–40 ms of CPU (an UPDATE of 100 incidents maintains every index of each row), 50 rows keep each
 * piece under ~20 ms; the transaction yields after every statement (yieldingSql). Measured with
 * `npm run bench -- intake` (bench/RESULTS.md, 2026-12-06): 50 rows held the 100 ms target in five of
 * five runs at load 5–8, 100 rows in three of five, for a payload ~1–2 s slower.
 */
const CPU_CHUNK = 250;
const SQL_CHUNK: Record<StoreKind, number> = { postgres: 1_000, embedded: 50 };

/** Plans the alerts in chunks (IntakePlanner), yielding between them. */
async function planInChunks(alerts: NormalizedAlert[], state: IntakeState, context: PlanContext) {
  const planner = new IntakePlanner(state, context);
  await forEachChunk(latestPerFingerprint(alerts), CPU_CHUNK, (chunk) => chunk.forEach((alert) => planner.add(alert)));
  const steps = planner.finishing(CPU_CHUNK);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) {
      return step.value;
    }
    await yieldToEventLoop();
  }
}

/** What the intake works with: plain values, so it runs the same from a route, a test or a tool. */
export interface IntakeContext {
  store: Store;
  /** The catalog of this payload (read once, so a reload mid-payload does not mix two). */
  catalog: Catalog;
  gate: IntakeGate;
  now: Date;
  /** The request's audit context; its correlation ID goes on every incident and alert it touches. */
  audit: AuditContext;
}

export async function ingestPayload(
  context: IntakeContext,
  source: AlertSource,
  payload: WebhookPayload
): Promise<IntakeResult> {
  const { now, catalog } = context;
  const problems: NormalizeProblem[] = [];
  const alerts: NormalizedAlert[] = [];
  // Heartbeats are counted, never turned into incidents (they carry no runbook by design).
  const split = splitHeartbeats(payload.alerts);
  await forEachChunk(split.alerts, CPU_CHUNK, (chunk) => {
    for (const { alert, index } of chunk) {
      const normalizeContext = { source, catalog, receivedAt: now, index, externalUrl: payload.externalURL };
      const normalized = normalizeAlert(alert, normalizeContext, problems);
      if (normalized) {
        alerts.push(normalized);
      }
    }
  });
  if (problems.length > 0) {
    throw badRequest(`${source} payload is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, {
      issues: problems.map((problem) => ({ ...problem, code: 'invalid_alert' })),
    });
  }

  // Wait for a turn in memory (gate.ts), not on a pool connection: 503 + Retry-After when overloaded.
  return context.gate.run(intakeLockSlots(alerts), () =>
    store(context, { source, payload, alerts, beats: split.beats, catalog }, now)
  );
}

interface IntakeInput {
  source: AlertSource;
  payload: WebhookPayload;
  alerts: NormalizedAlert[];
  /** Heartbeats of the payload (counted per sender, never incidents). */
  beats: ReturnType<typeof splitHeartbeats>['beats'];
  /** The catalog the alerts were normalised with: the pages of new incidents follow its on-call chains. */
  catalog: Catalog;
}

async function store(
  context: IntakeContext,
  { source, payload, alerts, beats, catalog }: IntakeInput,
  now: Date
): Promise<IntakeResult> {
  return context.store.transaction(async (transaction) => {
    const chunk = SQL_CHUNK[context.store.kind];
    // PGlite runs each statement synchronously in this thread: a turn of the loop after every one.
    const tx = context.store.kind === 'embedded' ? yieldingSql(transaction) : transaction;
    const state = await loadIntakeState(tx, alerts, chunk);
    const correlationId = context.audit.correlation_id;
    const plan = await planInChunks(alerts, state, { now, correlationId, newId: () => newIdAt(now) });
    await writeIntakePlan(tx, plan, { source, at: now }, chunk);
    await noteHeartbeats(tx, source, now, beats);
    // Page level 1 of each new incident's chain in this same transaction (issue 11).
    // Paging computes every incident's escalation clock in the process: chunks no bigger than CPU_CHUNK.
    const pagingChunk = Math.min(chunk, CPU_CHUNK);
    await pageOpenedIncidents(tx, catalog, plan.incidentInserts, now, pagingChunk);
    await pageReopenedIncidents(tx, catalog, reopenedIn(plan.timeline), now, pagingChunk);
    const outcome: IntakeResult = {
      received: payload.alerts.length,
      created: plan.created,
      updated: plan.updated,
      unchanged: plan.unchanged,
      incident_ids: plan.incidentIds,
      missing_runbook: plan.missingRunbook,
    };
    await appendAudit(
      tx,
      { ...context.audit, actor: `webhook:${source}` },
      {
        action: 'alerts.received',
        target_type: 'alert_payload',
        target_id: `${source}:${payload.receiver}:${payload.groupKey}`.slice(0, 512),
        after: {
          ...outcome,
          status: payload.status,
          heartbeats: beats,
          incident_ids: outcome.incident_ids.slice(0, MAX_AUDITED_IDS),
          missing_runbook: outcome.missing_runbook.slice(0, MAX_AUDITED_IDS),
          opened_incidents: plan.incidentInserts.map((incident) => incident.id).slice(0, MAX_AUDITED_IDS),
        },
      },
      now
    );
    return outcome;
  });
}
