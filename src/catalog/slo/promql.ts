/**
 * PromQL syntax checks with Prometheus's own grammar (@prometheus-io/lezer-promql), for everything the
 * generators write: a syntax error is caught by `opsdeck generate`, not by Prometheus or Grafana later.
 */
import { parser } from '@prometheus-io/lezer-promql';

/** Offsets of syntax errors in `expr` (empty when it parses). */
export function promqlSyntaxErrors(expr: string): number[] {
  const offsets: number[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) {
        offsets.push(node.from);
      }
    },
  });
  return offsets;
}

/**
 * Grafana's dashboard variables are not PromQL: replace them with sample values before parsing
 * (`$__rate_interval` and `$__interval` by a duration, `${var}`/`$var` by an identifier-safe string).
 */
export function withSampleGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, '5m')
    .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::[a-z]+)?\}|\$[A-Za-z_][A-Za-z0-9_]*/g, 'sample');
}

export class PromqlSyntaxError extends Error {
  constructor(
    readonly where: string,
    readonly expr: string,
    readonly offsets: number[]
  ) {
    super(`${where}: PromQL does not parse at offset ${offsets.join(', ')}: ${expr}`);
    this.name = 'PromqlSyntaxError';
  }
}

/** Throws PromqlSyntaxError when `expr` does not parse. */
export function assertPromql(where: string, expr: string): string {
  const offsets = promqlSyntaxErrors(expr);
  if (offsets.length > 0) {
    throw new PromqlSyntaxError(where, expr, offsets);
  }
  return expr;
}
