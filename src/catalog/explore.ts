/**
 * Saved queries → Grafana Explore links. Pure: the API, the linter and tests share it.
 *
 * Variables are written `$name` or `${name}` (QUERY_VARIABLES). Values are escaped for the double-quoted
 * string literals LogQL, TraceQL and PromQL share, and `$window` must be a duration, so a value can
 * never change the shape of the query it is put into.
 */
import type { QueryDatasource, QueryVariable, SavedQuery } from '../contract/catalog';
import { absoluteLink, exploreLink } from '../contract/links';
import { QUERY_VARIABLE_PATTERN, queryVariablesOf } from '../contract/query-variables';

const DURATION_PATTERN = /^\d+(ms|s|m|h|d|w|y)$/;

export type QueryValues = Partial<Record<QueryVariable, string>>;

export class InvalidVariableError extends Error {
  constructor(
    readonly variable: QueryVariable,
    message: string
  ) {
    super(message);
    this.name = 'InvalidVariableError';
  }
}

/** The variables a query text uses, in order of first appearance (the contract's reader, shared with the app). */
export const variablesOf: (expr: string) => QueryVariable[] = queryVariablesOf;

const escapeForStringLiteral = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Fills the variables; returns the names that had no value (the text then keeps their placeholders). */
export function substituteVariables(expr: string, values: QueryValues): { expr: string; missing: QueryVariable[] } {
  const missing = variablesOf(expr).filter((name) => values[name] === undefined || values[name] === '');
  for (const [name, value] of Object.entries(values)) {
    if (name === 'window' && value && !DURATION_PATTERN.test(value)) {
      throw new InvalidVariableError('window', `window must be a duration like 5m or 1h, got ${JSON.stringify(value)}`);
    }
  }
  const filled = expr.replace(QUERY_VARIABLE_PATTERN, (placeholder, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as QueryVariable;
    const value = values[name];
    if (value === undefined || value === '') {
      return placeholder;
    }
    return name === 'window' ? value : escapeForStringLiteral(value);
  });
  return { expr: filled, missing };
}

export interface ExploreTarget {
  datasourceUids: Record<QueryDatasource, string>;
  from?: string;
  to?: string;
  orgId?: number;
  /** Grafana base URL; empty keeps the link relative to Grafana. */
  grafanaUrl?: string;
}

function exploreQuery(datasource: QueryDatasource, uid: string, expr: string) {
  const ref = { type: datasource, uid };
  if (datasource === 'tempo') {
    return { refId: 'A', datasource: ref, queryType: 'traceql', query: expr, limit: 20 };
  }
  return { refId: 'A', datasource: ref, expr, ...(datasource === 'loki' ? { queryType: 'range' } : {}) };
}

/** A Grafana Explore URL (`/explore?schemaVersion=1&panes=…`) for an already-substituted query. */
export function exploreUrl(datasource: QueryDatasource, expr: string, target: ExploreTarget): string {
  const uid = target.datasourceUids[datasource];
  const panes = {
    opsdeck: {
      datasource: uid,
      queries: [exploreQuery(datasource, uid, expr)],
      range: { from: target.from ?? 'now-1h', to: target.to ?? 'now' },
    },
  };
  return absoluteLink(target.grafanaUrl, exploreLink(panes, target.orgId));
}

/** Explore link for a saved query with the given values; `url` is null when a variable is missing. */
export function savedQueryExploreLink(
  query: SavedQuery,
  values: QueryValues,
  target: ExploreTarget
): { expr: string; url: string | null; missing: QueryVariable[] } {
  const { expr, missing } = substituteVariables(query.expr, values);
  const url = missing.length > 0 ? null : exploreUrl(query.datasource, expr, { ...target, from: target.from ?? query.default_range });
  return { expr, url, missing };
}
