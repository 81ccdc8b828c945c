// The sync server of the end-to-end tests, in its own process so a test can stop it ("the server
// is down") and start it again on the same port with the same data ("it came back"). On its
// first start in DATA_DIR it creates the demo clinic with the product's own `seed-demo`, around
// the real today, and remembers the printed logins in DATA_DIR/demo.json. Prints one JSON line
// when listening. Run with tsx by app.ts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../sync-server/cli';
import { loadEnv } from '../../sync-server/env';
import { startServer } from '../../sync-server/server';

export interface DemoInfo {
  readonly clinicId: string;
  readonly clinicName: string;
  /** email → password, in the order seed-demo printed them (admin first). */
  readonly logins: readonly { role: string; email: string; password: string }[];
}

async function seedOnce(
  dataDir: string,
  env: Record<string, string | undefined>,
): Promise<DemoInfo> {
  const file = join(dataDir, 'demo.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runCli(['seed-demo', '--patients', process.env['DEMO_PATIENTS'] ?? '200'], {
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    readSecret: () => Promise.reject(new Error('seed-demo asks for no secret')),
    env,
  });
  if (code !== 0) throw new Error(`seed-demo failed: ${errors.join(' ')}`);
  const clinicId = /Demo clinic (\S+)/.exec(lines[0] ?? '')?.[1];
  if (!clinicId) throw new Error('seed-demo printed no clinic id');
  const logins = lines
    .map((line) => /^\s*(\w+)\s+(\S+@\S+)\s+(\S+)\s*$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ role: match[1]!, email: match[2]!, password: match[3]! }));
  const info: DemoInfo = { clinicId, clinicName: `TopSmile Demo ${clinicId.slice(-6)}`, logins };
  writeFileSync(file, JSON.stringify(info));
  return info;
}

async function main(): Promise<void> {
  const dataDir = process.env['DATA_DIR'];
  if (!dataDir) throw new Error('DATA_DIR is required');
  const source = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: process.env['PORT'] ?? '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  const demo = await seedOnce(dataDir, source);
  const server = await startServer(
    loadEnv(source, () => undefined),
    {
      // Several sign-ins a minute from one address is the test, not an attack.
      authRateLimit: { max: 10_000, timeWindowMs: 60_000 },
    },
  );
  const port = Number(new URL(server.url).port);
  process.stdout.write(`${JSON.stringify({ ready: true, url: server.url, port, ...demo })}\n`);
  const stop = () => void server.shutdown('stop').then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo server failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
