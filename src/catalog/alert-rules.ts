/**
 * The index of alert rules that page someone: Prometheus rule files under alerts/ and Grafana
 * alerting provisioning files under provisioning/alerting/. Both keep rules in `groups[].rules[]`;
 * a Prometheus alert has `alert:`, a Grafana rule has `title:`, recording rules (`record:`) are skipped,
 * and files without `groups` (Alertmanager config, contact points, promtool tests) contribute nothing.
 *
 * js-yaml, not the `yaml` package: 10k rules parse in ~0.1-0.4 s instead of ~2.4 s (lint budget).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import jsyaml from 'js-yaml';

import { listFiles, relativePath } from './files';
import type { AlertIndex, AlertRule } from './model';

/** Where alert rules live, relative to the repository root. */
export const ALERT_RULE_DIRS = ['alerts', 'provisioning/alerting'] as const;
const RULE_FILE_EXTENSIONS = ['.yml', '.yaml', '.json'] as const;

/** Label values that make an alert informational: it needs no runbook. */
const NON_ACTIONABLE_SEVERITIES = new Set(['info', 'none']);

type Problem = AlertIndex['problems'][number];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        out[key] = String(v);
      }
    }
  }
  return out;
}

/** Lines that name a rule (`alert: X` / `title: X`, or their JSON form), in file order. */
function nameLines(text: string, json: boolean): Array<{ name: string; line: number }> {
  const out: Array<{ name: string; line: number }> = [];
  const pattern = json
    ? /"(?:alert|title)"\s*:\s*"((?:[^"\\]|\\.)*)"/
    : /^[\s-]*(?:alert|title)\s*:\s*(.*?)\s*(?:\s#.*)?$/;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('alert') && !line.includes('title')) {
      continue;
    }
    const match = pattern.exec(line);
    if (match) {
      let name = match[1];
      if (json) {
        name = JSON.parse(`"${name}"`);
      } else if (/^(['"]).*\1$/.test(name)) {
        name = name.slice(1, -1);
      }
      out.push({ name, line: i + 1 });
    }
  }
  return out;
}

/** Rules of one parsed rule file; `locate` gives each rule's line from its name. */
export function rulesOfDocument(file: string, data: unknown, locate: (name: string) => number | null): AlertRule[] {
  if (!isRecord(data) || !Array.isArray(data.groups)) {
    return [];
  }
  const rules: AlertRule[] = [];
  for (const group of data.groups) {
    if (!isRecord(group) || !Array.isArray(group.rules)) {
      continue;
    }
    const groupName = typeof group.name === 'string' ? group.name : '';
    for (const rule of group.rules) {
      if (!isRecord(rule) || 'record' in rule) {
        continue;
      }
      const kind = typeof rule.alert === 'string' ? 'prometheus' : typeof rule.title === 'string' ? 'grafana' : null;
      if (kind === null) {
        continue;
      }
      const name = String(kind === 'prometheus' ? rule.alert : rule.title);
      const labels = stringMap(rule.labels);
      const annotations = stringMap(rule.annotations);
      const severity = labels.severity?.toLowerCase();
      rules.push({
        file,
        name,
        kind,
        group: groupName,
        line: locate(name),
        signal_key: labels.signal_key ?? annotations.signal_key ?? null,
        runbookId: annotations.runbook_id?.trim() || null,
        runbookUrl: annotations.runbook_url?.trim() || null,
        actionable: !(severity && NON_ACTIONABLE_SEVERITIES.has(severity)) && labels.opsdeck_actionable !== 'false',
        labels,
      });
    }
  }
  return rules;
}

/** Parses one rule file's text; throws with a 1-based line when the syntax is broken. */
export function parseRuleFile(file: string, text: string): AlertRule[] {
  const json = file.endsWith('.json');
  let data: unknown;
  try {
    data = json ? JSON.parse(text) : jsyaml.load(text, { filename: file });
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    throw Object.assign(new Error((error as Error).message.split('\n')[0]), {
      line: mark?.line !== undefined ? mark.line + 1 : null,
    });
  }
  const names = nameLines(text, json);
  let cursor = 0;
  return rulesOfDocument(file, data, (name) => {
    // Rules come in file order, so the next line naming this rule is its line.
    for (let i = cursor; i < names.length; i++) {
      if (names[i].name === name) {
        cursor = i + 1;
        return names[i].line;
      }
    }
    return names.find((candidate) => candidate.name === name)?.line ?? null;
  });
}

/** Reads and parses every rule file under ALERT_RULE_DIRS (synchronously: see load.ts). */
export function readAlertIndexSync(root: string): AlertIndex {
  const files = ALERT_RULE_DIRS.flatMap((dir) => listFiles(path.join(root, dir), RULE_FILE_EXTENSIONS)).map(
    (absolute) => relativePath(root, absolute)
  );
  const problems: Problem[] = [];
  const perFile = files.map((file) => {
    try {
      return parseRuleFile(file, readFileSync(path.join(root, file), 'utf8'));
    } catch (error) {
      problems.push({
        path: file,
        line: (error as { line?: number | null }).line ?? null,
        message: (error as Error).message,
      });
      return [];
    }
  });
  return indexAlertRules(perFile.flat(), problems, files);
}

export async function readAlertIndex(root: string): Promise<AlertIndex> {
  return readAlertIndexSync(root);
}

/** The index over rules read elsewhere (e.g. by the lint worker thread). */
export function indexAlertRules(
  rules: readonly AlertRule[],
  problems: AlertIndex['problems'],
  files: readonly string[]
): AlertIndex {
  const byRunbook = new Map<string, AlertRule[]>();
  for (const rule of rules) {
    if (rule.runbookId) {
      const list = byRunbook.get(rule.runbookId);
      if (list) {
        list.push(rule);
      } else {
        byRunbook.set(rule.runbookId, [rule]);
      }
    }
  }
  return { rules, byRunbook, problems, files };
}
