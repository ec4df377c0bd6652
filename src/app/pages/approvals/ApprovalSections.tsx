// The sections of the approval page: the evidence an approver reads (main column) and the decision,
// execution and evidence queries beside it. Split from ApprovalPage.tsx to keep each part short.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { Approval } from '../../../contract/approvals';
import { ExploreButton } from '../../components/ExploreButton';
import { IdValue } from '../../components/IdValue';
import { Facts, Panel } from '../../components/Panel';
import { EmptyNote } from '../../components/states';
import { ROUTES } from '../../constants';
import { useNow } from '../../hooks/useNow';
import { testIds } from '../../testIds';
import { formatDateTime, formatDuration, formatPercent } from '../../utils/format';

type Props = { approval: Approval };

/** The request's reasoning with its confidence, risk level, environment and SLO burn. */
export function Reasoning({ approval }: Props) {
  const s = useStyles2(getStyles);
  const { evidence } = approval;
  return (
    <Panel title="Why: the reasoning">
      <p className={s.reasoning}>{evidence.reasoning}</p>
      <div className={s.gauges}>
        <div>
          <Text variant="bodySmall" color="secondary">
            Confidence
          </Text>
          <div
            className={s.bar}
            role="meter"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(evidence.confidence * 100)}
            aria-label="Confidence"
          >
            <div className={s.barFill} style={{ width: `${Math.round(evidence.confidence * 100)}%` }} />
          </div>
          <Text weight="medium">{formatPercent(evidence.confidence)}</Text>
        </div>
        <div>
          <Text variant="bodySmall" color="secondary">
            Risk level
          </Text>
          <div>
            <Badge
              color={evidence.risk_level === 'high' ? 'red' : evidence.risk_level === 'medium' ? 'orange' : 'green'}
              text={evidence.risk_level}
            />
          </div>
        </div>
        <div>
          <Text variant="bodySmall" color="secondary">
            Environment
          </Text>
          <div>
            <Text weight="medium">{evidence.environment}</Text>
          </div>
        </div>
        <div>
          <Text variant="bodySmall" color="secondary">
            SLO burn at request
          </Text>
          <div>
            <Text weight="medium">
              {approval.slo_burn_at_request === null ? '—' : `${approval.slo_burn_at_request.toFixed(1)}×`}
            </Text>
          </div>
        </div>
      </div>
    </Panel>
  );
}

export function ImpactRadius({ approval }: Props) {
  const s = useStyles2(getStyles);
  const { evidence } = approval;
  return (
    <Panel
      title={`Impact radius: ${evidence.impact_radius.count} resource${evidence.impact_radius.count === 1 ? '' : 's'}`}
    >
      {evidence.impact_radius.resources.length === 0 ? (
        <EmptyNote>No resource listed.</EmptyNote>
      ) : (
        <ul className={s.resources}>
          {evidence.impact_radius.resources.map((resource) => (
            <li key={resource}>
              <code>{resource}</code>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

export function Rollback({ approval }: Props) {
  const s = useStyles2(getStyles);
  return (
    <Panel title="Rollback strategy">
      <p className={s.reasoning}>{approval.evidence.rollback_strategy}</p>
    </Panel>
  );
}

export function SimilarOutcomes({ approval }: Props) {
  const s = useStyles2(getStyles);
  const similar = approval.similar_past_outcomes;
  return (
    <Panel title="Similar past outcomes">
      {similar.total === 0 ? (
        <EmptyNote>This action has never run before: no history to compare with.</EmptyNote>
      ) : (
        <Stack direction="column" gap={1.5}>
          <Facts
            items={[
              ['Runs', similar.total],
              ['Succeeded', similar.succeeded],
              ['Failed', similar.failed],
              ['Helped', similar.helped],
              ['Did not help', similar.did_not_help],
              ['Made worse', similar.made_worse],
            ]}
          />
          {similar.last.length > 0 && (
            <ul className={s.resources}>
              {similar.last.map((outcome) => (
                <li key={outcome.approval_id}>
                  <TextLink href={ROUTES.approval(outcome.approval_id)} inline variant="bodySmall">
                    {outcome.outcome}
                  </TextLink>{' '}
                  <Text variant="bodySmall" color="secondary">
                    on incident {outcome.incident_id}, {formatDateTime(outcome.at)}
                  </Text>
                </li>
              ))}
            </ul>
          )}
        </Stack>
      )}
    </Panel>
  );
}

export function RequestFacts({ approval }: Props) {
  const s = useStyles2(getStyles);
  const now = useNow(15_000);
  return (
    <Panel title="Request">
      <Facts
        items={[
          ['Action', <IdValue key="a" value={approval.action_id} label="action ID" />],
          ['Policy', approval.policy_reason],
          ['Approvals needed', approval.min_approvals],
          ['Requested', formatDateTime(approval.requested_at)],
          expiryFact(approval, now),
          ['Project', `${approval.tenant}/${approval.project}`],
        ]}
      />
      {Object.keys(approval.parameters).length > 0 && (
        <>
          <div className={s.paramsLabel}>
            <Text variant="bodySmall" color="secondary">
              Parameters
            </Text>
          </div>
          <pre className={s.params}>{JSON.stringify(approval.parameters, null, 2)}</pre>
        </>
      )}
    </Panel>
  );
}

export function Decisions({ approval }: Props) {
  const s = useStyles2(getStyles);
  return (
    <Panel title="Decisions" testId={testIds.approval.decisions}>
      {approval.decisions.length === 0 ? (
        <EmptyNote>No decision yet.</EmptyNote>
      ) : (
        <Stack direction="column" gap={1}>
          {approval.decisions.map((decision) => (
            <div key={`${decision.by}:${decision.at}`}>
              <Badge
                color={decision.decision === 'approve' ? 'green' : 'red'}
                text={decision.decision === 'approve' ? 'Approved' : 'Rejected'}
              />{' '}
              <Text variant="bodySmall">
                by {decision.by}, {formatDateTime(decision.at)}
              </Text>
              <p className={s.comment}>{decision.comment}</p>
            </div>
          ))}
        </Stack>
      )}
    </Panel>
  );
}

export function Execution({ approval }: Props) {
  const s = useStyles2(getStyles);
  if (!approval.execution && !approval.verification) {
    return null;
  }
  return (
    <Panel title="Execution">
      <Facts
        items={[
          ['Execution', approval.execution?.status ?? '—'],
          ['HTTP status', approval.execution?.http_status ?? '—'],
          [
            'Duration',
            approval.execution?.duration_ms == null ? '—' : `${Math.round(approval.execution.duration_ms)} ms`,
          ],
          ['Verification', approval.verification?.status ?? '—'],
        ]}
      />
      {approval.execution?.output_excerpt && <pre className={s.params}>{approval.execution.output_excerpt}</pre>}
    </Panel>
  );
}

export function EvidenceQueries({ approval }: Props) {
  return (
    <Panel title="Evidence queries" testId={testIds.approval.evidenceQueries}>
      {approval.saved_query_links.length === 0 ? (
        <EmptyNote>No saved query attached.</EmptyNote>
      ) : (
        <Stack direction="column" gap={1}>
          {approval.saved_query_links.map((link) => (
            <div key={link.id}>
              <ExploreButton link={{ ...link, datasource: null }} />
              {!link.explore_url && (
                <Text variant="bodySmall" color="secondary">
                  {' '}
                  {link.missing_variables.length > 0
                    ? `needs ${link.missing_variables.map((name) => `$${name}`).join(', ')}: the incident has no value for it`
                    : 'could not be filled from the incident'}
                </Text>
              )}
            </div>
          ))}
        </Stack>
      )}
    </Panel>
  );
}

/**
 * The countdown only means something while the request waits: a decided, executed or expired request
 * says so instead of counting down to a deadline that no longer applies.
 */
function expiryFact(approval: Approval, now: number): [string, string] {
  if (approval.status === 'pending') {
    const left = formatDuration((Date.parse(approval.expires_at) - now) / 1000);
    return ['Expires', `${formatDateTime(approval.expires_at)} (${left})`];
  }
  if (approval.status === 'expired') {
    return ['Expired', formatDateTime(approval.expires_at)];
  }
  return ['Expiry', `no longer applies: ${approval.status}`];
}

const getStyles = (theme: GrafanaTheme2) => ({
  reasoning: css({ whiteSpace: 'pre-wrap', margin: 0, maxWidth: '90ch' }),
  gauges: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))',
    gap: theme.spacing(2),
    marginTop: theme.spacing(2),
  }),
  bar: css({
    height: 6,
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.background.secondary,
    overflow: 'hidden',
    margin: theme.spacing(0.5, 0),
    maxWidth: 160,
  }),
  barFill: css({ height: '100%', background: theme.colors.primary.main }),
  resources: css({ margin: 0, paddingLeft: theme.spacing(2.5), li: { marginBottom: theme.spacing(0.5) } }),
  paramsLabel: css({ marginTop: theme.spacing(1.5) }),
  params: css({
    marginTop: theme.spacing(0.5),
    marginBottom: 0,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
    padding: theme.spacing(1),
    borderRadius: theme.shape.radius.default,
  }),
  comment: css({ whiteSpace: 'pre-wrap', margin: theme.spacing(0.5, 0, 0, 0) }),
});
