import React from 'react';
import { LinkButton, Tooltip, Button } from '@grafana/ui';

import type { SavedQueryLink } from '../../contract/incidents';
import { useOps } from '../context/OpsContext';
import { exploreHref } from '../utils/explore';

/** A saved query as an Explore link; disabled with the missing variables when the API could not fill them. */
export function ExploreButton({
  link,
  label,
  testId,
  onOpen,
}: {
  /** `datasource` null: the link's datasource kind is unknown, so its UID is left as the API wrote it. */
  link: Pick<SavedQueryLink, 'id' | 'title' | 'explore_url' | 'missing_variables'> & {
    datasource: SavedQueryLink['datasource'] | null;
  };
  label?: string;
  testId?: string;
  onOpen?: () => void;
}) {
  const { settings } = useOps();
  const href = exploreHref(link.explore_url, link.datasource, settings);
  const text = label ?? link.title;
  if (!href) {
    const missing = link.missing_variables.length ? link.missing_variables.join(', ') : 'a variable';
    return (
      <Tooltip content={`Needs ${missing} before it can open in Explore`}>
        <Button size="sm" variant="secondary" fill="outline" icon="compass" disabled data-testid={testId}>
          {text}
        </Button>
      </Tooltip>
    );
  }
  return (
    <LinkButton
      size="sm"
      variant="secondary"
      fill="outline"
      icon="compass"
      href={href}
      data-testid={testId}
      onClick={onOpen}
      tooltip={`Open “${link.title}” in Explore${link.datasource ? ` (${link.datasource})` : ''}`}
    >
      {text}
    </LinkButton>
  );
}
