/*
 * Extends create-plugin's generated webpack config (never edited, see .config/README.md) for our layout:
 * the app's manifest is the root `plugin.json`, the app lives in `src/app/` and the nested datasource in
 * `src/datasource/`, next to Node-only folders (`src/api`, `src/cli`, ...) that must never be bundled.
 *
 * `src/plugin.json` is a symlink to `../plugin.json` only because the generated config reads the
 * manifest from `src/plugin.json` when it loads; the root file is the one we edit.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const SRC = path.resolve(__dirname, 'src');

// What lands in dist/: the two manifests, their logos, and the docs Grafana shows on the plugin page.
const copyPatterns = [
  { from: path.resolve(__dirname, 'plugin.json'), to: 'plugin.json', toType: 'file' as const },
  { from: path.resolve(__dirname, 'README.md'), to: 'README.md', toType: 'file' as const },
  { from: path.resolve(__dirname, 'LICENSE'), to: 'LICENSE', toType: 'file' as const },
  { from: path.resolve(__dirname, 'CHANGELOG.md'), to: 'CHANGELOG.md', toType: 'file' as const },
  { from: path.join(SRC, 'app/img'), to: 'img' },
  { from: path.join(SRC, 'datasource/plugin.json'), to: 'datasource/plugin.json', toType: 'file' as const },
  { from: path.join(SRC, 'datasource/img'), to: 'datasource/img' },
];

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  // Swap the generated copy step (it copies every *.json under src/, which would ship our Node code's data).
  const plugins = (base.plugins ?? []).filter((plugin) => !(plugin instanceof CopyWebpackPlugin));
  return {
    ...base,
    entry: {
      module: path.join(SRC, 'app/module.tsx'),
      'datasource/module': path.join(SRC, 'datasource/module.ts'),
    },
    plugins: [...plugins, new CopyWebpackPlugin({ patterns: copyPatterns })],
  };
};

export default config;
