// A local update feed for tests: a folder with electron-builder's feed files (`latest.yml`,
// `beta.yml` and installers) served over HTTP, and a real electron-updater AppUpdater reading it
// without Electron (its AppAdapter interface stands in for Electron's `app`, and a Node HTTP
// executor for Electron's `net`, as electron-builder's own tests do).
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import {
  createServer,
  request,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import {
  configureRequestOptions,
  configureRequestUrl,
  HttpExecutor,
  type DownloadOptions,
} from 'builder-util-runtime';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import {
  AppUpdater,
  type DownloadExecutorResult,
  type DownloadUpdateOptions,
} from 'electron-updater/out/AppUpdater';
import { findFile } from 'electron-updater/out/providers/Provider';

export interface FeedRelease {
  readonly version: string;
  readonly installer: Buffer;
  readonly stagingPercentage?: number;
  /** Publishes a wrong checksum, as a corrupted upload would. */
  readonly wrongChecksum?: boolean;
}

export interface ServedFeed {
  readonly url: string;
  /** Paths requested so far, with the staging id header electron-updater sent. */
  readonly requests: { path: string; stagingId: string | undefined }[];
  /** Writes `<channel>.yml` and its installer into the feed folder. */
  publish(channel: 'latest' | 'beta', release: FeedRelease): void;
  /** Serves installers in two halves with a pause between, so progress is reported midway. */
  throttleDownloads(pauseMs: number): void;
  close(): Promise<void>;
}

function sha512(data: Buffer): string {
  return createHash('sha512').update(data).digest('base64');
}

export async function serveFeed(folder: string): Promise<ServedFeed> {
  mkdirSync(folder, { recursive: true });
  const requests: ServedFeed['requests'] = [];
  let pauseMs = 0;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://feed').pathname);
    const stagingId = req.headers['x-user-staging-id'];
    requests.push({ path, stagingId: typeof stagingId === 'string' ? stagingId : undefined });
    const file = join(folder, normalize(path).replace(/^([/\\])+/, ''));
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': size });
    if (pauseMs === 0 || path.endsWith('.yml')) {
      createReadStream(file).pipe(res);
      return;
    }
    const half = Math.floor(size / 2);
    createReadStream(file, { start: 0, end: half - 1 })
      .on('end', () => {
        setTimeout(() => createReadStream(file, { start: half }).pipe(res), pauseMs);
      })
      .pipe(res, { end: false });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    publish(channel, release) {
      const installerName = `TopSmile-Setup-${release.version}.exe`;
      writeFileSync(join(folder, installerName), release.installer);
      const checksum = sha512(release.wrongChecksum ? Buffer.from('other') : release.installer);
      const lines = [
        `version: ${release.version}`,
        'files:',
        `  - url: ${installerName}`,
        `    sha512: ${checksum}`,
        `    size: ${release.installer.length}`,
        `path: ${installerName}`,
        `sha512: ${checksum}`,
        `releaseDate: '2025-01-15T10:00:00.000Z'`,
        ...(release.stagingPercentage === undefined
          ? []
          : [`stagingPercentage: ${release.stagingPercentage}`]),
      ];
      writeFileSync(join(folder, `${channel}.yml`), `${lines.join('\n')}\n`);
    },
    throttleDownloads(ms) {
      pauseMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Electron's ElectronHttpExecutor, with Node's http in place of Electron's net. */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void) {
    return request(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

/**
 * Staging ids at the start and near the end of the rollout range (electron-updater places an id by
 * its last four bytes; the very last value would be outside even a 100 % rollout).
 */
export const STAGING_ID_FIRST = '0c6b3f55-5a11-5d6e-8b4f-000000000000';
export const STAGING_ID_LAST = '0c6b3f55-5a11-5d6e-8b4f-0000fffffff0';

/**
 * electron-updater's AppUpdater with the full-download path its Windows and Linux updaters use
 * (`executeDownload` + checksum), and an install that only counts, since nothing is installed here.
 */
export class FeedTestUpdater extends AppUpdater {
  installs: { isSilent: boolean | undefined; isForceRunAfter: boolean | undefined }[] = [];

  constructor(app: AppAdapter) {
    super(null, app);
    // Internal hooks electron-builder's own updater tests use: a Node HTTP executor instead of
    // Electron's net module, and the Windows feed names (`latest.yml`, `beta.yml`) on every OS.
    Object.assign(this, {
      httpExecutor: new NodeHttpExecutor(),
      _testOnlyOptions: { platform: 'win32', isUseDifferentialDownload: false },
    });
    this.logger = null;
  }

  protected doDownloadUpdate(options: DownloadUpdateOptions): Promise<DownloadExecutorResult> {
    const { provider, info } = options.updateInfoAndProvider;
    const fileInfo = findFile(provider.resolveFiles(info), 'exe');
    if (!fileInfo) throw new Error('The feed has no installer.');
    const executor = (this as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor;
    return this.executeDownload({
      fileExtension: 'exe',
      fileInfo,
      downloadUpdateOptions: options,
      task: async (destination, downloadOptions) => {
        await executor.download(fileInfo.url, destination, downloadOptions);
      },
      done: async (event) => {
        this.dispatchUpdateDownloaded(event);
        return [];
      },
    });
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push({ isSilent, isForceRunAfter });
  }
}

export interface TestAppOptions {
  readonly folder: string;
  readonly version: string;
  readonly feedUrl: string;
  readonly stagingId?: string;
}

/** The stand-in for Electron's app: version, user data (with the staging id), cache, feed config. */
export function createTestApp(options: TestAppOptions): AppAdapter {
  const userDataPath = join(options.folder, 'userData');
  mkdirSync(userDataPath, { recursive: true });
  if (options.stagingId) writeFileSync(join(userDataPath, '.updaterId'), options.stagingId);
  const appUpdateConfigPath = join(options.folder, 'app-update.yml');
  // What electron-builder writes into the package from electron-builder.yml's `publish`.
  writeFileSync(
    appUpdateConfigPath,
    `provider: generic\nurl: ${options.feedUrl}\nchannel: latest\nupdaterCacheDirName: topsmile-updater\n`,
  );
  return {
    version: options.version,
    name: 'TopSmile',
    isPackaged: true,
    appUpdateConfigPath,
    userDataPath,
    baseCachePath: join(options.folder, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
}
