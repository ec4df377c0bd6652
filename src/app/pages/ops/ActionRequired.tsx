import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Card, Icon, LinkButton, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { IncidentCard } from '../../../contract/overview';
import { ExploreButton } from '../../components/ExploreButton';
import { ResponseControls } from '../../components/ResponseControls';
import { useOps } from '../../context/OpsContext';
import { useNow } from '../../hooks/useNow';
import { incidentWriteBlocker } from '../../utils/access';
import { IncidentStatusBadge, SeverityBadge } from '../../components/badges';
import { Empty } from '../../components/states';
import { ROUTES } from '../../constants';
import { testIds } from '../../testIds';
import { formatDuration, SEVERITIES, SEVERITY_LABEL } from '../../utils/format';
import { Section } from './Section';

/**
 * Section 2: the open incidents, worst first, each with what to open first. When the overview cuts
 * the list (`openTotal` open incidents, fewer cards), "25 of 32 — see all" links to the incidents
 * list filtered to the open ones, so no incident of a storm is out of reach.
 */
export function ActionRequired({
  cards,
  openTotal,
  onChanged = async () => undefined,
}: {
  cards: IncidentCard[];
  openTotal?: number;
  /** After Acknowledge / Take it on a card: the page reloads the overview. */
  onChanged?: () => Promise<void>;
}) {
  const s = useStyles2(getStyles);
  const cut = openTotal !== undefined && openTotal > cards.length;
  return (
    <Section
      sectionKey="action_required"
      title="Action required"
      description="Open incidents by severity, breached response clocks first, then SLO burn, then age. Open the runbook first; the query proves it."
    >
      {cards.length === 0 ? (
        <Empty variant="completed" message="No open incidents. Nothing needs you right now." />
      ) : (
        <>
          <ul aria-label="Open incidents" className={s.list}>
            {cards.slice(0, fullCards(cards.length)).map((card) => (
              <IncidentCardItem key={card.incident_id} card={card} onChanged={onChanged} />
            ))}
          </ul>
          <CompactIncidents cards={cards.slice(fullCards(cards.length))} />
        </>
      )}
      {cut && (
        <TextLink href={ROUTES.incidents({ status: 'open' })} inline={false} data-testid={testIds.incidents.seeAll}>
          {`${cards.length} of ${openTotal} — see all`}
        </TextLink>
      )}
    </Section>
  );
}

/**
 * In a storm (more than 8 open) the page must stay short: the worst three incidents get a full card
 * (runbook buttons, Explore), the rest one line each under a heading per severity — 32 full cards made
 * a ~6,000 px page.
 */
const FULL_CARDS = 3;
/** Up to this many open incidents is an ordinary shift: every one keeps its full card. */
const ALL_FULL_UP_TO = 8;
const fullCards = (count: number) => (count <= ALL_FULL_UP_TO ? count : FULL_CARDS);

function CompactIncidents({ cards }: { cards: IncidentCard[] }) {
  const s = useStyles2(getStyles);
  const groups = SEVERITIES.map((severity) => ({
    severity,
    cards: cards.filter((c) => c.severity === severity),
  })).filter((group) => group.cards.length > 0);
  return (
    <>
      {groups.map((group) => (
        <section
          key={group.severity}
          className={s.group}
          data-testid={testIds.ops.compactGroup}
          data-severity={group.severity}
          aria-label={`${SEVERITY_LABEL[group.severity]} incidents`}
        >
          <Text element="h3" variant="bodySmall" weight="medium" color="secondary">
            {SEVERITY_LABEL[group.severity]} · {group.cards.length} more
          </Text>
          <ul className={s.list}>
            {group.cards.map((card) => (
              <li
                key={card.incident_id}
                className={cx(s.row, s[card.severity])}
                data-testid={testIds.ops.compactRow}
                data-incident-id={card.incident_id}
              >
                <SeverityBadge severity={card.severity} />
                <span className={s.rowTitle}>
                  <TextLink href={ROUTES.incident(card.incident_id)} inline={false}>
                    {card.title}
                  </TextLink>
                </span>
                <Text variant="bodySmall" color="secondary">
                  {formatDuration(card.age_seconds)} · {card.owner_team ?? 'no owner'} · {card.firing_alerts} firing
                </Text>
                {card.runbooks[0] ? (
                  <TextLink
                    href={ROUTES.runbook(card.runbooks[0].id, card.incident_id)}
                    inline={false}
                    variant="bodySmall"
                    icon="book-open"
                  >
                    Runbook
                  </TextLink>
                ) : (
                  <Text variant="bodySmall" color="error">
                    No runbook
                  </Text>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function IncidentCardItem({ card, onChanged }: { card: IncidentCard; onChanged: () => Promise<void> }) {
  const s = useStyles2(getStyles);
  return (
    <li className={s.item}>
      <Card
        className={s[card.severity]}
        data-testid={testIds.ops.incidentCard}
        data-incident-id={card.incident_id}
        data-severity={card.severity}
        data-clock-breached={card.clock_breached ? 'true' : 'false'}
      >
        {/* Badges inside the heading: Card.Tags sits in the card's far-right column, ~1,000 px from
            the title at 1440 px, where the eye never pairs them with the incident. */}
        <Card.Heading>
          <span className={s.heading}>
            <TextLink href={ROUTES.incident(card.incident_id)} inline={false} color="primary">
              {card.title}
            </TextLink>
            <SeverityBadge severity={card.severity} />
            <IncidentStatusBadge status={card.status} />
          </span>
        </Card.Heading>
        <Card.Meta>{cardMeta(card)}</Card.Meta>
        <Card.Description>
          {card.missing_runbook || card.runbooks.length === 0 ? (
            <MissingRunbook card={card} />
          ) : (
            <RunbookButtons card={card} />
          )}
          <CardResponse card={card} onChanged={onChanged} />
        </Card.Description>
        <Card.Actions>
          <CardActions card={card} />
        </Card.Actions>
      </Card>
    </li>
  );
}

function cardMeta(card: IncidentCard) {
  const items = [
    <span key="owner">
      <Icon name="users-alt" size="sm" /> {card.owner_team ?? 'no owner team'}
    </span>,
    <span key="age" title={card.opened_at}>
      <Icon name="clock-nine" size="sm" /> open {formatDuration(card.age_seconds)}
    </span>,
    <span key="scope">
      {card.tenant}/{card.project}
    </span>,
    <span key="alerts">
      {card.firing_alerts} firing alert{card.firing_alerts === 1 ? '' : 's'}
    </span>,
  ];
  if (card.slo_burn_rate !== null) {
    items.push(<span key="burn">SLO burn {card.slo_burn_rate.toFixed(1)}×</span>);
  }
  return items;
}

/**
 * The response clocks, the assignee and Acknowledge / Take it — the incident page's ResponseControls,
 * enabled by the same capability and role, so a card and the page never disagree.
 */
function CardResponse({ card, onChanged }: { card: IncidentCard; onChanged: () => Promise<void> }) {
  const s = useStyles2(getStyles);
  const { role, granted } = useOps();
  const now = useNow(30_000);
  if (!card.response) {
    return null;
  }
  const incident = { id: card.incident_id, status: card.status, response: card.response };
  return (
    <div className={s.response}>
      <ResponseControls
        incident={incident}
        blocker={incidentWriteBlocker(granted, role)}
        now={now}
        onDone={onChanged}
      />
    </div>
  );
}

function MissingRunbook({ card }: { card: IncidentCard }) {
  const s = useStyles2(getStyles);
  const unknown = card.unknown_runbook_ids;
  return (
    <div className={s.missing} data-testid={testIds.ops.missingRunbook} role="note">
      <Badge color="red" icon="exclamation-triangle" text="No runbook" />
      <Text variant="bodySmall">
        {unknown.length > 0 ? (
          // The alert has an annotation: asking for one would send the reader to the wrong fix.
          <>
            The alert&apos;s runbook_id {unknown.join(', ')} {unknown.length > 1 ? 'are' : 'is'} not in the catalog: fix
            the annotation or add the runbook.{' '}
          </>
        ) : (
          <>No catalog runbook matched this incident&apos;s alerts. </>
        )}
        {card.first_saved_query
          ? 'Start from the saved query below'
          : "Start from the alert's labels on the incident page"}
        {unknown.length > 0 ? (
          '.'
        ) : (
          <>
            , and add a <code>runbook_id</code> annotation to the alert rule.
          </>
        )}
      </Text>
    </div>
  );
}

function RunbookButtons({ card }: { card: IncidentCard }) {
  return (
    <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
      <Text variant="bodySmall" color="secondary">
        Runbook{card.runbooks.length > 1 ? 's' : ''}:
      </Text>
      {card.runbooks.map((runbook) => (
        <LinkButton
          key={runbook.id}
          size="sm"
          variant="primary"
          fill="outline"
          icon="book-open"
          href={ROUTES.runbook(runbook.id, card.incident_id)}
          data-testid={testIds.ops.runbookLink}
        >
          {runbook.title}
        </LinkButton>
      ))}
    </Stack>
  );
}

function CardActions({ card }: { card: IncidentCard }) {
  return (
    <>
      {card.first_saved_query ? (
        <ExploreButton
          link={card.first_saved_query}
          label={`Explore: ${card.first_saved_query.title}`}
          testId={testIds.ops.exploreLink}
        />
      ) : (
        <Text variant="bodySmall" color="secondary" italic>
          No saved query for this signal
        </Text>
      )}
      <LinkButton size="sm" variant="secondary" icon="arrow-right" href={ROUTES.incident(card.incident_id)}>
        Open incident
      </LinkButton>
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const edge = (color: string) => css({ borderLeft: `4px solid ${color}` });
  return {
    list: css({ listStyle: 'none', padding: 0, margin: 0 }),
    group: css({ marginTop: theme.spacing(1.5) }),
    row: css({
      display: 'grid',
      gridTemplateColumns: 'auto minmax(0, 1fr) auto auto',
      alignItems: 'center',
      gap: theme.spacing(1.5),
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    }),
    rowTitle: css({ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
    item: css({ marginBottom: theme.spacing(1) }),
    response: css({ marginTop: theme.spacing(1) }),
    heading: css({ display: 'inline-flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
    sev1: edge(theme.visualization.getColorByName('red')),
    sev2: edge(theme.visualization.getColorByName('orange')),
    sev3: edge(theme.visualization.getColorByName('blue')),
    sev4: edge(theme.colors.border.medium),
    missing: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      padding: theme.spacing(0.75, 1),
      border: `1px dashed ${theme.colors.error.border}`,
      borderRadius: theme.shape.radius.default,
      background: theme.colors.error.transparent,
    }),
  };
};
