import type { RequestScope } from '../access/identity';

/**
 * The SQL condition that keeps a query inside the caller's scope: one project (and its tenant when
 * known), or everything for `X-Project-ID: *`. Pushes its values onto `params`.
 */
export function scopeCondition(
  scope: RequestScope | null,
  params: unknown[],
  columns = { tenant: 'tenant', project: 'project' }
): string {
  if (scope === null) {
    // A project-scoped route always has a scope; failing closed keeps a mistake from leaking rows.
    return 'FALSE';
  }
  if (scope.kind === 'all') {
    return 'TRUE';
  }
  params.push(scope.project);
  const project = `${columns.project} = $${params.length}`;
  if (scope.tenant === null) {
    return project;
  }
  params.push(scope.tenant);
  return `${project} AND ${columns.tenant} = $${params.length}`;
}
