/**
 * Issue 17 item 8: slow bodies time out (408), and Node's own parser refusals (408, 431, 400) answer
 * with the error envelope, over a real socket (app.inject never reaches Node's HTTP parser). Not about
 * the store: runs on the embedded one.
 */
import { connect } from 'node:net';

import { ErrorEnvelope } from '../../src/contract/common';
import { buildTestApp, TEST_WEBHOOK_TOKEN, type TestApp } from '../support/app';
import { openTestStore, type TestStore } from '../support/stores';

/** Sends `chunks` with `gapMs` between them; resolves with what the server wrote before closing. */
function rawExchange(port: number, chunks: string[], gapMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (data) => {
      received += data.toString();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', reject);
    let index = 0;
    const next = () => {
      if (index < chunks.length && !socket.destroyed) {
        socket.write(chunks[index]);
        index += 1;
        timer = setTimeout(next, gapMs);
      }
    };
    socket.on('connect', next);
  });
}

function envelopeOf(raw: string, status: number) {
  const [head, body] = raw.split('\r\n\r\n');
  expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
  return ErrorEnvelope.parse(JSON.parse(body));
}

describe('slow and malformed clients', () => {
  let testStore: TestStore;
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    testStore = await openTestStore('embedded');
    t = await buildTestApp(testStore.store, { env: { OPSDECK_REQUEST_TIMEOUT_MS: '1000' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  }, 60_000);
  afterAll(async () => {
    await t.app.close();
    await testStore.dispose();
  });

  it('a body trickling in one byte at a time is cut with 408 and the envelope', async () => {
    const started = Date.now();
    const raw = await rawExchange(
      port,
      [
        `POST /api/v1/alerts/alertmanager HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_WEBHOOK_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`,
        ...Array.from({ length: 40 }, () => ' '),
      ],
      200
    );
    expect(envelopeOf(raw, 408).code).toBe('request_timeout');
    // Cut by the deadline (1 s, checked every 250 ms), long before the 40 × 200 ms the body would take.
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('headers larger than Node accepts answer 431 with the envelope', async () => {
    const raw = await rawExchange(port, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]);
    expect(envelopeOf(raw, 431).code).toBe('headers_too_large');
  });

  it('bytes that are not HTTP answer 400 with the envelope', async () => {
    const raw = await rawExchange(port, ['\u0000\u0001GARBAGE\r\n\r\n']);
    expect(envelopeOf(raw, 400).code).toBe('invalid_request');
  });
});
