/**
 * When the on-call worker sleeps (worker.ts untilNextDue): until the next escalation when it falls due
 * within the interval, so a burst of clocks is acted on when it falls due and not up to an interval
 * later (bench/oncall.bench.ts measures due → delivered); the interval otherwise.
 */
import { untilNextDue } from '../../src/api/oncall/worker';
import { storeKinds } from '../support/stores';
import { anAlert, anAlertmanagerPayload, ingest, useIncidentsApp } from '../incidents/builders';
import { ONCALL_CATALOG_DIR } from './support';

describe.each(storeKinds('on-call worker wake-up'))('the on-call worker wakes up on %s', (kind) => {
  const { t, clock } = useIncidentsApp(kind, { catalogDir: ONCALL_CATALOG_DIR, extra: { oncall: { paused: true } } });

  it('sleeps the interval while no clock is pending', async () => {
    expect(await untilNextDue(t.app.store, t.app.now(), 500)).toBe(500);
  });

  it('wakes up when the next escalation falls due within the interval, not an interval later', async () => {
    // A sev1 incident: its acknowledge clock (5 min in the fixture policy) escalates it to level 2.
    await ingest(t, anAlertmanagerPayload([anAlert()]));
    expect(await untilNextDue(t.app.store, t.app.now(), 500)).toBe(500);
    clock.advance(5 * 60 - 0.3);
    expect(await untilNextDue(t.app.store, t.app.now(), 500)).toBe(302);
    clock.advance(0.2);
    expect(await untilNextDue(t.app.store, t.app.now(), 500)).toBe(102);
  });

  it('does not spin on a due time already past: that batch is another worker’s or locked', async () => {
    await ingest(t, anAlertmanagerPayload([anAlert()]));
    clock.advance(6 * 60);
    expect(await untilNextDue(t.app.store, t.app.now(), 500)).toBe(500);
  });
});
