/**
 * A stand-in for the Prometheus HTTP API's instant query endpoint (POST /api/v1/query), on a loopback
 * port, whose answers the test decides: per query a list of samples, an HTTP error, or silence.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAnswer =
  | { samples: Array<{ labels?: Record<string, string>; value: number }> }
  | { httpStatus: number; body?: string }
  | { hang: true };

export interface FakePrometheus {
  url: string;
  /** Every query received, in order. */
  queries: string[];
  answer(decide: (query: string) => FakeAnswer): void;
  close(): Promise<void>;
}

export async function startFakePrometheus(): Promise<FakePrometheus> {
  let decide: (query: string) => FakeAnswer = () => ({ samples: [] });
  const queries: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const query =
        new URLSearchParams(body).get('query') ??
        new URL(request.url ?? '/', 'http://x').searchParams.get('query') ??
        '';
      queries.push(query);
      const answer = decide(query);
      if ('hang' in answer) {
        hanging.add(response);
        return;
      }
      if ('httpStatus' in answer) {
        response.writeHead(answer.httpStatus, { 'content-type': 'text/plain' }).end(answer.body ?? 'error');
        return;
      }
      const result = answer.samples.map((sample) => ({
        metric: sample.labels ?? {},
        value: [Date.now() / 1000, String(sample.value)],
      }));
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    answer(next) {
      decide = next;
    },
    async close() {
      for (const response of hanging) {
        response.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
