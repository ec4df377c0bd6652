import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { actorAt } from '../../plugins/auth';
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
import { route } from '../register';

const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope };

/** Postmortems of incidents, their markdown export, action items, and what is due or overdue. */
export async function postmortemsRoutes(app: FastifyInstance) {
  const context = (): PostmortemContext => {
    const catalog = app.catalog.current();
    return { policy: catalog.postmortemPolicy, actions: catalog.actions };
  };

  route(
    app,
    endpoints.getPostmortem,
    {
      tags: ['postmortems'],
      summary: "The incident's postmortem (markdown, action items, due date)",
      errors,
    },
    async (request) => getPostmortem(app.store, actorAt(request, app.now()), context(), request.params.id)
  );

  route(
    app,
    endpoints.createPostmortem,
    {
      tags: ['postmortems'],
      summary: 'Create the postmortem of a resolved incident: a generated draft, or a link to one kept elsewhere',
      errors,
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createPostmortem(app.store, actorAt(request, app.now()), context(), request.params.id, request.body)
        )
  );

  route(
    app,
    endpoints.editPostmortem,
    {
      tags: ['postmortems'],
      summary: 'Edit the markdown and action items; `status: published` publishes (flags the runbooks used for review)',
      errors,
    },
    async (request) =>
      editPostmortem(app.store, actorAt(request, app.now()), context(), request.params.id, request.body)
  );

  route(
    app,
    endpoints.exportPostmortem,
    {
      tags: ['postmortems'],
      summary: 'The postmortem as one markdown document, action items included (text/markdown)',
      errors,
    },
    async (request, reply) => {
      const markdown = await exportPostmortem(app.store, actorAt(request, app.now()), context(), request.params.id);
      // Not JSON: the serializer is bypassed for this content type (hence the cast; see routes/updates).
      return reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="postmortem-${request.params.id}.md"`)
        .send(markdown as never);
    }
  );

  actionItemRoutes(app);
}

/** Action items across postmortems, and what is due or overdue. */
function actionItemRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.listActionItems,
    {
      tags: ['postmortems'],
      summary: 'Action items of every postmortem in the project, soonest due first (state: open|done|overdue)',
      errors,
    },
    async (request) => listActionItems(app.store, request.identity.scope, request.query, app.now())
  );

  route(
    app,
    endpoints.setActionItem,
    {
      tags: ['postmortems'],
      summary: 'Mark an action item done (or open again)',
      errors,
    },
    async (request) => setItemStatus(app.store, actorAt(request, app.now()), request.params.id, request.body.status)
  );

  route(
    app,
    endpoints.postmortemObligations,
    {
      tags: ['postmortems'],
      summary: 'Postmortems due or overdue, overdue action items, runbooks flagged for review',
      errors,
    },
    async (request) => obligations(app.store, actorAt(request, app.now()), app.catalog.current().postmortemPolicy)
  );
}
