import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { RunbookList, SignalList } from '../../../contract/catalog';
import { ErrorEnvelope } from '../../../contract/common';
import { isoDateOf } from '../../../catalog/review';
import { runbooksOfSignal, signalList } from '../../../catalog/views';
import { notFound } from '../../errors';

/** Operational signals of the catalog and the runbooks that address each. */
export async function signalsRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/signals',
    {
      config: { auth: { capability: 'incidents:read' } },
      schema: {
        tags: ['signals'],
        summary: 'Every signal with its group, threshold, panel, saved query and runbook IDs',
        response: { 200: SignalList },
      },
    },
    async () => signalList(app.catalog.current())
  );

  app.get(
    '/signals/:signal_key/runbooks',
    {
      config: { auth: { capability: 'incidents:read' } },
      schema: {
        tags: ['signals'],
        summary: 'The runbooks that address one signal, with review status',
        params: z.object({ signal_key: z.string().min(1).max(200) }),
        response: { 200: RunbookList, 404: ErrorEnvelope },
      },
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
