import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules', '**/dist', '**/tmp', '**/coverage', '**/.nx'] },
  {
    files: ['**/*.ts'],
    rules: {
      // Tags live in each project.json. A service never imports another service, and an app
      // never imports a service at all: apps talk to services over RPC and declare the
      // contract they consume themselves (tolerant reader).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:example', onlyDependOnLibsWithTags: ['type:lib', 'type:example'] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:service', 'type:app'] },
            // apps/platform runs everything in one process (npm start): it hosts the services and
            // starts the facades, so it alone may import all of them. Nothing imports it.
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:lib', 'type:service', 'type:app'] },
          ],
        },
      ],
      // Extension hooks are empty on purpose: the base classes are the specification.
      '@typescript-eslint/no-empty-function': 'off',
      // With noUncheckedIndexedAccess, `!` after a checked lookup is the readable form.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `any` appears only in variance positions: constructor and method types of any arity.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
