/**
 * Which store errors mean "the store is not there right now" (the caller should retry later: 503 with
 * Retry-After) rather than "this request is wrong" or "this is a bug" (500). Used by the error handler;
 * kept beside the stores because only they know what their drivers throw.
 */

/** Seconds a client is asked to wait before retrying while the store is unreachable or saturated. */
export const STORE_RETRY_AFTER_SECONDS = 5;

// SQLSTATE classes and codes (PostgreSQL appendix A) that say the server or the connection is gone
// or out of capacity, not that the statement was wrong.
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53', '57P'];
// 57014 (query_canceled by statement_timeout) is the one 57 code that is about our statement.
const NOT_UNAVAILABLE_SQLSTATES = new Set(['57014']);

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// What `pg`/`pg-pool` and PGlite throw without a code when the connection or the pool is gone.
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /cannot use a pool after calling end/i,
  /client was closed and is not queryable/i,
  /connection (?:ended|closed)/i,
  /PGlite is clos(?:ed|ing)/i,
  /embedded store is closed/i,
  /store is unavailable/i,
];

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `error` (or its cause) says the store is unreachable, restarting or saturated. */
export function isStoreUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) {
    return false;
  }
  const code = codeOf(error);
  if (code) {
    if (UNAVAILABLE_NODE_CODES.has(code)) {
      return true;
    }
    if (/^[0-9A-Z]{5}$/.test(code)) {
      return !NOT_UNAVAILABLE_SQLSTATES.has(code) && UNAVAILABLE_SQLSTATE_CLASSES.some((c) => code.startsWith(c));
    }
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) {
    return true;
  }
  return isStoreUnavailable((error as { cause?: unknown }).cause, depth + 1);
}
