import React from 'react';
import { Badge } from '@grafana/ui';

import type { RiskClass, ApprovalStatus } from '../../contract/approvals';
import type { ReviewStatus } from '../../contract/catalog';
import type { Severity } from '../../contract/common';
import type { IncidentStatus } from '../../contract/incidents';
import type { HealthStatusLevel } from '../../contract/overview';
import {
  HEALTH_COLOR,
  HEALTH_LABEL,
  SEVERITY_COLOR,
  SEVERITY_LABEL,
  STATUS_COLOR,
  STATUS_LABEL,
} from '../utils/format';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge
      color={SEVERITY_COLOR[severity]}
      text={SEVERITY_LABEL[severity]}
      icon={severity === 'sev1' ? 'fire' : undefined}
    />
  );
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge color={STATUS_COLOR[status]} text={STATUS_LABEL[status]} />;
}

export function HealthBadge({ status }: { status: HealthStatusLevel }) {
  const icon = status === 'ok' ? 'check' : status === 'unknown' ? 'question-circle' : 'exclamation-triangle';
  return <Badge color={HEALTH_COLOR[status]} text={HEALTH_LABEL[status]} icon={icon} />;
}

const REVIEW: Record<
  ReviewStatus,
  { text: string; color: 'green' | 'orange' | 'red'; icon: 'check' | 'clock-nine' | 'exclamation-triangle' }
> = {
  ok: { text: 'Reviewed', color: 'green', icon: 'check' },
  due_soon: { text: 'Review due soon', color: 'orange', icon: 'clock-nine' },
  overdue: { text: 'Review overdue', color: 'red', icon: 'exclamation-triangle' },
};

export function ReviewBadge({ status, dueAt }: { status: ReviewStatus; dueAt?: string }) {
  const review = REVIEW[status];
  return (
    <Badge
      color={review.color}
      icon={review.icon}
      text={review.text}
      tooltip={dueAt ? `Next review due ${dueAt}` : undefined}
    />
  );
}

const RISK_COLOR: Record<RiskClass, 'green' | 'orange' | 'red'> = { R1: 'green', R2: 'orange', R3: 'red' };
const RISK_TEXT: Record<RiskClass, string> = {
  R1: 'R1 · safe, reversible',
  R2: 'R2 · user-affecting',
  R3: 'R3 · platform-wide',
};

export function RiskBadge({ risk }: { risk: RiskClass }) {
  return <Badge color={RISK_COLOR[risk]} text={RISK_TEXT[risk]} icon="shield" />;
}

const APPROVAL_COLOR: Record<ApprovalStatus, 'blue' | 'green' | 'red' | 'darkgrey' | 'orange' | 'purple'> = {
  pending: 'orange',
  approved: 'blue',
  rejected: 'red',
  expired: 'darkgrey',
  executing: 'purple',
  succeeded: 'green',
  failed: 'red',
};

export function ApprovalStatusBadge({ status }: { status: ApprovalStatus }) {
  return <Badge color={APPROVAL_COLOR[status]} text={status[0].toUpperCase() + status.slice(1)} />;
}
