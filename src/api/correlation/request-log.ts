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
import { insertRequestLog, pruneRequestLog, type RequestLogEntry } from './request-log-repository';

export type { RequestLogEntry };

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

/** The buffer, the write chain and the counters behind `createRequestLog`. */
class BufferedRequestLog implements RequestLog {
  readonly bound: number;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffer: number;
  private readonly pruneEvery: number;
  private readonly onError: (error: unknown) => void;
  private buffer: RequestLogEntry[] = [];
  /** Callers of recordDurably, by entry: resolved when the entry's batch is written (or given up). */
  private readonly waiters = new Map<RequestLogEntry, () => void>();
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private sincePrune = 0;
  private droppedCount = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    options: RequestLogOptions
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxBuffer = options.maxBuffer ?? 20_000;
    this.bound = options.bound ?? REQUEST_LOG_BOUND;
    this.pruneEvery = options.pruneEvery ?? Math.max(100, Math.floor(this.bound / 10));
    this.onError = options.onError ?? (() => undefined);
  }

  get dropped(): number {
    return this.droppedCount;
  }

  record(entry: RequestLogEntry): void {
    if (this.closed) {
      return;
    }
    this.buffer.push(entry);
    if (this.buffer.length > this.maxBuffer) {
      this.buffer.shift();
      this.droppedCount += 1;
    }
    if (this.buffer.length >= this.maxBatch) {
      void this.flush();
    } else {
      this.scheduleFlush();
    }
  }

  recordDurably(entry: RequestLogEntry): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    const written = new Promise<void>((resolve) => this.waiters.set(entry, resolve));
    this.buffer.push(entry);
    void this.flush();
    return written;
  }

  /** Writes what is buffered when its turn comes, so flushes queued behind a write coalesce. */
  flush = (): Promise<void> => {
    this.clearTimer();
    let batch: RequestLogEntry[] = [];
    this.chain = this.chain
      .then(() => {
        batch = this.buffer;
        this.buffer = [];
        return this.write(batch);
      })
      .then(() => this.settle(batch))
      .catch((error: unknown) => this.failed(batch, error));
    return this.chain;
  };

  prune = (): Promise<void> => {
    this.chain = this.chain.then(() => pruneRequestLog(this.store, this.bound)).catch(this.onError);
    return this.chain;
  };

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.clearTimer();
    this.settle([...this.waiters.keys()]);
  }

  private settle(batch: RequestLogEntry[]) {
    for (const entry of batch) {
      this.waiters.get(entry)?.();
      this.waiters.delete(entry);
    }
  }

  private scheduleFlush() {
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  private clearTimer() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private async write(batch: RequestLogEntry[]) {
    if (batch.length === 0) {
      return;
    }
    await insertRequestLog(this.store, batch);
    this.sincePrune += batch.length;
    if (this.sincePrune >= this.pruneEvery) {
      this.sincePrune = 0;
      await pruneRequestLog(this.store, this.bound);
    }
  }

  /**
   * Keeps the batch for the next flush (a busy or briefly lost store is no reason to lose it); the
   * buffer bound still applies, oldest first. A batch the database rejects is dropped, or it would be
   * retried forever.
   */
  private failed(batch: RequestLogEntry[], error: unknown) {
    if (isTransient(error)) {
      this.requeue(batch);
    } else {
      this.droppedCount += batch.length;
      this.settle(batch);
    }
    this.onError(error);
  }

  private requeue(batch: RequestLogEntry[]) {
    this.buffer = [...batch, ...this.buffer];
    const excess = this.buffer.length - this.maxBuffer;
    if (excess > 0) {
      this.settle(this.buffer.splice(0, excess));
      this.droppedCount += excess;
    }
    if (!this.closed && this.buffer.length > 0) {
      this.scheduleFlush();
    }
  }
}

export function createRequestLog(store: Store, options: RequestLogOptions = {}): RequestLog {
  return new BufferedRequestLog(store, options);
}
