/** Saved queries parse with Grafana's own grammars after their variables are filled. */
import { CATALOG_FILES } from '../../load';
import { unknownVariables } from '../../query-syntax';
import { QUERY_VARIABLES } from '../../../contract/catalog';
import type { Finding, LintContext, LintRule, LintRuleGroup } from '../types';

const GRAMMAR = {
  loki: 'LogQL (@grafana/lezer-logql)',
  tempo: 'TraceQL (@grafana/lezer-traceql)',
  prometheus: 'PromQL (@prometheus-io/lezer-promql)',
};

const locationOf = (context: LintContext, id: string) => {
  const location = context.catalog.locate('queries', id);
  return { path: location?.path ?? context.catalogPath(CATALOG_FILES.queries), line: location?.line ?? null };
};

const variableUnknown: LintRule = {
  id: 'query-variable-unknown',
  severity: 'error',
  description: `saved queries use only the variables ${QUERY_VARIABLES.map((v) => `$${v}`).join(', ')} (and Grafana's $__ globals)`,
  *check(context): Iterable<Finding> {
    for (const query of context.catalog.queries.values()) {
      const unknown = unknownVariables(query.expr);
      if (unknown.length > 0) {
        yield {
          ...locationOf(context, query.id),
          message: `saved query ${query.id} uses ${unknown.map((v) => `$${v}`).join(', ')}, which Opsdeck cannot fill; use one of ${QUERY_VARIABLES.map((v) => `$${v}`).join(', ')}`,
        };
      }
    }
  },
};

const syntax: LintRule = {
  id: 'query-syntax',
  severity: 'error',
  description:
    'every saved query parses with its datasource grammar (LogQL, TraceQL, PromQL) after variable substitution',
  *check(context): Iterable<Finding> {
    for (const query of context.catalog.queries.values()) {
      if (unknownVariables(query.expr).length > 0) {
        continue;
      }
      const problem = context.syntaxOf(query.datasource, query.expr);
      if (problem) {
        yield {
          ...locationOf(context, query.id),
          message: `saved query ${query.id} is not valid ${GRAMMAR[query.datasource]}: syntax error at line ${problem.line}, column ${problem.column} near ${problem.near}`,
        };
      }
    }
  },
};

export const queryRules: LintRuleGroup = { name: 'queries', rules: [variableUnknown, syntax] };
