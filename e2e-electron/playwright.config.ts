import { defineConfig } from '@playwright/test';

// The Electron suite (`npm run test:electron`): launches the built app with Playwright's
// `_electron`. It needs Electron's binary, so it runs in the GitHub Actions Electron job, not in
// `npm test` (where the binary cannot be downloaded).
export default defineConfig({
  testDir: '.',
  outputDir: '../test-results/electron',
  timeout: 90_000,
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI
    ? [['list'], ['html', { open: 'never', outputFolder: '../playwright-report/electron' }]]
    : 'list',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
