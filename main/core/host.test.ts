// The wired core against a real sync server (in its own process): every contract method has a
// handler, sign-in opens the clinic's database, backups round-trip through the API, and a
// damaged file at start becomes a choice, not a crash.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type TopSmileApi } from '../../shared/api/client';
import { METHOD_NAMES, appApi } from '../../shared/api/contract';
import { ApiError, type ServerMessage } from '../../shared/api/protocol';
import type { DatabaseStatus } from '../../shared/api/views';
import { addPatients, patientLastNames, temporaryFolder } from './backups/test-support';
import { clinicDatabaseFile, clinicDatabaseName } from './database';
import { startCoreHost, type CoreHost } from './host';
import { silentLogger } from './logging/logger';
import { ServerProcess, waitFor } from './sync/test-support';
import { messagePortClientTransport, serveMessagePort } from './transports/message-port';

const folder = temporaryFolder('topsmile-host-');
let server: ServerProcess;

beforeAll(async () => {
  server = await ServerProcess.start({ dataDir: join(folder.path, 'server') });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  folder.remove();
});

async function startHost(userDataDir: string): Promise<{ host: CoreHost; api: TopSmileApi }> {
  const host = await startCoreHost({
    userDataDir,
    logger: silentLogger(),
    database: { firstBackupDelayMs: 3_600_000 },
  });
  const { port1, port2 } = new MessageChannel();
  serveMessagePort(port1, host.dispatcher);
  return { host, api: createApiClient(messagePortClientTransport(port2)) };
}

async function statusOf(api: TopSmileApi): Promise<DatabaseStatus> {
  return api.call('database.status', {});
}

describe('core host', () => {
  it('has a handler for every method of the contract', async () => {
    const { host } = await startHost(join(folder.path, 'empty'));
    const codes = new Map<string, string>();
    await Promise.all(
      METHOD_NAMES.map(
        (method) =>
          new Promise<void>((resolve) => {
            const type = appApi[method].kind === 'subscription' ? 'subscribe' : 'call';
            const reply = (message: ServerMessage) => {
              codes.set(
                method,
                message.type === 'result' && !message.ok
                  ? message.error.code
                  : message.type === 'event-error'
                    ? message.error.code
                    : 'answered',
              );
              resolve();
            };
            host.dispatcher.handle({ type, id: 1, method, input: {} }, reply);
          }),
      ),
    );
    const missing = [...codes].filter(([, code]) => code === 'unknown_method');
    expect(missing).toEqual([]);
    expect(codes.size).toBe(METHOD_NAMES.length);
    await host.close();
  });

  it('opens the clinic after sign-in, backs up and restores through the API', async () => {
    const userData = join(folder.path, 'station');
    const { host, api } = await startHost(userData);
    expect(await statusOf(api)).toEqual({ state: 'closed' });
    const { info } = server;
    await api.call('session.signIn', {
      serverUrl: info.url,
      clinic: info.name,
      email: info.emails.admin,
      password: info.password,
    });
    await waitFor(async () => (await statusOf(api)).state === 'open', 20_000, 'the database');
    const db = host.database.db!;
    expect(db.name).toBe(clinicDatabaseName(info.clinicId));
    // Offline from here on, so sync cannot bring back what the restore rolls back.
    await server.stop();

    await addPatients(db, ['Alpha']);
    const backup = await api.call('backups.create', {});
    expect(backup.reason).toBe('manual');
    await addPatients(db, ['Bravo']);
    await api.call('backups.restore', { backupId: backup.id });
    expect(await statusOf(api)).toEqual({ state: 'open' });
    expect(await patientLastNames(host.database.db!)).toEqual(['Alpha']);
    const reasons = (await api.call('backups.list', {})).map((entry) => entry.reason);
    expect(reasons).toEqual(['before_restore', 'manual']);

    expect(await host.prepareInstall()).toBe(true);
    expect((await api.call('backups.list', {}))[0]?.reason).toBe('before_update');
    await expect(api.call('updates.installNow', {})).rejects.toMatchObject({ code: 'conflict' });
    await host.close();
  }, 60_000);

  it('offers a choice for a damaged file at start, and sets it aside to download again', async () => {
    const userData = join(folder.path, 'station');
    const file = clinicDatabaseFile(
      join(userData, 'clinics'),
      clinicDatabaseName(server.info.clinicId),
    );
    const bytes = readFileSync(file);
    writeFileSync(file, Buffer.concat([Buffer.from('not sqlite at all'), bytes.subarray(17)]));

    const { host, api } = await startHost(userData);
    const status = await statusOf(api);
    expect(status).toMatchObject({ state: 'problem', problem: 'corrupt' });
    if (status.state !== 'problem') throw new Error('expected a problem');
    expect(status.backups.length).toBeGreaterThan(0);
    // Clinic methods fail plainly meanwhile; nothing crashed.
    const refused = await api.call('patients.search', { text: 'a' }).catch((error) => error);
    expect(refused).toBeInstanceOf(ApiError);

    await api.call('database.setAside', {});
    expect(await statusOf(api)).toEqual({ state: 'open' });
    await host.close();
  }, 60_000);
});
