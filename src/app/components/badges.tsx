import React from 'react';
import { Badge, type IconName } from '@grafana/ui';

import type { RiskClass, ApprovalStatus } from '../../contract/approvals';
import type { ReviewStatus } from '../../contract/catalog';
import type { Severity } from '../../contract/common';
import type { IncidentStatus } from '../../contract/incidents';
import type { HealthStatusLevel } from '../../contract/overview';
import {
  APPROVAL_STATUS,
  badgeText,
  HEALTH,
  INCIDENT_STATUS,
  REVIEW_STATUS,
  RISK_CLASS,
  SEVERITY,
  type Term,
} from '../../contract/vocabulary';

// Words and colours are the contract's vocabulary (the datasource's value mappings use the same table);
// only the icons are the app's own.

function TermBadge({ term, icon, tooltip }: { term: Term; icon?: IconName; tooltip?: string }) {
  return <Badge color={term.color} text={badgeText(term)} icon={icon} tooltip={tooltip} />;
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <TermBadge term={SEVERITY[severity]} icon={severity === 'sev1' ? 'fire' : undefined} />;
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return <TermBadge term={INCIDENT_STATUS[status]} />;
}

const HEALTH_ICON: Record<HealthStatusLevel, IconName> = {
  ok: 'check',
  warn: 'exclamation-triangle',
  crit: 'exclamation-triangle',
  unknown: 'question-circle',
};

export function HealthBadge({ status }: { status: HealthStatusLevel }) {
  return <TermBadge term={HEALTH[status]} icon={HEALTH_ICON[status]} />;
}

const REVIEW_ICON: Record<ReviewStatus, IconName> = {
  ok: 'check',
  due_soon: 'clock-nine',
  overdue: 'exclamation-triangle',
};

export function ReviewBadge({ status, dueAt }: { status: ReviewStatus; dueAt?: string }) {
  return (
    <TermBadge
      term={REVIEW_STATUS[status]}
      icon={REVIEW_ICON[status]}
      tooltip={dueAt ? `Next review due ${dueAt}` : undefined}
    />
  );
}

export function RiskBadge({ risk }: { risk: RiskClass }) {
  return <TermBadge term={RISK_CLASS[risk]} icon="shield" />;
}

export function ApprovalStatusBadge({ status }: { status: ApprovalStatus }) {
  return <TermBadge term={APPROVAL_STATUS[status]} />;
}
