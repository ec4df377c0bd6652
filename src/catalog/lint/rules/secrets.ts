/** No credentials in runbook content: it is served to every viewer and copied into incident timelines. */
import { findSecrets, SECRET_KIND_LABEL } from '../../secrets';
import type { Finding, LintRule, LintRuleGroup } from '../types';

const secretInRunbook: LintRule = {
  id: 'runbook-secret',
  severity: 'error',
  description:
    'runbook markdown has no private key blocks, cloud access keys, literal bearer tokens or password=/secret=/token= literals ($VAR and <placeholder> values are fine)',
  *check(context): Iterable<Finding> {
    for (const [id, document] of context.catalog.documents) {
      if (document.path === null || document.content === null) {
        continue;
      }
      for (const secret of findSecrets(document.content)) {
        yield {
          path: document.path,
          line: secret.line,
          message: `runbook ${id} contains ${SECRET_KIND_LABEL[secret.kind]} at column ${secret.column} (${secret.excerpt}); use a $VARIABLE or a <placeholder from vault> and rotate the credential`,
        };
      }
    }
  },
};

export const secretRules: LintRuleGroup = { name: 'secrets', rules: [secretInRunbook] };
