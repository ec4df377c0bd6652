/**
 * On-call metrics on the app's registry: pages by channel type and outcome, due → delivered latency,
 * escalations, and a gauge of open incidents whose response clocks are breached, by severity and stage
 * (computed from the store at scrape time, so every process reports the same truth).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import type { Catalog } from '../../catalog/model';
import type { Severity } from '../../contract/common';
import type { Row, Store } from '../store';
import { clocksOf } from './clocks';

export interface OncallMetrics {
  notifications: Counter<'channel' | 'outcome'>;
  latency: Histogram<'channel'>;
  escalations: Counter<'severity' | 'level'>;
}

export function createOncallMetrics(app: {
  registry: Registry;
  store: Store;
  now(): Date;
  catalog(): Catalog;
}): OncallMetrics {
  const registers = [app.registry];
  const notifications = new Counter({
    name: 'opsdeck_notifications_total',
    help: 'Pages handled by this process, by channel type and outcome (delivered, retry, failed, skipped)',
    labelNames: ['channel', 'outcome'],
    registers,
  });
  const latency = new Histogram({
    name: 'opsdeck_notification_delivery_seconds',
    help: 'Seconds from the moment a page fell due (its cause) to its delivery',
    labelNames: ['channel'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers,
  });
  const escalations = new Counter({
    name: 'opsdeck_escalations_total',
    help: 'Escalations written by this process, by severity and level reached',
    labelNames: ['severity', 'level'],
    registers,
  });
  new Gauge({
    name: 'opsdeck_response_sla_breached_incidents',
    help: 'Open incidents whose response clock is breached now, by severity and stage (acknowledge, initial_response, escalate)',
    labelNames: ['severity', 'stage'],
    registers,
    async collect() {
      this.reset();
      const now = app.now();
      const policy = app.catalog().responsePolicy;
      let rows: Row[];
      try {
        ({ rows } = await app.store.query<Row>(
          'SELECT severity, COALESCE(occurrence_at, opened_at) AS opened_at, acknowledged_at, responded_at FROM incidents WHERE is_open'
        ));
      } catch {
        return; // a lost store must not fail the whole scrape; /readyz reports it
      }
      for (const row of rows) {
        const severity = row.severity as Severity;
        const clocks = clocksOf(policy, severity, new Date(row.opened_at as string));
        const late = (due: Date | null, done: unknown) =>
          due !== null && (done ? new Date(done as string) > due : now > due);
        if (late(clocks.ack_due_at, row.acknowledged_at)) {
          this.inc({ severity, stage: 'acknowledge' });
        }
        if (late(clocks.response_due_at, row.responded_at)) {
          this.inc({ severity, stage: 'initial_response' });
        }
        if (late(clocks.escalate_due_at, null)) {
          this.inc({ severity, stage: 'escalate' });
        }
      }
    },
  });
  return { notifications, latency, escalations };
}
