import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Button, Stack, Text, useStyles2 } from '@grafana/ui';

import type { IncidentDetail } from '../../contract/incidents';
import type { IncidentResponse } from '../../contract/oncall';
import { toOpsApiError, type OpsApiError } from '../api/errors';
import { useOps } from '../context/OpsContext';
import { testIds } from '../testIds';
import { clockBadges, type ClockTone } from '../utils/clocks';
import { ErrorState } from './states';

const TONE_COLOR: Record<ClockTone, 'green' | 'orange' | 'red' | 'blue'> = {
  ok: 'blue',
  warn: 'orange',
  breached: 'red',
  done: 'green',
};
const TONE_ICON = {
  ok: 'clock-nine',
  warn: 'exclamation-triangle',
  breached: 'exclamation-circle',
  done: 'check',
} as const;

/** The response clocks as badges: `ack due in 3m`, `ack breached 2m ago`, `escalates to level 2 in 12m`. */
export function ClockBadges({ response, now }: { response: IncidentResponse; now: number }) {
  return (
    <Stack direction="row" gap={0.5} wrap="wrap">
      {clockBadges(response, now).map((badge) => (
        <span key={badge.stage} data-testid={testIds.response.clock(badge.stage)} data-tone={badge.tone}>
          <Badge color={TONE_COLOR[badge.tone]} icon={TONE_ICON[badge.tone]} text={badge.text} />
        </span>
      ))}
    </Stack>
  );
}

/**
 * Acknowledge / Take it, the assignee and commander, and the clocks. Buttons are disabled (with the
 * reason) for callers who may not change incidents, and on resolved or closed incidents.
 */
export function ResponseControls({
  incident,
  blocker,
  now,
  onDone,
}: {
  incident: Pick<IncidentDetail, 'id' | 'status' | 'response'>;
  blocker: string | null;
  now: number;
  onDone: () => Promise<void>;
}) {
  const s = useStyles2(getStyles);
  const { api } = useOps();
  const [busy, setBusy] = useState<'ack' | 'take' | null>(null);
  const [error, setError] = useState<OpsApiError | null>(null);
  const response = incident.response;
  if (!response) {
    return null;
  }
  const closed = incident.status === 'resolved' || incident.status === 'closed';
  const disabledReason = blocker ?? (closed ? `The incident is ${incident.status}.` : null);

  const run = async (kind: 'ack' | 'take') => {
    setBusy(kind);
    setError(null);
    try {
      await (kind === 'ack' ? api.acknowledge(incident.id) : api.assign(incident.id, { take: true }));
      await onDone();
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className={s.box} data-testid={testIds.response.panel}>
      <ClockBadges response={response} now={now} />
      <Text variant="bodySmall" color="secondary" data-testid={testIds.response.assignee}>
        Level {response.escalation_level} · assignee {response.assignee ?? 'nobody'}
        {response.commander ? ` · commander ${response.commander}` : ''}
        {response.acknowledged_by ? ` · acknowledged by ${response.acknowledged_by}` : ''}
      </Text>
      <Stack direction="row" gap={1}>
        <Button
          size="sm"
          icon="check"
          disabled={Boolean(disabledReason) || response.acknowledged_at !== null || busy !== null}
          tooltip={
            disabledReason ?? (response.acknowledged_at ? 'Already acknowledged' : 'Tell the on-call chain you have it')
          }
          onClick={() => run('ack')}
          data-testid={testIds.response.acknowledge}
        >
          {busy === 'ack' ? 'Acknowledging…' : 'Acknowledge'}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          icon="user"
          disabled={Boolean(disabledReason) || busy !== null}
          tooltip={disabledReason ?? 'Assign it to yourself (and acknowledge)'}
          onClick={() => run('take')}
          data-testid={testIds.response.takeIt}
        >
          {busy === 'take' ? 'Taking it…' : 'Take it'}
        </Button>
      </Stack>
      {error && <ErrorState title="Could not update the incident" error={error} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
});
