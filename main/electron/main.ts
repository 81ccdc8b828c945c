// The Electron main process: a thin shell. It owns windows, the app:// protocol, the security
// rules, updates and crash reports; the data core runs in its own utilityProcess, and each window
// talks to it over a MessagePort that main hands over without reading what goes through it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  MessageChannelMain,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
  type MessagePortMain,
  type UtilityProcess,
} from 'electron';
import type { UpdateChannel, UpdateState } from '../../shared/api/views';
import { CORE_NODE_FLAGS } from '../core/core-node-flags';
import { startCrashReporting } from './crash-reporting';
import { CONNECT_CHANNEL, PORT_CHANNEL } from './ipc-channels';
import {
  APP_CONTENT_SECURITY_POLICY,
  APP_ENTRY_URL,
  APP_SCHEME,
  externalLinkTarget,
  isTrustedSender,
  navigationDecision,
  resolveAppAsset,
  withContentSecurityPolicy,
} from './policy/app-security';
import { createCoreLink, type CoreLink } from './policy/core-link';
import type { UpdateController } from './policy/update-controller';
import { INITIAL_UPDATE_STATE } from './policy/update-policy';
import {
  MIN_WINDOW_SIZE,
  readWindowState,
  restoreWindowState,
  writeWindowState,
} from './policy/window-state';
import { tokenVaultKey } from './token-key';
import { startUpdater } from './updater';

const PREPARE_INSTALL_TIMEOUT_MS = 60_000;
const CORE_SHUTDOWN_TIMEOUT_MS = 10_000;
const CORE_RESTART_LIMIT = 3;
const CORE_RESTART_WINDOW_MS = 60_000;

const log = {
  info: (message: string) => console.log(`[main] ${message}`),
  warn: (message: string) => console.warn(`[main] ${message}`),
};

startCrashReporting(process.env.SENTRY_DSN, app.getVersion());

// Development runs and tests choose their own data folder; a packaged app uses the OS default.
if (!app.isPackaged && process.env.TOPSMILE_USER_DATA) {
  app.setPath('userData', process.env.TOPSMILE_USER_DATA);
}

// Before `ready`: the app's pages come from app://topsmile, a standard secure scheme, so they get
// an origin of their own and file:// needs no privileges (the grantFileProtocolExtraPrivileges fuse
// is off in packaged builds).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const rendererDir = join(app.getAppPath(), 'dist', 'renderer');
const preloadFile = join(app.getAppPath(), 'out', 'preload', 'preload.cjs');
const coreFile = join(app.getAppPath(), 'out', 'core', 'core-process.js');
const windowStateFile = () => join(app.getPath('userData'), 'window-state.json');

let core: { process: UtilityProcess; link: CoreLink<MessagePortMain> } | undefined;
let coreStopping = false;
const coreRestarts: number[] = [];
let updates: UpdateController | null | undefined;
let updateState: UpdateState = INITIAL_UPDATE_STATE;
let mainWindow: BrowserWindow | undefined;
let readyToQuit = false;

function startCore(): void {
  const key = tokenVaultKey();
  if (key.key === null) log.warn('no OS keychain: the session is not remembered between runs');
  const child = utilityProcess.fork(coreFile, ['--mode=electron'], {
    serviceName: 'TopSmile Core',
    execArgv: [...CORE_NODE_FLAGS],
    stdio: 'inherit',
    env: {
      ...process.env,
      TOPSMILE_USER_DATA: app.getPath('userData'),
      ...(key.key ? { TOPSMILE_TOKEN_KEY: key.key.toString('base64') } : {}),
    },
  });
  const link = createCoreLink<MessagePortMain>(
    {
      post: (message, ports) => child.postMessage(message, ports),
      onMessage: (listener) => child.on('message', listener),
    },
    {
      onReady: () => {
        log.info('core ready');
        link.publishUpdateStatus(updateState);
      },
      onUpdateChannel: (channel) => void applyUpdateChannel(channel),
      onInstallNow: () => void updates?.installNow(),
    },
  );
  core = { process: child, link };
  child.once('exit', (code) => {
    core = undefined;
    if (coreStopping) return;
    log.warn(`core exited unexpectedly (code ${code})`);
    restartCore();
  });
}

/** A crashed core comes back, and the windows reload to reconnect; a crash loop ends the app. */
function restartCore(): void {
  const now = Date.now();
  while (coreRestarts.length > 0 && now - (coreRestarts[0] ?? now) > CORE_RESTART_WINDOW_MS) {
    coreRestarts.shift();
  }
  if (coreRestarts.length >= CORE_RESTART_LIMIT) {
    dialog.showErrorBox(
      'TopSmile stopped',
      'The TopSmile data service stopped several times in a row. Your data on this computer is ' +
        'kept. Start TopSmile again; if this repeats, contact support.',
    );
    app.quit();
    return;
  }
  coreRestarts.push(now);
  startCore();
  for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
}

async function applyUpdateChannel(channel: UpdateChannel): Promise<void> {
  if (updates === undefined) {
    updates = startUpdater({
      channel,
      publish: (state) => {
        updateState = state;
        core?.link.publishUpdateStatus(state);
      },
      backupBeforeInstall: async () => {
        const backedUp = await core?.link.prepareInstall(PREPARE_INSTALL_TIMEOUT_MS);
        if (!backedUp) throw new Error('the core did not confirm a backup');
      },
      log,
    });
    return;
  }
  await updates?.setChannel(channel);
}

function createWindow(): BrowserWindow {
  const saved = readWindowState(windowStateFile());
  const state = restoreWindowState(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const window = new BrowserWindow({
    ...state.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'TopSmile',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: !app.isPackaged,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    writeWindowState(windowStateFile(), {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    });
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function hardenSession(): void {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.url, details.responseHeaders) });
  });
  // No remote content in a window: pages load only from app://. (Main's own requests — the
  // updater and crash reports — do not come from a window and are not affected.)
  defaultSession.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => callback({ cancel: details.webContentsId !== undefined }),
  );
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(request.url, rendererDir);
    if (!asset) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(asset.file), {
        headers: {
          'content-type': asset.contentType,
          'content-security-policy': APP_CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    const decision = navigationDecision(url);
    if (decision.allow) return;
    event.preventDefault();
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationDecision(url).allow) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const target = externalLinkTarget(url);
    if (target) void shell.openExternal(target);
    return { action: 'deny' };
  });
});

ipcMain.on(CONNECT_CHANNEL, (event) => {
  const frame = event.senderFrame;
  const window = BrowserWindow.fromWebContents(event.sender);
  const trusted =
    window !== null &&
    isTrustedSender(frame && { url: frame.url, isMainFrame: frame === event.sender.mainFrame });
  if (!trusted || !core) {
    log.warn('refused an API port request from an untrusted sender or without a core');
    return;
  }
  const { port1, port2 } = new MessageChannelMain();
  core.link.connectRenderer(window.id, port1);
  event.sender.postMessage(PORT_CHANNEL, null, [port2]);
});

async function stopCore(): Promise<void> {
  if (!core) return;
  coreStopping = true;
  const { process: child, link } = core;
  if (!(await link.shutdown(CORE_SHUTDOWN_TIMEOUT_MS))) child.kill();
}

app.on('before-quit', (event) => {
  if (readyToQuit || !updates || updates.installing) return;
  event.preventDefault();
  void updates
    .prepareForQuit()
    .finally(() => stopCore())
    .finally(() => {
      readyToQuit = true;
      app.quit();
    });
});

app.on('will-quit', (event) => {
  if (!core) return;
  event.preventDefault();
  void stopCore().finally(() => app.quit());
});

if (!app.requestSingleInstanceLock()) {
  // Two instances would open the same local database: the second one hands over to the first.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(() => {
    hardenSession();
    startCore();
    mainWindow = createWindow();
    mainWindow.on('closed', () => (mainWindow = undefined));
    // Updates start once the core said which channel its settings ask for; stable meanwhile.
    setTimeout(() => {
      if (updates === undefined) void applyUpdateChannel('stable');
    }, 30_000).unref();
  });
}
