#!/usr/bin/env node
// Builds the datasource's Go backend (pkg/) for Grafana: one static executable per platform in
// dist/datasource/, named `<executable>_<os>_<arch>` after the `executable` in src/datasource/plugin.json,
// which is how Grafana finds it. Without Go on PATH it says so and stops the build only when CI=true:
// the plugin still builds, but Grafana will not load the datasource without its executable.
// Usage: node scripts/build-backend.mjs [--platform linux/amd64,linux/arm64] [--out dir]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pluginJson = JSON.parse(readFileSync(path.join(root, 'src/datasource/plugin.json'), 'utf8'));
export const EXECUTABLE = pluginJson.executable;
/** The platforms Grafana's Linux images run on; add darwin/windows here if someone runs Grafana there. */
export const PLATFORMS = ['linux/amd64', 'linux/arm64'];

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

function main() {
  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (goVersion.error || goVersion.status !== 0) {
    console.error(
      'build-backend: Go is not installed (no `go` on PATH). dist/datasource/ has no backend executable, so ' +
        'Grafana will NOT load the Opsdeck datasource (plugin.json says "backend": true). Install Go ' +
        '(go.mod names the version) and run `npm run build:backend`, or build with the Dockerfile.'
    );
    process.exit(process.env.CI === 'true' ? 1 : 0);
  }
  const outDir = path.resolve(root, option('--out', 'dist/datasource'));
  const platforms = option('--platform', PLATFORMS.join(',')).split(',');
  mkdirSync(outDir, { recursive: true });
  for (const platform of platforms) {
    const [goos, goarch] = platform.split('/');
    const output = path.join(outDir, `${EXECUTABLE}_${goos}_${goarch}`);
    const started = Date.now();
    // Static (CGO off), reproducible paths (-trimpath), no symbol tables (-s -w: ~30% smaller).
    const result = spawnSync('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', output, './pkg'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CGO_ENABLED: '0', GOOS: goos, GOARCH: goarch },
    });
    if (result.status !== 0) {
      console.error(`build-backend: go build for ${platform} failed`);
      process.exit(1);
    }
    const megabytes = (statSync(output).size / 1024 / 1024).toFixed(1);
    console.log(
      `build-backend: ${path.relative(root, output)} (${megabytes} MB, ${((Date.now() - started) / 1000).toFixed(1)} s)`
    );
  }
}

main();
