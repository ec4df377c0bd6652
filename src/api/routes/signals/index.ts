import type { FastifyInstance } from 'fastify';

import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { isoDateOf } from '../../../catalog/review';
import { runbooksOfSignal, signalList } from '../../../catalog/views';
import { notFound } from '../../errors';
import { route } from '../register';

/** Operational signals of the catalog and the runbooks that address each. */
export async function signalsRoutes(app: FastifyInstance) {
  route(
    app,
    endpoints.listSignals,
    {
      tags: ['signals'],
      summary: 'Every signal with its group, threshold, panel, saved query and runbook IDs',
    },
    async () => signalList(app.catalog.current())
  );

  route(
    app,
    endpoints.signalRunbooks,
    {
      tags: ['signals'],
      summary: 'The runbooks that address one signal, with review status',
      errors: { 404: ErrorEnvelope },
    },
    async (request) => {
      const list = runbooksOfSignal(app.catalog.current(), request.params.signal_key, isoDateOf(app.now()));
      if (!list) {
        throw notFound('signal_not_found', `no signal with key ${request.params.signal_key}`, {
          signal_key: request.params.signal_key,
        });
      }
      return list;
    }
  );
}
