/**
 * What the Go backend datasource (pkg/plugin) needs from this contract, as JSON: the state vocabulary
 * (its value mappings), the API endpoints it calls, the app links its frames carry and the plugin IDs. Go cannot import
 * TypeScript, so pkg/plugin/contract.gen.json is generated from this function and embedded in the
 * binary; go-contract.test.ts fails when the committed file is stale (OPSDECK_WRITE_GO_CONTRACT=1
 * rewrites it), so a path, word or colour is still written once.
 */
import { endpoints } from './endpoints';
import { APP_PLUGIN_ID, appLinkTemplates, DATASOURCE_PLUGIN_ID } from './links';
import { VOCABULARIES } from './vocabulary';

export const GO_CONTRACT_FILE = 'pkg/plugin/contract.gen.json';

export function goContract() {
  return {
    generated_by: 'src/contract/go-contract.ts (OPSDECK_WRITE_GO_CONTRACT=1 npx jest src/contract/go-contract.test.ts)',
    plugins: { app: APP_PLUGIN_ID, datasource: DATASOURCE_PLUGIN_ID },
    vocabularies: Object.fromEntries(
      Object.entries(VOCABULARIES).map(([name, vocabulary]) => [
        name,
        Object.entries(vocabulary).map(([value, term]) => ({ value, label: term.label, color: term.color })),
      ])
    ),
    endpoints: Object.fromEntries(
      Object.entries(endpoints).map(([name, entry]) => [name, { method: entry.method, path: entry.path }])
    ),
    // Grafana data-link templates: Grafana fills the field interpolation when the link is clicked.
    links: {
      incident: appLinkTemplates.incident('${__data.fields.id}'),
      runbook: appLinkTemplates.runbook('${__data.fields.id}'),
      approval: appLinkTemplates.approval('${__data.fields.id}'),
      investigate: appLinkTemplates.investigate('${__value.raw}'),
    },
  };
}
