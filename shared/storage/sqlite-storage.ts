import type { RxStorage, RxStorageInstanceCreationParams } from 'rxdb';
import {
  RXDB_VERSION,
  addRxStorageMultiInstanceSupport,
  ensureRxStorageInstanceParamsAreCorrect,
} from 'rxdb';
import { resolve } from 'node:path';
import type { SQLiteSynchronousLevel } from './sqlite-connection';
import { SQLiteConnectionPool, databaseFilePath, ensureDirectory } from './sqlite-connection';
import type {
  SQLiteInstanceCreationOptions,
  SQLiteStorageInternals,
} from './sqlite-storage-instance';
import { SQLiteStorageInstance, tableNameOf } from './sqlite-storage-instance';

export const RX_STORAGE_NAME_SQLITE = 'topsmile-better-sqlite3';

export type SQLiteStorageSettings = {
  /** Folder holding one `<database name>.sqlite` file per RxDB database; created if missing. */
  directory: string;
  /**
   * See {@link SQLiteSynchronousLevel}. Default `FULL`. Documents a replication pulled from its
   * master are committed with `NORMAL` either way (see WriteDurability).
   */
  synchronous?: SQLiteSynchronousLevel;
  /** How long a write waits for another connection's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
};

export type RxStorageSQLite = RxStorage<SQLiteStorageInternals, SQLiteInstanceCreationOptions> & {
  readonly settings: Readonly<Required<SQLiteStorageSettings>>;
};

/**
 * RxDB storage over better-sqlite3. Behaves like RxDB's memory storage on every call.
 *
 * multiInstance: supported the way RxDB expects from a persistent storage. Every storage
 * instance broadcasts its change events through RxDB's own `addRxStorageMultiInstanceSupport`
 * (a BroadcastChannel named after the database), so several RxDatabase instances with the same
 * name in one Node process, including worker threads, see each other's writes as events.
 * Across OS processes the file stays consistent (WAL, busy timeout, IMMEDIATE write
 * transactions) and every process reads the others' committed writes, but Node's
 * BroadcastChannel does not cross processes, so change events do not either: the product runs
 * the data core in exactly one process.
 */
export function getRxStorageSQLite(settings: SQLiteStorageSettings): RxStorageSQLite {
  const fullSettings: Required<SQLiteStorageSettings> = {
    directory: resolve(settings.directory),
    synchronous: settings.synchronous ?? 'FULL',
    busyTimeoutMs: settings.busyTimeoutMs ?? 5000,
  };
  const pool = new SQLiteConnectionPool(fullSettings);
  const storage: RxStorageSQLite = {
    name: RX_STORAGE_NAME_SQLITE,
    rxdbVersion: RXDB_VERSION,
    settings: fullSettings,
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, SQLiteInstanceCreationOptions>,
    ) {
      ensureRxStorageInstanceParamsAreCorrect(params);
      ensureDirectory(fullSettings.directory);
      const filePath = databaseFilePath(fullSettings.directory, params.databaseName);
      const { db, durability } = pool.acquire(filePath);
      let instance: SQLiteStorageInstance<RxDocType>;
      try {
        instance = new SQLiteStorageInstance<RxDocType>({
          storage,
          db,
          durability,
          databaseName: params.databaseName,
          collectionName: params.collectionName,
          schema: params.schema,
          options: params.options ?? {},
          internals: {
            filePath,
            tableName: tableNameOf(params.collectionName, params.schema.version),
          },
          onClose: () => pool.release(filePath),
        });
      } catch (error) {
        pool.release(filePath);
        throw error;
      }
      addRxStorageMultiInstanceSupport(RX_STORAGE_NAME_SQLITE, params, instance);
      return instance;
    },
  };
  return storage;
}
