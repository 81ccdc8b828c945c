export { getRxStorageSQLite, RX_STORAGE_NAME_SQLITE } from './sqlite-storage';
export type { RxStorageSQLite, SQLiteStorageSettings } from './sqlite-storage';
export {
  SQLiteStorageOpenError,
  databaseFileName,
  isReplicationPullContext,
} from './sqlite-connection';
export type { SQLiteSynchronousLevel } from './sqlite-connection';
export { SQLiteStorageInstance } from './sqlite-storage-instance';
export type {
  SQLiteInstanceCreationOptions,
  SQLiteStorageInternals,
} from './sqlite-storage-instance';
