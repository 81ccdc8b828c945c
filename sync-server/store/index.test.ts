import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseInMongoUrl, openStore, SQLITE_STORE_FILE_NAME, sqliteStoreFile } from './index';

describe('openStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the embedded SQLite store in the data directory when no MongoDB URL is given', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'topsmile-open-store-'));
    dirs.push(dataDir);
    const store = await openStore({ dataDir, mongodbUrl: '' });
    try {
      expect(store.kind).toBe('sqlite');
      expect(sqliteStoreFile(dataDir)).toBe(join(dataDir, SQLITE_STORE_FILE_NAME));
      expect(existsSync(sqliteStoreFile(dataDir))).toBe(true);
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it('reads the database name from a MongoDB URL when there is one', () => {
    expect(databaseInMongoUrl('mongodb://h1:27017,h2:27017/clinics?replicaSet=rs0')).toBe(
      'clinics',
    );
    expect(databaseInMongoUrl('mongodb+srv://user:pw@cluster.example.net/prod')).toBe('prod');
    expect(databaseInMongoUrl('mongodb://127.0.0.1:27017/')).toBeUndefined();
    expect(databaseInMongoUrl('mongodb://127.0.0.1:27017/?directConnection=true')).toBeUndefined();
  });
});
