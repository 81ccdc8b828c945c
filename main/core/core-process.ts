// The core's one entry point, in its own process so a long SQLite query never freezes a window:
//  - desktop (`--mode=electron`, Electron's utilityProcess: `process.parentPort` exists): main
//    sends control messages (control-protocol.ts) on parentPort, with each renderer's
//    MessagePort in `ports[0]` of `connect-renderer`; the app API is served on those ports.
//  - browser (`--mode=browser`, the default; a plain Node child or run by hand): the loopback
//    WebSocket host serves the API and the built renderer. When ready the core prints one JSON
//    line `{"type":"ready","url":...,"apiUrl":...}` on stdout and, with an IPC channel, sends the
//    same object with `process.send`. `url` carries the per-launch secret in its fragment.
//
// Configuration (argument, else environment):
//   --user-data   TOPSMILE_USER_DATA   the user-data folder (required)
//   --server-url  TOPSMILE_SERVER_URL  sync server offered before the first sign-in
//   --static-dir  TOPSMILE_STATIC_DIR  the built renderer to serve (browser mode)
//   --port        TOPSMILE_PORT        WebSocket host port (browser mode; 0 = any free port)
//   --log-level   TOPSMILE_LOG_LEVEL   pino level (default info)
//                 TOPSMILE_TOKEN_KEY   token vault key, base64 (main keeps it under safeStorage)
//                 TOPSMILE_TEST_HOOKS=1  test-only IPC hooks (see below); never set by the app
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import {
  parseMainToCore,
  type CoreToMainMessage,
  type MainToCoreMessage,
} from './control-protocol';
import { startCoreHost, type CoreHost } from './host';
import { describeErrorForLog } from './logging/safe-error';
import { relayedUpdates } from './platform-table';
import { serveMessagePort, type MessagePortLike } from './transports/message-port';
import { newLaunchSecret, startWebSocketHost } from './transports/websocket-host';

interface ParentPort {
  on(
    event: 'message',
    listener: (event: { data: unknown; ports: MessagePortLike[] }) => void,
  ): void;
  postMessage(message: CoreToMainMessage): void;
}

type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

function readConfig() {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      'user-data': { type: 'string' },
      'server-url': { type: 'string' },
      'static-dir': { type: 'string' },
      port: { type: 'string' },
      'log-level': { type: 'string' },
    },
    strict: false,
  });
  const pick = (name: string, env: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' && value !== '' ? value : process.env[env] || undefined;
  };
  const userDataDir = pick('user-data', 'TOPSMILE_USER_DATA');
  if (!userDataDir) {
    throw new Error(
      'The core needs its user-data folder: --user-data=<dir> or TOPSMILE_USER_DATA.',
    );
  }
  const tokenKey = process.env.TOPSMILE_TOKEN_KEY;
  return {
    mode: pick('mode', 'TOPSMILE_MODE') ?? 'browser',
    userDataDir,
    serverUrl: pick('server-url', 'TOPSMILE_SERVER_URL'),
    staticDir: pick('static-dir', 'TOPSMILE_STATIC_DIR'),
    port: Number(pick('port', 'TOPSMILE_PORT') ?? 0),
    logLevel: (pick('log-level', 'TOPSMILE_LOG_LEVEL') ?? 'info') as LogLevel,
    tokenKey: tokenKey ? Buffer.from(tokenKey, 'base64') : undefined,
    testHooks: process.env.TOPSMILE_TEST_HOOKS === '1',
  };
}

type Config = ReturnType<typeof readConfig>;

function hostOptions(config: Config) {
  return {
    userDataDir: config.userDataDir,
    logLevel: config.logLevel,
    ...(config.serverUrl ? { serverUrl: config.serverUrl } : {}),
    ...(config.tokenKey ? { tokenKey: config.tokenKey } : {}),
  };
}

async function runInElectron(config: Config, parentPort: ParentPort): Promise<void> {
  const post = (message: CoreToMainMessage) => parentPort.postMessage(message);
  const updates = relayedUpdates(() => post({ type: 'install-now' }));
  // Main may hand over a window's port before the host is up: each message waits for it.
  const handle = async (message: MainToCoreMessage, ports: MessagePortLike[], core: CoreHost) => {
    switch (message.type) {
      case 'connect-renderer': {
        const port = ports[0];
        if (port) serveMessagePort(port, core.dispatcher);
        return;
      }
      case 'update-status':
        updates.publish(message.state);
        return;
      case 'prepare-install':
        post({
          type: 'install-prepared',
          requestId: message.requestId,
          backedUp: await core.prepareInstall(),
        });
        return;
      case 'shutdown':
        await core.close();
        post({ type: 'shutdown-done' });
        process.exit(0);
    }
  };
  const hostReady = startCoreHost({
    ...hostOptions(config),
    updates,
    onSettingsChanged: (settings) =>
      post({ type: 'update-channel', channel: settings.updateChannel }),
  });
  parentPort.on('message', (event) => {
    const message = parseMainToCore(event.data);
    if (!message) return;
    void hostReady.then((host) => handle(message, event.ports, host)).catch(() => undefined);
  });
  const host = await hostReady;
  post({ type: 'ready' });
  post({ type: 'update-channel', channel: (await host.readSettings()).updateChannel });
}

async function runInBrowserMode(config: Config): Promise<void> {
  const host = await startCoreHost(hostOptions(config));
  const secret = newLaunchSecret();
  const web = await startWebSocketHost({
    dispatcher: host.dispatcher,
    secret,
    port: config.port,
    ...(config.staticDir ? { staticDir: config.staticDir } : {}),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await web.close();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop()); // the parent that forked us is gone
  if (config.testHooks) installTestHooks();
  const ready = { type: 'ready', url: web.url, apiUrl: web.apiUrl, origin: web.origin };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.send?.(ready);
}

/**
 * Test-only, over the IPC channel of a test that spawned this process with TOPSMILE_TEST_HOOKS=1:
 * `{ type: 'test:block', ms }` runs SQLite statements synchronously for `ms` on this process's
 * thread (as a long query would), then answers `{ type: 'test:blocked', ms }`.
 */
function installTestHooks(): void {
  process.on('message', (raw: { type?: unknown; ms?: unknown }) => {
    if (raw?.type !== 'test:block' || typeof raw.ms !== 'number') return;
    const db = new Database(':memory:');
    const query = db.prepare(
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT sum(x) AS s FROM c',
    );
    const started = Date.now();
    while (Date.now() - started < raw.ms) query.get();
    db.close();
    process.send?.({ type: 'test:blocked', ms: Date.now() - started });
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (config.mode === 'electron' || parentPort) {
    if (!parentPort) throw new Error('--mode=electron needs an Electron utilityProcess.');
    await runInElectron(config, parentPort);
  } else {
    await runInBrowserMode(config);
  }
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `core: unhandled rejection ${JSON.stringify(describeErrorForLog(reason))}\n`,
  );
});

main().catch((error: unknown) => {
  // Configuration errors are ours and safe to print; anything else is described without its message.
  const text =
    error instanceof Error && error.message.startsWith('The core needs')
      ? error.message
      : JSON.stringify(describeErrorForLog(error));
  process.stderr.write(`core: failed to start: ${text}\n`);
  process.exit(1);
});
