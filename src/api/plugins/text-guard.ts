/**
 * Text that cannot be stored never reaches a handler (issue 17 items 2 and 3). Runs before schema
 * validation on every route, over path parameters, query and body (values and keys). Which text that
 * is — NUL, lone surrogates, a leading byte-order mark — and why: contract/text.ts.
 *
 * - On the alert webhooks the payload is kept: Alertmanager and Grafana cannot fix what they send, and
 *   a 400 makes them retry the whole group forever, so the other alerts of it are never stored. Each
 *   NUL or lone surrogate is escaped as the literal text `\uXXXX` and every alert that carried one is
 *   flagged with the annotation `opsdeck_escaped_text` naming the escaped fields.
 * - Everywhere else the request is refused: 400 invalid_request naming each field path.
 *
 * The audit chain escapes the same way (audit/chain.ts storableAuditFields) so that a row is hashed
 * exactly as it is stored, whatever reaches it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { escapeTextDeep, findTextIssues, TEXT_PROBLEM_MESSAGES, type TextIssue } from '../../contract/text';
import { ApiError } from '../errors';
import { forEachChunk } from '../store';

export const ESCAPED_TEXT_ANNOTATION = 'opsdeck_escaped_text';

const ALERT_FIELD = /^body\.alerts\.(\d+)\.(.+)$/;

/**
 * escapeTextDeep over a webhook body, its alerts 250 at a time with a turn of the event loop between
 * them: one pass over a 10,000-alert body took ~40 ms idle and over 100 ms on a busy machine
 * (issue 17 item 7).
 */
async function escapeInChunks(body: unknown): Promise<{ value: unknown; escaped: string[] }> {
  const alerts =
    body && typeof body === 'object' && !Array.isArray(body) ? (body as { alerts?: unknown }).alerts : null;
  if (!Array.isArray(alerts)) {
    return escapeTextDeep(body, 'body');
  }
  const escaped: string[] = [];
  const value = escapeTextDeep({ ...(body as object), alerts: [] }, 'body', escaped).value as { alerts: unknown[] };
  await forEachChunk(alerts, 250, (chunk, offset) => {
    chunk.forEach((alert, i) => value.alerts.push(escapeTextDeep(alert, `body.alerts.${offset + i}`, escaped).value));
  });
  return { value, escaped };
}

/** Escapes the webhook body in place of the parsed one and flags the alerts whose fields were escaped. */
async function escapeWebhookBody(request: FastifyRequest) {
  const { value, escaped } = await escapeInChunks(request.body);
  if (escaped.length === 0) {
    return;
  }
  const byAlert = new Map<number, string[]>();
  for (const path of escaped) {
    const match = ALERT_FIELD.exec(path);
    if (match) {
      const index = Number(match[1]);
      byAlert.set(index, [...(byAlert.get(index) ?? []), match[2]]);
    }
  }
  const body = value as { alerts?: unknown };
  if (Array.isArray(body.alerts)) {
    for (const [index, fields] of byAlert) {
      const alert = body.alerts[index] as { annotations?: unknown } | undefined;
      if (alert && typeof alert === 'object') {
        const annotations =
          alert.annotations && typeof alert.annotations === 'object' && !Array.isArray(alert.annotations)
            ? (alert.annotations as Record<string, unknown>)
            : {};
        alert.annotations = { ...annotations, [ESCAPED_TEXT_ANNOTATION]: fields.join(', ').slice(0, 1_000) };
      }
    }
  }
  request.body = value;
  request.log.warn(
    { escaped: escaped.slice(0, 20), count: escaped.length },
    'webhook text escaped (NUL, lone surrogate or leading byte-order mark)'
  );
}

function refuse(issues: TextIssue[]): never {
  throw new ApiError(
    400,
    'invalid_request',
    `request has text that cannot be stored: ${issues.map((i) => `${i.path} ${TEXT_PROBLEM_MESSAGES[i.problem]}`).join('; ')}`,
    {
      issues: issues.map((issue) => ({
        path: issue.path,
        code: 'invalid_text',
        message: TEXT_PROBLEM_MESSAGES[issue.problem],
      })),
    }
  );
}

export function registerTextGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const auth = request.routeOptions.config?.auth;
    const issues: TextIssue[] = [];
    findTextIssues(request.params, 'params', issues);
    findTextIssues(request.query, 'query', issues);
    if (auth && 'webhook' in auth) {
      if (issues.length > 0) {
        refuse(issues);
      }
      await escapeWebhookBody(request);
      return;
    }
    findTextIssues(request.body, 'body', issues);
    if (issues.length > 0) {
      refuse(issues);
    }
  });
}
