// Several RxDB instances and connections on one SQLite file (see getRxStorageSQLite's doc).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RxCollection, RxStorageWriteErrorConflict } from 'rxdb';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRxStorageSQLite } from './index';
import { asWritten, createTestInstance, makeTempDirectory } from './test-support/storage-helpers';
import type { PatientTestDoc } from './test-support/test-schemas';
import { patientTestSchema } from './test-support/test-schemas';

// Two RxDatabases with one name in one process need `ignoreDuplicate`, which needs dev-mode.
addRxPlugin(RxDBDevModePlugin);
disableWarnings();

const KILL_WRITER = fileURLToPath(new URL('./test-support/kill-writer.ts', import.meta.url));

let temp: ReturnType<typeof makeTempDirectory>;
beforeEach(() => {
  temp = makeTempDirectory();
});
afterEach(() => temp.cleanup());

function patient(id: string): PatientTestDoc {
  return {
    id,
    nameKey: 'name ' + id,
    phoneKey: '1',
    birthDate: '2000-01-01',
    displayName: 'P',
    age: 1,
    balance: 0,
    tags: [],
  };
}

describe('multiInstance', () => {
  it('two RxDatabases on one file see each other’s writes as events', async () => {
    const storage = wrappedValidateAjvStorage({
      storage: getRxStorageSQLite({ directory: temp.directory }),
    });
    const open = async () => {
      const db = await createRxDatabase<{ patients: RxCollection<PatientTestDoc> }>({
        name: 'shared',
        storage,
        multiInstance: true,
        ignoreDuplicate: true,
      });
      await db.addCollections({ patients: { schema: patientTestSchema } });
      return db;
    };
    const a = await open();
    const b = await open();
    try {
      const seenByB = firstValueFrom(
        b.patients.find().$.pipe(filter((docs) => docs.some((d) => d.id === 'from-a'))),
      );
      await a.patients.insert(patient('from-a'));
      expect((await seenByB).map((d) => d.id)).toEqual(['from-a']);

      const seenByA = firstValueFrom(
        a.patients.findOne('from-a').$.pipe(filter((doc) => doc?.age === 42)),
      );
      const docInB = await b.patients.findOne('from-a').exec(true);
      await docInB.incrementalPatch({ age: 42 });
      expect((await seenByA)?.age).toBe(42);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two connections to one file: writes of one are read, and conflict-checked, by the other', async () => {
    const names = { databaseName: 'shared', collectionName: 'patients' };
    // Two storage objects, so two separate SQLite connections.
    const one = await createTestInstance(
      getRxStorageSQLite({ directory: temp.directory }),
      patientTestSchema,
      names,
    );
    const two = await createTestInstance(
      getRxStorageSQLite({ directory: temp.directory }),
      patientTestSchema,
      names,
    );
    try {
      const written = asWritten(patient('x'));
      expect((await one.bulkWrite([{ document: written }], 'one')).error).toEqual([]);
      expect(await two.findDocumentsById(['x'], false)).toEqual([written]);

      const clash = await two.bulkWrite([{ document: asWritten(patient('x')) }], 'two');
      expect(clash.error).toHaveLength(1);
      expect((clash.error[0] as RxStorageWriteErrorConflict<PatientTestDoc>).documentInDb).toEqual(
        written,
      );
      for (let i = 0; i < 50; i++) {
        const writer = i % 2 === 0 ? one : two;
        const result = await writer.bulkWrite([{ document: asWritten(patient('i' + i)) }], 'x');
        expect(result.error).toEqual([]);
      }
      const ids = Array.from({ length: 50 }, (_, i) => 'i' + i);
      expect(await one.findDocumentsById(ids, false)).toHaveLength(50);
      expect(await two.findDocumentsById(ids, false)).toHaveLength(50);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('another process writing the same file concurrently: no lost or failed writes', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', KILL_WRITER, temp.directory, 'FULL'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const childAcks: string[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) childAcks.push(...line.slice(4).split(','));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Wait until the child has created the table and is writing.
    while (childAcks.length === 0) await new Promise((r) => setTimeout(r, 20));

    const instance = await createTestInstance(
      getRxStorageSQLite({ directory: temp.directory, busyTimeoutMs: 10_000 }),
      patientTestSchema,
      { databaseName: 'durability', collectionName: 'patients' },
    );
    try {
      const ours = Array.from({ length: 200 }, (_, i) => 'parent-' + i);
      for (let i = 0; i < ours.length; i += 10) {
        const rows = ours.slice(i, i + 10).map((id) => ({ document: asWritten(patient(id)) }));
        expect((await instance.bulkWrite(rows, 'parent')).error).toEqual([]);
      }
      child.kill('SIGKILL');
      await exited;
      expect(childAcks.length).toBeGreaterThan(0);
      expect(await instance.findDocumentsById(ours, false)).toHaveLength(ours.length);
      expect(await instance.findDocumentsById(childAcks, false)).toHaveLength(childAcks.length);
    } finally {
      child.kill('SIGKILL');
      await instance.close();
    }
  }, 60_000);
});
