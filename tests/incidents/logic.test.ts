/** The incident logic without a store: fingerprints, severity, grouping, lifecycle, ordering rules, planning. */
import fc from 'fast-check';
import { labelFingerprint } from '../../src/api/incidents/fingerprint';
import {
  decideAlert,
  latestPerFingerprint,
  planIntake,
  scopeKeyOf,
  type IntakeState,
} from '../../src/api/incidents/intake-plan';
import {
  allowedTransitions,
  automaticStatus,
  checkTransition,
  lifecycleTimes,
  REOPEN_CLOSED_WITHIN_MS,
  responseTimes,
  takesNewAlerts,
  TRANSITIONS,
} from '../../src/api/incidents/lifecycle';
import type { IncidentRecord } from '../../src/api/incidents/model';
import {
  groupingKeyOf,
  normalizeAlert,
  parseSenderTime,
  type IntakeCatalog,
  type NormalizedAlert,
  type NormalizeProblem,
  type WebhookAlert,
} from '../../src/api/incidents/normalize';
import { alertSeverity, severityFromLabel, worstSeverity } from '../../src/api/incidents/severity';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../src/contract/incidents';
import { loadCatalog } from '../../src/catalog/load';
import { INCIDENTS_CATALOG_DIR } from './builders';

const NOW = new Date('2026-11-23T10:00:30Z');

function webhookAlert(overrides: Partial<WebhookAlert> = {}): WebhookAlert {
  return {
    status: 'firing',
    labels: { alertname: 'OutboxRelayDegraded', signal_key: 'outbox_relay_degraded', severity: 'critical' },
    annotations: { runbook_id: 'ops.outbox.relay', summary: 'Outbox relay is not draining' },
    startsAt: '2026-11-23T10:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: '',
    ...overrides,
  };
}

let catalog: IntakeCatalog;
beforeAll(async () => {
  catalog = await loadCatalog(INCIDENTS_CATALOG_DIR);
});

function normalized(overrides: Partial<WebhookAlert> = {}): NormalizedAlert {
  const problems: NormalizeProblem[] = [];
  const alert = normalizeAlert(
    webhookAlert(overrides),
    { source: 'alertmanager', catalog, receivedAt: NOW, index: 0 },
    problems
  );
  if (!alert) {
    throw new Error(problems.map((p) => p.message).join('; '));
  }
  return alert;
}

describe('labelFingerprint', () => {
  it('matches the fingerprints Alertmanager put in the recorded payload', () => {
    expect(
      labelFingerprint({
        alertname: 'DLQBacklogPresent',
        service: 'outbox-relay',
        severity: 'warning',
        signal_key: 'dlq_backlog_present',
      })
    ).toBe('93f47bedcc97a15b');
    expect(
      labelFingerprint({
        alertname: 'OutboxRelayDegraded',
        service: 'outbox-relay',
        severity: 'critical',
        signal_key: 'outbox_relay_degraded',
      })
    ).toBe('52125532941b0280');
  });

  it('does not depend on the order labels are given in, and changes with any value', () => {
    const a = labelFingerprint({ b: '2', a: '1', c: 'x' });
    expect(labelFingerprint({ c: 'x', a: '1', b: '2' })).toBe(a);
    expect(labelFingerprint({ c: 'y', a: '1', b: '2' })).not.toBe(a);
    // The separator keeps name/value boundaries apart.
    expect(labelFingerprint({ ab: 'c' })).not.toBe(labelFingerprint({ a: 'bc' }));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the 64-bit FNV-1a of the BigInt definition, for any labels (multi-byte, long, empty)', () => {
    const prime = 0x100000001b3n;
    const reference = (labels: Record<string, string>) => {
      let h = 0xcbf29ce484222325n;
      const add = (byte: number) => (h = ((h ^ BigInt(byte)) * prime) & 0xffffffffffffffffn);
      const bytes = (text: string) => Buffer.from(text, 'utf8');
      const names = Object.keys(labels).sort((x, y) => Buffer.compare(bytes(x), bytes(y)));
      for (const name of names) {
        [...bytes(name), 0xff, ...bytes(labels[name]), 0xff].forEach(add);
      }
      return h.toString(16).padStart(16, '0');
    };
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', maxLength: 200 })),
        (labels) => expect(labelFingerprint(labels)).toBe(reference(labels))
      ),
      { numRuns: 500 }
    );
    expect(labelFingerprint({})).toBe('cbf29ce484222325');
  });
});

describe('severity', () => {
  it('maps severity labels, case-insensitively', () => {
    expect(['critical', 'ERROR', 'warning', 'info', 'none', 'sev2', 'Sev4'].map(severityFromLabel)).toEqual([
      'sev1',
      'sev2',
      'sev3',
      'sev4',
      'sev4',
      'sev2',
      'sev4',
    ]);
    expect(severityFromLabel('page')).toBeNull();
    expect(severityFromLabel(undefined)).toBeNull();
  });

  it('falls back from the label to the worst runbook hint, the signal default, then sev3', () => {
    expect(alertSeverity({ label: 'info', runbookHints: ['sev1'], signalDefault: 'sev1' })).toBe('sev4');
    expect(alertSeverity({ label: 'page', runbookHints: ['sev3', 'sev2'], signalDefault: 'sev1' })).toBe('sev2');
    expect(alertSeverity({ label: undefined, runbookHints: [], signalDefault: 'sev1' })).toBe('sev1');
    expect(alertSeverity({ label: undefined, runbookHints: [], signalDefault: null })).toBe('sev3');
    expect(worstSeverity(['sev3', null, 'sev2', 'sev4'])).toBe('sev2');
    expect(worstSeverity([])).toBeNull();
  });
});

describe('normalizeAlert', () => {
  it('reads Go zero times as unset', () => {
    expect(parseSenderTime('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseSenderTime('')).toBeNull();
    expect(parseSenderTime('2026-11-23T10:00:00.5+02:00')?.toISOString()).toBe('2026-11-23T08:00:00.500Z');
  });

  it('attaches runbook_id first, then the signal runbooks, and takes the owner from the first', () => {
    const alert = normalized({
      labels: { alertname: 'ApiErrors', signal_key: 'api_error_rate_high' },
      annotations: { runbook_id: 'ops.correlation.triage' },
    });
    expect(alert.runbookIds).toEqual(['ops.correlation.triage', 'ops.api.error_rate']);
    expect(alert).toMatchObject({
      ownerTeam: 'platform-sre',
      missingRunbook: false,
      severity: 'sev2',
      signalGroup: 'api_edge',
    });
  });

  it('reads signal_key from an annotation when no label carries it', () => {
    const alert = normalized({ labels: { alertname: 'X' }, annotations: { signal_key: 'dlq_backlog_present' } });
    expect(alert).toMatchObject({
      signalKey: 'dlq_backlog_present',
      runbookIds: ['ops.queue.backlog'],
      groupingKey: 'dlq_backlog_present',
      severity: 'sev3',
    });
  });

  it('flags an alert with neither a known runbook_id nor a mapped signal_key', () => {
    const alert = normalized({
      labels: { alertname: 'X', signal_key: 'unknown_signal' },
      annotations: { runbook_id: 'no.such.runbook' },
    });
    expect(alert).toMatchObject({
      missingRunbook: true,
      runbookIds: [],
      severity: 'sev3',
      groupingKey: 'unknown_signal',
      signalGroup: null,
    });
  });

  it('resolves an alert without endsAt at the receive time and reports impossible times', () => {
    expect(normalized({ status: 'resolved', endsAt: '0001-01-01T00:00:00Z' }).endsAt).toEqual(NOW);
    const problems: NormalizeProblem[] = [];
    const context = { source: 'grafana' as const, catalog, receivedAt: NOW, index: 4 };
    expect(normalizeAlert(webhookAlert({ startsAt: '0001-01-01T00:00:00Z' }), context, problems)).toBeNull();
    normalizeAlert(webhookAlert({ status: 'resolved', endsAt: '2026-11-23T09:00:00Z' }), context, problems);
    expect(problems.map((p) => p.path)).toEqual(['alerts.4.startsAt', 'alerts.4.endsAt']);
  });

  it('builds the grouping key from grouping.yaml: first key label present, then the scope labels present', () => {
    const grouping = {
      version: 1 as const,
      key_labels: ['signal_key', 'alertname'],
      scope_labels: ['tenant', 'project'],
    };
    expect(groupingKeyOf({ alertname: 'A', signal_key: 's', tenant: 't', project: 'p' }, {}, grouping, 'f')).toBe(
      's/t/p'
    );
    expect(groupingKeyOf({ alertname: 'A', project: 'p' }, {}, grouping, 'f')).toBe('A/p');
    expect(groupingKeyOf({}, { signal_key: 'from_annotation' }, grouping, 'f')).toBe('from_annotation');
    expect(groupingKeyOf({ x: '1' }, {}, grouping, 'fallback')).toBe('fallback');
    expect(
      groupingKeyOf({ team: 'blue', alertname: 'A' }, {}, { version: 1, key_labels: ['team'], scope_labels: [] }, 'f')
    ).toBe('blue');
  });
});

describe('lifecycle', () => {
  it('allows the documented forward path and nothing backwards except monitoring → mitigating/triaging', () => {
    const path: IncidentStatus[] = [
      'detected',
      'triaging',
      'mitigating',
      'monitoring',
      'resolved',
      'closed',
      'reopened',
      'resolved',
    ];
    for (let i = 1; i < path.length; i += 1) {
      expect(checkTransition(path[i - 1], path[i], 'postmortem: https://wiki/pm-1')).toEqual({ ok: true });
    }
    expect(checkTransition('mitigating', 'triaging', undefined).ok).toBe(false);
    expect(checkTransition('resolved', 'mitigating', undefined).ok).toBe(false);
    expect(checkTransition('detected', 'closed', 'note').ok).toBe(false);
    expect(checkTransition('closed', 'resolved', undefined).ok).toBe(false);
    expect(checkTransition('monitoring', 'mitigating', undefined).ok).toBe(true);
    for (const status of INCIDENT_STATUSES) {
      expect(checkTransition(status, status, 'x').ok).toBe(false);
      expect(allowedTransitions(status)).toEqual([...TRANSITIONS[status]]);
    }
  });

  it('requires a note to close', () => {
    expect(checkTransition('resolved', 'closed', undefined)).toEqual({
      ok: false,
      reason: expect.stringMatching(/note/),
    });
    expect(checkTransition('resolved', 'closed', '   ').ok).toBe(false);
  });

  it('moves to monitoring when every alert resolved and reopens on a new firing', () => {
    expect(automaticStatus('detected', { newFiring: false, firingCount: 0 })).toBe('monitoring');
    expect(automaticStatus('mitigating', { newFiring: false, firingCount: 0 })).toBe('monitoring');
    expect(automaticStatus('reopened', { newFiring: false, firingCount: 0 })).toBe('monitoring');
    expect(automaticStatus('triaging', { newFiring: false, firingCount: 1 })).toBe('triaging');
    expect(automaticStatus('resolved', { newFiring: false, firingCount: 0 })).toBe('resolved');
    for (const from of ['monitoring', 'resolved', 'closed'] as const) {
      expect(automaticStatus(from, { newFiring: true, firingCount: 1 })).toBe('reopened');
    }
    expect(automaticStatus('detected', { newFiring: true, firingCount: 2 })).toBe('detected');
  });

  it('stamps acknowledgement only for a person, and MTTA/MTTR from the open time', () => {
    const opened = new Date('2026-11-23T10:00:00Z');
    const none = { acknowledged_at: null, resolved_at: null, closed_at: null };
    expect(lifecycleTimes(none, 'monitoring', new Date('2026-11-23T10:01:00Z'), false).acknowledged_at).toBeNull();
    const triaged = lifecycleTimes(none, 'triaging', new Date('2026-11-23T10:02:00Z'), true);
    const resolved = lifecycleTimes(triaged, 'resolved', new Date('2026-11-23T10:30:00Z'), true);
    expect(resolved.acknowledged_at?.toISOString()).toBe('2026-11-23T10:02:00.000Z');
    expect(responseTimes({ opened_at: opened, ...resolved })).toEqual({ mtta_seconds: 120, mttr_seconds: 1800 });
    const reopened = lifecycleTimes(resolved, 'reopened', new Date('2026-11-23T11:00:00Z'), false);
    expect(reopened).toMatchObject({ resolved_at: null, closed_at: null });
    expect(responseTimes({ opened_at: opened, ...reopened })).toEqual({ mtta_seconds: 120, mttr_seconds: null });
  });

  it('lets a closed incident take alerts again only within the reopen window', () => {
    const closedAt = new Date(NOW.getTime() - REOPEN_CLOSED_WITHIN_MS);
    expect(takesNewAlerts({ status: 'closed', closed_at: closedAt }, NOW)).toBe(true);
    expect(takesNewAlerts({ status: 'closed', closed_at: new Date(closedAt.getTime() - 1) }, NOW)).toBe(false);
    expect(takesNewAlerts({ status: 'resolved', closed_at: null }, NOW)).toBe(true);
  });
});

describe('decideAlert: ordering rules', () => {
  const at = (iso: string) => new Date(iso);
  const T = '2026-11-23T10:00:00Z';
  const LATER = '2026-11-23T11:00:00Z';
  const EARLIER = '2026-11-23T09:00:00Z';

  it.each([
    // stored, incoming status, incoming startsAt, expected
    [null, 'firing', T, { kind: 'write', event: 'alert_fired', firingDelta: 1, resolvedDelta: 0, newFiring: true }],
    [
      null,
      'resolved',
      T,
      { kind: 'write', event: 'alert_resolved', firingDelta: 0, resolvedDelta: 1, newFiring: false },
    ],
    ['firing', 'firing', T, { kind: 'unchanged', reason: 'redelivery' }],
    ['firing', 'resolved', T, { kind: 'write', event: 'alert_resolved', firingDelta: -1, resolvedDelta: 1 }],
    ['resolved', 'firing', T, { kind: 'unchanged', reason: 'resolved_before_firing' }],
    ['resolved', 'resolved', T, { kind: 'unchanged', reason: 'redelivery' }],
    ['firing', 'resolved', EARLIER, { kind: 'unchanged', reason: 'older_occurrence' }],
    ['resolved', 'firing', EARLIER, { kind: 'unchanged', reason: 'older_occurrence' }],
    [
      'resolved',
      'firing',
      LATER,
      { kind: 'write', event: 'alert_fired', firingDelta: 1, resolvedDelta: -1, newFiring: true },
    ],
    [
      'firing',
      'firing',
      LATER,
      { kind: 'write', event: 'alert_fired', firingDelta: 0, resolvedDelta: 0, newFiring: true },
    ],
    ['firing', 'resolved', LATER, { kind: 'write', event: 'alert_resolved', firingDelta: -1, resolvedDelta: 1 }],
    ['resolved', 'resolved', LATER, { kind: 'write', event: 'alert_resolved', firingDelta: 0, resolvedDelta: 0 }],
  ] as const)('stored %s, incoming %s starting %s', (stored, status, startsAt, expected) => {
    const decision = decideAlert(stored ? { status: stored, starts_at: at(T) } : undefined, {
      status,
      startsAt: at(startsAt),
    });
    expect(decision).toMatchObject(expected);
  });

  it('keeps, per fingerprint, the latest occurrence and for the same one the resolved', () => {
    const firing = normalized();
    const resolved = normalized({ status: 'resolved', endsAt: '2026-11-23T10:05:00Z' });
    const older = normalized({ startsAt: '2026-11-23T09:00:00Z' });
    expect(latestPerFingerprint([firing, resolved, older, firing])).toEqual([resolved]);
  });
});

describe('planIntake', () => {
  let sequence = 0;
  const context = () => ({
    now: NOW,
    correlationId: 'req-plan-test',
    newId: () => `ID${String((sequence += 1)).padStart(4, '0')}`,
  });
  const empty: IntakeState = { occurrences: new Map(), incidents: new Map(), latestByKey: new Map() };

  function storedIncident(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
    return {
      id: 'INC1',
      grouping_key: 'outbox_relay_degraded',
      title: 'Outbox relay is not draining',
      status: 'triaging',
      severity: 'sev3',
      signal_key: 'outbox_relay_degraded',
      signal_group: 'messaging',
      tenant: 'platform',
      project: 'platform',
      owner_team: 'platform-messaging',
      service: null,
      runbook_ids: ['ops.outbox.relay'],
      missing_runbook: false,
      query_id: null,
      firing_count: 1,
      resolved_count: 0,
      correlation_ids: ['req-old-000001'],
      trace_ids: [],
      resource_name: null,
      host_role: 'worker_compute',
      slo_burn_rate: 2,
      opened_at: new Date('2026-11-23T09:00:00Z'),
      acknowledged_at: new Date('2026-11-23T09:05:00Z'),
      resolved_at: null,
      closed_at: null,
      updated_at: new Date('2026-11-23T09:05:00Z'),
      last_alert_at: new Date('2026-11-23T09:00:00Z'),
      ...overrides,
    };
  }

  it('opens one incident per key and tenant/project, with a detected entry and one entry per alert', () => {
    const a = normalized({ labels: { alertname: 'A', signal_key: 'outbox_relay_degraded', instance: '1' } });
    const b = normalized({ labels: { alertname: 'A', signal_key: 'outbox_relay_degraded', instance: '2' } });
    const c = normalized({
      labels: { alertname: 'A', signal_key: 'outbox_relay_degraded', tenant: 't-acme', project: 'p-x' },
    });
    const plan = planIntake([a, b, c], empty, context());
    expect(plan.incidentInserts).toHaveLength(2);
    expect(plan.incidentInserts.map((i) => [i.tenant, i.firing_count, i.status])).toEqual([
      ['platform', 2, 'detected'],
      ['t-acme', 1, 'detected'],
    ]);
    expect(plan.alertInserts).toHaveLength(3);
    // One alert entry per incident and kind per payload, listing every alert.
    expect(plan.timeline.map((entry) => [entry.kind, entry.data.count ?? null])).toEqual([
      ['state_changed', null],
      ['state_changed', null],
      ['alert_fired', 2],
      ['alert_fired', 1],
    ]);
    expect(plan.timeline[2]).toMatchObject({
      summary: '2 alerts fired: A',
      data: { fingerprints: [a.fingerprint, b.fingerprint] },
    });
    expect(plan).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
  });

  it('joins the key’s open incident, merges identifiers and raises severity, never lowering it', () => {
    const incident = storedIncident();
    const state: IntakeState = {
      occurrences: new Map(),
      incidents: new Map([[incident.id, incident]]),
      latestByKey: new Map([
        [scopeKeyOf({ tenant: 'platform', project: 'platform', groupingKey: 'outbox_relay_degraded' }), incident.id],
      ]),
    };
    const alert = normalized({
      labels: {
        alertname: 'B',
        signal_key: 'outbox_relay_degraded',
        severity: 'critical',
        host_role: 'platform_control',
        service: 'outbox-relay',
      },
      annotations: { correlation_id: 'req-new-000002', slo_burn_rate: '14.4', query_id: 'dlq_depth_by_queue' },
    });
    const plan = planIntake([alert], state, context());
    expect(plan.incidentInserts).toHaveLength(0);
    expect(plan.incidentUpdates).toEqual([
      expect.objectContaining({
        id: 'INC1',
        severity: 'sev1',
        firing_count: 2,
        status: 'triaging',
        correlation_ids: ['req-old-000001', 'req-new-000002'],
        host_role: 'platform_control',
        slo_burn_rate: 14.4,
        service: 'outbox-relay',
        query_id: 'dlq_depth_by_queue',
        last_alert_at: NOW,
      }),
    ]);
    const lower = planIntake(
      [normalized({ labels: { alertname: 'C', signal_key: 'outbox_relay_degraded', severity: 'info' } })],
      state,
      context()
    );
    expect(lower.incidentUpdates[0].severity).toBe('sev3');
  });

  it('opens a new incident instead of reopening one closed longer ago than the window', () => {
    const closed = storedIncident({
      status: 'closed',
      closed_at: new Date(NOW.getTime() - REOPEN_CLOSED_WITHIN_MS - 1000),
    });
    const alert = normalized({ startsAt: '2026-11-23T10:00:00Z' });
    const state: IntakeState = {
      occurrences: new Map([
        [
          alert.fingerprint,
          { incident_id: closed.id, status: 'resolved', starts_at: new Date('2026-11-01T00:00:00Z') },
        ],
      ]),
      incidents: new Map([[closed.id, closed]]),
      latestByKey: new Map([[scopeKeyOf(alert), closed.id]]),
    };
    const plan = planIntake([alert], state, context());
    expect(plan.incidentUpdates).toHaveLength(0);
    expect(plan.incidentInserts).toHaveLength(1);
    expect(plan.alertInserts[0].incident_id).toBe(plan.incidentInserts[0].id);
  });

  it('reopens a recently closed incident on a new firing of its alert', () => {
    const closed = storedIncident({
      status: 'closed',
      firing_count: 0,
      resolved_count: 1,
      closed_at: new Date('2026-11-23T08:00:00Z'),
      resolved_at: new Date('2026-11-23T07:00:00Z'),
    });
    const alert = normalized({ startsAt: '2026-11-23T10:00:00Z' });
    const state: IntakeState = {
      occurrences: new Map([
        [
          alert.fingerprint,
          { incident_id: closed.id, status: 'resolved', starts_at: new Date('2026-11-23T06:00:00Z') },
        ],
      ]),
      incidents: new Map([[closed.id, closed]]),
      latestByKey: new Map([[scopeKeyOf(alert), closed.id]]),
    };
    const plan = planIntake([alert], state, context());
    expect(plan.alertUpdates).toHaveLength(1);
    expect(plan.incidentUpdates[0]).toMatchObject({
      status: 'reopened',
      firing_count: 1,
      resolved_count: 0,
      closed_at: null,
      resolved_at: null,
    });
    expect(plan.timeline.at(-1)).toMatchObject({
      kind: 'state_changed',
      actor: 'system',
      data: { from: 'closed', to: 'reopened' },
    });
  });

  it('changes nothing and writes no entry for a re-delivery', () => {
    const incident = storedIncident();
    const alert = normalized();
    const state: IntakeState = {
      occurrences: new Map([
        [alert.fingerprint, { incident_id: incident.id, status: 'firing', starts_at: alert.startsAt }],
      ]),
      incidents: new Map([[incident.id, incident]]),
      latestByKey: new Map([[scopeKeyOf(alert), incident.id]]),
    };
    const plan = planIntake([alert], state, context());
    expect(plan).toMatchObject({
      incidentInserts: [],
      incidentUpdates: [],
      alertInserts: [],
      alertUpdates: [],
      timeline: [],
      unchanged: 1,
      incidentIds: ['INC1'],
    });
  });
});
