import nx from '@nx/eslint-plugin';

const boundaries = (depConstraints) => ({ enforceBuildableLibDependency: false, allow: [], depConstraints });

const sourceConstraints = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:http', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:test-double', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:http'] },
  { sourceTag: 'type:example', onlyDependOnLibsWithTags: ['type:lib', 'type:example'] },
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:lib'] },
  // Benchmarks measure the framework libraries and the facades' HTTP layer (input limits).
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:http'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:http', 'type:test-double', 'type:service', 'type:app'] },
  // apps/platform runs everything in one process (npm start): it hosts the services, starts the
  // facades and the Stripe emulator, so it alone may import all of them. Nothing imports it.
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:lib', 'type:http', 'type:test-double', 'type:service', 'type:app'] },
];

// A project's tests may also use the test doubles (a service's suite runs against the emulator).
const testConstraints = sourceConstraints.map((c) =>
  c.onlyDependOnLibsWithTags.includes('type:test-double')
    ? c
    : { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:test-double'] },
);

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules', '**/dist', '**/tmp', '**/coverage', '**/.nx'] },
  {
    files: ['**/*.ts'],
    rules: {
      // Tags live in each project.json, one kind per project: type:lib (the framework libs),
      // type:http (the facades' HTTP lib: apps only), type:test-double (the Stripe emulator:
      // tests and the platform only), type:service, type:app. A service never imports another
      // service or the HTTP lib, and an app never imports a service at all: apps talk to services
      // over RPC and declare the contract they consume themselves (tolerant reader).
      '@nx/enforce-module-boundaries': ['error', boundaries(sourceConstraints)],
      // Extension hooks are empty on purpose: the base classes are the specification.
      '@typescript-eslint/no-empty-function': 'off',
      // With noUncheckedIndexedAccess, `!` after a checked lookup is the readable form.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `any` appears only in variance positions: constructor and method types of any arity.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(testConstraints)] },
  },
  {
    // The facades are Nx applications, which the rule forbids importing; the platform hosts them
    // in one process and e2e drives them, so these two alone may name them.
    files: ['apps/platform/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { ...boundaries(testConstraints), allow: ['@platform/web', '@platform/admin', '@platform/support'] },
      ],
    },
  },
  {
    // bench/platform/start.ts spawns `npm start` (it imports nothing of the platform) and plays
    // the README walkthrough against it with the platform tests' own reader and runner, so that
    // the benchmark and the test cannot walk two different walkthroughs.
    files: ['bench/platform/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { ...boundaries(sourceConstraints), allow: ['../../apps/platform/test/walkthrough/readme-walkthrough', '../../apps/platform/test/spawn-platform'] },
      ],
    },
  },
];
