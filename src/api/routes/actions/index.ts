import type { FastifyInstance } from 'fastify';

import { endpoints } from '../../../contract/endpoints';
import { LIST_ERRORS, route } from '../register';

/** The remediation actions an operator may request (the UI's request form), from catalog/actions.catalog.json. */
export async function actionsRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.listActions,
    {
      tags: ['approvals'],
      summary: 'Remediation actions by risk class, with their parameter schemas, executors and verification',
      errors: LIST_ERRORS,
    },
    async () => ({ items: [...app.catalog.current().actions.values()] })
  );
}
