import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { ActionList } from '../../../contract/approvals';
import { ErrorEnvelope } from '../../../contract/common';

/** The remediation actions an operator may request (the UI's request form), from catalog/actions.catalog.json. */
export async function actionsRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/actions',
    {
      config: { auth: { capability: 'incidents:read', projectScoped: true } },
      schema: {
        tags: ['approvals'],
        summary: 'Remediation actions by risk class, with their parameter schemas, executors and verification',
        response: { 200: ActionList, 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope },
      },
    },
    async () => ({ items: [...app.catalog.current().actions.values()] })
  );
}
