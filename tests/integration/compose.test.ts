/**
 * docker-compose.yaml is the user's full stack. No Docker engine runs here, but Compose itself can
 * validate the file (syntax, interpolation, references) without one.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

import { binaryAvailable } from '../support/binaries';

const root = path.join(__dirname, '..', '..');
const compose = YAML.parse(readFileSync(path.join(root, 'docker-compose.yaml'), 'utf8'));

const describeWithCompose = binaryAvailable('compose validation', 'docker-compose') ? describe : describe.skip;

describeWithCompose('docker-compose config', () => {
  it('is valid for `docker-compose config -q`', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yaml', 'config', '-q'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('docker-compose stack', () => {
  it('runs Grafana 12.3+ with dist/ as the plugin and provisioning/ mounted', () => {
    const grafana = compose.services.grafana;
    const match = /^grafana\/grafana(?:-enterprise)?:\$\{GRAFANA_VERSION:-(\d+)\.(\d+)\.\d+\}$/.exec(grafana.image);
    expect(match).not.toBeNull();
    const [major, minor] = [Number(match?.[1]), Number(match?.[2])];
    expect(major > 12 || (major === 12 && minor >= 3)).toBe(true);
    expect(grafana.volumes).toContain('./dist:/var/lib/grafana/plugins/opsdeck-ops-app:ro');
    expect(grafana.volumes).toContain('./provisioning:/etc/grafana/provisioning:ro');
    expect(grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(
      'opsdeck-ops-app,opsdeck-ops-datasource'
    );
  });

  it('points the API at the PostgreSQL service and has every component of the stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['alertmanager', 'grafana', 'loki', 'opsdeck-api', 'opsdeck-plugin', 'postgres', 'prometheus', 'tempo'].sort()
    );
    expect(compose.services['opsdeck-api'].environment.OPSDECK_DATABASE_URL).toMatch(
      /^postgres:\/\/opsdeck:.*@postgres:5432\/opsdeck$/
    );
    expect(compose.services['opsdeck-api'].build.dockerfile).toBe('Dockerfile');
    expect(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20/m);
  });

  it('builds the plugin with the datasource backend in containers, before Grafana starts', () => {
    const plugin = compose.services['opsdeck-plugin'];
    expect(plugin.build).toMatchObject({ dockerfile: 'Dockerfile', target: 'plugin' });
    expect(plugin.volumes).toContain('./dist:/dist');
    expect(compose.services.grafana.depends_on['opsdeck-plugin']).toEqual({
      condition: 'service_completed_successfully',
    });
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM golang:1\.\d+-bookworm AS backend$/m);
    expect(dockerfile).toMatch(/^FROM \S+ AS plugin$/m);
    // The Go stage names the executables as Grafana looks for them: plugin.json's `executable`_linux_<arch>.
    const { executable } = JSON.parse(readFileSync(path.join(root, 'src/datasource/plugin.json'), 'utf8'));
    expect(dockerfile).toContain(`-o /out/${executable}_linux_$arch ./pkg`);
    expect(dockerfile).toMatch(/for arch in amd64 arm64/);
  });
});
