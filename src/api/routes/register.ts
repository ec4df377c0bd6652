/**
 * Registers a route from its entry in the endpoints table (src/contract/endpoints.ts): method, URL,
 * params/query/body/success schemas and `config.auth` all come from the entry, so a route file adds only
 * what is the server's own: the OpenAPI words (tags, summary), the error answers it documents, and the
 * handler. tests/api/endpoints-registered.test.ts holds the registered routes equal to the table.
 */
import type {
  ContextConfigDefault,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';

import { ErrorEnvelope } from '../../contract/common';
import type { Endpoint } from '../../contract/endpoints';

/** The server's words about a route: OpenAPI text, the error answers it documents, content types. */
export interface RouteDoc {
  tags: string[];
  summary: string;
  errors?: Record<number, z.ZodType>;
  produces?: string[];
  security?: Array<Record<string, string[]>>;
  hide?: boolean;
}

type Present<T> = T extends object ? T : unknown;

/** The Fastify schema an endpoint and its doc make; typed so handlers get typed requests and replies. */
export type SchemaOf<E extends Endpoint, D extends RouteDoc> = {
  params: E['params'];
  querystring: E['query'];
  body: E['body'];
  response: Present<E['responses']> & Present<D['errors']>;
};

export type Handler<E extends Endpoint, D extends RouteDoc> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  SchemaOf<E, D>,
  ZodTypeProvider
>;

/** The error answers most routes document (one place, instead of a copy per route file). */
export const READ_ERRORS = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope };
export const WRITE_ERRORS = { ...READ_ERRORS, 409: ErrorEnvelope };
export const LIST_ERRORS = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope };

export function route<const E extends Endpoint, const D extends RouteDoc>(
  app: FastifyInstance,
  endpoint: E,
  doc: D,
  handler: Handler<E, D>
): void {
  const { errors, ...words } = doc;
  const schema: Record<string, unknown> = { ...words };
  const response = { ...endpoint.responses, ...errors };
  if (Object.keys(response).length > 0) {
    schema.response = response;
  }
  if (endpoint.params) {
    schema.params = endpoint.params;
  }
  if (endpoint.query) {
    schema.querystring = endpoint.query;
  }
  if (endpoint.body) {
    schema.body = endpoint.body;
  }
  app.withTypeProvider<ZodTypeProvider>().route({
    method: endpoint.method,
    url: endpoint.path,
    config: { auth: endpoint.auth },
    schema,
    handler: handler as RouteHandlerMethod,
  });
}
