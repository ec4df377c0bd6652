/**
 * Big work in bounded pieces (issue 17 item 7): a 10,000-alert payload handled in one go stalled the
 * event loop for seconds (on the embedded store PGlite runs the SQL in this thread, WebAssembly and
 * synchronous). Work is cut into chunks and the loop gets a turn between them (setImmediate: after the
 * I/O callbacks that are due, so a /healthz or another request is served in between).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

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

/** Runs `work` on each chunk of `items` in order, yielding to the event loop between chunks. */
export async function forEachChunk<T>(
  items: readonly T[],
  size: number,
  work: (chunk: T[], offset: number) => void | Promise<void>
): Promise<void> {
  for (let offset = 0; offset < items.length; offset += size) {
    if (offset > 0) {
      await yieldToEventLoop();
    }
    await work(items.slice(offset, offset + size), offset);
  }
}
