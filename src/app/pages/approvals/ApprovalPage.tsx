import React from 'react';
import { useParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { Approval } from '../../../contract/approvals';
import { AppPage } from '../../components/AppPage';
import { ApprovalStatusBadge, RiskBadge } from '../../components/badges';
import { ExploreButton } from '../../components/ExploreButton';
import { IdValue } from '../../components/IdValue';
import { Facts, Panel } from '../../components/Panel';
import { BudgetFreeze } from './BudgetFreeze';
import { EmptyNote, ErrorState, LoadingState } from '../../components/states';
import { ROUTES } from '../../constants';
import { useOps } from '../../context/OpsContext';
import { useAsync } from '../../hooks/useAsync';
import { useNow } from '../../hooks/useNow';
import { testIds } from '../../testIds';
import { formatDateTime, formatDuration, formatPercent } from '../../utils/format';
import { DecisionForm } from './DecisionForm';

function ApprovalPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { api, projectId } = useOps();
  const approval = useAsync(() => api.approval(id), `approval:${projectId}:${id}`);
  if (approval.loading || !approval.data) {
    return (
      <AppPage testId={testIds.approval.page} pageNav={{ text: 'Approval' }}>
        {approval.loading ? (
          <LoadingState text="Loading the request…" />
        ) : (
          approval.error && (
            <ErrorState title={`Could not load approval ${id}`} error={approval.error} onRetry={approval.reload} />
          )
        )}
      </AppPage>
    );
  }
  return <ApprovalView approval={approval.data} onDecided={approval.reload} />;
}

function ApprovalView({ approval, onDecided }: { approval: Approval; onDecided: () => Promise<void> }) {
  const s = useStyles2(getStyles);
  const now = useNow(15_000);
  const { evidence, similar_past_outcomes: similar } = approval;
  return (
    <AppPage
      testId={testIds.approval.page}
      pageNav={{ text: approval.action_title }}
      subTitle={
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
          <span data-testid={testIds.approval.status} data-status={approval.status}>
            <ApprovalStatusBadge status={approval.status} />
          </span>
          <RiskBadge risk={approval.risk_class} />
          <span>
            requested by <strong>{approval.requested_by}</strong> for{' '}
            <TextLink href={ROUTES.incident(approval.incident_id)} inline>
              {approval.incident_title}
            </TextLink>
          </span>
        </Stack>
      }
    >
      <div className={s.columns}>
        <div className={s.main} data-testid={testIds.approval.evidence}>
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
                    color={
                      evidence.risk_level === 'high' ? 'red' : evidence.risk_level === 'medium' ? 'orange' : 'green'
                    }
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

          {approval.budget_at_request && <BudgetFreeze budget={approval.budget_at_request} />}

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

          <Panel title="Rollback strategy">
            <p className={s.reasoning}>{evidence.rollback_strategy}</p>
          </Panel>

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
        </div>

        <div className={s.side}>
          <DecisionForm approval={approval} onDecided={onDecided} />
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
          {(approval.execution || approval.verification) && (
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
              {approval.execution?.output_excerpt && (
                <pre className={s.params}>{approval.execution.output_excerpt}</pre>
              )}
            </Panel>
          )}
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
        </div>
      </div>
    </AppPage>
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

export default ApprovalPage;

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(300px, 2fr)',
    gap: theme.spacing(2),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  main: css({ minWidth: 0 }),
  side: css({ minWidth: 0 }),
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
