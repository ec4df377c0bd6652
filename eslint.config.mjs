import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

// Extends create-plugin's flat config. The room rules (browser code never imports Node code, the
// contract imports nothing of ours, no cycles) are enforced by dependency-cruiser (.dependency-cruiser.cjs).
export default defineConfig([
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '**/build/',
      '**/coverage/',
      '**/.opsdeck/',
      'tests/browser/artifacts/',
      // The browser suite's host bundle (esbuild output, git-ignored).
      'tests/browser/.host-build/',
      'test-results/',
      'playwright-report/',
      '.config/',
      '**/*.log',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.{ts,tsx}', 'scripts/**/*.ts', '*.ts'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.node.json', './tsconfig.tools.json'],
      },
    },
    rules: {
      // `export const X = z.object(...); export type X = z.infer<typeof X>` is the contract's idiom;
      // TypeScript itself reports real redeclarations (typescript-eslint advises turning this off).
      'no-redeclare': 'off',
    },
  },
  {
    files: ['src/api/**/*.ts', 'src/catalog/**/*.ts', 'src/cli/**/*.ts', 'tests/**/*.ts', 'scripts/**/*'],
    rules: {
      // Node code logs through pino or writes CLI output on purpose.
      'no-console': 'off',
    },
  },
]);
