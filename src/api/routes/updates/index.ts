import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { listUpdates, postUpdate, statusAtom, statusFeed } from '../../communication/updates';
import { actorAt } from '../../plugins/auth';
import { route } from '../register';

const readErrors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope };

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
      listUpdates(app.store, actorAt(request, app.now()), app.catalog.current().statusTemplates, request.params.id)
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
        actorAt(request, app.now()),
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
    async (request) => statusFeed(app.store, request.identity.scope, request.query.limit)
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
      const xml = await statusAtom(app.store, request.identity.scope, request.query.limit, app.config.grafanaUrl);
      // A string of another content type bypasses the JSON serializer; the type provider only knows the
      // error schemas declared above (OpenAPI cannot describe the XML body with zod), hence the cast.
      return reply.type('application/atom+xml; charset=utf-8').send(xml as never);
    }
  );
}
