// RxDB's own replication base test suite (rxdb/plugins/test-utils), run with this storage on both
// the client collections and the "server" collection they replicate with.
import type { RxCollection, RxDatabase, RxDocumentData } from 'rxdb';
import { addRxPlugin, createRxDatabase, randomToken } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import {
  getConfig,
  getPullHandler,
  getPullStream,
  getPushHandler,
  runReplicationBaseTestSuite,
  schemas,
  setConfig,
} from 'rxdb/plugins/test-utils';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { getRxStorageSQLite } from './index';
import { makeTempDirectory, prepare } from './test-support/storage-helpers';

// The suite's collections are created with `ignoreDuplicate` (dev-mode only) and local documents.
addRxPlugin(RxDBDevModePlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);
disableWarnings();

// The suite is written for mocha's globals.
Object.assign(globalThis, { describe, it });

type HumanDoc = { passportId: string; firstName: string; lastName: string; age: number };

const temp = makeTempDirectory();
const storage = wrappedValidateAjvStorage({
  storage: getRxStorageSQLite({ directory: temp.directory, synchronous: 'NORMAL' }),
});
setConfig({
  storage: {
    name: 'topsmile-sqlite',
    getStorage: () => storage,
    getPerformanceStorage: () => ({ storage, description: 'topsmile-sqlite' }),
    hasPersistence: true,
    hasMultiInstance: true,
    hasAttachments: true,
    hasReplication: true,
  },
});

let server: RxDatabase<{ human: RxCollection<HumanDoc> }> | undefined;

async function serverCollection(): Promise<RxCollection<HumanDoc>> {
  if (!server) {
    server = await createRxDatabase({
      name: 'server-' + randomToken(8),
      storage,
      multiInstance: false,
    });
    await server.addCollections({ human: { schema: schemas.human } });
  }
  return server.human;
}

async function startReplication(
  collection: RxCollection<HumanDoc>,
  live: boolean,
): Promise<RxReplicationState<HumanDoc, unknown>> {
  const remote = (await serverCollection()) as RxCollection;
  return replicateRxCollection<HumanDoc, unknown>({
    collection,
    // Stable per client, as in real use: repeated one-shot syncs continue from their checkpoint.
    replicationIdentifier: 'base-suite-' + collection.database.name,
    live,
    pull: { handler: getPullHandler(remote), stream$: getPullStream(remote) },
    push: { handler: getPushHandler(remote) },
  });
}

describe('rxdb test-utils: runReplicationBaseTestSuite on the SQLite storage', () => {
  const originalLog = console.log;
  const originalDir = console.dir;
  beforeAll(() => {
    // getConfig() initialises RxDB's test environment, which rewrites console.log: undo that.
    getConfig();
    console.log = originalLog;
    console.dir = originalDir;
  });
  afterAll(async () => {
    await server?.close();
    temp.cleanup();
  });

  runReplicationBaseTestSuite({
    startReplication: (collection) => startReplication(collection, true),
    syncOnce: async (collection) => {
      const replication = await startReplication(collection, false);
      await replication.awaitInitialReplication();
      await replication.cancel();
    },
    getAllServerDocs: async () => {
      const human = await serverCollection();
      const all = prepare<HumanDoc>(human.storageInstance.schema, { selector: {} });
      return (await human.storageInstance.query(all)).documents;
    },
    cleanUpServer: async () => {
      await server?.remove();
      server = undefined;
    },
    softDeletes: true,
    isDeleted: (doc: RxDocumentData<HumanDoc>) => doc._deleted,
    getPrimaryOfServerDoc: (doc: RxDocumentData<HumanDoc>) => doc.passportId,
  });
});
