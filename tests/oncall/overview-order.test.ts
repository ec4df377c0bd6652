/**
 * Action required puts breached response clocks first inside a severity (issue 11), server-side, on
 * both stores; the order follows the app clock even when no incident changes (the overview's cached
 * view expires when a clock falls due).
 */
import { OpsOverview } from '../../src/contract/overview';
import { storeKinds } from '../support/stores';
import { anAlert, anAlertmanagerPayload, everyProject, ingest, useIncidentsApp } from '../incidents/builders';
import { ONCALL_CATALOG_DIR } from './support';

describe.each(storeKinds('overview clock order'))('Action required ordered by breached clocks on %s', (kind) => {
  const { t, clock } = useIncidentsApp(kind, { catalogDir: ONCALL_CATALOG_DIR }, { start: '2026-11-23T10:00:00Z' });

  /** A sev1 incident opened now (when its alert is received), titled by its signal. */
  async function sev1(name: string, extra: Record<string, string> = {}) {
    const labels = { ...anAlert().labels, signal_key: name, ...extra };
    const result = await ingest(t, anAlertmanagerPayload([anAlert({ labels })], { groupKey: name }));
    return result.incident_ids[0];
  }
  const order = async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/ops/overview',
      headers: t.auth(everyProject),
    });
    const cards = OpsOverview.parse(response.json()).action_required.cards;
    return cards.map((card) => [card.incident_id, card.clock_breached, card.response?.ack_status]);
  };

  it('puts an unacknowledged incident past its ack clock before older ones, and moves with the clock', async () => {
    const first = await sev1('sig_first');
    clock.advance(60);
    const second = await sev1('sig_second');
    clock.advance(60);
    const third = await sev1('sig_third');
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${first}/acknowledge`,
      headers: t.auth(everyProject),
    });
    // 10:02: nothing is due yet — age order.
    expect(await order()).toEqual([
      [first, false, 'met'],
      [second, false, 'pending'],
      [third, false, 'pending'],
    ]);
    // 10:06:30: the second's 5-minute ack clock (from 10:01) is past due; the third's (10:07) not yet.
    clock.set('2026-11-23T10:06:30Z');
    expect(await order()).toEqual([
      [second, true, 'breached'],
      [first, false, 'met'],
      [third, false, 'pending'],
    ]);
    // No incident changed, only time: the third breaches too and moves up.
    clock.set('2026-11-23T10:07:30Z');
    expect(await order()).toEqual([
      [second, true, 'breached'],
      [third, true, 'breached'],
      [first, false, 'met'],
    ]);
  });

  it('never lets the limit cut a breached incident', async () => {
    const late = await sev1('sig_late');
    clock.advance(240);
    // 25 younger incidents burning their SLO: without the breach they would fill the 25 cards.
    for (let i = 0; i < 25; i += 1) {
      await sev1(`sig_${i}`, { slo_burn_rate: '14.4' });
    }
    clock.advance(90); // 10:05:30: only the first is past its ack clock
    const cards = await order();
    expect(cards).toHaveLength(25);
    expect(cards[0]).toEqual([late, true, 'breached']);
  });
});
