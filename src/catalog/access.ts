/**
 * catalog/access.yaml: users and teams per role, globally and per tenant/project; it scopes and narrows
 * what Grafana's RBAC grants. Optional: without it Opsdeck runs single-tenant (Grafana's grants apply in
 * every project; see src/api/access/resolve.ts and docs/grafana-rbac.md).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

import { AccessFile } from '../contract/access';
import type { CatalogViolation } from '../contract/catalog';

export const ACCESS_FILE = 'access.yaml';

export async function loadAccess(dir: string, violations: CatalogViolation[]): Promise<AccessFile | null> {
  let text: string;
  try {
    text = await readFile(path.join(dir, ACCESS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (error) {
    violations.push({ path: ACCESS_FILE, line: null, rule: 'catalog-file-syntax', severity: 'error', message: (error as Error).message });
    return null;
  }
  const parsed = AccessFile.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      violations.push({
        path: ACCESS_FILE,
        line: null,
        rule: 'catalog-schema',
        severity: 'error',
        message: `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
      });
    }
    return null;
  }
  for (const problem of checkAccess(parsed.data)) {
    violations.push({ path: ACCESS_FILE, line: null, rule: 'access-references', severity: 'error', message: problem });
  }
  return parsed.data;
}

/** Bindings may only name declared teams, and a tenant/project appears once. */
export function checkAccess(access: AccessFile): string[] {
  const problems: string[] = [];
  const teams = new Set(Object.keys(access.teams));
  const where = [
    ...access.global.map((binding) => ({ binding, scope: 'global' })),
    ...access.projects.flatMap((p) => p.bindings.map((binding) => ({ binding, scope: `${p.tenant}/${p.project}` }))),
  ];
  for (const { binding, scope } of where) {
    for (const team of binding.teams) {
      if (!teams.has(team)) {
        problems.push(`${scope}: binding for ${binding.role} names team ${team}, which is not declared under teams`);
      }
    }
  }
  const seen = new Set<string>();
  for (const p of access.projects) {
    const key = `${p.tenant}/${p.project}`;
    if (seen.has(key)) {
      problems.push(`${key}: listed twice under projects`);
    }
    seen.add(key);
  }
  return problems;
}
