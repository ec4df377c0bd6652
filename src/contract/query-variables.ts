/**
 * The variables a saved query may use, as a plain constant without zod: the lint worker thread and
 * the Explore link builder need only this, and importing it must not load the schemas.
 */
export const QUERY_VARIABLES = [
  'correlation_id',
  'trace_id',
  'resource_name',
  'host_role',
  'window',
  'service',
] as const;
export type QueryVariableName = (typeof QUERY_VARIABLES)[number];

/**
 * `$name` or `${name}` of a known variable (group 1 braced, group 2 bare). Global: use it with
 * `matchAll` and `replace`, which do not depend on its `lastIndex`, never with `exec`/`test`.
 */
export const QUERY_VARIABLE_PATTERN = new RegExp(
  `\\$(?:\\{(${QUERY_VARIABLES.join('|')})\\}|(${QUERY_VARIABLES.join('|')})\\b)`,
  'g'
);

/** The variables a query text uses (`$name` or `${name}`), in order of first appearance. */
export function queryVariablesOf(expr: string): QueryVariableName[] {
  const found: QueryVariableName[] = [];
  for (const match of expr.matchAll(QUERY_VARIABLE_PATTERN)) {
    const name = (match[1] ?? match[2]) as QueryVariableName;
    if (!found.includes(name)) {
      found.push(name);
    }
  }
  return found;
}
