/**
 * The delivery worker's HTTP client: a receiver that never answers fails the exchange after the
 * deadline (the page is then retried); one that stalls in the middle of its body has already given its
 * verdict (the status) and does not hold the worker; any other scheme than http(s) is refused before a
 * connection is made.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createHttpPoster, type HttpPoster } from './http-post';

describe('the delivery HTTP client', () => {
  let server: Server;
  let base: string;
  let http: HttpPoster;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url === '/ok') {
          response.writeHead(202).end('{}');
        } else if (request.url === '/stall-body') {
          response.writeHead(200, { 'content-length': '100' });
          response.write('{"partial":');
        }
        // '/stall-headers': never answers.
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    http = createHttpPoster(4, 300);
  });
  afterAll(async () => {
    http.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers the status once the body was read', async () => {
    await expect(http.post(`${base}/ok`, { 'content-type': 'application/json' }, '{"a":1}')).resolves.toBe(202);
  });

  it('fails an exchange whose answer never starts', async () => {
    await expect(http.post(`${base}/stall-headers`, {}, '{}')).rejects.toThrow(/timeout/i);
  });

  it('takes the status of an answer whose body stalls, without waiting on the body past the deadline', async () => {
    // The status line is the receiver's verdict; the body is only drained so the connection can be
    // reused, and a stalled one is cut (the socket is closed) instead of holding the worker.
    await expect(http.post(`${base}/stall-body`, {}, '{}')).resolves.toBe(200);
  });

  it('refuses a scheme other than http and https', async () => {
    await expect(http.post('file:///etc/passwd', {}, '{}')).rejects.toThrow(/unsupported URL scheme/);
  });
});
