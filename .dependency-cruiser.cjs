/**
 * The rooms of src/ and what each may import. `npm run lint` fails on any violation.
 * - app/ and datasource/ run in the browser: no Node built-ins, no Node rooms (api, catalog, cli).
 * - contract/ is the single source of truth for shapes: it imports nothing of ours.
 * - No cycles anywhere (jest turned enums into `undefined` for projects that had them).
 */
const NODE_ROOMS = '^src/(api|catalog|cli)/';

/*
 * The layers inside src/api (src/api/README.md): routes/ → domain services → repositories → store/.
 * HTTP lives in routes/, plugins/, app.ts and server.ts; everything else in src/api is domain code.
 */
const API_HTTP = '^src/api/(routes|plugins)/|^src/api/(app|server)[.]ts$';
/** Fastify and its family, as npm resolves them. */
const FASTIFY = '(^|/)node_modules/(fastify|fastify-[^/]+|@fastify/[^/]+)/';
/** Repositories: the files that hold SQL. */
const REPOSITORIES = '(^|/)[^/]*repository[.]ts$|^src/api/oncall/escalation-store[.]ts$';
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
      to: { dependencyTypes: ['npm', 'npm-dev', 'core'], pathNot: '(^|/)node_modules/zod/' },
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
    {
      name: 'api-domain-not-into-fastify',
      severity: 'error',
      comment:
        'Domain code (src/api outside routes/, plugins/, app.ts, server.ts) takes plain values (store, actor, scope): no Fastify.',
      from: { path: '^src/api/', pathNot: API_HTTP },
      to: { path: FASTIFY },
    },
    {
      name: 'api-domain-not-into-http',
      severity: 'error',
      comment: 'Domain code never imports routes/ or plugins/ (identity and scope types live in access/).',
      from: { path: '^src/api/', pathNot: API_HTTP },
      to: { path: '^src/api/(routes|plugins)/|^src/api/app[.]ts$|^src/api/server[.]ts$' },
    },
    {
      name: 'api-routes-not-into-store',
      severity: 'error',
      comment: 'Routes are HTTP only: they call services, never the store (no SQL, no transactions).',
      from: { path: '^src/api/routes/' },
      to: { path: '^src/api/store/' },
    },
    {
      name: 'api-routes-not-into-repositories',
      severity: 'error',
      comment: "Routes call a module's service; its repository (the SQL) is the service's business.",
      from: { path: '^src/api/routes/' },
      to: { path: REPOSITORIES },
    },
    {
      name: 'api-store-imports-nothing-of-ours',
      severity: 'error',
      comment: 'store/ is the bottom layer: Sql/Store, the two drivers, migrations.',
      from: { path: '^src/api/store/' },
      to: { path: '^src/', pathNot: '^src/api/store/', dependencyTypesNot: ['type-only'] },
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
