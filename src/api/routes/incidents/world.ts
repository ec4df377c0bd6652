import type { FastifyInstance } from 'fastify';

import type { IncidentWorld } from '../../incidents/service';

/** The incident module's view of the app: store, the current catalog, the Explore target. */
export function incidentWorld(app: FastifyInstance): IncidentWorld {
  return {
    store: app.store,
    catalog: app.catalog.current(),
    explore: { datasourceUids: app.config.exploreDatasources, grafanaUrl: app.config.grafanaUrl },
  };
}
