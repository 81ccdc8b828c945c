// Chooses the store from configuration: MongoDB when a URL is given, else the embedded SQLite file
// in the data directory. The server and the admin CLI both open their store here, so they always
// agree on which file or database holds the data.
import { join } from 'node:path';
import { openMongoStore } from './mongo-store';
import type { PrimaryPaths } from './push-rules';
import { openSqliteStore } from './sqlite-store';
import type { SyncStore } from './types';

export * from './errors';
export type * from './types';
export { openMongoStore, type MongoStoreOptions, type MongoSyncStore } from './mongo-store';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite-store';
export type { PrimaryPaths } from './push-rules';

export const SQLITE_STORE_FILE_NAME = 'topsmile-sync.sqlite';
/** Used when the MongoDB URL names no database. */
export const DEFAULT_MONGODB_DATABASE = 'topsmile_sync';

export interface StoreConfig {
  /** Selects the MongoDB store when set. */
  readonly mongodbUrl?: string | undefined;
  /** Database name; default: the one in the URL, else `topsmile_sync`. */
  readonly mongodbDbName?: string | undefined;
  readonly mongodbMaxPoolSize?: number | undefined;
  readonly mongodbMinPoolSize?: number | undefined;
  readonly mongodbServerSelectionTimeoutMs?: number | undefined;
  readonly mongodbConnectTimeoutMs?: number | undefined;
  readonly mongodbSocketTimeoutMs?: number | undefined;
  /** Directory of the SQLite file (and of nothing else here). */
  readonly dataDir: string;
  /** Collections whose primary key is not `id`. */
  readonly primaryPaths?: PrimaryPaths | undefined;
}

export function sqliteStoreFile(dataDir: string): string {
  return join(dataDir, SQLITE_STORE_FILE_NAME);
}

/** The database named in a MongoDB connection string, if any (`mongodb://host/db?opts`). */
export function databaseInMongoUrl(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]+)/.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

export function openStore(config: StoreConfig): Promise<SyncStore> {
  if (config.mongodbUrl) {
    return openMongoStore({
      url: config.mongodbUrl,
      dbName:
        config.mongodbDbName ?? databaseInMongoUrl(config.mongodbUrl) ?? DEFAULT_MONGODB_DATABASE,
      maxPoolSize: config.mongodbMaxPoolSize,
      minPoolSize: config.mongodbMinPoolSize,
      serverSelectionTimeoutMs: config.mongodbServerSelectionTimeoutMs,
      connectTimeoutMs: config.mongodbConnectTimeoutMs,
      socketTimeoutMs: config.mongodbSocketTimeoutMs,
      primaryPaths: config.primaryPaths,
    });
  }
  return openSqliteStore({
    file: sqliteStoreFile(config.dataDir),
    primaryPaths: config.primaryPaths,
  });
}
