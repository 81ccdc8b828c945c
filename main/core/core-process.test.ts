// The core as a real child process in browser mode: started the way scripts/start.ts starts it,
// reached over its WebSocket with the launch secret, and busy without freezing its parent.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type TopSmileApi } from '../../shared/api/client';
import { DEFAULT_SETTINGS } from './services/index';
import { connectApiWebSocket, type WebSocketClientLink } from './transports/websocket-client';

const ENTRY = fileURLToPath(new URL('./core-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Ready {
  type: 'ready';
  url: string;
  apiUrl: string;
  origin: string;
}

let userData: string;
let child: ChildProcess;
let ready: Ready;
let link: WebSocketClientLink;
let api: TopSmileApi;

function nextIpcMessage<T>(type: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} from the core`)), timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message?.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`core exited (${code}) before ${type}`)));
  });
}

beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'topsmile-core-'));
  child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--mode=browser'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      TOPSMILE_USER_DATA: userData,
      TOPSMILE_SERVER_URL: 'http://127.0.0.1:9',
      TOPSMILE_TEST_HOOKS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  ready = await nextIpcMessage<Ready>('ready').catch((error: Error) => {
    throw new Error(`${error.message}\n${stderr}`);
  });
  const secret = new URL(ready.url).hash.replace('#secret=', '');
  link = await connectApiWebSocket({ apiUrl: ready.apiUrl, secret, origin: ready.origin });
  api = createApiClient(link.transport);
}, 90_000);

afterAll(async () => {
  await link?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(userData, { recursive: true, force: true });
});

describe('core process (browser mode)', () => {
  it('announces a loopback address with the launch secret in the fragment', () => {
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#secret=[A-Za-z0-9_-]{43}$/);
    expect(ready.apiUrl).toBe(`${ready.origin.replace('http', 'ws')}/api`);
  });

  it('answers public methods before sign-in over the WebSocket', async () => {
    await expect(api.call('settings.get', {})).resolves.toEqual(DEFAULT_SETTINGS);
    const session = await api.call('session.get', {});
    expect(session).toMatchObject({ user: null, clinicId: null, locked: false });
    expect(session.serverUrl).toBe('http://127.0.0.1:9');
    await expect(api.call('database.status', {})).resolves.toEqual({ state: 'closed' });
    await expect(api.call('patients.search', { text: 'a' })).rejects.toMatchObject({
      code: 'not_signed_in',
    });
  });

  it('keeps a long synchronous query in the core from blocking its parent', async () => {
    const BLOCK_MS = 1500;
    const TICK_MS = 10;
    const gaps: number[] = [];
    let lastTick = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      gaps.push(now - lastTick);
      lastTick = now;
    }, TICK_MS);
    try {
      const blocked = nextIpcMessage<{ ms: number }>('test:blocked');
      child.send({ type: 'test:block', ms: BLOCK_MS });
      await new Promise((resolve) => setTimeout(resolve, 150));
      // The core is busy: a call made now waits for the query to end...
      const started = performance.now();
      await api.call('settings.get', {});
      const answeredAfter = performance.now() - started;
      expect((await blocked).ms).toBeGreaterThanOrEqual(BLOCK_MS);
      expect(answeredAfter).toBeGreaterThan(BLOCK_MS - 400);
    } finally {
      clearInterval(ticker);
    }
    // ...while this process's event loop kept ticking the whole time: timer drift stays under
    // 50 ms for nine ticks in ten. The worst single gap is allowed a hiccup of a shared, busy
    // machine (single gaps of 20-450 ms were seen with other suites loading 2 CPUs 7-fold), but
    // stays far from the 1.5 s gap a loop blocked by the query would show.
    const drift = gaps.map((gap) => gap - TICK_MS).sort((a, b) => a - b);
    expect(drift.length).toBeGreaterThan(BLOCK_MS / (TICK_MS * 4));
    expect(drift[Math.floor(drift.length * 0.9)]).toBeLessThan(50);
    expect(drift.at(-1)).toBeLessThan(BLOCK_MS / 3);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
