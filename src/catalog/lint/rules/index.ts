/**
 * Every rule group of `opsdeck lint`, in report order. To add a group (e.g. `actions`, `slo`): write
 * ./<group>.ts exporting a LintRuleGroup, add it here, and add one fixture repository per rule under
 * tests/lint/fixtures/<rule-id>/ (tests/lint/fixtures.test.ts checks that every rule has one).
 */
import type { LintRuleGroup } from '../types';
import { actionRules } from './actions';
import { alertRules } from './alerts';
import { dashboardRules } from './dashboards';
import { idRules } from './ids';
import { manifestRules } from './manifest';
import { oncallRules } from './oncall';
import { queryRules } from './queries';
import { reviewRules } from './review';
import { runbookRules } from './runbooks';
import { secretRules } from './secrets';
import { signalRules } from './signals';

export const RULE_GROUPS: readonly LintRuleGroup[] = [
  manifestRules,
  reviewRules,
  signalRules,
  runbookRules,
  secretRules,
  alertRules,
  queryRules,
  idRules,
  dashboardRules,
  actionRules,
  oncallRules,
];
