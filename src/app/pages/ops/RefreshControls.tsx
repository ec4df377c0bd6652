import React from 'react';
import { RefreshPicker, Stack, Text, ToolbarButton } from '@grafana/ui';

import { useNow } from '../../hooks/useNow';
import { testIds } from '../../testIds';
import { formatDuration } from '../../utils/format';

const INTERVALS: Array<[string, number]> = [
  ['10s', 10_000],
  ['30s', 30_000],
  ['1m', 60_000],
  ['5m', 300_000],
];

export const intervalToMs = (interval: string) => INTERVALS.find(([label]) => label === interval)?.[1] ?? 0;
export const msToInterval = (ms: number) => INTERVALS.find(([, value]) => value === ms)?.[0] ?? '';

/** Refresh now, pick the interval (or Off), pause and resume; and how old the shown data is. */
export function RefreshControls({
  intervalMs,
  onIntervalChange,
  paused,
  onPausedChange,
  onRefresh,
  refreshing,
  loadedAt,
}: {
  intervalMs: number;
  onIntervalChange: (ms: number) => void;
  paused: boolean;
  onPausedChange: (paused: boolean) => void;
  onRefresh: () => void;
  refreshing: boolean;
  loadedAt: number | undefined;
}) {
  const now = useNow(5_000);
  const auto = intervalMs > 0;
  return (
    <Stack direction="row" alignItems="center" gap={1}>
      <span data-testid={testIds.ops.lastUpdated} aria-live="polite">
        <Text variant="bodySmall" color="secondary">
          {loadedAt ? `Updated ${formatDuration(Math.max(0, now - loadedAt) / 1000)} ago` : ''}
          {auto && paused ? ' · auto-refresh paused' : ''}
        </Text>
      </span>
      {auto && (
        <ToolbarButton
          icon={paused ? 'play' : 'pause'}
          onClick={() => onPausedChange(!paused)}
          tooltip={paused ? 'Resume auto-refresh' : 'Pause auto-refresh'}
          aria-label={paused ? 'Resume auto-refresh' : 'Pause auto-refresh'}
          aria-pressed={paused}
          data-testid={testIds.ops.refreshPause}
        >
          {paused ? 'Resume' : 'Pause'}
        </ToolbarButton>
      )}
      <div data-testid={testIds.ops.refreshInterval}>
        <RefreshPicker
          value={msToInterval(intervalMs)}
          intervals={INTERVALS.map(([label]) => label)}
          onIntervalChanged={(interval) => onIntervalChange(intervalToMs(interval))}
          onRefresh={onRefresh}
          isLoading={refreshing}
          tooltip="Refresh the ops overview now"
        />
      </div>
    </Stack>
  );
}
