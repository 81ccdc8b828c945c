// A MongoDB-compatible server for tests: FerretDB over SQLite on a free loopback port, or the real
// MongoDB named by MONGODB_TEST_URL (GitHub Actions runs a MongoDB 7 replica set).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export interface TestMongo {
  /** Connection string to hand to the MongoDB driver. */
  readonly url: string;
  /** 'ferretdb' when started here, 'mongodb' when MONGODB_TEST_URL is used. */
  readonly flavor: 'ferretdb' | 'mongodb';
  /** A database name nobody else uses; call once per store under test. */
  readonly uniqueDbName: (prefix?: string) => string;
  /** Kills FerretDB and removes its files (a no-op for an external MongoDB). */
  readonly stop: () => Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

/** Where the FerretDB binary is: FERRETDB_BIN, else $(go env GOBIN or GOPATH/bin)/ferretdb. */
export function ferretdbBinary(): string {
  const fromEnv = process.env['FERRETDB_BIN'];
  if (fromEnv) return fromEnv;
  const goEnv = (name: string): string => {
    const result = spawnSync('go', ['env', name], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() : '';
  };
  const goBin = goEnv('GOBIN') || (goEnv('GOPATH') ? join(goEnv('GOPATH'), 'bin') : '');
  return goBin ? join(goBin, 'ferretdb') : 'ferretdb';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not get a free port'));
      });
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1');
  });
}

const dbNamer =
  (base: string) =>
  (prefix = 'topsmile_test'): string =>
    `${prefix}_${base}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

/**
 * Starts FerretDB (or uses MONGODB_TEST_URL). Fails loudly when FerretDB is not built: a MongoDB
 * store that is never tested must not pass silently.
 */
export async function startTestMongo(
  options: { forceFerretDb?: boolean; replSetName?: string } = {},
): Promise<TestMongo> {
  const external = process.env['MONGODB_TEST_URL'];
  if (external && !options.forceFerretDb) {
    return {
      url: external,
      flavor: 'mongodb',
      uniqueDbName: dbNamer(String(process.pid)),
      stop: async () => {},
    };
  }

  const binary = ferretdbBinary();
  if (!existsSync(binary)) {
    throw new Error(
      `FerretDB binary not found at ${binary}. The MongoDB store tests need it: run ` +
        'scripts/install-test-deps.sh (or set FERRETDB_BIN, or MONGODB_TEST_URL for a real MongoDB).',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'topsmile-ferretdb-'));
  const port = await freePort();
  const debugPort = await freePort();
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      '--telemetry=disable',
      ...(options.replSetName ? [`--repl-set-name=${options.replSetName}`] : []),
      `--log-level=${process.env['FERRETDB_LOG_LEVEL'] ?? 'error'}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    // FerretDB reports a dropped connection's cause only here; surface it to the test log.
    if (process.env['FERRETDB_LOG_LEVEL']) process.stderr.write(chunk);
  });
  let exited: string | null = null;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exited === null) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(killTimer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await canConnect(port))) {
    if (exited !== null || Date.now() > deadline) {
      await stop();
      throw new Error(
        `FerretDB did not start (${exited ?? 'timed out'}) on 127.0.0.1:${port}: ${stderr.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `mongodb://127.0.0.1:${port}/${options.replSetName ? '?directConnection=true' : ''}`,
    flavor: 'ferretdb',
    uniqueDbName: dbNamer(String(port)),
    stop,
  };
}
