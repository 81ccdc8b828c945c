// Clinic A's token can neither read nor write clinic B's data through any endpoint. The routes
// are taken from the OpenAPI document, so a new route fails here until it is covered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_NAMES, type CollectionName } from '../../shared/domain/schemas/index';
import { sampleDocument } from '../../shared/domain/schemas/samples';
import { newId } from '../../shared/domain/ids';
import type { ReplicatedDocument } from '../store/types';
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
let clinicA: TestClinic;
let clinicB: TestClinic;
let tokenA: string;
let tokenB: string;
const docsOfB = new Map<CollectionName, ReplicatedDocument>();

beforeAll(async () => {
  server = await startTestServer();
  clinicA = await createTestClinic(server.store, 'A');
  clinicB = await createTestClinic(server.store, 'B');
  tokenA = (await loginAs(server, clinicA, 'admin')).accessToken;
  tokenB = (await loginAs(server, clinicB, 'admin')).accessToken;
  for (const collection of COLLECTION_NAMES) {
    const doc = {
      ...sampleDocument(collection),
      id: newId(),
      clinicId: clinicB.clinic.id,
      _deleted: false,
    } as ReplicatedDocument;
    // Written through the store: staff is read-only over HTTP.
    await server.store.push(clinicB.clinic.id, collection, [{ newDocumentState: doc }]);
    docsOfB.set(collection, doc);
  }
});
afterAll(() => server.close());

async function storedOfB(collection: CollectionName): Promise<ReplicatedDocument[]> {
  const doc = docsOfB.get(collection) as ReplicatedDocument;
  return server.store.getDocuments(clinicB.clinic.id, collection, [doc['id'] as string]);
}

type Probe = () => Promise<void>;

const probes: Record<string, Probe> = {
  'post /v1/sync/{collection}/pull': async () => {
    for (const collection of COLLECTION_NAMES) {
      const response = await postJson(
        `${server.url}/v1/sync/${collection}/pull`,
        { checkpoint: null, limit: 1000 },
        tokenA,
      );
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain(clinicB.clinic.id);
      expect(text).not.toContain(docsOfB.get(collection)?.['id']);
    }
  },
  'post /v1/sync/{collection}/push': async () => {
    for (const collection of COLLECTION_NAMES) {
      const theirs = docsOfB.get(collection) as ReplicatedDocument;
      const response = await postJson(
        `${server.url}/v1/sync/${collection}/push`,
        [
          // B's document, edited, with B's clinic id: refused.
          {
            newDocumentState: { ...theirs, updatedAt: '2030-01-01T00:00:00.000Z' },
            assumedMasterState: theirs,
          },
          // B's id under A's clinic id: lands (if allowed at all) in A's space only.
          { newDocumentState: { ...theirs, clinicId: clinicA.clinic.id } },
        ],
        tokenA,
      );
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body).not.toContain(clinicB.clinic.id);
      expect(response.headers.get('x-topsmile-refused') ?? '').not.toContain(clinicB.clinic.id);
      expect(await storedOfB(collection)).toEqual([theirs]);
    }
  },
  'get /v1/sync/stream': async () => {
    const stream = await openSse(`${server.url}/v1/sync/stream`, tokenA);
    try {
      await stream.next((event) => event.event === 'hello');
      const patient = {
        ...sampleDocument('patients'),
        id: newId(),
        clinicId: clinicB.clinic.id,
        _deleted: false,
      };
      await postJson(
        `${server.url}/v1/sync/patients/push`,
        [{ newDocumentState: patient }],
        tokenB,
      );
      await expect(stream.next((event) => event.event === 'change', 500)).rejects.toThrow();
    } finally {
      stream.close();
    }
  },
  'post /v1/auth/login': async () => {
    // A's user with B's clinic: the credentials are checked in B only.
    const response = await postJson(`${server.url}/v1/auth/login`, {
      clinic: clinicB.clinic.id,
      email: clinicA.users.admin.email.replace('admin', 'nobody'),
      password: 'correct horse battery staple',
      deviceName: 'PC',
    });
    expect(response.status).toBe(401);
  },
  'post /v1/auth/refresh': async () => {
    const response = await postJson(`${server.url}/v1/auth/refresh`, { refreshToken: tokenA });
    expect(response.status).toBe(401);
  },
  'post /v1/auth/logout': async () => {
    const sessionB = await loginAs(server, clinicB, 'dentist');
    await postJson(`${server.url}/v1/auth/logout`, { refreshToken: 'x'.repeat(43) }, tokenA);
    const refresh = await postJson(`${server.url}/v1/auth/refresh`, {
      refreshToken: sessionB.refreshToken,
    });
    expect(refresh.status).toBe(200);
  },
  'get /healthz': async () => {
    expect(await (await fetch(`${server.url}/healthz`)).text()).not.toContain(clinicB.clinic.id);
  },
  'get /readyz': async () => {
    expect(await (await fetch(`${server.url}/readyz`)).text()).not.toContain(clinicB.clinic.id);
  },
  'get /metrics': async () => {
    expect(await (await fetch(`${server.url}/metrics`)).text()).not.toContain(clinicB.clinic.id);
  },
  'get /docs/openapi.json': async () => {
    expect(await (await fetch(`${server.url}/docs/openapi.json`)).text()).not.toContain(
      clinicB.clinic.id,
    );
  },
};

describe('tenancy', () => {
  it('every route is probed', async () => {
    const openapi = (await (await fetch(`${server.url}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(openapi.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    // Hidden ops routes are not in the document but are probed all the same.
    expect(new Set([...routes, 'get /metrics', 'get /docs/openapi.json'])).toEqual(
      new Set(Object.keys(probes)),
    );
  });

  for (const [route, probe] of Object.entries(probes)) {
    it(`clinic A's token cannot reach clinic B's data: ${route}`, probe);
  }
});
