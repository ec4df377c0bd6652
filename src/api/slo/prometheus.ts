/**
 * Instant queries against the Prometheus HTTP API (OPSDECK_PROMETHEUS_URL) for the SLO status: all
 * queries of one answer share one deadline, and any failure (refused, timed out, non-2xx, not a
 * Prometheus vector) fails the read so the caller falls back to in_memory and says why.
 */
export const SLO_BACKEND_TIMEOUT_MS = 2_000;

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export class SloBackendError extends Error {
  constructor(
    readonly reason: 'timeout' | 'unreachable' | 'bad_response' | 'query_error',
    message: string
  ) {
    super(message);
    this.name = 'SloBackendError';
  }
}

interface VectorAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: Array<{ metric?: Record<string, string>; value?: [number, string] }> };
}

function samplesOf(answer: VectorAnswer, query: string): Sample[] {
  if (answer.status !== 'success') {
    throw new SloBackendError('query_error', `Prometheus rejected ${query}: ${answer.error ?? 'unknown error'}`);
  }
  if (answer.data?.resultType !== 'vector' || !Array.isArray(answer.data.result)) {
    throw new SloBackendError('bad_response', `Prometheus answered ${query} with ${answer.data?.resultType ?? 'no'} result, not a vector`);
  }
  return answer.data.result.map((series) => ({ labels: series.metric ?? {}, value: Number(series.value?.[1]) }));
}

export async function instantQueries(
  baseUrl: string,
  queries: readonly string[],
  options: { timeoutMs?: number; fetchImpl?: typeof fetch } = {}
): Promise<Sample[][]> {
  const timeoutMs = options.timeoutMs ?? SLO_BACKEND_TIMEOUT_MS;
  const doFetch = options.fetchImpl ?? fetch;
  const signal = AbortSignal.timeout(timeoutMs);
  const endpoint = `${baseUrl.replace(/\/+$/, '')}/api/v1/query`;
  return Promise.all(
    queries.map(async (query) => {
      let response: Response;
      let answer: VectorAnswer;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ query }),
          signal,
        });
        answer = (await response.json()) as VectorAnswer;
      } catch (error) {
        if (signal.aborted) {
          throw new SloBackendError('timeout', `Prometheus did not answer within ${timeoutMs} ms`);
        }
        if (error instanceof SyntaxError) {
          throw new SloBackendError('bad_response', 'Prometheus answered without a JSON body');
        }
        const code = (error as { cause?: { code?: string } }).cause?.code;
        throw new SloBackendError('unreachable', `Prometheus is unreachable: ${code ?? (error as Error).message}`);
      }
      if (!response.ok && answer.status !== 'error') {
        throw new SloBackendError('bad_response', `Prometheus answered HTTP ${response.status}`);
      }
      return samplesOf(answer, query);
    })
  );
}
