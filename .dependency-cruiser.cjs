// The import rules of src/: shells → services → ground, never back up, no cycles.
// docs/architecture.md explains the layers; `npm run check:deps` (part of `npm test`) enforces them.

const SHELLS = ['cli', 'http', 'library', 'index\\.ts', 'client\\.ts']
const SERVICES = ['runner', 'routing', 'audit', 'catalog', 'auth', 'config-as-code', 'configuration', 'demo']
const GROUND = ['store', 'providers', 'crypto', 'state', 'config', 'errors']

const under = (folders) => `^src/(${folders.join('|')})(/|$)`
const ADAPTERS = '^src/providers/(?!transport/|__test-support__/|__fixtures__/)([^/]+)/'
const TESTS = '(\\.test\\.ts$|/__test-support__/|/__fixtures__/)'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A module may not reach itself through its imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Top-level folders depend on each other in one direction only.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+/?$' },
      to: { path: '^src/[^/]+/?$', circular: true },
    },
    {
      name: 'ground-stays-down',
      comment: 'store, providers, crypto, state, config and errors know nothing of the services or shells above them.',
      severity: 'error',
      from: { path: under(GROUND), pathNot: TESTS },
      to: { path: under([...SERVICES, ...SHELLS]) },
    },
    {
      name: 'services-below-shells',
      comment: 'The runner, routing, audit and the other services are called by the shells, never the reverse.',
      severity: 'error',
      from: { path: under(SERVICES), pathNot: TESTS },
      to: { path: under(SHELLS) },
    },
    {
      name: 'shells-apart',
      comment: 'The HTTP shell and the library do not use another shell; the CLI may start the HTTP shell (serve).',
      severity: 'error',
      from: { path: under(['http', 'library', 'client\\.ts']), pathNot: TESTS },
      to: { path: under(['cli', 'library', 'index\\.ts', 'client\\.ts', 'http']), pathNot: '^src/$1(/|$)' },
    },
    {
      name: 'cli-not-library',
      comment: 'The CLI calls the services the library exports, not the library itself.',
      severity: 'error',
      from: { path: under(['cli']), pathNot: TESTS },
      to: { path: under(['library', 'index\\.ts']) },
    },
    {
      name: 'routing-below-runner',
      comment: 'Routing plans candidates and records outcomes; the runner calls it, it never calls the runner.',
      severity: 'error',
      from: { path: under(['routing', 'audit', 'catalog', 'auth']), pathNot: TESTS },
      to: { path: under(['runner']) },
    },
    {
      name: 'sql-only-in-store',
      comment: 'Kysely and the database drivers are used in src/store/ only; everything else calls repositories.',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/store/|${TESTS}` },
      to: { path: '(^|/)node_modules/(kysely|better-sqlite3|mysql2|pg|pg-pool)/' },
    },
    {
      name: 'providers-know-no-database',
      comment: 'Adapters translate and send; they do not read the database or shared state.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: under(['store', 'state', 'audit']) },
    },
    {
      name: 'adapters-apart',
      comment: 'No adapter imports another adapter; what they share lives in src/providers/transport/.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: '^src/providers/(?!transport/|__test-support__/|__fixtures__/)[^/]+/', pathNot: '^src/providers/$1/' },
    },
    {
      name: 'transport-knows-no-adapter',
      comment: 'The transport is shared by every adapter and knows none of them.',
      severity: 'error',
      from: { path: '^src/providers/transport/' },
      to: { path: '^src/providers/(?!transport/|__test-support__/|__fixtures__/)[^/]+/' },
    },
    {
      name: 'errors-import-nothing',
      comment: 'The error classes are the floor of the house.',
      severity: 'error',
      from: { path: '^src/errors/' },
      to: { path: '^src/(?!errors/)' },
    },
    {
      name: 'index-only-re-exports-library',
      comment: 'src/index.ts is the public face: it re-exports, it defines nothing.',
      severity: 'error',
      from: { path: '^src/(?!index\\.ts$|library/)', pathNot: TESTS },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves to a file.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'tests-stay-out-of-the-build',
      comment: 'Production code does not import test files or test support.',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: `${TESTS}|^test/` },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', TESTS] },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
}
