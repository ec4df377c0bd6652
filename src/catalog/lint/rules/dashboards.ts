/**
 * Panels that signals and symptoms point at exist: when a dashboard with the referenced UID is in the
 * repository (dashboards/ or provisioning/dashboards/), it must have the panel ID. Dashboards kept
 * elsewhere are not checked.
 */
import path from 'node:path';

import { listFiles, relativePath } from '../../files';
import type { Finding, LintContext, LintRule, LintRuleGroup } from '../types';

const DASHBOARD_DIRS = ['dashboards', 'provisioning/dashboards'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function collectPanelIds(node: unknown, into: Set<number>) {
  if (!isRecord(node)) {
    return;
  }
  for (const key of ['panels', 'rows']) {
    const children = node[key];
    if (Array.isArray(children)) {
      for (const child of children) {
        if (isRecord(child) && typeof child.id === 'number') {
          into.add(child.id);
        }
        collectPanelIds(child, into);
      }
    }
  }
}

/** uid → { file, panel IDs } of every dashboard JSON in the repository. */
export function repositoryDashboards(context: LintContext): Map<string, { file: string; panels: Set<number> }> {
  const dashboards = new Map<string, { file: string; panels: Set<number> }>();
  for (const file of DASHBOARD_DIRS.flatMap((dir) => listFiles(path.join(context.root, dir), ['.json']))) {
    const relative = relativePath(context.root, file);
    let data: unknown;
    try {
      data = JSON.parse(context.readText(relative) ?? '');
    } catch {
      continue;
    }
    const dashboard = isRecord(data) && isRecord(data.dashboard) ? data.dashboard : data;
    if (isRecord(dashboard) && typeof dashboard.uid === 'string') {
      const panels = new Set<number>();
      collectPanelIds(dashboard, panels);
      dashboards.set(dashboard.uid, { file: relative, panels });
    }
  }
  return dashboards;
}

const panelUnknown: LintRule = {
  id: 'dashboard-panel-unknown',
  severity: 'error',
  description: 'the dashboard panel a signal or symptom names exists when that dashboard is in the repository',
  *check(context): Iterable<Finding> {
    const dashboards = repositoryDashboards(context);
    if (dashboards.size === 0) {
      return;
    }
    const references = [
      ...[...context.catalog.signals.values()].map((signal) => ({
        what: `signal ${signal.key}`,
        ref: signal.dashboard,
        location: () => context.catalog.locate('signals', signal.key),
      })),
      ...context.catalog.symptoms.map((symptom) => ({
        what: `symptom ${symptom.id}`,
        ref: symptom.panel,
        location: () => context.catalog.locate('symptoms', symptom.id),
      })),
    ];
    for (const { what, ref, location: locate } of references) {
      const dashboard = dashboards.get(ref.uid);
      if (dashboard && !dashboard.panels.has(ref.panel_id)) {
        const location = locate();
        yield {
          path: location?.path ?? '',
          line: location?.line ?? null,
          message: `${what} points at panel ${ref.panel_id} of dashboard ${ref.uid}, but ${dashboard.file} has no panel with that id`,
        };
      }
    }
  },
};

export const dashboardRules: LintRuleGroup = { name: 'dashboards', rules: [panelUnknown] };
