/**
 * The JSON body parser: Fastify's own (prototype-poisoning keys refused), behind a nesting limit.
 * A 1 MiB body of `[[[[…` is 500,000 levels deep; parsing and then walking it (validation, the text
 * guard, the audit's canonical JSON) would exhaust the stack and answer 500. No payload we accept
 * nests beyond a dozen levels, so anything deeper than MAX_JSON_DEPTH is refused with 400 first.
 */
import type { FastifyInstance } from 'fastify';

import { ApiError } from '../errors';

export const MAX_JSON_DEPTH = 64;

/** Nesting depth of a JSON text (brackets outside strings); stops counting once past `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > limit) {
        return true;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * Index of the quote that closes the string opened at `open` (the text's length if none does): a
 * quote preceded by an odd run of backslashes is escaped. indexOf scans natively, so a 300 KB string
 * is skipped for a fraction of what a JavaScript loop over its characters cost (every body is checked).
 */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) {
      backslashes += 1;
    }
    if (backslashes % 2 === 0) {
      return quote;
    }
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

export function registerJsonBodyParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(
        new ApiError(400, 'invalid_request', `request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
          max_depth: MAX_JSON_DEPTH,
        }),
        undefined
      );
      return;
    }
    parse(request, text, done);
  });
}
