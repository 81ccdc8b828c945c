// The update policy against a local feed folder served over HTTP, with electron-updater's own
// AppUpdater reading it (feed parsing, channel files, staged rollout, version comparison,
// download with checksum). What needs Electron itself — the platform installers and the restart —
// is covered only by the GitHub Actions Electron job.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateState } from '../../../shared/api/views';
import {
  createTestApp,
  FeedTestUpdater,
  serveFeed,
  STAGING_ID_FIRST,
  STAGING_ID_LAST,
  type ServedFeed,
} from '../test-support/update-feed';
import { createUpdateController, type UpdateController } from './update-controller';
import { BACKUP_FAILED_MESSAGE, DOWNLOAD_FAILED_MESSAGE } from './update-policy';

let folder: string;
let feed: ServedFeed;
const controllers: UpdateController[] = [];

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'topsmile-update-'));
  feed = await serveFeed(join(folder, 'feed'));
});

afterEach(async () => {
  for (const controller of controllers.splice(0)) controller.stop();
  await feed.close();
  rmSync(folder, { recursive: true, force: true });
});

interface Setup {
  version: string;
  channel?: 'stable' | 'beta';
  stagingId?: string;
  backup?: () => Promise<void>;
  intervalMs?: number;
}

function setup(options: Setup) {
  const updater = new FeedTestUpdater(
    createTestApp({
      folder: join(folder, 'app'),
      version: options.version,
      feedUrl: feed.url,
      stagingId: options.stagingId ?? STAGING_ID_FIRST,
    }),
  );
  const published: UpdateState[] = [];
  const events: string[] = [];
  const warnings: string[] = [];
  const controller = createUpdateController({
    updater,
    channel: options.channel ?? 'stable',
    publish: (state) => published.push(state),
    backupBeforeInstall:
      options.backup ??
      (async () => {
        events.push('backup');
      }),
    log: { info: () => undefined, warn: (message) => warnings.push(message) },
    ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
  });
  controllers.push(controller);
  const originalInstall = updater.quitAndInstall.bind(updater);
  updater.quitAndInstall = (isSilent, isForceRunAfter) => {
    events.push('install');
    originalInstall(isSilent, isForceRunAfter);
  };
  return { updater, controller, published, events, warnings };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the update status');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const installer = (size = 256 * 1024) => randomBytes(size);
const feedFiles = () => feed.requests.map((request) => request.path);

describe('update controller on a served feed', () => {
  it('finds a newer stable release, downloads it in the background and reports progress and ready', async () => {
    feed.publish('latest', { version: '0.2.0', installer: installer(2 * 1024 * 1024) });
    feed.throttleDownloads(1_200);
    const { controller, published, updater } = setup({ version: '0.1.0' });
    controller.start();
    await until(() => controller.state.state === 'ready');
    expect(published[0]).toEqual({ state: 'checking' });
    expect(published[1]).toEqual({ state: 'available', version: '0.2.0' });
    const progress = published.filter((state) => state.state === 'downloading');
    // One report midway (the feed pauses halfway through), then the final one.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatchObject({ version: '0.2.0' });
    const percents = progress.map((state) => (state.state === 'downloading' ? state.percent : -1));
    expect(percents[0]).toBeGreaterThan(0);
    expect(percents[0]).toBeLessThan(99);
    expect(percents.at(-1)).toBe(99);
    expect(published.at(-1)).toEqual({ state: 'ready', version: '0.2.0' });
    expect(feedFiles()).toContain('/latest.yml');
    expect(feedFiles()).toContain('/TopSmile-Setup-0.2.0.exe');
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.installs).toEqual([]);
  });

  it('stays idle when the feed has the running version', async () => {
    feed.publish('latest', { version: '0.1.0', installer: installer() });
    const { controller, published } = setup({ version: '0.1.0' });
    await controller.checkNow();
    expect(published).toEqual([{ state: 'checking' }, { state: 'idle' }]);
  });

  it('honours the staged rollout: only workstations inside the percentage see the release', async () => {
    feed.publish('latest', { version: '0.2.0', installer: installer(), stagingPercentage: 10 });
    const outside = setup({ version: '0.1.0', stagingId: STAGING_ID_LAST });
    await outside.controller.checkNow();
    expect(outside.controller.state).toEqual({ state: 'idle' });
    expect(feed.requests.find((r) => r.path === '/latest.yml')?.stagingId).toBe(STAGING_ID_LAST);
    expect(feedFiles()).not.toContain('/TopSmile-Setup-0.2.0.exe');

    rmSync(join(folder, 'app'), { recursive: true, force: true });
    const inside = setup({ version: '0.1.0', stagingId: STAGING_ID_FIRST });
    await inside.controller.checkNow();
    await until(() => inside.controller.state.state === 'ready');

    // At 100 % the rollout reaches everyone.
    rmSync(join(folder, 'app'), { recursive: true, force: true });
    feed.publish('latest', { version: '0.2.0', installer: installer(), stagingPercentage: 100 });
    const everyone = setup({ version: '0.1.0', stagingId: STAGING_ID_LAST });
    await everyone.controller.checkNow();
    await until(() => everyone.controller.state.state === 'ready');
  });

  it('reads the beta feed on the beta channel and switches back when settings change', async () => {
    feed.publish('latest', { version: '0.1.0', installer: installer() });
    feed.publish('beta', { version: '0.2.0-beta.1', installer: installer() });
    const { controller } = setup({ version: '0.1.0', channel: 'stable' });
    await controller.checkNow();
    expect(controller.state).toEqual({ state: 'idle' });
    expect(feedFiles()).not.toContain('/beta.yml');

    await controller.setChannel('beta');
    await until(() => controller.state.state === 'ready');
    expect(controller.state).toEqual({ state: 'ready', version: '0.2.0-beta.1' });
    expect(feedFiles()).toContain('/beta.yml');
  });

  it('never downgrades: a beta workstation back on stable keeps its version until stable passes it', async () => {
    feed.publish('latest', { version: '0.2.0', installer: installer() });
    const { controller, updater } = setup({ version: '0.3.0-beta.1', channel: 'beta' });
    await controller.setChannel('stable');
    expect(updater.allowDowngrade).toBe(false);
    expect(controller.state).toEqual({ state: 'idle' });
    expect(feedFiles()).not.toContain('/TopSmile-Setup-0.2.0.exe');

    feed.publish('latest', { version: '0.3.0', installer: installer() });
    await controller.checkNow();
    await until(() => controller.state.state === 'ready');
    expect(controller.state).toEqual({ state: 'ready', version: '0.3.0' });
  });

  it('treats a missing feed as "try later", not as an error to show', async () => {
    const { controller, published, warnings } = setup({ version: '0.1.0' });
    await controller.checkNow();
    expect(published).toEqual([{ state: 'checking' }, { state: 'idle' }]);
    expect(warnings.join('\n')).toMatch(/latest\.yml/);
  });

  it('shows a failed download (checksum mismatch) and keeps no file', async () => {
    feed.publish('latest', { version: '0.2.0', installer: installer(), wrongChecksum: true });
    const { controller, updater } = setup({ version: '0.1.0' });
    await controller.checkNow();
    await until(() => controller.state.state === 'error');
    expect(controller.state).toEqual({ state: 'error', message: DOWNLOAD_FAILED_MESSAGE });
    expect(updater.installs).toEqual([]);
    expect(existsSync(join(folder, 'app', 'cache', 'topsmile-updater', 'pending'))).toBe(true);
    expect(
      existsSync(
        join(folder, 'app', 'cache', 'topsmile-updater', 'pending', 'TopSmile-Setup-0.2.0.exe'),
      ),
    ).toBe(false);
  });

  it('checks again on its interval', async () => {
    feed.publish('latest', { version: '0.1.0', installer: installer() });
    const { controller } = setup({ version: '0.1.0', intervalMs: 100 });
    controller.start();
    await until(() => feedFiles().filter((path) => path === '/latest.yml').length >= 3);
    controller.stop();
  });
});

describe('installing', () => {
  it('installs now only once an update is ready, after the core acknowledged a backup', async () => {
    feed.publish('latest', { version: '0.2.0', installer: installer() });
    const { controller, events, updater } = setup({ version: '0.1.0' });
    expect(await controller.installNow()).toBe(false);
    expect(events).toEqual([]);

    await controller.checkNow();
    await until(() => controller.state.state === 'ready');
    expect(await controller.installNow()).toBe(true);
    expect(events).toEqual(['backup', 'install']);
    expect(updater.installs).toEqual([{ isSilent: false, isForceRunAfter: true }]);
    expect(controller.installing).toBe(true);
    // The quit that follows is not held up by a second backup.
    await controller.prepareForQuit();
    expect(events).toEqual(['backup', 'install']);
  });

  it('does not install when the backup fails, and leaves install-on-quit for a later quit', async () => {
    feed.publish('latest', { version: '0.2.0', installer: installer() });
    const { controller, events, updater, warnings } = setup({
      version: '0.1.0',
      backup: () => Promise.reject(new Error('disk full')),
    });
    await controller.checkNow();
    await until(() => controller.state.state === 'ready');
    expect(await controller.installNow()).toBe(false);
    expect(events).toEqual([]);
    expect(controller.state).toEqual({ state: 'error', message: BACKUP_FAILED_MESSAGE });
    expect(warnings.some((line) => line.includes('disk full'))).toBe(true);
    // The next check finds the downloaded file again; a quit then leaves the install for later.
    await controller.checkNow();
    await until(() => controller.state.state === 'ready');
    await controller.prepareForQuit();
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.installs).toEqual([]);
  });

  it('backs up once before the install on quit', async () => {
    feed.publish('latest', { version: '0.2.0', installer: installer() });
    const { controller, events, updater } = setup({ version: '0.1.0' });
    await controller.prepareForQuit();
    expect(events).toEqual([]);
    await controller.checkNow();
    await until(() => controller.state.state === 'ready');
    await controller.prepareForQuit();
    await controller.prepareForQuit();
    expect(events).toEqual(['backup']);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });
});
