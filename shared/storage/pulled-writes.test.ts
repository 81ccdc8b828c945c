// Pulled writes (what a replication stores from its master) commit without their own fsync;
// every other write keeps the configured durability. Checked on the pragmas each write runs
// under, and on the contexts a real RxDB replication writes with.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { RxCollection, RxStorage } from 'rxdb';
import { createRxDatabase } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getPullHandler, getPushHandler } from 'rxdb/plugins/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SQLiteInstanceCreationOptions } from './index';
import { getRxStorageSQLite } from './index';
import type { SQLiteSynchronousLevel } from './sqlite-connection';
import { WriteDurability, isReplicationPullContext } from './sqlite-connection';
import { makeTempDirectory } from './test-support/storage-helpers';
import type { PatientTestDoc } from './test-support/test-schemas';
import { patientTestSchema } from './test-support/test-schemas';

let temp: ReturnType<typeof makeTempDirectory>;
beforeEach(() => {
  temp = makeTempDirectory();
});
afterEach(() => temp.cleanup());

function pragmasDuring(
  durability: WriteDurability,
  db: Database.Database,
  context: string,
): { synchronous: number; autocheckpoint: number } {
  return durability.run(context, () => ({
    synchronous: db.pragma('synchronous', { simple: true }) as number,
    autocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }) as number,
  }));
}

describe('WriteDurability', () => {
  it.each<[SQLiteSynchronousLevel, number]>([
    ['FULL', 2],
    ['NORMAL', 1],
  ])('keeps %s for local writes and relaxes only pulled ones', (level, configured) => {
    const db = new Database(join(temp.directory, 'x.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${level}`);
    const durability = new WriteDurability(db, level);
    try {
      const local = { synchronous: configured, autocheckpoint: 1000 };
      const pulled = { synchronous: 1, autocheckpoint: 10_000 };
      expect(pragmasDuring(durability, db, 'rx-collection-bulk-insert')).toEqual(local);
      expect(pragmasDuring(durability, db, 'replication-downstream-abc')).toEqual(pulled);
      expect(pragmasDuring(durability, db, 'replication-down-write-meta')).toEqual(pulled);
      expect(pragmasDuring(durability, db, 'replication-up-write-conflict')).toEqual(local);
      expect(pragmasDuring(durability, db, 'replication-set-checkpoint')).toEqual(pulled);
      expect(pragmasDuring(durability, db, 'rx-document-save-data')).toEqual(local);
    } finally {
      db.close();
    }
  });
});

describe('the contexts RxDB replication writes with', () => {
  it('are pulled ones while it pulls, and a local edit and its push are not', async () => {
    const contexts: string[] = [];
    const sqlite = getRxStorageSQLite({ directory: temp.directory });
    // Records the context of every bulkWrite on the workstation side.
    const recording: RxStorage<unknown, unknown> = {
      ...sqlite,
      async createStorageInstance(params) {
        const instance = await sqlite.createStorageInstance({
          ...params,
          options: {} as SQLiteInstanceCreationOptions,
        });
        const bulkWrite = instance.bulkWrite.bind(instance);
        instance.bulkWrite = (rows, context) => {
          contexts.push(context);
          return bulkWrite(rows, context);
        };
        return instance;
      },
    };
    type Collections = { patients: RxCollection<PatientTestDoc> };
    const remote = await createRxDatabase<Collections>({
      name: 'remote',
      storage: getRxStorageSQLite({ directory: join(temp.directory, 'remote') }),
      multiInstance: false,
    });
    const local = await createRxDatabase<Collections>({
      name: 'local',
      storage: recording,
      multiInstance: false,
    });
    try {
      await remote.addCollections({ patients: { schema: patientTestSchema } });
      await local.addCollections({ patients: { schema: patientTestSchema } });
      const patient = (n: number): PatientTestDoc => ({
        id: `p${n}`,
        nameKey: `name ${n}`,
        phoneKey: '555',
        birthDate: '1980-01-01',
        displayName: `Name ${n}`,
        age: 40,
        balance: 0,
        tags: [],
      });
      await remote.patients.bulkInsert([1, 2, 3, 4, 5].map(patient));
      contexts.length = 0;

      const replication = replicateRxCollection({
        collection: local.patients as RxCollection,
        replicationIdentifier: 'pulled-writes-test',
        live: true,
        pull: { handler: getPullHandler(remote.patients as RxCollection), batchSize: 2 },
        push: { handler: getPushHandler(remote.patients as RxCollection) },
      });
      await replication.awaitInitialReplication();
      expect(await local.patients.count().exec()).toBe(5);
      const pulling = contexts.splice(0);
      expect(pulling.some((context) => context.startsWith('replication-downstream-'))).toBe(true);
      // Besides RxDB's one-time registration of the replication's meta storage.
      expect(pulling.filter((context) => !isReplicationPullContext(context))).toEqual([
        'add-connected-storage-to-collection',
      ]);

      await local.patients.insert(patient(6));
      await replication.awaitInSync();
      expect(await remote.patients.count().exec()).toBe(6);
      const [edit, ...afterwards] = contexts;
      expect(edit && isReplicationPullContext(edit)).toBe(false);
      // The push's bookkeeping (the master state it got accepted) keeps full durability too.
      expect(afterwards).toContain('replication-up-write-meta');
      expect(isReplicationPullContext('replication-up-write-meta')).toBe(false);
      await replication.cancel();
    } finally {
      await local.close();
      await remote.close();
    }
  });
});
