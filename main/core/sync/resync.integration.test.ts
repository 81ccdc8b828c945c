// RESYNC: a workstation away while the server purged deletion history is told to start over,
// and does so without losing the edit it made offline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { patientForServer } from '../../../shared/domain/schemas/index';
import {
  ServerProcess,
  WorkstationProcess,
  makePatient,
  serverDocuments,
  waitFor,
  type ServerInfo,
} from './test-support';

const root = mkdtempSync(join(tmpdir(), 'topsmile-sync-resync-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Another client writing straight to the server over HTTP. */
type PushRow = { newDocumentState: object; assumedMasterState?: object };

/** Pushes as another workstation's replication would: local-only fields stripped. */
async function pushAsOtherClient(server: ServerInfo, rows: PushRow[]): Promise<void> {
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clinic: server.clinicId,
      email: server.emails.admin,
      password: server.password,
      deviceName: 'other client',
    }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(`${server.url}/v1/sync/patients/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(
      rows.map((row) => ({
        newDocumentState: patientForServer(row.newDocumentState),
        ...(row.assumedMasterState
          ? { assumedMasterState: patientForServer(row.assumedMasterState) }
          : {}),
      })),
    ),
  });
  expect(await response.json()).toEqual([]);
}

it('starts over from scratch after a history purge, keeping the unpushed edit', async () => {
  const dataDir = join(root, 'server');
  let server = await ServerProcess.start({ dataDir });
  const dir = join(root, 'station');
  let station = await WorkstationProcess.start(dir);
  try {
    await station.signIn(server.info, 'front_desk');
    await station.call('startSync');
    const { clinicId, ids } = server.info;
    const mine = makePatient(clinicId, ids.front_desk, { firstName: 'Mine' });
    await station.call('insert', { collection: 'patients', doc: mine });
    await station.call('awaitInSync');

    // The workstation goes offline, edits, and is closed for a long time.
    const port = server.info.port;
    await server.stop();
    await station.call('patch', {
      collection: 'patients',
      id: mine.id,
      change: { lastName: 'EditedOffline' },
    });
    await waitFor(async () => (await station.status()).pendingChanges === 1, 20_000, 'pending');
    await station.close();

    // Meanwhile: others create and delete, and the server purges the deletion history.
    server = await ServerProcess.start({ dataDir, port });
    const gone = { ...makePatient(clinicId, ids.admin, { firstName: 'Gone' }), _deleted: false };
    const kept = { ...makePatient(clinicId, ids.admin, { firstName: 'Kept' }), _deleted: false };
    await pushAsOtherClient(server.info, [{ newDocumentState: gone }]);
    await pushAsOtherClient(server.info, [
      { newDocumentState: { ...gone, _deleted: true }, assumedMasterState: gone },
      { newDocumentState: kept },
    ]);
    const purge = await server.purgeTombstones(new Date(Date.now() + 86_400_000).toISOString());
    expect(purge.purged).toBe(1);

    station = await WorkstationProcess.start(dir);
    await station.call('startSync');
    await waitFor(async () => (await station.call<number>('resyncCount')) > 0, 30_000, 'RESYNC');
    await station.call('awaitInSync');
    await waitFor(async () => (await station.status()).pendingChanges === 0, 20_000, 'pushed');

    const onServer = await serverDocuments(server.info);
    const local = await station.call<Record<string, unknown[]>>('docs');
    expect(JSON.stringify(local['patients'])).toBe(JSON.stringify(onServer.patients));
    const names = onServer.patients.map((doc) => `${doc['firstName']} ${doc['lastName']}`);
    expect(names.sort()).toEqual(['Kept Souza', 'Mine EditedOffline']);
    expect(await station.call('conflicts')).toEqual([]);
  } finally {
    await station.close();
    await server.stop();
  }
}, 240_000);
