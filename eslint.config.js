// Lint, including the layering rules of DESIGN.md: they are enforced here, not by goodwill.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

/** Where each part of the product lives; boundaries/dependencies below says who may import whom. */
export const layerElements = [
  // Tests and their support code may start any part for real (a test workstation talks to a
  // real sync server); product code may not import them (no policy allows it).
  { type: 'test-code', pattern: '**/test-support' },
  { type: 'test-code', pattern: 'e2e' },
  { type: 'shared', pattern: 'shared' },
  { type: 'main-core', pattern: 'main/core' },
  { type: 'main-shell', pattern: 'main/electron' },
  { type: 'main-other', pattern: 'main' },
  { type: 'renderer', pattern: 'renderer' },
  { type: 'sync-server', pattern: 'sync-server' },
  { type: 'tooling', pattern: '(scripts|bench|e2e|build)' },
];

const nodeOnlyModules = ['electron', 'better-sqlite3', 'pino', 'fastify', 'mongodb', 'ioredis'];

export const layerPolicies = [
  // Tooling (scripts, benchmarks, e2e) and tests may reach into every layer.
  {
    from: { element: { types: { anyOf: ['tooling', 'test-code'] } } },
    allow: { to: { element: { type: '*' } } },
  },
  { from: { file: { categories: 'test' } }, allow: { to: { element: { type: '*' } } } },
  {
    from: { element: { type: 'shared' } },
    allow: { to: { element: { type: 'shared' } } },
  },
  {
    from: { element: { type: 'renderer' } },
    allow: { to: { element: { types: { anyOf: ['renderer', 'shared'] } } } },
  },
  {
    from: { element: { types: { anyOf: ['main-core', 'main-other'] } } },
    allow: { to: { element: { types: { anyOf: ['main-core', 'main-other', 'shared'] } } } },
  },
  {
    from: { element: { type: 'main-shell' } },
    allow: {
      to: { element: { types: { anyOf: ['main-shell', 'main-core', 'main-other', 'shared'] } } },
    },
  },
  {
    from: { element: { type: 'sync-server' } },
    allow: { to: { element: { types: { anyOf: ['sync-server', 'shared'] } } } },
  },
  // npm packages are allowed by default...
  { allow: { to: { module: { origin: 'external' } } } },
  { allow: { to: { module: { origin: 'core' } } } },
  // ...but Electron only inside the shell,
  {
    from: { element: { type: '!main-shell' } },
    disallow: { to: { module: { origin: 'external', source: 'electron{,/**}' } } },
  },
  // and the renderer gets neither Node built-ins nor Node-only packages: it talks to window.topsmile.
  {
    from: { element: { type: 'renderer' } },
    disallow: { to: { module: { origin: 'core' } } },
  },
  {
    from: { element: { type: 'renderer' } },
    disallow: {
      to: { module: { origin: 'external', source: `{${nodeOnlyModules.join(',')}}{,/**}` } },
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'release/',
      'coverage/',
      '.bench-results/',
      'test-results/',
      'playwright-report/',
      '**/__fixtures__/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.{ts,tsx,js}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layerElements,
      'boundaries/files': [{ category: 'test', pattern: '**/*.test.{ts,tsx}' }],
      'boundaries/include': ['**/*.{ts,tsx,js}'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          checkAllOrigins: true,
          checkUnknownLocals: true,
          policies: layerPolicies,
        },
      ],
    },
  },
);
