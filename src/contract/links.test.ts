// The links every room builds come from src/contract/links.ts: the IDs match the manifests, the builders
// give the paths Grafana serves, and no other source file re-encodes the plugin ID or the app's path.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
  absoluteLink,
  APP_BASE_PATH,
  APP_PLUGIN_ID,
  appLinks,
  appLinkTemplates,
  DATASOURCE_PLUGIN_ID,
  exploreLink,
  panelLink,
} from './links';

const root = path.join(__dirname, '..', '..');
const manifest = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as { id: string };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(full);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('contract links', () => {
  it('names the plugin IDs of the two manifests', () => {
    expect(manifest('plugin.json').id).toBe(APP_PLUGIN_ID);
    expect(manifest('src/datasource/plugin.json').id).toBe(DATASOURCE_PLUGIN_ID);
    expect(APP_BASE_PATH).toBe('/a/opsdeck-ops-app');
  });

  it('builds the app pages with encoded IDs and only the filters that are set', () => {
    expect(appLinks.incident('a/b')).toBe('/a/opsdeck-ops-app/incidents/a%2Fb');
    expect(appLinks.incidents({ status: 'open', team: undefined })).toBe('/a/opsdeck-ops-app/incidents?status=open');
    expect(appLinks.runbook('ops.api.error_rate')).toBe('/a/opsdeck-ops-app/runbooks/ops.api.error_rate');
    expect(appLinks.runbook('ops.outbox.relay', 'inc 1')).toBe(
      '/a/opsdeck-ops-app/runbooks/ops.outbox.relay?incident=inc+1'
    );
    expect(appLinks.approval('ap1')).toBe('/a/opsdeck-ops-app/approvals/ap1');
    expect(appLinks.investigate('req-1')).toBe('/a/opsdeck-ops-app/investigate?correlation_id=req-1');
    expect(appLinks.investigate()).toBe('/a/opsdeck-ops-app/investigate');
    expect(appLinks.config()).toBe('/plugins/opsdeck-ops-app');
  });

  it('leaves Grafana data-link interpolations unencoded so Grafana can substitute them', () => {
    expect(appLinkTemplates.incident('${__data.fields.id}')).toBe('/a/opsdeck-ops-app/incidents/${__data.fields.id}');
    expect(appLinkTemplates.investigate('${__value.raw}')).toBe(
      '/a/opsdeck-ops-app/investigate?correlation_id=${__value.raw}'
    );
  });

  it('builds dashboard, panel and Explore links, absolute under any Grafana base URL', () => {
    expect(panelLink('opsdeck-slo-burn', 4)).toBe('/d/opsdeck-slo-burn?viewPanel=4');
    const explore = exploreLink({
      a: { datasource: 'prom', queries: [{ expr: 'up' }], range: { from: 'now-1h', to: 'now' } },
    });
    const url = new URL(explore, 'http://grafana');
    expect(url.pathname).toBe('/explore');
    expect(url.searchParams.get('schemaVersion')).toBe('1');
    expect(url.searchParams.get('orgId')).toBe('1');
    expect(JSON.parse(url.searchParams.get('panes') ?? '{}').a.queries[0].expr).toBe('up');
    expect(absoluteLink('https://grafana.example/', appLinks.ops())).toBe(
      'https://grafana.example/a/opsdeck-ops-app/ops'
    );
    expect(absoluteLink(undefined, appLinks.ops())).toBe('/a/opsdeck-ops-app/ops');
  });

  it('is the only source file that spells the plugin IDs or the app path', () => {
    const own = path.join(__dirname, 'links.ts');
    const copies = sourceFiles(path.join(root, 'src'))
      .filter((file) => file !== own)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ file: path.relative(root, file), line: index + 1, text: line }))
      )
      // Comments may name the IDs (documentation); code may not.
      .filter(({ text }) => !/^\s*(\/\/|\*|\/\*\*)/.test(text))
      .filter(({ text }) => /['"`](\/a\/)?opsdeck-ops-(app|datasource)\b|\/a\/opsdeck-ops-app|\/a\/\$\{/.test(text));
    expect(copies).toEqual([]);
  });
});
