import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStoreContract } from './contract';
import { openSqliteStore, openStoreDatabase, SQLITE_STORE_SCHEMA_VERSION } from './sqlite-store';
import type { SyncStore } from './types';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'topsmile-sqlite-store-'));
}

runStoreContract('sqlite', async () => {
  const dir = tempDir();
  const file = join(dir, 'store.sqlite');
  const store = await openSqliteStore({ file });
  const peers: SyncStore[] = [];
  return {
    store,
    openPeer: async () => {
      const peer = await openSqliteStore({ file });
      peers.push(peer);
      return peer;
    },
    cleanup: async () => {
      for (const peer of peers) await peer.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store specifics', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous=FULL and keeps data across reopen', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir, 'nested', 'store.sqlite');
    const store = await openSqliteStore({ file });
    await store.createClinic({
      id: 'c1',
      name: 'C1',
      timeZone: 'UTC',
      currency: 'USD',
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    await store.push('c1', 'patients', [{ newDocumentState: { id: 'p1', _deleted: false } }]);
    await store.close();

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const seqRow = raw.prepare('SELECT seq FROM clinics WHERE id = ?').get('c1') as { seq: number };
    expect(seqRow.seq).toBe(1);
    // Server metadata lives beside the JSON, never inside it.
    const docRow = raw.prepare('SELECT json, seq, deleted FROM documents').get() as {
      json: string;
      seq: number;
      deleted: number;
    };
    expect(docRow).toEqual({ json: '{"id":"p1","_deleted":false}', seq: 1, deleted: 0 });
    raw.close();

    const reopened = await openSqliteStore({ file });
    expect(await reopened.currentSeq('c1')).toBe(1);
    await reopened.close();
  });

  it('opens its connection with synchronous=FULL, a busy timeout and foreign keys', () => {
    const dir = tempDir();
    dirs.push(dir);
    const db = openStoreDatabase(join(dir, 'store.sqlite'), 1234);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_STORE_SCHEMA_VERSION);
    db.close();
  });

  it('uses a configured primary key field for collections that are not keyed by id', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = await openSqliteStore({
      file: join(dir, 's.sqlite'),
      primaryPaths: { humans: 'passportId' },
    });
    await store.createClinic({
      id: 'c1',
      name: 'C1',
      timeZone: 'UTC',
      currency: 'USD',
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    const human = { passportId: 'h1', firstName: 'x', _deleted: false };
    expect((await store.push('c1', 'humans', [{ newDocumentState: human }])).written).toBe(1);
    expect(await store.getDocuments('c1', 'humans', ['h1'])).toEqual([human]);
    const noKey = await store.push('c1', 'humans', [
      { newDocumentState: { id: 'h2', _deleted: false } },
    ]);
    expect(noKey.refused).toHaveLength(1);
    await store.close();
  });
});
