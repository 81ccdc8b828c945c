import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store';
import type { SyncStore } from '../store/types';
import {
  backupFileName,
  backupSqliteStore,
  backupSqliteStoreToDir,
  BackupVerificationError,
  manifestFileOf,
  pruneBackups,
  restoreSqliteStore,
  scheduleSqliteBackups,
  type BackupManifest,
} from './sqlite-backup';

const CLINIC = {
  id: 'c1',
  name: 'Clinic',
  timeZone: 'UTC',
  currency: 'USD',
  createdAt: '2025-01-01T00:00:00.000Z',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'topsmile-backup-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function storeWithDocs(file: string, count: number, prefix = 'p'): Promise<SyncStore> {
  const store = await openSqliteStore({ file });
  await store.createClinic(CLINIC);
  for (let i = 0; i < count; i += 1) {
    await store.push('c1', 'patients', [
      { newDocumentState: { id: `${prefix}${i}`, n: i, _deleted: false } },
    ]);
  }
  return store;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function readManifest(backup: string): BackupManifest {
  return JSON.parse(readFileSync(manifestFileOf(backup), 'utf8')) as BackupManifest;
}

/** Every sequence up to the clinic's is accounted for: the snapshot is not torn. */
function assertConsistent(file: string): { seq: number; docs: number } {
  const db = new Database(file, { readonly: true });
  try {
    const { seq } = db.prepare('SELECT seq FROM clinics WHERE id = ?').get('c1') as { seq: number };
    const { docs, maxSeq } = db
      .prepare('SELECT count(*) AS docs, max(seq) AS maxSeq FROM documents')
      .get() as { docs: number; maxSeq: number | null };
    expect(maxSeq ?? 0).toBe(seq);
    expect(docs).toBe(seq); // one insert per push in these tests
    return { seq, docs };
  } finally {
    db.close();
  }
}

describe('backupSqliteStore', () => {
  it('writes a self-contained snapshot and a manifest with its checksum', async () => {
    const file = join(dir, 'store.sqlite');
    const store = await storeWithDocs(file, 20);
    const out = join(dir, 'backups', 'b1.sqlite');
    const result = await backupSqliteStore(file, out, {
      now: () => new Date('2025-03-04T05:06:07.000Z'),
    });
    await store.close();

    expect(result.file).toBe(out);
    expect(existsSync(`${out}-wal`)).toBe(false);
    const manifest = readManifest(out);
    expect(manifest).toEqual({
      format: 'topsmile-sync-sqlite-backup',
      file: 'b1.sqlite',
      sha256: sha256(out),
      size: readFileSync(out).length,
      createdAt: '2025-03-04T05:06:07.000Z',
      schemaVersion: 1,
    });
    expect(assertConsistent(out)).toEqual({ seq: 20, docs: 20 });
    await expect(backupSqliteStore(file, out)).rejects.toThrow(/overwrite/);
  });

  it('takes a consistent snapshot while another connection keeps writing', async () => {
    const file = join(dir, 'store.sqlite');
    const store = await storeWithDocs(file, 200);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await store.push('c1', 'patients', [
          { newDocumentState: { id: `w${written}`, pad: 'x'.repeat(2000), _deleted: false } },
        ]);
        written += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const outs: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const out = join(dir, `b${i}.sqlite`);
      await backupSqliteStore(file, out);
      outs.push(out);
    }
    writing = false;
    await writer;
    await store.close();
    expect(written).toBeGreaterThan(0);
    for (const out of outs) {
      const { seq } = assertConsistent(out);
      expect(seq).toBeGreaterThanOrEqual(200);
    }
  });
});

describe('restoreSqliteStore', () => {
  async function backupOf(count: number, prefix: string) {
    const source = join(dir, `source-${prefix}.sqlite`);
    const store = await storeWithDocs(source, count, prefix);
    await store.close();
    const out = join(dir, `backup-${prefix}.sqlite`);
    await backupSqliteStore(source, out);
    return out;
  }

  it('replaces the store, keeping the previous one beside it', async () => {
    const backup = await backupOf(5, 'old');
    const target = join(dir, 'live.sqlite');
    const live = await storeWithDocs(target, 9, 'new');
    await live.close();

    const result = await restoreSqliteStore(backup, target, {
      now: () => new Date('2025-06-07T08:09:10.111Z'),
    });
    expect(result.previousFile).toBe(`${target}.before-restore-2025-06-07T08-09-10-111Z`);
    // The kept store is whole on its own (its WAL was folded in before the swap).
    expect(assertConsistent(result.previousFile!).seq).toBe(9);
    expect(existsSync(`${target}-wal`)).toBe(false);

    const restored = await openSqliteStore({ file: target });
    expect(await restored.currentSeq('c1')).toBe(5);
    expect(await restored.getDocuments('c1', 'patients', ['old0', 'new0'])).toEqual([
      { id: 'old0', n: 0, _deleted: false },
    ]);
    await restored.close();
    expect(readdirSync(dir).filter((name) => name.includes('.restore-'))).toEqual([]);
  });

  it('restores into a place where no store exists yet', async () => {
    const backup = await backupOf(3, 'a');
    const target = join(dir, 'fresh', 'live.sqlite');
    const result = await restoreSqliteStore(backup, target);
    expect(result.previousFile).toBeNull();
    expect(assertConsistent(target).seq).toBe(3);
  });

  async function expectRefused(backup: string, message: RegExp) {
    const target = join(dir, 'live.sqlite');
    const live = await storeWithDocs(target, 4, 'live');
    await live.close();
    const before = sha256(target);
    const error = await restoreSqliteStore(backup, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupVerificationError);
    expect((error as Error).message).toMatch(message);
    expect(sha256(target)).toBe(before);
    expect(
      readdirSync(dir).filter((n) => n.includes('.restore-') || n.includes('before-restore')),
    ).toEqual([]);
  }

  it('refuses a tampered backup and leaves the store untouched', async () => {
    const backup = await backupOf(10, 't');
    const bytes = readFileSync(backup);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(backup, bytes);
    await expectRefused(backup, /checksum/);
  });

  it('refuses a truncated backup', async () => {
    const backup = await backupOf(10, 'tr');
    truncateSync(backup, 4096);
    await expectRefused(backup, /truncated/);
  });

  it('refuses a damaged backup even when its manifest was rewritten to match', async () => {
    const backup = await backupOf(50, 'd');
    const bytes = readFileSync(backup);
    // Overwrite the second page (a b-tree page) with garbage.
    bytes.fill(0x5a, 4096 + 8, 4096 * 2);
    writeFileSync(backup, bytes);
    const manifest = readManifest(backup);
    writeFileSync(
      manifestFileOf(backup),
      JSON.stringify({ ...manifest, sha256: sha256(backup), size: bytes.length }),
    );
    await expectRefused(backup, /integrity|damaged|not a readable/);
  });

  it('refuses an intact SQLite file that is not a sync store', async () => {
    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (x TEXT)');
    db.close();
    const backup = join(dir, 'other-backup.sqlite');
    await backupSqliteStore(other, backup);
    await expectRefused(backup, /missing tables/);
  });

  it('refuses a backup without its manifest', async () => {
    const backup = await backupOf(2, 'm');
    rmSync(manifestFileOf(backup));
    await expectRefused(backup, /manifest/);
  });

  it('refuses to replace a store that a running server has open', async () => {
    const backup = await backupOf(2, 'r');
    const target = join(dir, 'busy.sqlite');
    const running = await storeWithDocs(target, 3, 'busy');
    await expect(restoreSqliteStore(backup, target)).rejects.toThrow(/in use/);
    expect(await running.currentSeq('c1')).toBe(3);
    await running.close();
    expect(readdirSync(dir).filter((n) => n.includes('before-restore'))).toEqual([]);
  });
});

describe('retention and schedule', () => {
  it('keeps the newest backups and never touches files it does not recognise', async () => {
    const file = join(dir, 'store.sqlite');
    const store = await storeWithDocs(file, 2);
    const backups = join(dir, 'backups');
    const times = ['2025-01-01', '2025-01-03', '2025-01-02', '2025-01-04'].map(
      (day) => new Date(`${day}T00:00:00.000Z`),
    );
    for (const at of times)
      await backupSqliteStoreToDir(file, backups, { keep: 10, now: () => at });
    await store.close();
    writeFileSync(join(backups, 'notes.txt'), 'keep me');

    const removed = await pruneBackups(backups, 2);
    expect(removed.sort()).toEqual(
      [backupFileName(times[0]!), backupFileName(times[2]!)].map((n) => join(backups, n)).sort(),
    );
    expect(readdirSync(backups).sort()).toEqual(
      [
        backupFileName(times[1]!),
        manifestFileOf(backupFileName(times[1]!)),
        backupFileName(times[3]!),
        manifestFileOf(backupFileName(times[3]!)),
        'notes.txt',
      ].sort(),
    );
    await expect(pruneBackups(backups, 0)).rejects.toThrow(RangeError);
  });

  it('backs up on a schedule with retention, and stops cleanly', async () => {
    const file = join(dir, 'store.sqlite');
    const store = await storeWithDocs(file, 2);
    const backups = join(dir, 'scheduled');
    let done = 0;
    const errors: unknown[] = [];
    const stop = scheduleSqliteBackups({
      file,
      dir: backups,
      intervalMs: 30,
      keep: 2,
      onDone: () => {
        done += 1;
      },
      onError: (error) => errors.push(error),
    });
    const deadline = Date.now() + 10_000;
    while (done < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await stop();
    await store.close();
    expect(errors).toEqual([]);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(readdirSync(backups).filter((n) => n.endsWith('.sqlite')).length).toBeLessThanOrEqual(2);
  });
});
