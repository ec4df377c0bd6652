/**
 * `npm run build` without Go: scripts/build-backend.mjs must say plainly that the datasource will not
 * load, and stop the build only in CI.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

function buildWithoutGo(env: Record<string, string>) {
  return spawnSync(process.execPath, ['scripts/build-backend.mjs'], {
    cwd: root,
    encoding: 'utf8',
    // No directory on PATH holds `go`.
    env: { HOME: process.env.HOME ?? '/tmp', PATH: '/nonexistent', ...env },
  });
}

describe('build-backend without Go', () => {
  it('says the datasource will not load in Grafana, and lets a local build go on', () => {
    const result = buildWithoutGo({ CI: 'false' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('Go is not installed');
    expect(result.stderr).toContain('Grafana will NOT load the Opsdeck datasource');
  });

  it('fails the build in CI', () => {
    expect(buildWithoutGo({ CI: 'true' }).status).toBe(1);
  });
});
