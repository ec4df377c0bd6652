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
