// The whole app for end-to-end tests, with real parts only: the sync server (demo-server.ts, SQLite
// store, the demo clinic) and desktop cores in browser mode (the bundled core process the app
// ships, each with its own user-data folder and SQLite replica), driven by Chromium pages.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test, type Page } from '@playwright/test';
import type { DemoInfo } from './demo-server';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Resolves with the first JSON line on stdout that `match` accepts; rejects on exit or timeout. */
function readyLine<T>(
  child: ChildProcessWithoutNullStreams,
  match: (value: Record<string, unknown>) => boolean,
  what: string,
  timeoutMs = 90_000,
): Promise<T> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start in ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) while starting: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const value = JSON.parse(line) as Record<string, unknown>;
        if (match(value)) {
          clearTimeout(timer);
          resolveLine(value as T);
        }
      } catch {
        // not a JSON line
      }
    });
  });
}

async function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface ServerReady extends DemoInfo {
  readonly url: string;
  readonly port: number;
}

/** The sync server; `stop()` then `start()` brings it back on the same port with its data. */
export class DemoServer {
  private child: ChildProcessWithoutNullStreams | null = null;
  private ready: ServerReady | null = null;

  constructor(readonly dataDir: string) {}

  get info(): ServerReady {
    if (!this.ready) throw new Error('the demo server has not started');
    return this.ready;
  }

  get url(): string {
    return this.info.url;
  }

  /** The login of the first demo user with `role` (admin, dentist, hygienist, front_desk). */
  login(role: string, index = 0): { email: string; password: string } {
    const found = this.info.logins.filter((login) => login.role === role)[index];
    if (!found) throw new Error(`the demo clinic has no ${role} #${index}`);
    return found;
  }

  async start(): Promise<ServerReady> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'e2e/support/demo-server.ts')],
      {
        cwd: repoRoot,
        env: { ...process.env, DATA_DIR: this.dataDir, PORT: String(this.ready?.port ?? 0) },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.ready = await readyLine<ServerReady>(
      child,
      (value) => value['ready'] === true,
      'the sync server',
    );
    return this.ready;
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child);
    this.child = null;
  }
}

/** A desktop core in browser mode: its own SQLite replica, serving the built renderer. */
export class Workstation {
  private child: ChildProcessWithoutNullStreams | null = null;
  private address: string | null = null;

  constructor(
    readonly userDataDir: string,
    private readonly serverUrl: string,
  ) {}

  /** The page address, with this launch's secret in its fragment. */
  get url(): string {
    if (!this.address) throw new Error('the workstation has not started');
    return this.address;
  }

  async start(): Promise<string> {
    mkdirSync(this.userDataDir, { recursive: true });
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'out/core/core-process.js'),
        '--mode=browser',
        `--user-data=${this.userDataDir}`,
        `--server-url=${this.serverUrl}`,
        `--static-dir=${join(repoRoot, 'dist/renderer')}`,
        '--port=0',
        '--log-level=warn',
      ],
      { cwd: repoRoot, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.child = child;
    const ready = await readyLine<{ url: string }>(
      child,
      (value) => value['type'] === 'ready',
      'the desktop core',
    );
    this.address = ready.url;
    return ready.url;
  }

  async stop(): Promise<void> {
    if (this.child) await stopChild(this.child);
    this.child = null;
  }
}

/** A scratch folder for one test file's servers and workstations. */
export function scratchDir(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `topsmile-e2e-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens the workstation's page and signs in through the sign-in screen, as a person does. */
export async function signIn(
  page: Page,
  station: Workstation,
  server: DemoServer,
  role: string,
  index = 0,
) {
  const { email, password } = server.login(role, index);
  await page.goto(station.url);
  await expect(page.getByRole('heading', { name: 'Sign in to your clinic' })).toBeVisible();
  await expect(page.getByLabel('Server address')).toHaveValue(server.url);
  await page.getByLabel('Clinic').fill(server.info.clinicName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Waits until the always-visible status says online with nothing waiting to be pushed. */
export async function waitUntilSynced(page: Page, timeout = 60_000) {
  const status = page.getByTestId('sync-status');
  await expect(status).toContainText('Online', { timeout });
  await expect(page.getByTestId('sync-pending')).toHaveText('All changes synced', { timeout });
}

/** Collects console errors and page errors, for a test to assert there were none. */
export function watchPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/**
 * One spec file's app: a demo sync server and `stationNames.length` workstations, started before
 * its tests and stopped (with their folders removed) after them.
 */
export function demoApp(name: string, stationNames: readonly string[] = ['station']) {
  const scratch = scratchDir(name);
  const server = new DemoServer(join(scratch.dir, 'server'));
  const stations: Workstation[] = [];
  test.beforeAll(async () => {
    await server.start();
    for (const stationName of stationNames) {
      const station = new Workstation(join(scratch.dir, stationName), server.url);
      await station.start();
      stations.push(station);
    }
  });
  test.afterAll(async () => {
    for (const station of stations) await station.stop();
    await server.stop();
    scratch.remove();
  });
  return {
    server,
    stations,
    /** The first workstation. */
    get station(): Workstation {
      const first = stations[0];
      if (!first) throw new Error('the workstations have not started');
      return first;
    },
  };
}

/** Where screenshots go: test-results/screenshots, or E2E_SCREENSHOTS_DIR (npm run screenshots). */
export function screenshotsDir(): string {
  const dir = join(repoRoot, process.env['E2E_SCREENSHOTS_DIR'] ?? 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
