// Two server instances on one store, joined by a real redis-server: a push on instance 1 pokes
// a stream open on instance 2.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDocument } from '../../shared/domain/schemas/samples';
import { newId } from '../../shared/domain/ids';
import { openSqliteStore } from '../store/sqlite-store';
import type { SyncStore } from '../store/types';
import {
  createTestClinic,
  loginAs,
  makeTempDir,
  postJson,
  startTestServer,
  type TestServer,
} from '../test-support/harness';
import { startRedis, type TestRedis } from '../test-support/redis-server';
import { openSse } from '../test-support/sse';

let redis: TestRedis;
let store: SyncStore;
let first: TestServer;
let second: TestServer;
const temp = makeTempDir();

beforeAll(async () => {
  redis = await startRedis();
  store = await openSqliteStore({ file: join(temp.dir, 'shared.sqlite') });
  first = await startTestServer({ store, env: { redisUrl: redis.url } });
  second = await startTestServer({ store, env: { redisUrl: redis.url } });
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await store?.close();
  await redis?.stop();
  temp.cleanup();
});

describe('live updates across instances', () => {
  it('a push on instance 1 reaches a stream on instance 2, and only for that clinic', async () => {
    const clinic = await createTestClinic(store);
    const other = await createTestClinic(store, 'Other');
    const onSecond = await loginAs(second, clinic, 'front_desk');
    const otherOnSecond = await loginAs(second, other, 'front_desk');
    const onFirst = await loginAs(first, clinic, 'dentist');
    const stream = await openSse(`${second.url}/v1/sync/stream`, onSecond.accessToken);
    const otherStream = await openSse(`${second.url}/v1/sync/stream`, otherOnSecond.accessToken);
    try {
      await stream.next((event) => event.event === 'hello');
      await otherStream.next((event) => event.event === 'hello');
      const patient = {
        ...sampleDocument('patients'),
        id: newId(),
        clinicId: clinic.clinic.id,
        _deleted: false,
      };
      const pushed = await postJson(
        `${first.url}/v1/sync/patients/push`,
        [{ newDocumentState: patient }],
        onFirst.accessToken,
      );
      expect(pushed.status).toBe(200);
      const change = await stream.next((event) => event.event === 'change');
      expect(JSON.parse(change.data)).toMatchObject({ collection: 'patients' });
      await expect(otherStream.next((event) => event.event === 'change', 500)).rejects.toThrow();
    } finally {
      stream.close();
      otherStream.close();
    }
  });
});
