import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `FULL` (default): every committed bulkWrite is fsynced to the WAL before it is acknowledged,
 * so an acknowledged write survives a power cut or OS crash, not only a process crash. The cost
 * is one fsync per bulkWrite (about 2.5 ms measured on this project's CI disk) and RxDB batches
 * writes, so a workstation's user-paced edits never feel it. A signed clinical note that the
 * screen said was saved must not vanish because the clinic lost power.
 * `NORMAL`: in WAL mode still safe against process crashes (`kill -9`) and never corrupts the
 * file, but the last commits before a power cut may roll back. For bulk imports and benchmarks.
 */
export type SQLiteSynchronousLevel = 'FULL' | 'NORMAL';

export type SQLiteConnectionOptions = {
  synchronous: SQLiteSynchronousLevel;
  busyTimeoutMs: number;
};

/**
 * The contexts RxDB's replication protocol (rxdb/replication-protocol) writes under when it
 * stores what it pulled from the master: the documents (`replication-downstream-<key>`), their
 * assumed master states (`replication-down-write-meta`) and the checkpoints
 * (`replication-set-checkpoint`, both directions). None of them carries a local edit: RxDB never
 * lets a pulled state overwrite an unpushed change, and a merge that keeps one is written as
 * `replication-up-write-conflict`. Losing such a commit only makes the replication pull (or
 * compare) again from an older checkpoint.
 */
export function isReplicationPullContext(context: string): boolean {
  return (
    context.startsWith('replication-downstream-') ||
    context === 'replication-down-write-meta' ||
    context === 'replication-set-checkpoint'
  );
}

/**
 * WAL pages after which a pulled write checkpoints (SQLite's default, for every other write, is
 * 1000). An initial sync rewrites the same index pages in commit after commit; checkpointing
 * every 4 MB copied them into the file again each time (measured: 2.2 GB written for a 400 MB
 * replica).
 */
const PULLED_WRITES_WAL_AUTOCHECKPOINT = 10_000;
const DEFAULT_WAL_AUTOCHECKPOINT = 1000;

/**
 * Runs write transactions on one connection, each with the durability its content needs. With
 * `FULL`, a pulled write (isReplicationPullContext) commits with `NORMAL`: no fsync of its own.
 * That never weakens an acknowledged local edit: WAL recovery keeps a prefix of the commits, so a
 * power cut can lose only pulled commits made after the last `FULL` one, and that one's fsync
 * covered everything before it.
 */
export class WriteDurability {
  private relaxed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly synchronous: SQLiteSynchronousLevel,
  ) {}

  run<T>(context: string, write: () => T): T {
    this.setRelaxed(isReplicationPullContext(context));
    return write();
  }

  /** Pragmas are only switched when the kind of write changes: a sync is a run of pulled ones. */
  private setRelaxed(relaxed: boolean): void {
    if (relaxed === this.relaxed) return;
    this.relaxed = relaxed;
    if (this.synchronous === 'FULL') {
      this.db.pragma(`synchronous = ${relaxed ? 'NORMAL' : 'FULL'}`);
    }
    this.db.pragma(
      `wal_autocheckpoint = ${relaxed ? PULLED_WRITES_WAL_AUTOCHECKPOINT : DEFAULT_WAL_AUTOCHECKPOINT}`,
    );
  }
}

/** Opening a database file failed: it is not an SQLite database, or it is damaged or locked. */
export class SQLiteStorageOpenError extends Error {
  readonly filePath: string;
  constructor(filePath: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot open local database file "${filePath}": ${reason}`, options);
    this.name = 'SQLiteStorageOpenError';
    this.filePath = filePath;
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** File name of an RxDB database inside the storage directory; any name maps to a safe one. */
export function databaseFileName(databaseName: string): string {
  const safe = databaseName.replace(
    /[^A-Za-z0-9_-]/g,
    (char) => '%' + char.codePointAt(0)!.toString(16).padStart(2, '0'),
  );
  return safe + '.sqlite';
}

export function databaseFilePath(directory: string, databaseName: string): string {
  return join(directory, databaseFileName(databaseName));
}

/**
 * better-sqlite3 opens any file without complaint and only fails on the first query, and
 * switching to WAL would write to it. So an existing, non-empty file is checked for the
 * SQLite header before anything opens it: a foreign file is never modified.
 */
function assertIsSQLiteFile(filePath: string): void {
  if (!existsSync(filePath)) return;
  const size = statSync(filePath).size;
  if (size === 0) return;
  if (size < SQLITE_HEADER.length) {
    throw new SQLiteStorageOpenError(filePath, 'the file is too short to be an SQLite database');
  }
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(filePath, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) {
    throw new SQLiteStorageOpenError(filePath, 'the file is not an SQLite database');
  }
}

export function openSQLiteFile(
  filePath: string,
  options: SQLiteConnectionOptions,
): Database.Database {
  assertIsSQLiteFile(filePath);
  let db: Database.Database;
  try {
    db = new Database(filePath);
  } catch (error) {
    throw new SQLiteStorageOpenError(filePath, describe(error), { cause: error });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    // Reads the schema: fails on a damaged file before anything is written to it.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') {
      throw new Error(`the file system does not support WAL mode (journal_mode is ${mode})`);
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('temp_store = MEMORY');
    // 32 MiB page cache: index maintenance of large bulk writes stays in memory.
    db.pragma('cache_size = -32768');
  } catch (error) {
    db.close();
    throw new SQLiteStorageOpenError(filePath, describe(error), { cause: error });
  }
  return db;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function ensureDirectory(directory: string): void {
  mkdirSync(directory, { recursive: true });
}

export function removeSQLiteFiles(filePath: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(filePath + suffix, { force: true });
}

type SharedConnection = { db: Database.Database; durability: WriteDurability; refs: number };

/**
 * One connection per file per storage object: every collection of an RxDB database is a table
 * in the same file, and better-sqlite3 is synchronous, so sharing the connection costs nothing.
 */
export class SQLiteConnectionPool {
  private readonly connections = new Map<string, SharedConnection>();

  constructor(private readonly options: SQLiteConnectionOptions) {}

  acquire(filePath: string): { db: Database.Database; durability: WriteDurability } {
    const shared = this.connections.get(filePath);
    if (shared) {
      shared.refs++;
      return shared;
    }
    const db = openSQLiteFile(filePath, this.options);
    const connection = { db, durability: new WriteDurability(db, this.options.synchronous) };
    this.connections.set(filePath, { ...connection, refs: 1 });
    return connection;
  }

  /** Closes the connection with its last user; a file left without tables is deleted. */
  release(filePath: string): void {
    const shared = this.connections.get(filePath);
    if (!shared) return;
    shared.refs--;
    if (shared.refs > 0) return;
    this.connections.delete(filePath);
    const tableCount = shared.db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'")
      .get() as { n: number };
    shared.db.close();
    if (tableCount.n === 0) removeSQLiteFiles(filePath);
  }
}
