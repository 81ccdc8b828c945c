// A real sync server in its own process for the workstation's sync tests: the SQLite store in
// DATA_DIR survives a stop, so a restart on the same PORT is "the server came back". Run from
// sync/test-support.ts; prints one JSON line when listening, then answers stdin commands.
// (A fixture, not product code: it may reach into sync-server/, which main/ may not import.)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildApp } from '../../../../sync-server/app';
import { openSqliteStore } from '../../../../sync-server/store/sqlite-store';
import {
  TEST_PASSWORD,
  createTestClinic,
  testEnv,
} from '../../../../sync-server/test-support/harness';

async function main(): Promise<void> {
  const dataDir = process.env['DATA_DIR']!;
  const port = Number(process.env['PORT'] ?? '0');
  const clockOffsetMs = Number(process.env['CLOCK_OFFSET_MS'] ?? '0');
  const accessTokenTtlSeconds = Number(process.env['ACCESS_TTL_SECONDS'] ?? '900');
  const store = await openSqliteStore({ file: join(dataDir, 'sync.sqlite') });
  const clinicFile = join(dataDir, 'clinic.json');
  if (!existsSync(clinicFile)) {
    const created = await createTestClinic(store, 'Sync test clinic');
    const emails = Object.fromEntries(
      Object.entries(created.users).map(([role, user]) => [role, user.email]),
    );
    const ids = Object.fromEntries(
      Object.entries(created.users).map(([role, user]) => [role, user.id]),
    );
    writeFileSync(
      clinicFile,
      JSON.stringify({ clinicId: created.clinic.id, name: created.clinic.name, emails, ids }),
    );
  }
  const clinic = JSON.parse(readFileSync(clinicFile, 'utf8')) as Record<string, unknown>;
  const app = await buildApp({
    env: testEnv(dataDir, { accessTokenTtlSeconds }),
    store,
    clock: () => new Date(Date.now() + clockOffsetMs),
    authRateLimit: { max: 100_000, timeWindowMs: 60_000 },
    heartbeatMs: 1000,
    principalCacheMs: 0,
  });
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(
    `${JSON.stringify({ ready: true, url: `http://127.0.0.1:${actualPort}`, port: actualPort, password: TEST_PASSWORD, ...clinic })}\n`,
  );

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [command, ...args] = line.trim().split(' ');
    void (async () => {
      if (command === 'purge') {
        const purged = await store.purgeTombstones(String(clinic['clinicId']), args[0]!);
        const floor = await store.historyFloor(String(clinic['clinicId']));
        process.stdout.write(`${JSON.stringify({ purged, floor })}\n`);
      }
    })();
  });
  lines.on('close', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
