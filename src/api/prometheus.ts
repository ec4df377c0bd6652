/**
 * The one Prometheus HTTP API client of the API (OPSDECK_PROMETHEUS_URL): instant PromQL queries for
 * the overview's `backend` source, the SLO status and the remediation verification checks.
 * Every query of one read shares one deadline (2 s unless the caller says otherwise); any failure —
 * refused, timed out, non-2xx, a body that is not a Prometheus answer — rejects with a BackendError
 * whose `reason` is a short label, so each caller can fall back (overview, SLO status: `in_memory`)
 * or record the failure (verification) and say why.
 */
export const BACKEND_TIMEOUT_MS = 2_000;

export class BackendError extends Error {
  constructor(
    /** Short, low-cardinality label for opsdeck_overview_backend_errors_total{reason}. */
    readonly reason: string,
    message: string
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

type PrometheusAnswer =
  | {
      status: 'success';
      data: { resultType: 'vector'; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    }
  | {
      status: 'success';
      data: {
        resultType: 'matrix';
        result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
      };
    }
  | { status: 'success'; data: { resultType: 'scalar'; result: [number, string] } }
  | { status: 'error'; errorType?: string; error?: string };

function samplesOf(answer: PrometheusAnswer): Sample[] {
  if (answer.status !== 'success') {
    throw new BackendError(
      'query_error',
      `Prometheus rejected the query: ${answer.error ?? answer.errorType ?? 'unknown error'}`
    );
  }
  if (answer.data.resultType === 'scalar') {
    return [{ labels: {}, value: Number(answer.data.result[1]) }];
  }
  if (answer.data.resultType === 'vector' && Array.isArray(answer.data.result)) {
    return answer.data.result.map((series) => ({ labels: series.metric ?? {}, value: Number(series.value?.[1]) }));
  }
  if (answer.data.resultType === 'matrix' && Array.isArray(answer.data.result)) {
    // A range selector (`up[5m]`) answers with series of samples: each series counts with its newest.
    return answer.data.result.map((series) => ({
      labels: series.metric ?? {},
      value: Number(series.values?.at(-1)?.[1]),
    }));
  }
  throw new BackendError('bad_response', 'Prometheus answered with an unexpected result type');
}

/**
 * Runs the queries in parallel under one deadline; resolves with every query's samples in order or
 * rejects with the first BackendError.
 */
export async function queryAll(
  baseUrl: string,
  queries: readonly string[],
  options: { timeoutMs?: number; at?: Date; fetchImpl?: typeof fetch } = {}
): Promise<Sample[][]> {
  const timeoutMs = options.timeoutMs ?? BACKEND_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const doFetch = options.fetchImpl ?? fetch;
  const base = baseUrl.replace(/\/+$/, '');
  try {
    return await Promise.all(
      queries.map(async (query) => {
        const body = new URLSearchParams({ query });
        if (options.at) {
          body.set('time', String(options.at.getTime() / 1000));
        }
        let response: Response;
        try {
          response = await doFetch(`${base}/api/v1/query`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
            signal: controller.signal,
          });
        } catch (error) {
          if (controller.signal.aborted) {
            throw new BackendError('timeout', `Prometheus did not answer within ${timeoutMs} ms`);
          }
          const cause = (error as { cause?: { code?: string } }).cause?.code;
          throw new BackendError('unreachable', `Prometheus is unreachable: ${cause ?? (error as Error).message}`);
        }
        let answer: PrometheusAnswer;
        try {
          answer = (await response.json()) as PrometheusAnswer;
        } catch {
          if (controller.signal.aborted) {
            throw new BackendError('timeout', `Prometheus did not answer within ${timeoutMs} ms`);
          }
          throw new BackendError(
            response.ok ? 'bad_response' : `http_${response.status}`,
            `Prometheus answered HTTP ${response.status} without a JSON body`
          );
        }
        if (!response.ok && answer?.status !== 'error') {
          throw new BackendError(`http_${response.status}`, `Prometheus answered HTTP ${response.status}`);
        }
        return samplesOf(answer);
      })
    );
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
