/**
 * The HTTP client of the delivery worker: undici's `Pool` (the library Node's own fetch is built on),
 * one keep-alive pool per origin (PagerDuty's Events API, a Slack webhook host, each webhook receiver).
 *
 * Why not node:http or fetch: a page burst (issue 11's 10,000 clocks due at once) is bound by the
 * client's CPU per request. Measured on the 2-core AMD EPYC machine posting 20,000 PagerDuty-sized
 * bodies to a loopback receiver, 32 in flight: node:http with a keep-alive agent 13,200–15,500
 * requests/s (1.3–1.5 s of CPU), undici's Pool 26,500/s (0.8 s of CPU); fetch adds a WHATWG
 * Request/Response per call on top of the same pool. No HTTP pipelining: a webhook receiver is any
 * server, and a pipelined request behind a slow one would wait for it.
 *
 * Deadlines are the pool's, not a timer per request (an AbortController and a timer per page cost a
 * burst about a tenth of its CPU): the answer's status and headers within `timeoutMs` of the request,
 * or the exchange fails and the page is retried. The status is the receiver's verdict; the body is
 * only drained (at most 64 KiB, with no pause longer than `timeoutMs`, else the socket is closed) so
 * that the connection can be reused.
 */
import { Pool } from 'undici';

export interface HttpPoster {
  /** POSTs `body`; resolves with the response status once the body was read, rejects on network errors and timeouts. */
  post(url: string, headers: Record<string, string>, body: string): Promise<number>;
  close(): void;
}

export function createHttpPoster(connections: number, timeoutMs: number): HttpPoster {
  const pools = new Map<string, Pool>();
  const poolOf = (origin: string) => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections,
        pipelining: 1,
        connectTimeout: timeoutMs,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      pools.set(origin, pool);
    }
    return pool;
  };

  async function post(url: string, headers: Record<string, string>, body: string) {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new Error(`unsupported URL scheme ${target.protocol}`);
    }
    const response = await poolOf(target.origin).request({
      method: 'POST',
      path: `${target.pathname}${target.search}`,
      headers,
      body,
    });
    // The body is read (and dropped) so the connection goes back to the pool.
    await response.body.dump({ limit: 65_536 });
    return response.statusCode;
  }

  return {
    post,
    close() {
      for (const pool of pools.values()) {
        void pool.destroy();
      }
      pools.clear();
    },
  };
}
