/**
 * Seeding for the e2e specs: the same data as the browser suite, posted to the companion API that the
 * Grafana under test proxies to. Needs OPSDECK_API_URL, OPSDECK_API_TOKEN and OPSDECK_WEBHOOK_TOKEN.
 */
import { seed, type Seeded } from '../browser/support/seed';

let seeded: Promise<Seeded> | null = null;

export function seedOnce(): Promise<Seeded> {
  const apiUrl = process.env.OPSDECK_API_URL ?? 'http://localhost:8787';
  const apiToken = process.env.OPSDECK_API_TOKEN;
  // The API never accepts its own token on the intake (issue 17 item 12): both are needed.
  const webhookToken = process.env.OPSDECK_WEBHOOK_TOKEN;
  if (!apiToken || !webhookToken) {
    throw new Error('e2e specs need OPSDECK_API_TOKEN and OPSDECK_WEBHOOK_TOKEN (a distinct token) to seed the API');
  }
  // Grafana's admin is the signed-in user of these specs.
  seeded ??= seed(apiUrl, { apiToken, webhookToken, signedInUser: 'admin' });
  return seeded;
}

export const skipWithoutGrafana = () => !process.env.GRAFANA_URL;
