/**
 * Local receivers that check each page against the published format, as the real services would:
 * - PagerDuty Events API v2 (POST /v2/enqueue): routing_key (32 chars), event_action trigger |
 *   acknowledge | resolve, dedup_key ≤ 255; a trigger needs payload.summary (≤ 1024), payload.source
 *   and payload.severity ∈ critical | error | warning | info; links are {href, text}. Answers 202.
 * - Slack incoming webhook: JSON with `text` and/or `blocks`; ≤ 50 blocks of known types; a header's
 *   text is plain_text ≤ 150 chars; section text ≤ 3000, ≤ 10 fields; button urls absolute. Answers "ok".
 * - Generic webhook: HMAC-SHA256 signature over "<timestamp>.<body>", timestamp inside the replay window.
 * Each receiver can fail the next N requests with 503, or hold a request open (a delivery "in flight").
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DELIVERY_HEADER, verifyWebhook } from '../../src/api/oncall/channels';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  problems: string[];
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const BLOCK_TYPES = ['header', 'section', 'actions', 'context', 'divider'];
const absolute = (url: unknown) => typeof url === 'string' && /^https?:\/\/[^/]+\//.test(url);

export function pagerDutyProblems(body: any): string[] {
  const problems: string[] = [];
  if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32) {
    problems.push('routing_key must be a 32-character string');
  }
  if (!ACTIONS.includes(body.event_action)) {
    problems.push(`event_action ${body.event_action} not in ${ACTIONS}`);
  }
  if (typeof body.dedup_key !== 'string' || body.dedup_key.length === 0 || body.dedup_key.length > 255) {
    problems.push('dedup_key');
  }
  if (body.event_action === 'trigger') {
    const payload = body.payload ?? {};
    if (typeof payload.summary !== 'string' || payload.summary.length === 0 || payload.summary.length > 1024) {
      problems.push('payload.summary');
    }
    if (typeof payload.source !== 'string' || payload.source.length === 0) {
      problems.push('payload.source');
    }
    if (!SEVERITIES.includes(payload.severity)) {
      problems.push(`payload.severity ${payload.severity}`);
    }
    if (payload.timestamp !== undefined && Number.isNaN(Date.parse(payload.timestamp))) {
      problems.push('payload.timestamp');
    }
    for (const link of body.links ?? []) {
      if (!absolute(link.href) || typeof link.text !== 'string') {
        problems.push(`link ${JSON.stringify(link)}`);
      }
    }
  }
  return problems;
}

export function slackProblems(body: any): string[] {
  const problems: string[] = [];
  if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) {
    problems.push('text or blocks required');
  }
  const blocks: any[] = body.blocks ?? [];
  if (blocks.length > 50) {
    problems.push('more than 50 blocks');
  }
  for (const block of blocks) {
    if (!BLOCK_TYPES.includes(block.type)) {
      problems.push(`unknown block type ${block.type}`);
    }
    if (block.type === 'header' && (block.text?.type !== 'plain_text' || block.text.text.length > 150)) {
      problems.push('header text');
    }
    if (block.type === 'section') {
      if (!block.text && !block.fields) {
        problems.push('section needs text or fields');
      }
      if (block.text && (block.text.text.length > 3000 || !['mrkdwn', 'plain_text'].includes(block.text.type))) {
        problems.push('section text');
      }
      if (block.fields && block.fields.length > 10) {
        problems.push('more than 10 fields');
      }
    }
    if (block.type === 'actions') {
      for (const element of block.elements) {
        if (element.type === 'button' && (!absolute(element.url) || element.text?.type !== 'plain_text')) {
          problems.push('button');
        }
      }
    }
  }
  return problems;
}

export class Receivers {
  readonly received: Received[] = [];
  private server!: Server;
  /** Requests of a path to answer 503 before the next success. */
  failNext: Record<string, number> = {};
  /** While set, requests of the path are held open until release() (a delivery in flight). */
  hold: Record<string, boolean> = {};
  private held: Array<() => void> = [];
  /** Every request's path as it arrives (held ones included). */
  readonly arrivals: string[] = [];
  url = '';

  constructor(private readonly hookSecret: string) {}

  async start() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const path = request.url ?? '';
        this.arrivals.push(path);
        const answer = () => {
          if ((this.failNext[path] ?? 0) > 0) {
            this.failNext[path] -= 1;
            response.writeHead(503).end('try later');
            return;
          }
          let body: unknown = null;
          const problems: string[] = [];
          try {
            body = JSON.parse(text);
          } catch {
            problems.push('body is not JSON');
          }
          if (path === '/v2/enqueue') {
            problems.push(...pagerDutyProblems(body));
          }
          if (path === '/slack') {
            problems.push(...slackProblems(body));
          }
          if (path === '/hook') {
            const check = verifyWebhook(this.hookSecret, request.headers, text, new Date());
            if (!check.ok) {
              problems.push(check.reason);
            }
          }
          this.received.push({ path, headers: request.headers, body, problems });
          if (path === '/v2/enqueue') {
            response.writeHead(202, { 'content-type': 'application/json' });
            response.end(
              JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: (body as any)?.dedup_key })
            );
          } else {
            response.writeHead(200).end('ok');
          }
        };
        if (this.hold[path]) {
          this.held.push(answer);
        } else {
          answer();
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  release() {
    const held = this.held;
    this.held = [];
    held.forEach((answer) => answer());
  }

  at(path: string) {
    return this.received.filter((entry) => entry.path === path);
  }

  /** Distinct deliveries a deduplicating receiver would act on (by delivery key). */
  distinctDeliveries(path: string) {
    return new Set(
      this.at(path).map((entry) =>
        String(
          entry.headers[DELIVERY_HEADER] ?? entry.body?.blocks?.at(-1)?.elements?.[0]?.text ?? entry.body?.dedup_key
        )
      )
    ).size;
  }

  async stop() {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
