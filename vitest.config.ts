import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,main,sync-server,renderer,scripts,bench,build}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/__fixtures__/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Several suites start real servers and SQLite files; two cores means little to gain from more.
    maxWorkers: 2,
    reporters: ['default', './scripts/test-support/closing-line-reporter.ts'],
  },
});
