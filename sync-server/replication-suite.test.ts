// RxDB's own replication base test suite, run against the real sync server over HTTP with the
// shared/sync client on RxDB's memory storage. Each cleanUpServer starts a fresh clinic, since
// a clinic's history cannot be erased through the store.
import type { RxCollection } from 'rxdb';
import { addRxPlugin } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getConfig, runReplicationBaseTestSuite, setConfig } from 'rxdb/plugins/test-utils';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { replicateClinicCollection } from '../shared/sync/replication';
import type { ReplicatedDocument } from './store/types';
import {
  createTestClinic,
  loginAs,
  startTestServer,
  type TestClinic,
  type TestServer,
} from './test-support/harness';

addRxPlugin(RxDBDevModePlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);
disableWarnings();
Object.assign(globalThis, { describe, it });

const storage = wrappedValidateAjvStorage({ storage: getRxStorageMemory() });
setConfig({
  storage: {
    name: 'memory',
    getStorage: () => storage,
    getPerformanceStorage: () => ({ storage, description: 'memory' }),
    hasPersistence: false,
    hasMultiInstance: false,
    hasAttachments: false,
    hasReplication: true,
  },
});

let server: TestServer;
let clinic: TestClinic;
let token = '';

async function freshClinic(): Promise<void> {
  clinic = await createTestClinic(server.store, 'Suite');
  token = (await loginAs(server, clinic, 'admin')).accessToken;
}

function replicate(collection: RxCollection, live: boolean) {
  return replicateClinicCollection({
    collection,
    serverUrl: server.url,
    getAccessToken: () => token,
    live,
    batchSize: 50,
    retryTime: 100,
    replicationIdentifier: `suite-${clinic.clinic.id}-${collection.database.name}`,
  });
}

describe('rxdb test-utils: runReplicationBaseTestSuite against the sync server over HTTP', () => {
  const originalLog = console.log;
  const originalDir = console.dir;
  beforeAll(async () => {
    getConfig();
    console.log = originalLog;
    console.dir = originalDir;
    server = await startTestServer({
      extraCollections: { human: { primaryKey: 'passportId' } },
      primaryPaths: { human: 'passportId' },
      heartbeatMs: 1000,
    });
    await freshClinic();
  });
  afterAll(() => server.close());

  runReplicationBaseTestSuite({
    startReplication: (collection) => replicate(collection, true),
    syncOnce: async (collection) => {
      const replication = replicate(collection, false);
      await replication.awaitInitialReplication();
      await replication.cancel();
    },
    getAllServerDocs: async () => {
      const all: ReplicatedDocument[] = [];
      let checkpoint: { seq: number } | null = null;
      for (;;) {
        const page = await server.store.pull(clinic.clinic.id, 'human', checkpoint, 1000);
        all.push(...page.documents);
        if (page.documents.length === 0) return all;
        checkpoint = page.checkpoint;
      }
    },
    cleanUpServer: freshClinic,
    softDeletes: true,
    isDeleted: (doc: ReplicatedDocument) => doc._deleted,
    getPrimaryOfServerDoc: (doc: ReplicatedDocument) => doc['passportId'] as string,
  });
});
