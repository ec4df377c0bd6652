import React, { useState } from 'react';
import { Button, Checkbox, Field, Input, RadioButtonList, Stack, Text, TextArea } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../api/errors';
import type { ActionDefinition, Approval } from '../../../contract/approvals';
import type { IncidentDetail } from '../../../contract/incidents';
import type { Recommendation } from '../../../contract/recommendations';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';

const RISK_LEVEL = { R1: 'low', R2: 'medium', R3: 'high' } as const;
type Schema = { type?: string; description?: string; items?: { type?: string } };

/** A form value as the schema's type: numbers as numbers, string arrays from comma-separated text. */
function typed(raw: string, schema: Schema): unknown {
  if ((schema.type === 'integer' || schema.type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
    return Number(raw);
  }
  if (schema.type === 'array') {
    return raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  }
  return raw;
}

/** One field per property of the action's JSON Schema (boolean, number/integer, string, string array). */
function ParameterForm({
  action,
  values,
  onChange,
}: {
  action: ActionDefinition;
  values: Record<string, unknown>;
  onChange: (name: string, value: unknown) => void;
}) {
  const properties = (action.parameters.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(action.parameters.required) ? (action.parameters.required as string[]) : []);
  if (Object.keys(properties).length === 0) {
    return <Text color="secondary">This action takes no parameters.</Text>;
  }
  return (
    <Stack direction="column" gap={1}>
      {Object.entries(properties).map(([name, schema]) => (
        <div key={name} data-testid={testIds.requestAction.parameter(name)}>
          {schema.type === 'boolean' ? (
            <Checkbox
              label={name}
              description={schema.description}
              value={Boolean(values[name])}
              onChange={(event) => onChange(name, event.currentTarget.checked)}
            />
          ) : (
            <Field
              label={`${name}${required.has(name) ? ' (required)' : ''}`}
              description={schema.description}
              noMargin
            >
              <Input
                aria-label={name}
                value={
                  Array.isArray(values[name]) ? (values[name] as unknown[]).join(', ') : String(values[name] ?? '')
                }
                onChange={(event) => onChange(name, typed(event.currentTarget.value, schema))}
              />
            </Field>
          )}
        </div>
      ))}
    </Stack>
  );
}

function prefilledReasoning(rec: Recommendation | undefined, action: ActionDefinition) {
  return rec
    ? `${action.title} (runbook ${action.runbook_id}), recommended #${rec.rank}: ${rec.explanation}.`
    : `${action.title} (runbook ${action.runbook_id}), chosen by hand.`;
}

/**
 * Request a remediation from the incident: pick a recommendation (or any catalog action), fill its
 * parameters (prefilled by the API from the incident), review the evidence bundle, submit. R1 runs at
 * once; R2/R3 wait for a second person. Choosing anything but the top recommendation needs a reason,
 * recorded as an override.
 */
export function RequestActionPanel({
  incident,
  blocker,
  onDone,
}: {
  incident: IncidentDetail;
  blocker: string | null;
  onDone: () => Promise<void>;
}) {
  const { api, projectId } = useOps();
  const data = useAsync(
    async () => ({ recommendations: await api.recommendations(incident.id), actions: (await api.actions()).items }),
    `request-action:${projectId}:${incident.id}`
  );
  const [actionId, setActionId] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, unknown> | null>(null);
  const [reasoning, setReasoning] = useState<string | null>(null);
  const [confidence, setConfidence] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const [result, setResult] = useState<Approval | null>(null);

  if (incident.status === 'closed') {
    return null;
  }
  if (!data.data) {
    return data.error ? (
      <ErrorState title="Could not load the recommendations" error={data.error} onRetry={data.reload} />
    ) : null;
  }
  const { recommendations, actions } = data.data;
  const top = recommendations.top_action_id;
  const chosen = actionId ?? top ?? actions[0]?.id ?? null;
  const action = actions.find((a) => a.id === chosen);
  const rec = recommendations.items.find((r) => r.action_id === chosen);
  const choose = (id: string) => {
    setActionId(id);
    setValues(null);
    setReasoning(null);
    setConfidence(null);
  };
  if (!action) {
    return (
      <Panel title="Request action" testId={testIds.requestAction.panel}>
        <EmptyNote>No catalog action fits this incident.</EmptyNote>
      </Panel>
    );
  }
  const params = values ?? rec?.parameters ?? {};
  const reasonText = reasoning ?? prefilledReasoning(rec, action);
  const confidenceText = confidence ?? (rec?.confidence === null || rec === undefined ? '' : rec.confidence.toFixed(2));
  const overriding = top !== null && chosen !== top;
  const rollback = action.rollback_action_id
    ? `Roll back with ${action.rollback_action_id} (${actions.find((a) => a.id === action.rollback_action_id)?.title ?? 'catalog action'})`
    : `No rollback action in the catalog; follow runbook ${action.runbook_id}`;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const approval = await api.requestAction({
        incident_id: incident.id,
        action_id: action.id,
        parameters: params,
        evidence: {
          reasoning: reasonText,
          ...(confidenceText.trim() === '' ? {} : { confidence: Number(confidenceText) }),
          risk_level: RISK_LEVEL[action.risk_class],
          impact_radius: {
            resources: incident.resource_name ? [incident.resource_name] : [],
            count: incident.resource_name ? 1 : 0,
          },
          rollback_strategy: rollback,
        },
      });
      if (overriding) {
        await api.recordOverride(incident.id, {
          kind: 'chose_other',
          chosen_action_id: action.id,
          approval_id: approval.id,
          reason: overrideReason.trim(),
        });
      }
      setResult(approval);
      await onDone();
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Request action" testId={testIds.requestAction.panel}>
      <Stack direction="column" gap={1}>
        {recommendations.no_history && (
          <Text color="secondary">No history on similar incidents: no confidence is computed.</Text>
        )}
        <div data-testid={testIds.requestAction.option}>
          {/* A vertical list: a catalog has more actions than fit on one line of buttons. */}
          <RadioButtonList
            name={`request-action-${incident.id}`}
            value={chosen ?? undefined}
            options={[
              ...recommendations.items.map((r) => ({
                value: r.action_id,
                label: `#${r.rank} ${r.title} (${r.risk_class})`,
                description: r.explanation,
              })),
              ...actions
                .filter((a) => !recommendations.items.some((r) => r.action_id === a.id))
                .map((a) => ({ value: a.id, label: `${a.title} (${a.risk_class}, not recommended)` })),
            ]}
            onChange={choose}
          />
        </div>
        <Text variant="bodySmall" color="secondary">
          {action.description}
        </Text>
        <ParameterForm
          action={action}
          values={params}
          onChange={(name, value) => setValues({ ...params, [name]: value })}
        />
        <Field label="Reasoning" noMargin>
          <TextArea
            aria-label="Reasoning"
            rows={3}
            value={reasonText}
            onChange={(e) => setReasoning(e.currentTarget.value)}
            data-testid={testIds.requestAction.reasoning}
          />
        </Field>
        <Field
          label="Confidence (0–1)"
          description={rec?.confidence === null ? 'No history: give your own estimate.' : undefined}
          noMargin
        >
          <Input
            aria-label="Confidence"
            value={confidenceText}
            onChange={(e) => setConfidence(e.currentTarget.value)}
            data-testid={testIds.requestAction.confidence}
          />
        </Field>
        <Text variant="bodySmall">
          Risk {RISK_LEVEL[action.risk_class]} · impact {incident.resource_name ?? 'no single resource'} · {rollback}
        </Text>
        {overriding && (
          <Field label="Why not the top recommendation? (recorded as an override)" noMargin>
            <TextArea
              aria-label="Override reason"
              rows={2}
              value={overrideReason}
              onChange={(e) => setOverrideReason(e.currentTarget.value)}
              data-testid={testIds.requestAction.overrideReason}
            />
          </Field>
        )}
        <div>
          <Button
            size="sm"
            icon="bolt"
            disabled={Boolean(blocker) || busy || (overriding && !overrideReason.trim())}
            data-testid={testIds.requestAction.submit}
            onClick={submit}
          >
            {action.risk_class === 'R1' ? 'Run now' : 'Request approval'}
          </Button>
        </div>
        {result && (
          <Text data-testid={testIds.requestAction.result}>
            {`${result.action_title}: ${result.status}${result.requires_approval ? ' — waits for another person to approve' : ''}`}
          </Text>
        )}
        {error && <ErrorState title="The action was not requested" error={error} />}
      </Stack>
    </Panel>
  );
}
