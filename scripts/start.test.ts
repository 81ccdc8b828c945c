// `npm start` end to end, as a user runs it: a child process in its own process group (as a
// terminal runs it), in browser mode, on a temporary data folder; then Ctrl+C (SIGINT to the
// group) must stop everything and exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './build';
import { findElectron } from './start';

const dataDir = mkdtempSync(join(tmpdir(), 'topsmile-start-'));
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  exit: Promise<number | null>;
}

function npmStart(): Run {
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TOPSMILE_DATA_DIR: dataDir,
      TOPSMILE_BROWSER: '1',
      TOPSMILE_DEMO_PATIENTS: '3',
      PORT: '0',
    },
  });
  started.push(child);
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exit,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`No ${pattern} within ${timeoutMs} ms. Output so far:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exit.then(() => {
          if (!waiters.has(check)) return;
          cleanup();
          reject(new Error(`npm start exited before ${pattern}. Output:\n${text}`));
        });
        check();
      });
    },
  };
}

/** Processes still running whose command line mentions the temporary data folder. */
function processesUsing(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').replaceAll('\0', ' ');
      const environ = readFileSync(join('/proc', entry, 'environ'), 'utf8');
      if (cmdline.includes(folder) || environ.includes(folder)) found.push(`${entry}: ${cmdline}`);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Members of the process group still running after a grace period (none, when all is well). */
async function groupLeftovers(pid: number, graceMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!groupAlive(pid)) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return (
          readFileSync(join('/proc', entry, 'stat'), 'utf8')
            .split(') ')[1]
            ?.split(' ')[2] === String(pid)
        );
      } catch {
        return false;
      }
    })
    .map((entry) => readFileSync(join('/proc', entry, 'cmdline'), 'utf8').replaceAll('\0', ' '));
}

async function interruptAndWait(run: Run): Promise<number | null> {
  process.kill(-(run.child.pid as number), 'SIGINT');
  return run.exit;
}

describe('npm start', () => {
  it('starts the server with the demo clinic and serves the app to a browser; Ctrl+C stops everything', async () => {
    const run = npmStart();
    const server = await run.waitFor(/Sync server: (http:\/\/127\.0\.0\.1:\d+)/, 240_000);
    expect(run.output()).toMatch(/Demo clinic: \S+/);
    expect(run.output()).toMatch(/admin\s+\S+@\S+\s+\S{12,}/);
    const browser = await run.waitFor(
      /Open TopSmile in a browser: (http:\/\/127\.0\.0\.1:\d+\/#\S+)/,
      120_000,
    );
    const appUrl = new URL(browser[1] as string);
    const page = await fetch(new URL('/', appUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect((await fetch(new URL('/readyz', server[1]))).status).toBe(200);

    expect(await interruptAndWait(run)).toBe(0);
    expect(run.output()).toContain('Stopped.');
    expect(await groupLeftovers(run.child.pid as number)).toEqual([]);
    expect(processesUsing(dataDir)).toEqual([]);
    await expect(fetch(new URL('/', appUrl))).rejects.toThrow();
    await expect(fetch(new URL('/readyz', server[1]))).rejects.toThrow();
  }, 420_000);

  it('does not create the demo clinic or print its passwords again', async () => {
    const run = npmStart();
    await run.waitFor(/Open TopSmile in a browser: /, 180_000);
    expect(run.output()).toMatch(
      /Demo clinic \S+ \(created .*logins were printed on that first run/s,
    );
    expect(run.output()).not.toMatch(/Logins \(passwords/);
    expect(await interruptAndWait(run)).toBe(0);
    expect(await groupLeftovers(run.child.pid as number)).toEqual([]);
    expect(processesUsing(dataDir)).toEqual([]);
  }, 300_000);
});

describe('Electron detection', () => {
  const electronDir = join(repoRoot, 'node_modules', 'electron');

  it('falls back without a display or when asked, before looking for the binary', () => {
    expect(findElectron({}, 'linux', electronDir)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/display/),
    });
    expect(
      findElectron({ DISPLAY: ':0', TOPSMILE_BROWSER: '1' }, 'linux', electronDir),
    ).toMatchObject({ ok: false });
  });

  it('reports a missing binary without downloading it', () => {
    const missing = findElectron({ DISPLAY: ':0' }, 'linux', join(dataDir, 'no-electron'));
    expect(missing).toMatchObject({ ok: false, reason: expect.stringMatching(/not installed/) });
  });
});
