// Opens the workstation's replica of one clinic: an RxDB database on our SQLite storage, one
// file per clinic in the user-data folder, with every clinic collection. The first version is
// deliberately small; backups before migrations and the corrupt/newer-file checks build on it.
import { createRxDatabase, type RxStorage } from 'rxdb';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import {
  clinicCollectionCreators,
  type ClinicCollections,
  type ClinicDatabase,
} from '../../shared/domain/schemas/index';
import { getRxStorageSQLite, type SQLiteSynchronousLevel } from '../../shared/storage/index';

export interface OpenClinicDatabaseOptions {
  /** The folder holding the clinic's SQLite file(s), inside the user-data folder. */
  readonly directory: string;
  /** RxDB database name; one per clinic, e.g. `clinic_<id>` (RxDB allows [a-z0-9_$()+/-]). */
  readonly name: string;
  readonly synchronous?: SQLiteSynchronousLevel;
  /** Check every write against the schema (on by default: a bad document never lands). */
  readonly validate?: boolean;
}

/** RxDB database names allow only some characters; clinic ids are UUIDs, which fit once lower-cased. */
export function clinicDatabaseName(clinicId: string): string {
  return `clinic_${clinicId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

export async function openClinicDatabase(
  options: OpenClinicDatabaseOptions,
): Promise<ClinicDatabase> {
  const sqlite = getRxStorageSQLite({
    directory: options.directory,
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
  });
  const storage: RxStorage<unknown, unknown> =
    options.validate === false ? sqlite : wrappedValidateAjvStorage({ storage: sqlite });
  const db = await createRxDatabase<ClinicCollections>({
    name: options.name,
    storage,
    multiInstance: false,
    eventReduce: true,
    closeDuplicates: true,
  });
  try {
    await db.addCollections(clinicCollectionCreators());
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
