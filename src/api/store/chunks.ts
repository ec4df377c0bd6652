/**
 * Big work in bounded pieces (issue 17 item 7): a 10,000-alert payload handled in one go stalled the
 * event loop for seconds (on the embedded store PGlite runs the SQL in this thread, WebAssembly and
 * synchronous). Work is cut into chunks and the loop gets a turn between them (setImmediate: after the
 * I/O callbacks that are due, so a /healthz or another request is served in between).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

import type { Row, Sql } from './types';

/** Lets the event loop run what is due (I/O, timers) before the next chunk. */
export function yieldToEventLoop(): Promise<void> {
  return nextTurn();
}

/** `items` cut into arrays of at most `size`. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

/**
 * Runs `work` on each chunk of `items` in order, yielding to the event loop between chunks — and before
 * the first when there is more than one, so that the first chunk does not run in the same turn as
 * whatever came before it (a 1 MiB body's JSON.parse, the previous step's last chunk).
 */
export async function forEachChunk<T>(
  items: readonly T[],
  size: number,
  work: (chunk: T[], offset: number) => void | Promise<void>
): Promise<void> {
  for (let offset = 0; offset < items.length; offset += size) {
    if (offset > 0 || items.length > size) {
      await yieldToEventLoop();
    }
    await work(items.slice(offset, offset + size), offset);
  }
}

/**
 * `sql` with a turn of the event loop after every statement. For the embedded store: PGlite executes a
 * statement synchronously in this thread, and a promise chain of statements (a big payload's
 * transaction runs hundreds) would otherwise never let an answer out between them. Only the intake's
 * transaction uses it; on PostgreSQL the loop runs while the server works, so it is not needed there.
 */
export function yieldingSql<T extends Sql>(sql: T): T {
  return {
    ...sql,
    async query<R = Row>(text: string, params?: unknown[]) {
      const result = await sql.query<R>(text, params);
      await yieldToEventLoop();
      return result;
    },
    async exec(script: string) {
      await sql.exec(script);
      await yieldToEventLoop();
    },
  };
}
