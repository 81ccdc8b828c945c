// The built app in real Electron: the window opens on the app's own page, the preload exposes
// exactly the typed API, Node is out of the page's reach, and a call goes through the core.
// Run by `npm run test:electron` (after `npm run build`) in the GitHub Actions Electron job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';

const repoRoot = resolve(import.meta.dirname, '..');
let app: ElectronApplication;
let userData: string;

test.beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'topsmile-electron-'));
  app = await electron.launch({
    args: [repoRoot],
    cwd: repoRoot,
    env: { ...process.env, TOPSMILE_USER_DATA: userData },
  });
});

test.afterAll(async () => {
  await app?.close();
  rmSync(userData, { recursive: true, force: true });
});

test('opens the app page from app://, not from a file or the network', async () => {
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  expect(page.url()).toMatch(/^app:\/\/topsmile\//);
  expect(app.windows()).toHaveLength(1);
});

// nodeIntegration off and contextIsolation on: the page sees no require/process/module.
test('exposes exactly window.topsmile and no Node', async () => {
  const page = await app.firstWindow();
  const globals = await page.evaluate(() => {
    const scope = globalThis as unknown as Record<string, unknown>;
    const api = scope.topsmile as Record<string, unknown> | undefined;
    return {
      api: typeof api,
      keys: api ? Object.keys(api).sort() : [],
      require: typeof scope.require,
      process: typeof scope.process,
      module: typeof scope.module,
      electron: typeof scope.electron,
    };
  });
  expect(globals).toEqual({
    api: 'object',
    keys: ['call', 'subscribe'],
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    electron: 'undefined',
  });
});

test('answers an API call through main and the core process', async () => {
  const page = await app.firstWindow();
  const settings = await page.evaluate(() => {
    const api = (
      globalThis as unknown as { topsmile: { call(m: string, i: unknown): Promise<unknown> } }
    ).topsmile;
    return api.call('settings.get', {});
  });
  expect(settings).toMatchObject({ updateChannel: expect.stringMatching(/^(stable|beta)$/) });
});

test('denies new windows and navigation away from the app', async () => {
  const page = await app.firstWindow();
  await page.evaluate(() => window.open('https://example.com/', '_blank'));
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(app.windows()).toHaveLength(1);
  expect(page.url()).toMatch(/^app:\/\/topsmile\//);
});
