/**
 * The on-call response of an incident (issue 11): acknowledge, assign / take it, change the severity
 * with a reason. Each writes its timeline entry and audit row in the same transaction as the change
 * (and, from the notification outbox on, the pages it causes).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope } from '../../../contract/common';
import { IncidentDetail } from '../../../contract/incidents';
import { AssignRequest, SeverityChangeRequest, SignalChangeRequest } from '../../../contract/oncall';
import { appendAudit } from '../../audit/append';
import { badRequest, conflict, notFound } from '../../errors';
import type { IncidentRecord } from '../../incidents/model';
import { findIncident, insertTimeline, newIdAt, setIncidentSignal } from '../../incidents/repository';
import { responsesOf, type ResponseRow } from '../../oncall/response';
import { refreshEscalation } from '../../oncall/escalation-store';
import { pageUpdate } from '../../oncall/hooks';
import { auditContextOf } from '../../plugins/auth';
import type { Sql } from '../../store';

const IncidentParams = z.object({ id: z.string().min(1).max(64) });
const writeErrors = {
  400: ErrorEnvelope,
  401: ErrorEnvelope,
  403: ErrorEnvelope,
  404: ErrorEnvelope,
  409: ErrorEnvelope,
};

export interface ResponseRouteOptions {
  /** The incident page after the change, read in the same transaction. */
  detailOf(sql: Sql, incident: IncidentRecord): Promise<IncidentDetail>;
}

interface Change {
  kind: 'acknowledged' | 'assigned' | 'severity_changed' | 'signal_changed';
  summary: string;
  data: Record<string, unknown>;
  audit: { action: string; before: Record<string, unknown>; after: Record<string, unknown> };
}

export async function incidentResponseRoutes(instance: FastifyInstance, options: ResponseRouteOptions) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  /** Locks the incident, applies `decide` (which may answer "nothing to do"), records it. */
  const change = (
    request: FastifyRequest,
    id: string,
    decide: (tx: Sql, incident: IncidentRecord, response: ResponseRow, now: Date) => Promise<Change | null>
  ) => {
    const now = app.now();
    return app.store.transaction(async (tx) => {
      const incident = await findIncident(tx, id, request.identity.scope, { forUpdate: true });
      if (!incident) {
        throw notFound('incident_not_found', `no incident ${id} in this project`, { incident_id: id });
      }
      const response = (await responsesOf(tx, [incident.id])).get(incident.id)!;
      const done = await decide(tx, incident, response, now);
      const current = (await findIncident(tx, incident.id, { kind: 'all' }))!; // re-read after the change (already in scope)
      if (done) {
        await insertTimeline(tx, [
          {
            id: newIdAt(now),
            incident_id: incident.id,
            at: now,
            kind: done.kind,
            actor: request.identity.user,
            summary: done.summary,
            data: done.data,
            correlation_id: request.id,
          },
        ]);
        await refreshEscalation(tx, app.catalog.current(), current, now);
        if (!incident.acknowledged_at && current.acknowledged_at) {
          await pageUpdate(tx, app.catalog.current(), current, 'acknowledged', now);
        }
        await appendAudit(
          tx,
          auditContextOf(request),
          { target_type: 'incident', target_id: incident.id, ...done.audit },
          now
        );
      }
      return options.detailOf(tx, current);
    });
  };

  const mustBeOpen = (incident: IncidentRecord) => {
    if (incident.status === 'resolved' || incident.status === 'closed') {
      throw conflict('incident_not_open', `incident ${incident.id} is ${incident.status}; reopen it first`, {
        status: incident.status,
      });
    }
  };

  /** Sets acknowledged_* when nobody has; returns whether it did. */
  const acknowledge = async (tx: Sql, incident: IncidentRecord, user: string, now: Date) => {
    if (incident.acknowledged_at) {
      return false;
    }
    await tx.query(
      `UPDATE incidents SET acknowledged_at = $2, acknowledged_by = $3, assignee = COALESCE(assignee, $3), updated_at = GREATEST(updated_at, $2)
       WHERE id = $1`,
      [incident.id, now.toISOString(), user]
    );
    return true;
  };

  app.post(
    '/incidents/:id/acknowledge',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Acknowledge: a person takes the incident (stops the escalation ladder; idempotent)',
        params: IncidentParams,
        response: { 200: IncidentDetail, ...writeErrors },
      },
    },
    async (request) =>
      change(request, request.params.id, async (tx, incident, _response, now) => {
        mustBeOpen(incident);
        const user = request.identity.user;
        if (!(await acknowledge(tx, incident, user, now))) {
          return null;
        }
        return {
          kind: 'acknowledged',
          summary: `Acknowledged by ${user}`,
          data: { user },
          audit: {
            action: 'incident.acknowledge',
            before: { acknowledged_at: null },
            after: { acknowledged_by: user },
          },
        };
      })
  );

  app.post(
    '/incidents/:id/assign',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Set the assignee and/or incident commander; `take: true` assigns (and acknowledges) to yourself',
        params: IncidentParams,
        body: AssignRequest,
        response: { 200: IncidentDetail, ...writeErrors },
      },
    },
    async (request) =>
      change(request, request.params.id, async (tx, incident, response, now) => {
        const body = request.body;
        const assignee = body.take ? request.identity.user : body.assignee;
        const next = {
          assignee: assignee === undefined ? response.assignee : assignee,
          commander: body.commander === undefined ? response.commander : body.commander,
        };
        const acknowledged = body.take
          ? (mustBeOpen(incident), await acknowledge(tx, incident, request.identity.user, now))
          : false;
        if (next.assignee === response.assignee && next.commander === response.commander && !acknowledged) {
          return null;
        }
        await tx.query(
          'UPDATE incidents SET assignee = $2, commander = $3, updated_at = GREATEST(updated_at, $4) WHERE id = $1',
          [incident.id, next.assignee, next.commander, now.toISOString()]
        );
        const parts = [
          next.assignee !== response.assignee ? `assignee ${next.assignee ?? 'cleared'}` : null,
          next.commander !== response.commander ? `commander ${next.commander ?? 'cleared'}` : null,
        ].filter(Boolean);
        return {
          kind: 'assigned',
          summary: body.take ? `${request.identity.user} took it` : `Set ${parts.join(', ')}`,
          data: { ...next, take: body.take ?? false, acknowledged },
          audit: {
            action: 'incident.assign',
            before: { assignee: response.assignee, commander: response.commander },
            after: next,
          },
        };
      })
  );

  app.post(
    '/incidents/:id/severity',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Change the severity, with a reason (audited); the response clocks follow the new severity',
        params: IncidentParams,
        body: SeverityChangeRequest,
        response: { 200: IncidentDetail, ...writeErrors },
      },
    },
    async (request) =>
      change(request, request.params.id, async (tx, incident, _response, now) => {
        const { severity, reason } = request.body;
        if (severity === incident.severity) {
          return null;
        }
        await tx.query('UPDATE incidents SET severity = $2, updated_at = GREATEST(updated_at, $3) WHERE id = $1', [
          incident.id,
          severity,
          now.toISOString(),
        ]);
        return {
          kind: 'severity_changed',
          summary: `${incident.severity} → ${severity}: ${reason}`,
          data: { from: incident.severity, to: severity, reason },
          audit: { action: 'incident.severity', before: { severity: incident.severity }, after: { severity, reason } },
        };
      })
  );

  // A person's reclassification. Recorded as a `signal_changed` timeline entry by that person (the
  // false classification KPI counts incidents with one, or with a person's `severity_changed`).
  // The runbooks the alerts declared stay; recommendations follow the new signal's runbooks.
  app.post(
    '/incidents/:id/signal',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Reclassify: set the catalog signal the incident really is (or none), with a reason (audited)',
        params: IncidentParams,
        body: SignalChangeRequest,
        response: { 200: IncidentDetail, ...writeErrors },
      },
    },
    async (request) =>
      change(request, request.params.id, async (tx, incident, _response, now) => {
        const { signal, reason } = request.body;
        const known = signal === null ? null : app.catalog.current().signals.get(signal);
        if (signal !== null && !known) {
          throw badRequest(`no signal ${signal} in the catalog`, { signal });
        }
        if (signal === incident.signal_key) {
          return null;
        }
        await setIncidentSignal(tx, incident.id, { key: signal, group: known?.group ?? null }, now);
        const from = incident.signal_key ?? 'unclassified';
        return {
          kind: 'signal_changed',
          summary: `Signal ${from} → ${signal ?? 'unclassified'}: ${reason}`,
          data: { from: incident.signal_key, to: signal, reason },
          audit: {
            action: 'incident.signal',
            before: { signal_key: incident.signal_key },
            after: { signal_key: signal, reason },
          },
        };
      })
  );
}
