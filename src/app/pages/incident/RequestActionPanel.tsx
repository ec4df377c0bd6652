import React, { useState } from 'react';
import { Button, Field, Input, RadioButtonList, Stack, Text, TextArea } from '@grafana/ui';

import { toOpsApiError, type OpsApiError } from '../../api/errors';
import type { OpsApi } from '../../api/opsApi';
import type { ActionDefinition, Approval } from '../../../contract/approvals';
import type { IncidentDetail } from '../../../contract/incidents';
import type { RecommendationList } from '../../../contract/recommendations';
import { Panel } from '../../components/Panel';
import { EmptyNote, ErrorState } from '../../components/states';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import {
  prefilledConfidence,
  prefilledReasoning,
  requestBody,
  RISK_LEVEL,
  rollbackText,
} from './requestAction/evidence';
import { ParameterForm } from './requestAction/ParameterForm';
import { RejectTop } from './requestAction/RejectTop';

interface PanelProps {
  incident: IncidentDetail;
  blocker: string | null;
  onDone: () => Promise<void>;
}

/**
 * Request a remediation from the incident: pick a recommendation (or any catalog action), fill its
 * parameters (prefilled by the API from the incident), review the evidence bundle, submit. R1 runs at
 * once; R2/R3 wait for a second person. Choosing anything but the top recommendation needs a reason,
 * recorded as an override; so does rejecting the top one outright.
 */
export function RequestActionPanel({ incident, blocker, onDone }: PanelProps) {
  const { api, projectId } = useOps();
  const data = useAsync(
    async () => ({ recommendations: await api.recommendations(incident.id), actions: (await api.actions()).items }),
    `request-action:${projectId}:${incident.id}`
  );
  if (incident.status === 'closed') {
    return null;
  }
  if (!data.data) {
    return data.error ? (
      <ErrorState title="Could not load the recommendations" error={data.error} onRetry={data.reload} />
    ) : null;
  }
  const { recommendations, actions } = data.data;
  const top = recommendations.items.find((r) => r.action_id === recommendations.top_action_id);
  return (
    <Panel title="Request action" testId={testIds.requestAction.panel}>
      {actions.length === 0 ? (
        <EmptyNote>No catalog action fits this incident.</EmptyNote>
      ) : (
        <Stack direction="column" gap={2}>
          <RequestForm
            incident={incident}
            blocker={blocker}
            onDone={onDone}
            recommendations={recommendations}
            actions={actions}
          />
          {top && <RejectTop incidentId={incident.id} top={top} blocker={blocker} />}
        </Stack>
      )}
    </Panel>
  );
}

function ActionChoice({
  name,
  chosen,
  recommendations,
  actions,
  onChoose,
}: {
  name: string;
  chosen: string;
  recommendations: RecommendationList;
  actions: ActionDefinition[];
  onChoose: (id: string) => void;
}) {
  return (
    <div data-testid={testIds.requestAction.option}>
      {/* A vertical list: a catalog has more actions than fit on one line of buttons. */}
      <RadioButtonList
        name={name}
        value={chosen}
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
        onChange={onChoose}
      />
    </div>
  );
}

/** What the person edits; `null` = still the prefilled value of the chosen action. */
interface Edits {
  values: Record<string, unknown> | null;
  reasoning: string | null;
  confidence: string | null;
}
const UNEDITED: Edits = { values: null, reasoning: null, confidence: null };

function RequestForm({
  incident,
  blocker,
  onDone,
  recommendations,
  actions,
}: PanelProps & { recommendations: RecommendationList; actions: ActionDefinition[] }) {
  const top = recommendations.top_action_id;
  const [actionId, setActionId] = useState<string>(top ?? actions[0].id);
  const [edits, setEdits] = useState<Edits>(UNEDITED);
  const [overrideReason, setOverrideReason] = useState('');
  const action = actions.find((a) => a.id === actionId) ?? actions[0];
  const rec = recommendations.items.find((r) => r.action_id === action.id);
  const form = {
    parameters: edits.values ?? rec?.parameters ?? {},
    reasoning: edits.reasoning ?? prefilledReasoning(rec, action),
    confidence: edits.confidence ?? prefilledConfidence(rec),
    rollback: rollbackText(action, actions),
  };
  const overriding = top !== null && action.id !== top;

  const { busy, error, result, submit } = useSubmit(async (request) => {
    const approval = await request.requestAction(requestBody(incident, action, form));
    if (overriding) {
      await request.recordOverride(incident.id, {
        kind: 'chose_other',
        chosen_action_id: action.id,
        approval_id: approval.id,
        reason: overrideReason.trim(),
      });
    }
    await onDone();
    return approval;
  });

  return (
    <Stack direction="column" gap={1}>
      {recommendations.no_history && (
        <Text color="secondary">No history on similar incidents: no confidence is computed.</Text>
      )}
      <ActionChoice
        name={`request-action-${incident.id}`}
        chosen={action.id}
        recommendations={recommendations}
        actions={actions}
        onChoose={(id) => {
          setActionId(id);
          setEdits(UNEDITED);
        }}
      />
      <Text variant="bodySmall" color="secondary">
        {action.description}
      </Text>
      <ParameterForm
        action={action}
        values={form.parameters}
        onChange={(name, value) => setEdits({ ...edits, values: { ...form.parameters, [name]: value } })}
      />
      <EvidenceFields
        form={form}
        noHistory={rec?.confidence === null}
        summary={`Risk ${RISK_LEVEL[action.risk_class]} · impact ${incident.resource_name ?? 'no single resource'} · ${form.rollback}`}
        onEdit={(edit) => setEdits({ ...edits, ...edit })}
      />
      <SubmitRow
        label={action.risk_class === 'R1' ? 'Run now' : 'Request approval'}
        disabled={Boolean(blocker) || busy || (overriding && !overrideReason.trim())}
        override={overriding ? { reason: overrideReason, onChange: setOverrideReason } : null}
        onSubmit={submit}
        result={result}
        error={error}
      />
    </Stack>
  );
}

function EvidenceFields({
  form,
  noHistory,
  summary,
  onEdit,
}: {
  form: { reasoning: string; confidence: string };
  noHistory: boolean;
  /** Risk, impact radius and rollback, derived (not edited here). */
  summary: string;
  onEdit: (edit: Partial<Edits>) => void;
}) {
  return (
    <>
      <Field label="Reasoning" noMargin>
        <TextArea
          aria-label="Reasoning"
          rows={3}
          value={form.reasoning}
          onChange={(e) => onEdit({ reasoning: e.currentTarget.value })}
          data-testid={testIds.requestAction.reasoning}
        />
      </Field>
      <Field
        label="Confidence (0–1)"
        description={noHistory ? 'No history: give your own estimate.' : undefined}
        noMargin
      >
        <Input
          aria-label="Confidence"
          value={form.confidence}
          onChange={(e) => onEdit({ confidence: e.currentTarget.value })}
          data-testid={testIds.requestAction.confidence}
        />
      </Field>
      <Text variant="bodySmall">{summary}</Text>
    </>
  );
}

/** Runs one request at a time and keeps its outcome (the approval, or the error). */
function useSubmit(send: (api: OpsApi) => Promise<Approval>) {
  const { api } = useOps();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpsApiError | null>(null);
  const [result, setResult] = useState<Approval | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await send(api));
    } catch (thrown) {
      setError(toOpsApiError(thrown));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, result, submit };
}

/** The override reason (when not the top recommendation), the submit button, and the outcome. */
function SubmitRow({
  label,
  disabled,
  override,
  onSubmit,
  result,
  error,
}: {
  label: string;
  disabled: boolean;
  override: { reason: string; onChange: (reason: string) => void } | null;
  onSubmit: () => void;
  result: Approval | null;
  error: OpsApiError | null;
}) {
  return (
    <>
      {override && (
        <Field label="Why not the top recommendation? (recorded as an override)" noMargin>
          <TextArea
            aria-label="Override reason"
            rows={2}
            value={override.reason}
            onChange={(e) => override.onChange(e.currentTarget.value)}
            data-testid={testIds.requestAction.overrideReason}
          />
        </Field>
      )}
      <div>
        <Button size="sm" icon="bolt" disabled={disabled} data-testid={testIds.requestAction.submit} onClick={onSubmit}>
          {label}
        </Button>
      </div>
      {result && (
        <Text data-testid={testIds.requestAction.result}>
          {`${result.action_title}: ${result.status}${result.requires_approval ? ' — waits for another person to approve' : ''}`}
        </Text>
      )}
      {error && <ErrorState title="The action was not requested" error={error} />}
    </>
  );
}
