import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { ErrorEnvelope } from '../../../contract/common';
import {
  ActionItem,
  ActionItemPage,
  ActionItemQuery,
  ActionItemUpdate,
  Postmortem,
  PostmortemCreateRequest,
  PostmortemEditRequest,
  PostmortemObligations,
} from '../../../contract/communication';
import { badRequest } from '../../errors';
import { decodeItemCursor } from '../../postmortems/repository';
import {
  createPostmortem,
  editPostmortem,
  exportPostmortem,
  getPostmortem,
  listActionItems,
  obligations,
  setItemStatus,
  type PostmortemContext,
} from '../../postmortems/service';
import { callerOf } from '../updates';

const IncidentParams = z.object({ id: z.string().min(1).max(64) });
const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope };

/** Postmortems of incidents, their markdown export, action items, and what is due or overdue. */
export async function postmortemsRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const context = (): PostmortemContext => {
    const catalog = app.catalog.current();
    return { policy: catalog.postmortemPolicy, actions: catalog.actions };
  };

  app.get(
    '/incidents/:id/postmortem',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['postmortems'],
        summary: "The incident's postmortem (markdown, action items, due date)",
        params: IncidentParams,
        response: { 200: Postmortem, ...errors },
      },
    },
    async (request) => getPostmortem(app.store, callerOf(app, request), context(), request.params.id)
  );

  app.post(
    '/incidents/:id/postmortem',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['postmortems'],
        summary: 'Create the postmortem of a resolved incident: a generated draft, or a link to one kept elsewhere',
        params: IncidentParams,
        body: PostmortemCreateRequest,
        response: { 201: Postmortem, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createPostmortem(app.store, callerOf(app, request), context(), request.params.id, request.body))
  );

  app.put(
    '/incidents/:id/postmortem',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['postmortems'],
        summary:
          'Edit the markdown and action items; `status: published` publishes (flags the runbooks used for review)',
        params: IncidentParams,
        body: PostmortemEditRequest,
        response: { 200: Postmortem, ...errors },
      },
    },
    async (request) => editPostmortem(app.store, callerOf(app, request), context(), request.params.id, request.body)
  );

  app.get(
    '/incidents/:id/postmortem/export',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['postmortems'],
        summary: 'The postmortem as one markdown document, action items included (text/markdown)',
        params: IncidentParams,
        response: errors,
      },
    },
    async (request, reply) => {
      const markdown = await exportPostmortem(app.store, callerOf(app, request), context(), request.params.id);
      // Not JSON: the serializer is bypassed for this content type (hence the cast; see routes/updates).
      return reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="postmortem-${request.params.id}.md"`)
        .send(markdown as never);
    }
  );

  app.get(
    '/postmortems/action-items',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['postmortems'],
        summary: 'Action items of every postmortem in the project, soonest due first (state: open|done|overdue)',
        querystring: ActionItemQuery,
        response: { 200: ActionItemPage, ...errors },
      },
    },
    async (request) => {
      if (request.query.cursor) {
        try {
          decodeItemCursor(request.query.cursor);
        } catch {
          throw badRequest('cursor is not one this API issued', { cursor: request.query.cursor });
        }
      }
      return listActionItems(app.store, request.identity.scope, request.query, app.now());
    }
  );

  app.post(
    '/postmortems/action-items/:id',
    {
      config: { auth: { capability: 'incidents:write', projectScoped: true } },
      schema: {
        tags: ['postmortems'],
        summary: 'Mark an action item done (or open again)',
        params: IncidentParams,
        body: ActionItemUpdate,
        response: { 200: ActionItem, ...errors },
      },
    },
    async (request) => setItemStatus(app.store, callerOf(app, request), request.params.id, request.body.status)
  );

  app.get(
    '/postmortems/obligations',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['postmortems'],
        summary: 'Postmortems due or overdue, overdue action items, runbooks flagged for review',
        response: { 200: PostmortemObligations, ...errors },
      },
    },
    async (request) => obligations(app.store, callerOf(app, request), app.catalog.current().postmortemPolicy)
  );
}
