// `npm start`: TopSmile on its embedded defaults, in one command.
//  1. builds what is needed (esbuild bundles always — about a second; the renderer when stale);
//  2. starts the sync server on its embedded SQLite store, creating the demo clinic on the first
//     run and printing its logins once;
//  3. opens the desktop app connected to it: Electron where it can start, otherwise the core in
//     browser mode, whose address is printed for a browser;
//  4. Ctrl+C (SIGINT) or SIGTERM stops the app, the core and the server, and exits 0.
//
// Environment: TOPSMILE_DATA_DIR (default ./.data), PORT (sync server, default 8787),
// TOPSMILE_PORT (browser mode, default 0 = any free port), TOPSMILE_DEMO_PATIENTS (default 500),
// TOPSMILE_BROWSER=1 (skip Electron).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../sync-server/cli';
import { loadEnv } from '../sync-server/env';
import { startServer, type RunningServer } from '../sync-server/server';
import { sqliteStoreFile } from '../sync-server/store/index';
import { buildAll, repoRoot } from './build';
import { CORE_NODE_FLAGS } from '../main/core/core-node-flags';

const CHILD_STOP_TIMEOUT_MS = 10_000;
const CORE_READY_TIMEOUT_MS = 60_000;

export type ElectronAvailability =
  { readonly ok: true; readonly binary: string } | { readonly ok: false; readonly reason: string };

/**
 * Where Electron's binary is, without `require('electron')`: that module downloads the binary
 * when it is missing, which must never happen from here. Same lookup as electron's index.js.
 */
export function findElectron(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  electronDir: string = join(repoRoot, 'node_modules', 'electron'),
): ElectronAvailability {
  if (env.TOPSMILE_BROWSER === '1')
    return { ok: false, reason: 'TOPSMILE_BROWSER=1 asks for browser mode' };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      ok: false,
      reason: "Electron's binary is not installed (node_modules/electron/path.txt is missing)",
    };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron')
    : join(electronDir, 'dist', relative);
  return existsSync(binary)
    ? { ok: true, binary }
    : { ok: false, reason: `Electron's binary is not installed (${binary} is missing)` };
}

export interface StartPaths {
  readonly dataDir: string;
  readonly serverDataDir: string;
  readonly desktopDataDir: string;
  readonly demoMarker: string;
}

export function startPaths(
  env: Readonly<Record<string, string | undefined>> = process.env,
): StartPaths {
  const dataDir = resolve(env.TOPSMILE_DATA_DIR || join(repoRoot, '.data'));
  return {
    dataDir,
    serverDataDir: join(dataDir, 'sync-server'),
    desktopDataDir: join(dataDir, 'desktop'),
    demoMarker: join(dataDir, 'demo-clinic.json'),
  };
}

interface DemoMarker {
  readonly clinicId: string;
  readonly createdAt: string;
}

function readDemoMarker(file: string): DemoMarker | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoMarker>;
    return typeof parsed.clinicId === 'string' && typeof parsed.createdAt === 'string'
      ? { clinicId: parsed.clinicId, createdAt: parsed.createdAt }
      : null;
  } catch {
    return null;
  }
}

/** Creates the demo clinic once; its passwords are printed now and never stored. */
async function ensureDemoClinic(paths: StartPaths, serverEnv: Record<string, string | undefined>) {
  const marker = readDemoMarker(paths.demoMarker);
  const storeExists = existsSync(
    sqliteStoreFile(resolve(serverEnv.DATA_DIR ?? paths.serverDataDir)),
  );
  if (marker && storeExists) {
    console.log(
      `Demo clinic ${marker.clinicId} (created ${marker.createdAt}); its logins were printed on that ` +
        `first run. To start over, stop TopSmile and delete ${paths.dataDir}.`,
    );
    return;
  }
  const patients = process.env.TOPSMILE_DEMO_PATIENTS || '500';
  console.log(
    `Creating the demo clinic (${patients} patients; first run only, may take a minute)…`,
  );
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runCli(['seed-demo', '--patients', patients], {
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    readSecret: () => Promise.reject(new Error('seed-demo asks for no secret')),
    env: serverEnv,
  });
  if (code !== 0) throw new Error(`The demo clinic could not be created: ${errors.join(' ')}`);
  const clinicId = /Demo clinic (\S+)/.exec(lines[0] ?? '')?.[1];
  if (!clinicId) throw new Error('The demo clinic was created but its id was not reported.');
  writeFileSync(
    paths.demoMarker,
    `${JSON.stringify({ clinicId, createdAt: new Date().toISOString() } satisfies DemoMarker)}\n`,
  );
  console.log(`Demo clinic: ${clinicId}`);
  for (const line of lines.slice(1)) console.log(line);
}

interface Running {
  server?: RunningServer;
  children: ChildProcess[];
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

async function stopAll(running: Running): Promise<void> {
  await Promise.all(running.children.map(stopChild));
  await running.server?.shutdown('stop');
}

function startElectron(binary: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(binary, [repoRoot], { cwd: repoRoot, env, stdio: 'inherit' });
}

/** The core as a plain Node child serving the renderer and the API on loopback. */
function startBrowserCore(
  env: NodeJS.ProcessEnv,
  paths: StartPaths,
  serverUrl: string,
): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(
    process.execPath,
    [
      ...CORE_NODE_FLAGS,
      join(repoRoot, 'out', 'core', 'core-process.js'),
      '--mode=browser',
      `--user-data=${paths.desktopDataDir}`,
      `--server-url=${serverUrl}`,
      `--static-dir=${join(repoRoot, 'dist', 'renderer')}`,
      `--port=${env.TOPSMILE_PORT || '0'}`,
      `--log-level=${env.TOPSMILE_LOG_LEVEL || 'warn'}`,
    ],
    // stdout is read only through IPC; the ready line also goes to stdout, which is discarded.
    { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  const ready = new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error('The desktop core did not start in time.')),
      CORE_READY_TIMEOUT_MS,
    );
    child.on('message', (message: { type?: unknown; url?: unknown }) => {
      if (message?.type === 'ready' && typeof message.url === 'string') {
        clearTimeout(timer);
        resolveReady(message.url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The desktop core stopped while starting (exit code ${code}).`));
    });
  });
  return { child, ready };
}

const running: Running = { children: [] };
let stopping = false;

async function main(): Promise<void> {
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping TopSmile…`);
    stopAll(running).then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const paths = startPaths();
  mkdirSync(paths.desktopDataDir, { recursive: true });
  const electron = findElectron();

  console.log('Building…');
  await buildAll({ renderer: 'if-stale' });
  if (stopping) return;

  const serverEnvSource = {
    ...process.env,
    DATA_DIR: process.env.DATA_DIR || paths.serverDataDir,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  };
  await ensureDemoClinic(paths, serverEnvSource);
  if (stopping) return;
  const serverEnv = loadEnv(serverEnvSource, () => undefined);
  running.server = await startServer(serverEnv);
  console.log(`Sync server: ${running.server.url} (embedded SQLite in ${serverEnv.dataDir})`);
  if (stopping) return;

  const desktopEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TOPSMILE_USER_DATA: paths.desktopDataDir,
    TOPSMILE_SERVER_URL: running.server.url,
  };
  const onUnexpectedExit = (what: string) => (code: number | null) => {
    if (stopping) return;
    console.error(`${what} stopped (exit code ${code}); stopping everything.`);
    stop('exit');
  };

  if (electron.ok) {
    const child = startElectron(electron.binary, desktopEnv);
    running.children.push(child);
    child.once('exit', (code) => {
      if (!stopping) console.log('The app window was closed.');
      if (!stopping) stop(code === 0 ? 'app closed' : 'app stopped');
    });
    console.log('Desktop: Electron started.');
    return;
  }

  console.log(`Desktop: not starting Electron, ${electron.reason}; serving the app to a browser.`);
  const core = startBrowserCore(desktopEnv, paths, running.server.url);
  running.children.push(core.child);
  const url = await core.ready;
  core.child.once('exit', onUnexpectedExit('The desktop core'));
  console.log(`Open TopSmile in a browser: ${url}`);
  console.log('Press Ctrl+C to stop.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch(async (error: unknown) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    stopping = true;
    await stopAll(running).catch(() => undefined);
    process.exit(1);
  });
}
