import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  FilledMangoQuery,
  MangoQuery,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorage,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
} from 'rxdb';
import {
  createRevision,
  fillWithDefaultSettings,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
} from 'rxdb';

export function makeTempDirectory(prefix = 'topsmile-storage-'): {
  directory: string;
  cleanup: () => void;
} {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  return { directory, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

export type AnyInstance<T> = RxStorageInstance<T, unknown, unknown, RxStorageDefaultCheckpoint>;

/** Creates a storage instance the way RxDB does: with the schema filled with RxDB's defaults. */
export async function createTestInstance<T>(
  storage: RxStorage<unknown, unknown>,
  schema: RxJsonSchema<T>,
  names: { databaseName: string; collectionName: string; multiInstance?: boolean },
): Promise<AnyInstance<T>> {
  const filled = fillWithDefaultSettings(schema) as RxJsonSchema<RxDocumentData<T>>;
  return (await storage.createStorageInstance<T>({
    databaseInstanceToken: randomToken(10),
    databaseName: names.databaseName,
    collectionName: names.collectionName,
    schema: filled,
    options: {},
    multiInstance: names.multiInstance ?? false,
    devMode: false,
  })) as AnyInstance<T>;
}

export function prepare<T>(
  schema: RxJsonSchema<RxDocumentData<T>>,
  query: MangoQuery<RxDocumentData<T>>,
): PreparedQuery<T> {
  const normalized = normalizeMangoQuery<T>(schema, query as MangoQuery<T>) as FilledMangoQuery<T>;
  return prepareQuery<T>(schema, normalized);
}

const TEST_TOKEN = 'storagetest';

/** Document data as RxDB's collection layer would write it: fresh revision and lwt. */
export function asWritten<T>(
  data: T,
  previous?: RxDocumentData<T>,
  options: { deleted?: boolean; lwt?: number } = {},
): RxDocumentData<T> {
  return {
    ...data,
    _deleted: options.deleted ?? false,
    _attachments: {},
    _rev: createRevision(TEST_TOKEN, previous),
    _meta: { lwt: options.lwt ?? now() },
  } as RxDocumentData<T>;
}
