import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDocument } from '../../shared/domain/schemas/samples';
import { newId } from '../../shared/domain/ids';
import {
  createTestClinic,
  loginAs,
  postJson,
  startTestServer,
  type TestClinic,
  type TestServer,
} from '../test-support/harness';
import { openSse } from '../test-support/sse';

let server: TestServer;
let clinic: TestClinic;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ heartbeatMs: 200, bootId: 'boot-1' });
  clinic = await createTestClinic(server.store);
  token = (await loginAs(server, clinic, 'dentist')).accessToken;
});
afterAll(() => server.close());

function patient() {
  return {
    ...sampleDocument('patients'),
    id: newId(),
    clinicId: clinic.clinic.id,
    _deleted: false,
  };
}

describe('GET /v1/sync/stream', () => {
  it('says hello with the boot id and server time, then a change event after a push', async () => {
    const stream = await openSse(`${server.url}/v1/sync/stream`, token);
    try {
      expect(stream.status).toBe(200);
      const hello = await stream.next((event) => event.event === 'hello');
      const greeting = JSON.parse(hello.data) as { bootId: string; time: string };
      expect(greeting.bootId).toBe('boot-1');
      expect(Math.abs(Date.parse(greeting.time) - Date.now())).toBeLessThan(5000);
      await postJson(
        `${server.url}/v1/sync/patients/push`,
        [{ newDocumentState: patient() }],
        token,
      );
      const change = await stream.next((event) => event.event === 'change');
      expect(JSON.parse(change.data)).toMatchObject({ collection: 'patients' });
    } finally {
      stream.close();
    }
  });

  it('needs a valid token', async () => {
    const response = await fetch(`${server.url}/v1/sync/stream`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('asks for RESYNC when the declared checkpoint is below the history floor', async () => {
    const doomed = patient();
    await postJson(`${server.url}/v1/sync/patients/push`, [{ newDocumentState: doomed }], token);
    await postJson(
      `${server.url}/v1/sync/patients/push`,
      [{ newDocumentState: { ...doomed, _deleted: true }, assumedMasterState: doomed }],
      token,
    );
    const purged = await server.store.purgeTombstones(
      clinic.clinic.id,
      new Date(Date.now() + 86_400_000).toISOString(),
    );
    expect(purged).toBeGreaterThan(0);
    const floor = await server.store.historyFloor(clinic.clinic.id);
    expect(floor).toBeGreaterThan(1);
    const behind = await openSse(`${server.url}/v1/sync/stream?checkpoint=1`, token);
    const current = await openSse(`${server.url}/v1/sync/stream?checkpoint=${floor}`, token);
    try {
      const resync = await behind.next((event) => event.event === 'resync');
      expect(JSON.parse(resync.data)).toMatchObject({ reason: 'history', floor });
      await current.next((event) => event.event === 'hello');
      await current.next(() => false, 300).catch(() => undefined);
      expect(current.events.some((event) => event.event === 'resync')).toBe(false);
      const pulled = await postJson(
        `${server.url}/v1/sync/patients/pull`,
        { checkpoint: { seq: 1 }, limit: 10 },
        token,
      );
      expect(pulled.headers.get('x-topsmile-resync')).toBe('history');
      // A collection unchanged since the purge: starting over lifts its checkpoint to the floor,
      // so the next pull does not ask for RESYNC again.
      const restarted = await postJson(
        `${server.url}/v1/sync/operatories/pull`,
        { checkpoint: null, limit: 10 },
        token,
      );
      const restartedBody = (await restarted.json()) as { checkpoint: { seq: number } };
      expect(restartedBody.checkpoint.seq).toBeGreaterThanOrEqual(floor);
      const again = await postJson(
        `${server.url}/v1/sync/operatories/pull`,
        { checkpoint: restartedBody.checkpoint, limit: 10 },
        token,
      );
      expect(again.headers.get('x-topsmile-resync')).toBeNull();
    } finally {
      behind.close();
      current.close();
    }
  });

  it('ends the stream of a device revoked while connected', async () => {
    const session = await loginAs(server, clinic, 'hygienist', 'Stolen PC');
    const stream = await openSse(`${server.url}/v1/sync/stream`, session.accessToken);
    await stream.next((event) => event.event === 'hello');
    await server.store.revokeDevice(clinic.clinic.id, session.deviceId, new Date().toISOString());
    const goodbye = await stream.next((event) => event.event === 'goodbye');
    expect(JSON.parse(goodbye.data).message).toMatch(/revoked/);
    await stream.ended;
  });
});

describe('shutdown', () => {
  it('closing the app says goodbye to open streams and ends them', async () => {
    const own = await startTestServer();
    const ownClinic = await createTestClinic(own.store);
    const session = await loginAs(own, ownClinic, 'admin');
    const stream = await openSse(`${own.url}/v1/sync/stream`, session.accessToken);
    await stream.next((event) => event.event === 'hello');
    const closing = own.close();
    const goodbye = await stream.next((event) => event.event === 'goodbye');
    expect(JSON.parse(goodbye.data).message).toMatch(/shutting down/);
    await stream.ended;
    await closing;
  });
});
