/**
 * The rooms of src/ and what each may import. `npm run lint` fails on any violation.
 * - app/ and datasource/ run in the browser: no Node built-ins, no Node rooms (api, catalog, cli).
 * - contract/ is the single source of truth for shapes: it imports nothing of ours.
 * - No cycles anywhere (jest turned enums into `undefined` for projects that had them).
 */
const NODE_ROOMS = '^src/(api|catalog|cli)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports make module initialisation order-dependent.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'browser-imports-no-node-room',
      severity: 'error',
      comment: 'Browser code (app, datasource) must never import the API, the catalog loader or the CLI.',
      from: { path: '^src/(app|datasource)/' },
      to: { path: NODE_ROOMS },
    },
    {
      name: 'browser-imports-no-node-builtin',
      severity: 'error',
      comment: 'Browser code must not import Node built-ins.',
      from: { path: '^src/(app|datasource)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'app-and-datasource-stay-apart',
      severity: 'error',
      comment: 'The app and the nested datasource are separate bundles; they share only the contract.',
      from: { path: '^src/app/' },
      to: { path: '^src/datasource/' },
    },
    {
      name: 'datasource-not-into-app',
      severity: 'error',
      from: { path: '^src/datasource/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'contract-imports-nothing-of-ours',
      severity: 'error',
      comment: 'The contract is imported by every room, so it may import only zod (and itself).',
      from: { path: '^src/contract/' },
      to: { path: '^src/', pathNot: '^src/contract/' },
    },
    {
      name: 'contract-depends-only-on-zod',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'core'], pathNot: '^node_modules/zod/' },
    },
    {
      name: 'catalog-not-into-api-or-cli',
      severity: 'error',
      comment: 'Catalog logic is used by the API and the CLI, never the other way round.',
      from: { path: '^src/catalog/' },
      to: { path: '^src/(api|cli)/' },
    },
    {
      name: 'api-not-into-cli',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.(test|spec)\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
