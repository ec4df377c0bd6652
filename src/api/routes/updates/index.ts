import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope } from '../../../contract/common';
import {
  IncidentUpdates,
  StatusFeed,
  StatusFeedQuery,
  StatusUpdate,
  StatusUpdateRequest,
} from '../../../contract/communication';
import { atomFeed } from '../../communication/atom';
import type { Caller } from '../../communication/caller';
import { listUpdates, postUpdate } from '../../communication/updates';
import { externalFeed } from '../../communication/updates-repository';
import { auditContextOf } from '../../plugins/auth';

const IncidentParams = z.object({ id: z.string().min(1).max(64) });
const readErrors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope };

/** The incident page's path in the app, for feed entry links (the app's ROUTES is browser code). */
const APP_INCIDENT_PATH = '/a/opsdeck-ops-app/incidents/';

export function callerOf(app: FastifyInstance, request: FastifyRequest): Caller {
  return { user: request.identity.user, scope: request.identity.scope, audit: auditContextOf(request), now: app.now() };
}

/**
 * Status updates of an incident (history, templates filled for it, post one) and the status feed of
 * external updates, as JSON and as Atom, scoped to X-Project-ID like every other read.
 */
export async function updatesRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/incidents/:id/updates',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: "The incident's status updates, newest first, and the four templates filled for it",
        params: IncidentParams,
        response: { 200: IncidentUpdates, ...readErrors },
      },
    },
    async (request) =>
      listUpdates(app.store, callerOf(app, request), app.catalog.current().statusTemplates, request.params.id)
  );

  app.post(
    '/incidents/:id/updates',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Post a status update (omit message to publish the stage template filled from the incident)',
        params: IncidentParams,
        body: StatusUpdateRequest,
        response: { 201: StatusUpdate, ...readErrors },
      },
    },
    async (request, reply) => {
      const update = await postUpdate(
        app.store,
        callerOf(app, request),
        app.catalog.current(),
        request.params.id,
        request.body
      );
      return reply.status(201).send(update);
    }
  );

  app.get(
    '/status',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'Status feed: external updates of the project, newest first',
        querystring: StatusFeedQuery,
        response: { 200: StatusFeed, ...readErrors },
      },
    },
    async (request) => {
      const items = await externalFeed(app.store, request.identity.scope, request.query.limit);
      return { updated_at: items[0]?.posted_at ?? null, items };
    }
  );

  app.get(
    '/status/feed.atom',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['incidents'],
        summary: 'The status feed as Atom 1.0 (application/atom+xml)',
        querystring: StatusFeedQuery,
        response: readErrors,
      },
    },
    async (request, reply) => {
      const items = await externalFeed(app.store, request.identity.scope, request.query.limit);
      const base = app.config.grafanaUrl;
      const xml = atomFeed(items, {
        selfUrl: `${base}/api/v1/status/feed.atom`,
        incidentUrl: (id) => `${base}${APP_INCIDENT_PATH}${encodeURIComponent(id)}`,
      });
      // A string of another content type bypasses the JSON serializer; the type provider only knows the
      // error schemas declared above (OpenAPI cannot describe the XML body with zod), hence the cast.
      return reply.type('application/atom+xml; charset=utf-8').send(xml as never);
    }
  );
}
