import type { FastifyInstance } from 'fastify';

import { QUERY_VARIABLES } from '../../../contract/catalog';
import { ErrorEnvelope } from '../../../contract/common';
import { endpoints } from '../../../contract/endpoints';
import { InvalidVariableError, savedQueryExploreLink, type QueryValues } from '../../../catalog/explore';
import { listSavedQueries, savedQueryDetail } from '../../../catalog/views';
import { ApiError, badRequest, notFound } from '../../errors';
import { route } from '../register';

/** Saved Loki/Tempo/Prometheus queries and their Grafana Explore links. */
export async function queriesRoutes(app: FastifyInstance) {
  const savedQuery = (id: string) => {
    const query = app.catalog.current().queries.get(id);
    if (!query) {
      throw notFound('query_not_found', `no saved query with id ${id}`, { query_id: id });
    }
    return query;
  };

  route(
    app,
    endpoints.listQueries,
    {
      tags: ['queries'],
      summary: 'Saved queries with the variables each needs; filter by datasource, owner_service, q',
      errors: { 400: ErrorEnvelope },
    },
    async (request) => ({ items: listSavedQueries(app.catalog.current(), request.query) })
  );

  route(
    app,
    endpoints.getQuery,
    {
      tags: ['queries'],
      summary: 'One saved query',
      errors: { 404: ErrorEnvelope },
    },
    async (request) => savedQueryDetail(app.catalog.current(), savedQuery(request.params.query_id))
  );

  route(
    app,
    endpoints.exploreUrl,
    {
      tags: ['queries'],
      summary: `Grafana Explore link for a saved query; pass its variables (${QUERY_VARIABLES.join(', ')}) and optionally from/to`,
      errors: { 400: ErrorEnvelope, 404: ErrorEnvelope },
    },
    async (request) => {
      const query = savedQuery(request.params.query_id);
      const { from, to, ...variables } = request.query;
      const values: QueryValues = variables;
      let link;
      try {
        link = savedQueryExploreLink(query, values, {
          datasourceUids: app.config.exploreDatasources,
          grafanaUrl: app.config.grafanaUrl,
          from,
          to,
        });
      } catch (error) {
        if (error instanceof InvalidVariableError) {
          throw badRequest(error.message, { variable: error.variable });
        }
        throw error;
      }
      if (link.url === null) {
        const names = link.missing.join(', ');
        throw new ApiError(
          400,
          'missing_variable',
          `saved query ${query.id} needs a value for ${names} (pass ?${link.missing[0]}=…)`,
          {
            missing: link.missing,
            variable: link.missing[0],
          }
        );
      }
      return {
        query_id: query.id,
        datasource: query.datasource,
        datasource_uid: app.config.exploreDatasources[query.datasource],
        expr: link.expr,
        url: link.url,
        from: from ?? query.default_range,
        to: to ?? 'now',
      };
    }
  );
}
