import SwaggerParser from '@apidevtools/swagger-parser';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

import { ErrorEnvelope } from '../../src/contract/common';
import { BODY_LIMIT_BYTES } from '../../src/api/app';
import { buildTestApp, type TestApp } from '../support/app';
import { openTestStore, type TestStore } from '../support/stores';

const SECRET_DETAIL = 'db password is hunter2 at /srv/app/db.ts:42';

function expectEnvelope(body: unknown, code: string, correlationId: string) {
  const envelope = ErrorEnvelope.parse(body);
  expect(envelope.code).toBe(code);
  expect(envelope.correlation_id).toBe(correlationId);
  expect(envelope.message.length).toBeGreaterThan(0);
  return envelope;
}

describe('API foundation', () => {
  let testStore: TestStore;
  let t: TestApp;

  beforeAll(async () => {
    testStore = await openTestStore('embedded');
    t = await buildTestApp(testStore.store, {
      beforeReady(app) {
        const typed = app.withTypeProvider<ZodTypeProvider>();
        typed.post(
          '/api/v1/_test/echo',
          { schema: { body: z.object({ name: z.string().min(3), count: z.number().int() }) } },
          async (request) => ({ echoed: request.body.name })
        );
        typed.get('/api/v1/_test/explode', async () => {
          throw new Error(SECRET_DETAIL);
        });
      },
    });
  });
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
  });

  it('answers an unknown route with a 404 envelope whose correlation ID matches the header', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/nowhere' });
    expect(response.statusCode).toBe(404);
    const correlationId = response.headers['x-correlation-id'] as string;
    expect(correlationId).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expectEnvelope(response.json(), 'not_found', correlationId);
  });

  it('keeps a well-formed caller correlation ID and replaces a malformed one', async () => {
    const kept = await t.app.inject({
      method: 'GET',
      url: '/nowhere',
      headers: { 'x-correlation-id': 'req-abc.123:XYZ' },
    });
    expect(kept.headers['x-correlation-id']).toBe('req-abc.123:XYZ');
    expectEnvelope(kept.json(), 'not_found', 'req-abc.123:XYZ');

    for (const bad of ['short', 'has spaces in it', 'x'.repeat(129), 'evil\\ninjected-line']) {
      const replaced = await t.app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-correlation-id': bad } });
      expect(replaced.headers['x-correlation-id']).not.toBe(bad);
      expectEnvelope(replaced.json(), 'not_found', replaced.headers['x-correlation-id'] as string);
    }
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/readyz' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toContain('GET');
    const envelope = expectEnvelope(
      response.json(),
      'method_not_allowed',
      response.headers['x-correlation-id'] as string
    );
    expect(envelope.details.allowed).toEqual(expect.arrayContaining(['GET']));
  });

  it('rejects an invalid body with 400 invalid_request listing every zod issue', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/_test/echo',
      headers: t.auth(),
      payload: { name: 'x', count: 'many' },
    });
    expect(response.statusCode).toBe(400);
    const envelope = expectEnvelope(response.json(), 'invalid_request', response.headers['x-correlation-id'] as string);
    const issues = envelope.details.issues as Array<{ path: string }>;
    expect(issues.map((issue) => issue.path).sort()).toEqual(['body.count', 'body.name']);
  });

  it('rejects malformed JSON with 400 invalid_request', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/_test/echo',
      headers: { ...t.auth(), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expectEnvelope(response.json(), 'invalid_request', response.headers['x-correlation-id'] as string);
  });

  it('rejects a body over 1 MiB with 413 payload_too_large', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/_test/echo',
      headers: { ...t.auth(), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES), count: 1 }),
    });
    expect(response.statusCode).toBe(413);
    expectEnvelope(response.json(), 'payload_too_large', response.headers['x-correlation-id'] as string);
  });

  it('turns an unexpected exception into a 500 that leaks nothing, and logs it with the correlation ID', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/_test/explode',
      headers: t.auth({ 'x-correlation-id': 'req-forced-500-0001' }),
    });
    expect(response.statusCode).toBe(500);
    expectEnvelope(response.json(), 'internal_error', 'req-forced-500-0001');
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toMatch(/at \/|\.ts:\d+/);
    const errorLines = t.logs.filter((line) => line.correlation_id === 'req-forced-500-0001' && line.level === 50);
    expect(errorLines).toHaveLength(1);
    expect(JSON.stringify(errorLines[0])).toContain('hunter2');
  });

  it('puts the correlation ID on every log line of a request', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-correlation-id': 'req-log-lines-0001' } });
    const lines = t.logs.filter((line) => JSON.stringify(line).includes('req-log-lines-0001'));
    expect(lines.length).toBeGreaterThanOrEqual(2); // incoming request + request completed
    expect(lines.every((line) => line.correlation_id === 'req-log-lines-0001')).toBe(true);
  });

  it('requires the service token on /api routes (401 unauthenticated)', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', 'Basic Zm9vOmJhcg==']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/_test/echo',
        headers: authorization ? { authorization } : {},
        payload: { name: 'abc', count: 1 },
      });
      expect(response.statusCode).toBe(401);
      expectEnvelope(response.json(), 'unauthenticated', response.headers['x-correlation-id'] as string);
    }
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/_test/echo',
      headers: t.auth(),
      payload: { name: 'abc', count: 1 },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ echoed: 'abc' });
  });

  it('reports ready with the store kind and schema version', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ready', store: 'embedded' });
  });

  it('exposes the request duration histogram labelled by route template, method and status', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('# TYPE opsdeck_http_request_duration_seconds histogram');
    expect(response.body).toMatch(
      /opsdeck_http_request_duration_seconds_count\{route="\/healthz",method="GET",status="200"\} \d+/
    );
    expect(response.body).toContain('process_cpu_user_seconds_total');
    // Unknown URLs never become label values.
    expect(response.body).not.toContain('route="/nowhere"');
  });

  it('serves a valid OpenAPI 3 document generated from the zod schemas', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
    expect(document.paths['/readyz'].get.responses['503']).toBeDefined();
  });
});

describe('readiness while the store is down', () => {
  it('answers /readyz with a 503 envelope', async () => {
    const testStore = await openTestStore('embedded');
    const t = await buildTestApp(testStore.store);
    await testStore.store.close();
    const response = await t.app.inject({
      method: 'GET',
      url: '/readyz',
      headers: { 'x-correlation-id': 'req-readyz-down-01' },
    });
    expect(response.statusCode).toBe(503);
    expectEnvelope(response.json(), 'not_ready', 'req-readyz-down-01');
    await t.app.close();
  });
});
