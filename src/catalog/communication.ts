/**
 * catalog/status-updates.yaml (the four status-update templates) and catalog/postmortem-policy.yaml
 * (which severities need a postmortem, and how soon). Both are optional: the defaults below are the
 * operating model's (a sev1 postmortem within 48 h of resolution, a sev2 one within a week).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

import type { CatalogViolation } from '../contract/catalog';
import {
  PostmortemPolicyFile,
  StatusTemplatesFile,
  TEMPLATE_PLACEHOLDERS,
  UPDATE_STAGES,
} from '../contract/communication';
import { placeholdersOf } from './actions';

export const STATUS_TEMPLATES_FILE = 'status-updates.yaml';
export const POSTMORTEM_POLICY_FILE = 'postmortem-policy.yaml';

export const DEFAULT_STATUS_TEMPLATES: StatusTemplatesFile = {
  version: 1,
  templates: {
    investigating: 'We are investigating {{title}} ({{severity}}) affecting {{service}} since {{opened_at}}.',
    identified: 'We have identified the cause of {{title}} and are working on a fix.',
    monitoring: 'A fix for {{title}} is in place; we are monitoring the results.',
    resolved: '{{title}} is resolved. It lasted {{duration}}.',
  },
};

export const DEFAULT_POSTMORTEM_POLICY: PostmortemPolicyFile = PostmortemPolicyFile.parse({
  version: 1,
  required: { sev1: { due_hours: 48 }, sev2: { due_hours: 168 } },
  action_item_due_days: 14,
});

export interface LoadedCommunication {
  statusTemplates: StatusTemplatesFile;
  postmortemPolicy: PostmortemPolicyFile;
}

async function readYaml(file: string, dir: string, violations: CatalogViolation[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  try {
    return YAML.parse(text);
  } catch (error) {
    violations.push({ path: file, line: null, rule: 'catalog-file-syntax', severity: 'error', message: (error as Error).message });
    return undefined;
  }
}

function parseOr<T>(
  file: string,
  data: unknown,
  schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
  violations: CatalogViolation[]
): T | null {
  if (data === undefined) {
    return null;
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) {
    return parsed.data;
  }
  for (const issue of parsed.error.issues) {
    violations.push({
      path: file,
      line: null,
      rule: 'catalog-schema',
      severity: 'error',
      message: `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    });
  }
  return null;
}

/** Placeholders a template uses that the API cannot fill (a typo would otherwise be published verbatim). */
export function unknownPlaceholders(templates: StatusTemplatesFile): string[] {
  const known = new Set<string>(TEMPLATE_PLACEHOLDERS);
  const problems: string[] = [];
  for (const stage of UPDATE_STAGES) {
    for (const name of placeholdersOf(templates.templates[stage])) {
      if (!known.has(name)) {
        problems.push(`templates.${stage}: unknown placeholder {{${name}}}; known: ${TEMPLATE_PLACEHOLDERS.join(', ')}`);
      }
    }
  }
  return problems;
}

export async function loadCommunication(dir: string, violations: CatalogViolation[]): Promise<LoadedCommunication> {
  const templates = parseOr(
    STATUS_TEMPLATES_FILE,
    await readYaml(STATUS_TEMPLATES_FILE, dir, violations),
    StatusTemplatesFile,
    violations
  );
  for (const message of templates ? unknownPlaceholders(templates) : []) {
    violations.push({ path: STATUS_TEMPLATES_FILE, line: null, rule: 'catalog-schema', severity: 'error', message });
  }
  const policy = parseOr(
    POSTMORTEM_POLICY_FILE,
    await readYaml(POSTMORTEM_POLICY_FILE, dir, violations),
    PostmortemPolicyFile,
    violations
  );
  return {
    statusTemplates: templates ?? DEFAULT_STATUS_TEMPLATES,
    postmortemPolicy: policy ?? DEFAULT_POSTMORTEM_POLICY,
  };
}
