/**
 * The bounded request log: every API request's correlation ID, route template, status and error code,
 * so that a correlation lookup works without Loki.
 *
 * API requests are recorded durably before they are answered (recordDurably, plugin.ts): concurrent
 * requests share one multi-row INSERT (group commit), so a lookup on any replica sees every request any
 * replica answered before it, and kill -9 loses no answered request (issue 13.7). `record` is the
 * buffered variant: a flush writes the buffer every `flushIntervalMs` (or as soon as `maxBatch` wait), and every
 * `pruneEvery` written rows the table is pruned to its newest `bound` rows. The buffer itself is
 * bounded too: when the store is slower than the traffic, the oldest records are dropped and counted.
 * A batch whose write fails goes back into the buffer for the next flush instead of being lost.
 * A lookup flushes first, so it sees every request answered before it.
 */
import type { Store } from '../store';

export interface RequestLogEntry {
  at: Date;
  method: string;
  route: string;
  status: number;
  error_code: string | null;
  correlation_id: string;
  duration_ms: number | null;
  /**
   * The tenant/project the request was made in (its X-Project-ID, as authorized); null for requests
   * outside any project (webhooks, refused or unauthenticated calls, `*`), which only `*` may read.
   */
  tenant: string | null;
  project: string | null;
}

export interface RequestLogOptions {
  flushIntervalMs?: number;
  maxBatch?: number;
  maxBuffer?: number;
  /** Rows kept in the table. */
  bound?: number;
  pruneEvery?: number;
  onError?: (error: unknown) => void;
}

export interface RequestLog {
  record(entry: RequestLogEntry): void;
  /**
   * Records and resolves once the entry is in the table. Entries recorded while a write is in flight
   * share the next write (group commit), so the cost is one INSERT per burst, not one per request.
   */
  recordDurably(entry: RequestLogEntry): Promise<void>;
  /** Writes everything recorded so far; resolves when it is in the table. */
  flush(): Promise<void>;
  /** Deletes all but the newest `bound` rows. */
  prune(): Promise<void>;
  readonly dropped: number;
  readonly bound: number;
  close(): Promise<void>;
}

export const REQUEST_LOG_BOUND = 100_000;

/**
 * Worth retrying: no SQLSTATE (a pool timeout, a broken connection) or a class that passes —
 * 08 connection, 40 rollback, 53 resources, 57 operator intervention (e.g. a restart).
 */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) {
    return true;
  }
  return ['08', '40', '53', '57'].includes(code.slice(0, 2));
}

export function createRequestLog(store: Store, options: RequestLogOptions = {}): RequestLog {
  const flushIntervalMs = options.flushIntervalMs ?? 250;
  const maxBatch = options.maxBatch ?? 500;
  const maxBuffer = options.maxBuffer ?? 20_000;
  const bound = options.bound ?? REQUEST_LOG_BOUND;
  const pruneEvery = options.pruneEvery ?? Math.max(100, Math.floor(bound / 10));
  const onError = options.onError ?? (() => undefined);

  let buffer: RequestLogEntry[] = [];
  /** Callers of recordDurably, by entry: resolved when the entry's batch is written (or given up). */
  const waiters = new Map<RequestLogEntry, () => void>();
  const settle = (batch: RequestLogEntry[]) => {
    for (const entry of batch) {
      waiters.get(entry)?.();
      waiters.delete(entry);
    }
  };
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  let sincePrune = 0;
  let dropped = 0;
  let closed = false;

  const prune = async () => {
    await store.query('DELETE FROM request_log WHERE id <= (SELECT max(id) FROM request_log) - $1', [bound]);
  };

  const write = async (batch: RequestLogEntry[]) => {
    if (batch.length === 0) {
      return;
    }
    await store.query(
      `INSERT INTO request_log (at, method, route, status, error_code, correlation_id, duration_ms, tenant, project)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::text[])`,
      [
        batch.map((e) => e.at.toISOString()),
        batch.map((e) => e.method),
        batch.map((e) => e.route),
        batch.map((e) => e.status),
        batch.map((e) => e.error_code),
        batch.map((e) => e.correlation_id),
        batch.map((e) => e.duration_ms),
        batch.map((e) => e.tenant),
        batch.map((e) => e.project),
      ]
    );
    sincePrune += batch.length;
    if (sincePrune >= pruneEvery) {
      sincePrune = 0;
      await prune();
    }
  };

  const requeue = (batch: RequestLogEntry[]) => {
    buffer = [...batch, ...buffer];
    const excess = buffer.length - maxBuffer;
    if (excess > 0) {
      settle(buffer.splice(0, excess));
      dropped += excess;
    }
    if (!timer && !closed && buffer.length > 0) {
      timer = setTimeout(() => void flush(), flushIntervalMs);
      timer.unref();
    }
  };

  /** Writes what is buffered when its turn comes, so flushes queued behind a write coalesce. */
  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    let batch: RequestLogEntry[] = [];
    chain = chain
      .then(() => {
        batch = buffer;
        buffer = [];
        return write(batch);
      })
      .then(() => settle(batch))
      .catch((error: unknown) => {
        // Keep the batch for the next flush (a busy or briefly lost store is no reason to lose it);
        // the buffer bound still applies, oldest first. A batch the database rejects is dropped, or it
        // would be retried forever.
        if (isTransient(error)) {
          requeue(batch);
        } else {
          dropped += batch.length;
          settle(batch);
        }
        onError(error);
      });
    return chain;
  };

  return {
    record(entry) {
      if (closed) {
        return;
      }
      buffer.push(entry);
      if (buffer.length > maxBuffer) {
        buffer.shift();
        dropped += 1;
      }
      if (buffer.length >= maxBatch) {
        void flush();
      } else if (!timer) {
        timer = setTimeout(() => void flush(), flushIntervalMs);
        timer.unref();
      }
    },
    recordDurably(entry) {
      if (closed) {
        return Promise.resolve();
      }
      const written = new Promise<void>((resolve) => waiters.set(entry, resolve));
      buffer.push(entry);
      void flush();
      return written;
    },
    flush,
    prune: () => {
      chain = chain.then(prune).catch(onError);
      return chain;
    },
    get dropped() {
      return dropped;
    },
    bound,
    async close() {
      closed = true;
      await flush();
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      settle([...waiters.keys()]);
    },
  };
}
