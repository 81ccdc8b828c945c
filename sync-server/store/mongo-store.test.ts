import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMongo, type TestMongo } from '../test-support/ferretdb';
import { runStoreContract, type StoreUnderTest } from './contract';
import { openStore } from './index';
import { openMongoStore, type MongoStoreOptions, type MongoSyncStore } from './mongo-store';

let mongo: TestMongo;

beforeAll(async () => {
  mongo = await startTestMongo();
});
afterAll(async () => {
  await mongo?.stop();
});

const realMongoDb = process.env['MONGODB_TEST_URL'] !== undefined;

async function dropDatabase(url: string, dbName: string): Promise<void> {
  const client = await MongoClient.connect(url);
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}

function freshMongoStore(extra: Partial<MongoStoreOptions> = {}): () => Promise<StoreUnderTest> {
  return async () => {
    const dbName = mongo.uniqueDbName('store_contract');
    const open = () => openMongoStore({ url: mongo.url, dbName, maxPoolSize: 10, ...extra });
    const store = await open();
    const peers: MongoSyncStore[] = [];
    return {
      store,
      openPeer: async () => {
        const peer = await open();
        peers.push(peer);
        return peer;
      },
      cleanup: async () => {
        for (const peer of peers) await peer.close();
        await store.close();
        await dropDatabase(mongo.url, dbName);
      },
    };
  };
}

// FerretDB 1.x over SQLite scans a whole collection for every query (no index pushdown), so its
// concurrency proof is smaller; a real MongoDB runs the full size.
const concurrency = realMongoDb ? {} : { pushers: 8, pushesPerPusher: 10 };

// Transactions where the deployment has them (MongoDB replica set), leases elsewhere (FerretDB).
runStoreContract('mongodb, write mode detected', freshMongoStore(), concurrency);
if (realMongoDb) {
  // A replica set also proves the lease path, which FerretDB runs locally.
  runStoreContract('mongodb, lease mode', freshMongoStore({ writeMode: 'lease' }), concurrency);
}

describe('mongodb store specifics', () => {
  it('serializes with leases where the deployment has no transactions (FerretDB), else uses them', async () => {
    const dbName = mongo.uniqueDbName('store_mode');
    const store = await openMongoStore({ url: mongo.url, dbName });
    try {
      expect(store.writeMode).toBe(realMongoDb ? 'transactions' : 'lease');
    } finally {
      await store.close();
      await dropDatabase(mongo.url, dbName);
    }
  });

  it('trusts a replica set name only after a transaction succeeded', async () => {
    // FerretDB can claim a replica set without having transactions; MongoDB has both.
    const deployment = realMongoDb
      ? mongo
      : await startTestMongo({ forceFerretDb: true, replSetName: 'rs0' });
    const client = await MongoClient.connect(deployment.url);
    const dbName = deployment.uniqueDbName('store_probe');
    try {
      const hello = await client.db('admin').command({ hello: 1 });
      expect(hello['setName']).toEqual(expect.any(String));
      const store = await openMongoStore({ url: deployment.url, dbName });
      expect(store.writeMode).toBe(realMongoDb ? 'transactions' : 'lease');
      await store.close();
    } finally {
      await client.db(dbName).dropDatabase();
      await client.close();
      if (deployment !== mongo) await deployment.stop();
    }
  });

  it('is what openStore opens when a MongoDB URL is configured', async () => {
    const dbName = mongo.uniqueDbName('store_open');
    const store = await openStore({
      mongodbUrl: mongo.url,
      mongodbDbName: dbName,
      mongodbMaxPoolSize: 3,
      dataDir: '/nonexistent-because-unused',
    });
    try {
      expect(store.kind).toBe('mongodb');
      await store.ping();
    } finally {
      await store.close();
      await dropDatabase(mongo.url, dbName);
    }
  });
});
