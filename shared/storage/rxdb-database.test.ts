// The clinic's real collections (shared/domain/schemas) on a real RxDB database over this storage.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { RxCollection, RxStorage } from 'rxdb';
import { addRxPlugin, createRxDatabase, randomToken } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getPullHandler, getPullStream, getPushHandler } from 'rxdb/plugins/test-utils';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Appointment, ClinicCollections, Patient } from '../domain/schemas';
import {
  clinicCollectionCreators,
  collectionMigrationStrategies,
  collectionSchemas,
  derivePatientSearchFields,
  normalizeNameForSearch,
} from '../domain/schemas';
import { newId } from '../domain/ids';
import { databaseFileName, getRxStorageSQLite } from './index';
import { makeTempDirectory } from './test-support/storage-helpers';

addRxPlugin(RxDBMigrationSchemaPlugin);

const CLINIC = newId();
const STAFF = newId();
const NOW = '2025-03-04T12:00:00.000Z';

function makePatient(firstName: string, lastName: string, phone = '555 0100'): Patient {
  const id = newId();
  const phones = [{ kind: 'mobile' as const, number: phone }];
  return {
    id,
    clinicId: CLINIC,
    updatedAt: NOW,
    updatedBy: STAFF,
    firstName,
    lastName,
    birthDate: '1980-05-17',
    sex: 'unknown',
    phones,
    insurance: [],
    allergies: [],
    medicalAlerts: [],
    status: 'active',
    familyId: id,
    guarantorId: id,
    ...derivePatientSearchFields({ firstName, lastName, phones }),
  };
}

function makeAppointment(patientId: string, providerId: string, start: string): Appointment {
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
  return {
    id: newId(),
    clinicId: CLINIC,
    updatedAt: NOW,
    updatedBy: STAFF,
    patientId,
    providerId,
    operatoryId: 'op-1',
    typeId: 'type-1',
    start,
    end,
    status: 'scheduled',
    confirmation: 'unconfirmed',
    arrivedAt: null,
    seatedAt: null,
    dismissedAt: null,
    flags: [],
  };
}

type PatientsOnly = { patients: RxCollection<Patient> };

let temp: ReturnType<typeof makeTempDirectory>;
let storage: RxStorage<unknown, unknown>;
const openDatabases: { close: () => Promise<unknown> }[] = [];

beforeEach(() => {
  temp = makeTempDirectory();
  // Validation on top, as the app runs it: every document written here must fit the schemas.
  storage = wrappedValidateAjvStorage({
    storage: getRxStorageSQLite({ directory: temp.directory }),
  }) as RxStorage<unknown, unknown>;
});

afterEach(async () => {
  await Promise.all(openDatabases.splice(0).map((db) => db.close()));
  temp.cleanup();
});

async function openClinicDatabase(name = 'clinic') {
  const db = await createRxDatabase<ClinicCollections>({
    name,
    storage,
    multiInstance: false,
  });
  openDatabases.push(db);
  await db.addCollections(clinicCollectionCreators());
  return db;
}

describe('RxDB database with the clinic collections', () => {
  it('creates every collection as its own table and inserts and queries', async () => {
    const db = await openClinicDatabase();
    expect(Object.keys(db.collections).sort()).toEqual(Object.keys(collectionSchemas).sort());

    const patients = [
      makePatient('Ana', 'Silva'),
      makePatient('Bruno', 'Silveira'),
      makePatient('Carla', 'Souza'),
    ];
    await db.patients.bulkInsert(patients);
    const prefix = normalizeNameForSearch('silv');
    const found = await db.patients
      .find({
        selector: { nameKey: { $gte: prefix, $lte: prefix + '\uffff' } },
        sort: [{ nameKey: 'asc' }],
      })
      .exec();
    expect(found.map((p) => p.lastName)).toEqual(['Silva', 'Silveira']);
    expect(await db.patients.count().exec()).toBe(3);

    const [ana] = patients;
    await db.appointments.bulkInsert([
      makeAppointment(ana!.id, 'prov-1', '2025-03-04T09:00:00.000Z'),
      makeAppointment(ana!.id, 'prov-1', '2025-03-04T10:00:00.000Z'),
      makeAppointment(ana!.id, 'prov-2', '2025-03-04T09:00:00.000Z'),
      makeAppointment(ana!.id, 'prov-1', '2025-03-05T09:00:00.000Z'),
    ]);
    const day = await db.appointments
      .find({
        selector: {
          providerId: 'prov-1',
          start: { $gte: '2025-03-04T00:00:00.000Z', $lt: '2025-03-05T00:00:00.000Z' },
        },
        sort: [{ start: 'asc' }],
      })
      .exec();
    expect(day.map((a) => a.start)).toEqual([
      '2025-03-04T09:00:00.000Z',
      '2025-03-04T10:00:00.000Z',
    ]);

    // Reopen: the data is on disk.
    await db.close();
    const reopened = await openClinicDatabase();
    expect(await reopened.patients.count().exec()).toBe(3);
    expect(await reopened.appointments.count().exec()).toBe(4);
  });

  it('reactive queries emit after an insert', async () => {
    const db = await openClinicDatabase();
    const query = db.patients.find({ selector: { status: 'active' } });
    const seen: number[] = [];
    const sub = query.$.subscribe((docs) => seen.push(docs.length));
    await firstValueFrom(query.$.pipe(filter((docs) => docs.length === 0)));
    const afterInsert = firstValueFrom(query.$.pipe(filter((docs) => docs.length === 1)));
    await db.patients.insert(makePatient('Eva', 'Costa'));
    expect((await afterInsert).map((d) => d.firstName)).toEqual(['Eva']);
    const doc = await db.patients.findOne().exec(true);
    await doc.incrementalPatch({ status: 'inactive' });
    await firstValueFrom(query.$.pipe(filter((docs) => docs.length === 0)));
    sub.unsubscribe();
    expect(seen).toContain(1);
  });

  it('migrates a collection to the next schema version with a migration strategy', async () => {
    const name = 'migrating';
    const current = collectionSchemas.patients.version;
    const next = current + 1;
    const patientsAt = (version: number) => ({
      schema: { ...collectionSchemas.patients, version },
      migrationStrategies: collectionMigrationStrategies.patients ?? {},
    });
    const before = await createRxDatabase<PatientsOnly>({ name, storage, multiInstance: false });
    await before.addCollections({ patients: patientsAt(current) });
    await before.patients.bulkInsert([makePatient('Ana', 'Silva'), makePatient('Rui', 'Lima')]);
    await before.close();

    const v1 = await createRxDatabase<PatientsOnly>({ name, storage, multiInstance: false });
    openDatabases.push(v1);
    await v1.addCollections({
      patients: {
        ...patientsAt(next),
        migrationStrategies: {
          ...collectionMigrationStrategies.patients,
          [next]: (doc: Patient) => ({ ...doc, preferredName: doc.firstName.toUpperCase() }),
        },
      },
    });
    const migrated = await v1.patients.find({ sort: [{ nameKey: 'asc' }] }).exec();
    expect(migrated.map((p) => p.preferredName)).toEqual(['RUI', 'ANA']);
    // Version and collection select the table: the old one was dropped after migrating.
    const file = new Database(join(temp.directory, databaseFileName(name)), { readonly: true });
    const tables = file
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'patients-%'")
      .all() as { name: string }[];
    file.close();
    expect(tables.map((t) => t.name)).toEqual([`patients-${next}`]);
  });

  it('replicates between two databases with the replication plugin', async () => {
    // The remote side holds only patients: open-source RxDB allows 16 collections per process.
    const local = await openClinicDatabase('workstation');
    const remote = await createRxDatabase<PatientsOnly>({
      name: 'server-' + randomToken(6),
      storage,
      multiInstance: false,
    });
    openDatabases.push(remote);
    await remote.addCollections({ patients: { schema: collectionSchemas.patients } });
    await local.patients.bulkInsert(
      Array.from({ length: 30 }, (_, i) => makePatient('P' + i, 'Local')),
    );
    await remote.patients.insert(makePatient('Remote', 'Only'));

    const replication = replicateRxCollection({
      collection: local.patients as RxCollection,
      replicationIdentifier: 'storage-test',
      live: true,
      pull: {
        handler: getPullHandler(remote.patients as RxCollection),
        stream$: getPullStream(remote.patients as RxCollection),
      },
      push: { handler: getPushHandler(remote.patients as RxCollection) },
    });
    const errors: unknown[] = [];
    replication.error$.subscribe((e) => errors.push(e));
    await replication.awaitInitialReplication();
    expect(await remote.patients.count().exec()).toBe(31);
    expect(await local.patients.count().exec()).toBe(31);

    // A change on the remote side reaches the workstation.
    const remoteDoc = await remote.patients.findOne({ selector: { lastName: 'Only' } }).exec(true);
    await remoteDoc.incrementalPatch({ preferredName: 'changed remotely' });
    replication.reSync();
    await replication.awaitInSync();
    const localDoc = await local.patients.findOne(remoteDoc.id).exec(true);
    expect(localDoc.preferredName).toBe('changed remotely');

    // A deletion on the workstation reaches the remote side.
    await localDoc.remove();
    await replication.awaitInSync();
    expect(await remote.patients.count().exec()).toBe(30);
    await replication.cancel();
    expect(errors).toEqual([]);
  });
});
