/** Every signal leads somewhere: a runbook (in the repository for sev1 pages) and a valid expression. */
import { CATALOG_FILES } from '../../load';
import type { Finding, LintContext, LintRule, LintRuleGroup } from '../types';

const locationOf = (context: LintContext, key: string) => {
  const location = context.catalog.locate('signals', key);
  return { path: location?.path ?? context.catalogPath(CATALOG_FILES.runbooks), line: location?.line ?? null };
};

const withoutRunbook: LintRule = {
  id: 'signal-without-runbook',
  severity: 'error',
  description: 'every signal is listed by at least one runbook',
  *check(context): Iterable<Finding> {
    for (const signal of context.catalog.signals.values()) {
      if (signal.default_severity !== 'sev1' && !context.declared.coveredSignals.has(signal.key)) {
        yield {
          ...locationOf(context, signal.key),
          message: `signal ${signal.key} has no runbook: add it to the signals of the runbook that tells on-call what to do`,
        };
      }
    }
  },
};

const sev1WithoutRunbook: LintRule = {
  id: 'sev1-signal-without-runbook',
  severity: 'error',
  description:
    'every sev1 signal has a runbook whose markdown is in the repository (a page never lands on a missing or external link)',
  *check(context): Iterable<Finding> {
    for (const signal of context.catalog.signals.values()) {
      if (signal.default_severity !== 'sev1') {
        continue;
      }
      const ids = context.declared.coveredSignals.get(signal.key) ?? [];
      if (ids.length === 0) {
        yield {
          ...locationOf(context, signal.key),
          message: `sev1 signal ${signal.key} pages on-call but has no runbook`,
        };
        continue;
      }
      const inRepo = ids.some(
        (id) => context.catalog.documents.get(id)?.content != null || !context.catalog.runbooks.has(id)
      );
      if (!inRepo) {
        yield {
          ...locationOf(context, signal.key),
          message: `sev1 signal ${signal.key} has only runbooks outside the repository (${ids.join(', ')}); a sev1 runbook must be markdown under the catalog`,
        };
      }
    }
  },
};

const exprSyntax: LintRule = {
  id: 'signal-expr-syntax',
  severity: 'error',
  description: "every signal's expr parses as PromQL (@prometheus-io/lezer-promql); it becomes the signal's alert rule",
  *check(context): Iterable<Finding> {
    for (const signal of context.catalog.signals.values()) {
      const problem = context.syntaxOf('prometheus', signal.expr);
      if (problem) {
        yield {
          ...locationOf(context, signal.key),
          message: `signal ${signal.key}: expr is not valid PromQL: syntax error at column ${problem.column} near ${problem.near}`,
        };
      }
    }
  },
};

/** The dashboard every signal has a panel on; its panel IDs follow 100 × group order + position. */
export const DOMAIN_SIGNALS_DASHBOARD = 'opsdeck-domain-signals';

const panelId: LintRule = {
  id: 'signal-panel-id',
  severity: 'error',
  description: `signals on ${DOMAIN_SIGNALS_DASHBOARD} use panel_id = 100 × group order + position in the group, and no two signals share a panel`,
  *check(context): Iterable<Finding> {
    const order = new Map(context.catalog.signalGroups.map((group) => [group.key, group.order]));
    const position = new Map<string, number>();
    const taken = new Map<string, string>();
    for (const signal of context.catalog.signals.values()) {
      const n = (position.get(signal.group) ?? 0) + 1;
      position.set(signal.group, n);
      const panel = `${signal.dashboard.uid}/${signal.dashboard.panel_id}`;
      const other = taken.get(panel);
      if (other) {
        yield {
          ...locationOf(context, signal.key),
          message: `signal ${signal.key} uses panel ${signal.dashboard.panel_id} of ${signal.dashboard.uid}, already the panel of ${other}`,
        };
        continue;
      }
      taken.set(panel, signal.key);
      const groupOrder = order.get(signal.group);
      if (
        signal.dashboard.uid === DOMAIN_SIGNALS_DASHBOARD &&
        groupOrder !== undefined &&
        signal.dashboard.panel_id !== 100 * groupOrder + n
      ) {
        yield {
          ...locationOf(context, signal.key),
          message: `signal ${signal.key} is signal ${n} of group ${signal.group} (order ${groupOrder}), so its panel_id is ${100 * groupOrder + n}, not ${signal.dashboard.panel_id}; append new signals at the end of their group so panel IDs never move`,
        };
      }
    }
  },
};

export const signalRules: LintRuleGroup = {
  name: 'signals',
  rules: [withoutRunbook, sev1WithoutRunbook, exprSyntax, panelId],
};
