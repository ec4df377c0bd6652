import React, { ChangeEvent } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, Input } from '@grafana/ui';

import type { OpsDataSource } from '../datasource';
import { QUERY_TYPES, QUERY_TYPE_LABELS, type OpsDataSourceOptions, type OpsQuery, type OpsQueryType } from '../types';

type Props = QueryEditorProps<OpsDataSource, OpsQuery, OpsDataSourceOptions>;
type TextField =
  | 'project'
  | 'status'
  | 'severity'
  | 'signal'
  | 'ownerTeam'
  | 'tenant'
  | 'service'
  | 'riskClass'
  | 'actor'
  | 'action'
  | 'correlationId'
  | 'review'
  | 'kpiWindow';

/** Which filters each query type takes; every one accepts template variables such as $service or $tenant. */
const FILTERS: Record<
  OpsQueryType,
  Array<{ field: TextField; label: string; placeholder: string; tooltip: string }>
> = {
  incidents: [
    {
      field: 'status',
      label: 'Status',
      placeholder: 'open',
      tooltip: 'open, or one status: detected, triaging, mitigating, monitoring, resolved, closed, reopened',
    },
    { field: 'severity', label: 'Severity', placeholder: 'any', tooltip: 'sev1..sev4' },
    { field: 'signal', label: 'Signal', placeholder: 'any', tooltip: 'A signal key, e.g. outbox_relay_degraded' },
    { field: 'ownerTeam', label: 'Owner team', placeholder: 'any', tooltip: 'e.g. $team' },
    { field: 'tenant', label: 'Tenant', placeholder: 'any', tooltip: 'e.g. $tenant' },
  ],
  runbooks: [
    { field: 'signal', label: 'Signal', placeholder: 'any', tooltip: 'A signal key' },
    { field: 'ownerTeam', label: 'Owner team', placeholder: 'any', tooltip: 'e.g. $team' },
    { field: 'severity', label: 'Severity hint', placeholder: 'any', tooltip: 'sev1..sev3' },
    { field: 'review', label: 'Review', placeholder: 'any', tooltip: 'overdue, due_soon or ok' },
  ],
  approvals: [
    {
      field: 'status',
      label: 'Status',
      placeholder: 'any',
      tooltip: 'pending, approved, rejected, expired, executing, succeeded, failed',
    },
    { field: 'riskClass', label: 'Risk class', placeholder: 'any', tooltip: 'R1, R2 or R3' },
  ],
  audit: [
    { field: 'actor', label: 'Actor', placeholder: 'any', tooltip: 'A Grafana login' },
    { field: 'action', label: 'Action', placeholder: 'any', tooltip: 'e.g. approval.decide' },
    { field: 'correlationId', label: 'Correlation ID', placeholder: 'any', tooltip: 'Rows written under one request' },
  ],
  overview_health: [],
  slo_status: [{ field: 'service', label: 'Service', placeholder: 'any', tooltip: 'e.g. $service' }],
  open_incident_count: [
    { field: 'severity', label: 'Severity', placeholder: 'each', tooltip: 'sev1..sev4; empty: one row per severity' },
    { field: 'signal', label: 'Signal', placeholder: 'any', tooltip: 'A signal key' },
    { field: 'ownerTeam', label: 'Owner team', placeholder: 'any', tooltip: 'e.g. $team' },
    { field: 'tenant', label: 'Tenant', placeholder: 'any', tooltip: 'e.g. $tenant' },
  ],
  pending_approval_count: [
    { field: 'riskClass', label: 'Risk class', placeholder: 'each', tooltip: 'R1, R2 or R3; empty: one row per class' },
  ],
  slo_burn_budget: [{ field: 'service', label: 'Service', placeholder: 'any', tooltip: 'e.g. $service' }],
  oncall: [{ field: 'ownerTeam', label: 'Team', placeholder: 'every team', tooltip: 'e.g. $team' }],
  kpis: [
    { field: 'kpiWindow', label: 'Window', placeholder: '30d', tooltip: '7d, 30d or 90d; e.g. $window' },
    { field: 'ownerTeam', label: 'Team', placeholder: 'every team', tooltip: 'e.g. $team' },
  ],
  // The same filters as open_incident_count: a breach rule is usually scoped to a team or a tenant.
  response_breach_count: [
    { field: 'severity', label: 'Severity', placeholder: 'each', tooltip: 'sev1..sev4; empty: one row per severity' },
    { field: 'signal', label: 'Signal', placeholder: 'any', tooltip: 'A signal key' },
    { field: 'ownerTeam', label: 'Owner team', placeholder: 'any', tooltip: 'e.g. $team' },
    { field: 'tenant', label: 'Tenant', placeholder: 'any', tooltip: 'e.g. $tenant' },
  ],
};

/**
 * A label width (Grafana's 8 px units) that fits the text and the tooltip icon: a fixed 14 cut
 * "Correlation ID" and "Waiting ≥ min" short. About 7.5 px a character at the body font, plus the
 * label's padding and the icon; at least 10 so short labels in one row still line up.
 */
export function labelWidthFor(text: string): number {
  return Math.max(10, Math.ceil((text.length * 7.5 + 32) / 8));
}

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? 'incidents';
  const set = (field: TextField) => (event: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...query, [field]: event.currentTarget.value });
  return (
    <>
      <InlineFieldRow>
        <InlineField
          label="Query"
          labelWidth={labelWidthFor('Query')}
          tooltip={QUERY_TYPE_LABELS[queryType].description}
        >
          <Combobox
            width={24}
            value={queryType}
            options={QUERY_TYPES.map((value) => ({
              value,
              label: QUERY_TYPE_LABELS[value].label,
              description: QUERY_TYPE_LABELS[value].description,
            }))}
            onChange={(option) => {
              onChange({ ...query, queryType: option.value });
              onRunQuery();
            }}
          />
        </InlineField>
        <InlineField
          label="Project"
          labelWidth={labelWidthFor('Project')}
          tooltip="X-Project-ID: a project, tenant/project, * or a variable such as $tenant/$project. Empty: the datasource default."
        >
          <Input
            width={24}
            value={query.project ?? ''}
            placeholder="datasource default"
            onChange={set('project')}
            onBlur={onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
      {FILTERS[queryType].length > 0 && (
        <InlineFieldRow>
          {FILTERS[queryType].map(({ field, label, placeholder, tooltip }) => (
            <InlineField key={field} label={label} labelWidth={labelWidthFor(label)} tooltip={tooltip}>
              <Input
                width={20}
                value={query[field] ?? ''}
                placeholder={placeholder}
                onChange={set(field)}
                onBlur={onRunQuery}
                aria-label={label}
              />
            </InlineField>
          ))}
          {queryType === 'pending_approval_count' && (
            <WaitingMinutes query={query} onChange={onChange} onRunQuery={onRunQuery} />
          )}
        </InlineFieldRow>
      )}
    </>
  );
}

/** pending_approval_count only: count requests waiting at least this many minutes. */
function WaitingMinutes({ query, onChange, onRunQuery }: Pick<Props, 'query' | 'onChange' | 'onRunQuery'>) {
  return (
    <InlineField
      label="Waiting ≥ min"
      labelWidth={labelWidthFor('Waiting ≥ min')}
      tooltip="Count only requests waiting at least this many minutes (0 or empty: all)"
    >
      <Input
        type="number"
        min={0}
        width={12}
        value={query.olderThanMinutes ?? ''}
        placeholder="0"
        onChange={(event: ChangeEvent<HTMLInputElement>) => {
          const minutes = Number.parseInt(event.currentTarget.value, 10);
          onChange({
            ...query,
            olderThanMinutes: Number.isFinite(minutes) && minutes > 0 ? minutes : undefined,
          });
        }}
        onBlur={onRunQuery}
        aria-label="Waiting at least (minutes)"
      />
    </InlineField>
  );
}
