/**
 * Bundles the host page's script (host.tsx: the real React, @grafana/* packages, SystemJS) with esbuild
 * into tests/browser/.host-build/ (git-ignored). Skipped when the bundle is newer than its inputs.
 */
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// Resolved from the repository root: this file is also run bundled from elsewhere.
const hostDir = (root: string) => path.join(root, 'tests', 'browser', 'host');

function newest(files: string[]): number {
  return Math.max(...files.filter((file) => existsSync(file)).map((file) => statSync(file).mtimeMs));
}

export async function buildHost(root: string, outDir: string): Promise<{ built: boolean; ms: number }> {
  const here = hostDir(root);
  const outfile = path.join(outDir, 'host.js');
  const inputs = [...readdirSync(here).map((file) => path.join(here, file)), path.join(root, 'package-lock.json')];
  if (existsSync(outfile) && statSync(outfile).mtimeMs > newest(inputs)) {
    return { built: false, ms: 0 };
  }
  const started = Date.now();
  await build({
    entryPoints: [path.join(here, 'host.tsx')],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    // Grafana runs production React; the host does too (no development-only warnings). `define` is
    // hidden from the bundled packages: SystemJS's AMD extra installs a global define(), and UMD files
    // such as lodash would otherwise register with it instead of filling module.exports.
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis', define: 'undefined' },
    loader: {
      '.woff': 'empty',
      '.woff2': 'empty',
      '.ttf': 'empty',
      '.eot': 'empty',
      '.png': 'dataurl',
      '.svg': 'dataurl',
      '.gif': 'dataurl',
    },
    logLevel: 'error',
    legalComments: 'none',
    // Smaller to parse on every page load of the suite; the plugin itself is never minified here.
    minify: true,
  });
  return { built: true, ms: Date.now() - started };
}
