/**
 * What `npm run build` must leave in dist/ for Grafana to load both plugins. `npm test` builds first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { loadManifest, rbacViolations } from '../support/plugin-rbac';

const root = path.join(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const read = (file: string) => readFileSync(path.join(dist, file), 'utf8');

describe('built plugin (dist/)', () => {
  beforeAll(() => {
    if (!existsSync(path.join(dist, 'module.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it before this suite)');
    }
  });

  it('holds the app module and the root plugin.json with its version filled in', () => {
    const manifest = JSON.parse(read('plugin.json'));
    const source = JSON.parse(readFileSync(path.join(root, 'plugin.json'), 'utf8'));
    expect(manifest.id).toBe('opsdeck-ops-app');
    expect(manifest.type).toBe('app');
    expect(manifest.dependencies.grafanaDependency).toBe('>=12.3.0');
    expect(manifest.includes).toEqual(
      JSON.parse(JSON.stringify(source.includes).replaceAll('%PLUGIN_ID%', 'opsdeck-ops-app'))
    );
    expect(manifest.info.version).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
    expect(read('module.js')).toMatch(/^\/\* \[create-plugin\] version/);
    // An AMD module, as Grafana's loader expects.
    expect(read('module.js')).toContain('define([');
    expect(existsSync(path.join(dist, 'img', 'logo.svg'))).toBe(true);
  });

  it('holds the nested datasource with its own plugin.json and module', () => {
    const manifest = JSON.parse(read('datasource/plugin.json'));
    expect(manifest.id).toBe('opsdeck-ops-datasource');
    expect(manifest.type).toBe('datasource');
    expect(read('datasource/module.js')).toContain('define([');
    const app = JSON.parse(read('plugin.json'));
    expect(app.includes).toContainEqual(
      expect.objectContaining({ type: 'datasource', path: 'datasource/plugin.json' })
    );
  });

  it('declares the datasource a backend datasource for alerting, with its Go executables for Linux', () => {
    const manifest = JSON.parse(read('datasource/plugin.json'));
    expect(manifest).toMatchObject({ backend: true, alerting: true, executable: 'gpx_opsdeck_ops_datasource' });
    const goMissing = spawnSync('go', ['version']).status !== 0;
    if (goMissing && process.env.CI !== 'true') {
      console.warn('SKIPPED: the datasource executables need go (scripts/build-backend.mjs said so at build time)');
      return;
    }
    // ELF e_machine (offset 18): 0x3e x86-64, 0xb7 AArch64; Grafana runs <executable>_<os>_<arch>.
    for (const [arch, machine] of [
      ['amd64', 0x3e],
      ['arm64', 0xb7],
    ] as const) {
      const file = path.join(dist, 'datasource', `${manifest.executable}_linux_${arch}`);
      const head = readFileSync(file).subarray(0, 20);
      expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(head.readUInt16LE(18)).toBe(machine);
      expect(statSync(file).mode & 0o111).not.toBe(0);
    }
  });

  it('ships routes gated by reqAction on declared actions, in both manifests', () => {
    const app = loadManifest('dist/plugin.json');
    expect(app.routes?.length).toBeGreaterThan(0);
    expect(app.routes?.every((route) => route.reqAction)).toBe(true);
    expect(rbacViolations(app, loadManifest('dist/datasource/plugin.json'))).toEqual([]);
  });

  it('keeps the main bundle under 50 KB gzip and ships no Node code', () => {
    const moduleJs = readFileSync(path.join(dist, 'module.js'));
    expect(gzipSync(moduleJs).length).toBeLessThan(50 * 1024);
    expect(existsSync(path.join(dist, 'api'))).toBe(false);
    for (const file of ['module.js', 'datasource/module.js']) {
      expect(read(file)).not.toMatch(/require\("(node:)?(fs|child_process|pg)"\)/);
    }
  });
});
