import type { FastifyInstance, FastifyRequest } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { absoluteLink, appLinks } from '../../../contract/links';
import { atomFeed } from '../../communication/atom';
import type { Caller } from '../../communication/caller';
import { listUpdates, postUpdate } from '../../communication/updates';
import { externalFeed } from '../../communication/updates-repository';
import { auditContextOf } from '../../plugins/auth';
import { route } from '../register';

const readErrors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope };

export function callerOf(app: FastifyInstance, request: FastifyRequest): Caller {
  return { user: request.identity.user, scope: request.identity.scope, audit: auditContextOf(request), now: app.now() };
}

/**
 * Status updates of an incident (history, templates filled for it, post one) and the status feed of
 * external updates, as JSON and as Atom, scoped to X-Project-ID like every other read.
 */
export async function updatesRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.listUpdates,
    {
      tags: ['incidents'],
      summary: "The incident's status updates, newest first, and the four templates filled for it",
      errors: readErrors,
    },
    async (request) =>
      listUpdates(app.store, callerOf(app, request), app.catalog.current().statusTemplates, request.params.id)
  );

  route(
    app,
    endpoints.postUpdate,
    {
      tags: ['incidents'],
      summary: 'Post a status update (omit message to publish the stage template filled from the incident)',
      errors: readErrors,
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

  route(
    app,
    endpoints.statusFeed,
    {
      tags: ['incidents'],
      summary: 'Status feed: external updates of the project, newest first',
      errors: readErrors,
    },
    async (request) => {
      const items = await externalFeed(app.store, request.identity.scope, request.query.limit);
      return { updated_at: items[0]?.posted_at ?? null, items };
    }
  );

  route(
    app,
    endpoints.statusAtom,
    {
      tags: ['incidents'],
      summary: 'The status feed as Atom 1.0 (application/atom+xml)',
      errors: readErrors,
    },
    async (request, reply) => {
      const items = await externalFeed(app.store, request.identity.scope, request.query.limit);
      const base = app.config.grafanaUrl;
      const xml = atomFeed(items, {
        selfUrl: absoluteLink(base, endpoints.statusAtom.path),
        incidentUrl: (id) => absoluteLink(base, appLinks.incident(id)),
      });
      // A string of another content type bypasses the JSON serializer; the type provider only knows the
      // error schemas declared above (OpenAPI cannot describe the XML body with zod), hence the cast.
      return reply.type('application/atom+xml; charset=utf-8').send(xml as never);
    }
  );
}
