/**
 * A webhook payload's alerts validated in chunks (issue 17 item 7): zod over 10,000 alerts in one call
 * held the event loop for ~50 ms idle and several hundred on a busy machine. The route validates the
 * envelope (routes/alerts: everything but the alerts' contents); this validates the alerts 250 at a
 * time with the contract's own alert schema, yielding between chunks, and refuses the payload exactly
 * as the route's validation would have: 400 invalid_request naming every field path.
 */
import type { z } from 'zod';

import { ApiError } from '../errors';
import { forEachChunk } from '../store';

const CHUNK = 250;
const MAX_ISSUES = 100;

export async function validateAlertsInChunks<S extends z.ZodType>(
  alerts: unknown[],
  schema: S
): Promise<Array<z.output<S>>> {
  const parsed: Array<z.output<S>> = [];
  const issues: Array<{ path: string; message: string; code: string }> = [];
  await forEachChunk(alerts, CHUNK, (chunk, offset) => {
    chunk.forEach((alert, i) => {
      const result = schema.safeParse(alert);
      if (result.success) {
        parsed.push(result.data);
        return;
      }
      for (const issue of result.error.issues) {
        if (issues.length < MAX_ISSUES) {
          const path = ['body', 'alerts', offset + i, ...issue.path.map(String)].join('.');
          issues.push({ path, message: issue.message, code: issue.code });
        }
      }
    });
  });
  if (issues.length > 0) {
    throw new ApiError(
      400,
      'invalid_request',
      `request body is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      { issues }
    );
  }
  return parsed;
}
