import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clinicCollectionCreators,
  collectionSchemas,
  patientForServer,
} from '../../shared/domain/schemas/index';
import { getRxStorageSQLite } from '../../shared/storage/index';
import { createBackupStore } from './backups/backup-store';
import {
  addPatients,
  inventedPatient,
  patientLastNames,
  temporaryFolder,
} from './backups/test-support';
import {
  APP_SCHEMA_VERSIONS,
  checkIntegrityInBackground,
  DatabaseProblemError,
  META_TABLE,
  clinicDatabaseFile,
  moveDatabaseAside,
  openClinicDatabase,
} from './database';
import { searchPatients } from './services/patients';

const NAME = 'clinic_dbtest';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function clinicFileWithData() {
  const folder = temporaryFolder('topsmile-db-');
  cleanups.push(folder.remove);
  const directory = join(folder.path, 'data');
  const file = clinicDatabaseFile(directory, NAME);
  const backups = createBackupStore({
    databaseFile: file,
    directory: join(folder.path, 'backups'),
  });
  const db = await openClinicDatabase({ directory, name: NAME, backups });
  await addPatients(db, ['Alpha', 'Bravo']);
  await backups.createBackup('manual');
  await db.close();
  return { directory, file, backups };
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DatabaseProblemError);
  return (error as DatabaseProblemError).problem;
}

function setMeta(file: string, key: string, value: string) {
  const raw = new Database(file);
  raw.prepare(`UPDATE ${META_TABLE} SET value = ? WHERE key = ?`).run(value, key);
  raw.close();
}

function setStoredVersions(file: string, versions: object) {
  setMeta(file, 'schema_versions', JSON.stringify(versions));
}

describe('opening a clinic database', () => {
  it('records the schema versions in the file and reopens it with its data', async () => {
    const { directory, file, backups } = await clinicFileWithData();
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare(`SELECT value FROM ${META_TABLE} WHERE key = 'schema_versions'`).get();
    raw.close();
    expect(JSON.parse((row as { value: string }).value)).toEqual(APP_SCHEMA_VERSIONS);
    const db = await openClinicDatabase({ directory, name: NAME, backups });
    cleanups.push(() => db.close());
    expect(await patientLastNames(db)).toEqual(['Alpha', 'Bravo']);
    expect(backups.listBackups().map((backup) => backup.reason)).toEqual(['manual']);
  });

  /** Damages a b-tree page in the middle of the file, as a bad disk or a bad copy would. */
  function damage(file: string) {
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0x5a, pageSize * 3, pageSize * 3 + 200);
    writeFileSync(file, bytes);
  }

  it('reports a damaged file after a crash as a problem, with the backups, untouched', async () => {
    const { directory, file, backups } = await clinicFileWithData();
    setMeta(file, 'in_use', '1'); // the last process did not close it
    damage(file);
    const before = digest(file);

    const problem = await problemOf(openClinicDatabase({ directory, name: NAME, backups }));
    expect(problem.kind).toBe('corrupt');
    expect(problem.file).toBe(file);
    expect(problem.backups.map((backup) => backup.reason)).toEqual(['manual']);
    expect(digest(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('finds damage done while the app was closed in the background check', async () => {
    const { directory, file } = await clinicFileWithData();
    expect(await checkIntegrityInBackground(file)).toBe('ok');
    damage(file);
    expect(await checkIntegrityInBackground(file)).toBe('corrupt');
    // A clean shutdown skips the check at start; wherever the damage shows, never a crash.
    const outcome = await openClinicDatabase({ directory, name: NAME }).then(
      async (db) => {
        await db.close();
        return 'opened';
      },
      (error: unknown) => (error instanceof DatabaseProblemError ? error.problem.kind : error),
    );
    expect(['opened', 'corrupt']).toContain(outcome);
    expect(await checkIntegrityInBackground(file)).toBe('corrupt');
  });

  it('reports a file that is not SQLite at all as damaged, untouched', async () => {
    const { directory, file } = await clinicFileWithData();
    writeFileSync(file, 'this is not a database, just some text of a decent length'.repeat(20));
    const before = digest(file);
    const problem = await problemOf(openClinicDatabase({ directory, name: NAME }));
    expect(problem).toEqual({ kind: 'corrupt', file, backups: [] });
    expect(digest(file)).toBe(before);
  });

  it('reports a file written by a newer version, untouched, instead of resetting it', async () => {
    const { directory, file, backups } = await clinicFileWithData();
    setStoredVersions(file, { ...APP_SCHEMA_VERSIONS, patients: APP_SCHEMA_VERSIONS.patients + 1 });
    const before = digest(file);
    const problem = await problemOf(openClinicDatabase({ directory, name: NAME, backups }));
    expect(problem.kind).toBe('newer_version');
    expect(problem.backups).toHaveLength(1);
    expect(digest(file)).toBe(before);
  });

  it('reads the versions from the table names of a file without the meta table', async () => {
    const { directory, file } = await clinicFileWithData();
    const raw = new Database(file);
    raw.exec(`DROP TABLE ${META_TABLE}`);
    raw.exec(
      `ALTER TABLE "procedures-0" RENAME TO "procedures-${APP_SCHEMA_VERSIONS.procedures + 2}"`,
    );
    raw.close();
    const problem = await problemOf(openClinicDatabase({ directory, name: NAME }));
    expect(problem.kind).toBe('newer_version');
  });

  it('backs the file up before a migration, then records the new versions', async () => {
    const { directory, file, backups } = await clinicFileWithData();
    const newer = { ...APP_SCHEMA_VERSIONS };
    // The file is made to look older than an "expected" set of versions (RxDB itself is opened
    // at the real ones); a real migration is tested below.
    setStoredVersions(file, { ...APP_SCHEMA_VERSIONS, staff: -1 });
    const db = await openClinicDatabase({ directory, name: NAME, backups, schemaVersions: newer });
    cleanups.push(() => db.close());
    expect(backups.listBackups().map((backup) => backup.reason)).toEqual([
      'before_migration',
      'manual',
    ]);
    expect(await patientLastNames(db)).toEqual(['Alpha', 'Bravo']);
    const raw = new Database(file, { readonly: true });
    const row = raw
      .prepare(`SELECT value FROM ${META_TABLE} WHERE key = 'schema_versions'`)
      .get() as { value: string };
    raw.close();
    expect(JSON.parse(row.value)).toEqual(newer);
  });

  it('migrates a version 0 file on open: backup first, givenNameKey filled, first-name search works', async () => {
    const folder = temporaryFolder('topsmile-db-');
    cleanups.push(folder.remove);
    const directory = join(folder.path, 'data');
    const file = clinicDatabaseFile(directory, NAME);
    const backups = createBackupStore({
      databaseFile: file,
      directory: join(folder.path, 'backups'),
    });
    // The released patients schema 0: version 1 without givenNameKey (schemas.test pins it).
    const v1 = collectionSchemas.patients as unknown as RxJsonSchema<Record<string, unknown>>;
    const { givenNameKey: _added, ...v0Properties } = v1.properties;
    const v0 = {
      ...v1,
      version: 0,
      properties: v0Properties,
      indexes: v1.indexes?.filter((index) => index !== 'givenNameKey'),
    };
    const old = await createRxDatabase({
      name: NAME,
      storage: wrappedValidateAjvStorage({ storage: getRxStorageSQLite({ directory }) }),
      multiInstance: false,
    });
    await old.addCollections({
      ...clinicCollectionCreators(),
      patients: { schema: v0, migrationStrategies: {} },
    });
    const patient = patientForServer({
      ...inventedPatient('Quaresma'),
      firstName: 'Joséfina',
    });
    await old.patients!.insert({
      ...patient,
      nameKey: 'quaresma josefina',
    });
    await old.close();

    const db = await openClinicDatabase({ directory, name: NAME, backups });
    cleanups.push(() => db.close());
    expect(backups.listBackups().map((backup) => backup.reason)).toEqual(['before_migration']);
    const stored = (await db.patients.findOne(patient.id).exec())!.toMutableJSON();
    expect(stored).toEqual({
      ...patient,
      nameKey: 'quaresma josefina',
      givenNameKey: 'josefina quaresma',
    });
    for (const text of ['josefina', 'Josefina Qua', 'quaresma jos']) {
      const found = await searchPatients(db, { text });
      expect(
        found.patients.map((summary) => summary.id),
        text,
      ).toEqual([patient.id]);
    }
    const raw = new Database(file, { readonly: true });
    const tables = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'patients-%'")
      .all() as { name: string }[];
    raw.close();
    expect(tables.map((table) => table.name)).toEqual(['patients-1']);
  });

  it('moves a problem file aside, keeping it, so a fresh replica can be downloaded', async () => {
    const { directory, file } = await clinicFileWithData();
    writeFileSync(file, 'garbage'.repeat(100));
    const aside = moveDatabaseAside(file, new Date('2026-01-02T03:04:05.000Z'));
    expect(aside).toBe(`${file}.set-aside-2026-01-02T03-04-05-000Z`);
    expect(readFileSync(aside, 'utf8')).toContain('garbage');
    const db = await openClinicDatabase({ directory, name: NAME });
    cleanups.push(() => db.close());
    expect(await patientLastNames(db)).toEqual([]);
  });
});
