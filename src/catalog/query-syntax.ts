/**
 * Syntax checks with Grafana's and Prometheus' own grammars (the Lezer parsers their query editors
 * use): LogQL, TraceQL and PromQL. Variables are filled with sample values first, the same way the
 * Explore link fills them, so the text checked is the text Grafana would run.
 */
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';

import type { QueryDatasource } from '../contract/catalog';
import { QUERY_VARIABLES } from '../contract/query-variables';
import { substituteVariables, type QueryValues } from './explore';

/** Values that look like production ones; each must keep the query's shape. */
export const SAMPLE_VALUES: Required<QueryValues> = {
  correlation_id: 'req-01J9Z8Y7X6W5V4T3S2R1Q0P9N8',
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  resource_name: 'core42:aicloud:eu-west-1:t-acme:p-vision:allocation:alloc-42',
  host_role: 'worker_compute',
  window: '5m',
  service: 'api-gateway',
};

/** Grafana's global variables a saved query may also use; replaced by a duration for the check. */
const GRAFANA_GLOBALS = /\$(?:\{__[a-z_]+\}|__[a-z_]+)/g;
const ANY_VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

const PARSERS: Record<QueryDatasource, typeof promqlParser> = {
  loki: logqlParser,
  tempo: traceqlParser,
  prometheus: promqlParser,
};

export interface SyntaxProblem {
  /** 1-based line and column in the substituted text. */
  line: number;
  column: number;
  /** The text around the error, for the message. */
  near: string;
}

/** Variables other than QUERY_VARIABLES and Grafana's `$__…` globals: they would stay unfilled. */
export function unknownVariables(expr: string): string[] {
  const known = new Set<string>(QUERY_VARIABLES);
  const unknown: string[] = [];
  for (const match of expr.matchAll(ANY_VARIABLE)) {
    const name = match[1] ?? match[2];
    if (!known.has(name) && !name.startsWith('__') && !unknown.includes(name)) {
      unknown.push(name);
    }
  }
  return unknown;
}

/** Fills variables with SAMPLE_VALUES (Grafana globals with `5m`), as Explore would receive it. */
export function sampleQueryText(expr: string): string {
  return substituteVariables(expr, SAMPLE_VALUES).expr.replace(GRAFANA_GLOBALS, '5m');
}

/** The first syntax error of an already-substituted query, or null when it parses. */
export function syntaxError(language: QueryDatasource, text: string): SyntaxProblem | null {
  const tree = PARSERS[language].parse(text);
  let at = -1;
  tree.iterate({
    enter(node) {
      if (at >= 0) {
        return false;
      }
      if (node.type.isError) {
        at = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (at < 0) {
    return null;
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const near = at >= text.length ? 'end of query' : JSON.stringify(text.slice(at, at + 24));
  return { line, column, near };
}

/** Parses a saved query (or a signal expression) after variable substitution. */
export function checkQuerySyntax(language: QueryDatasource, expr: string): SyntaxProblem | null {
  return syntaxError(language, sampleQueryText(expr));
}
