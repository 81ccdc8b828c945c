// Backups of the embedded store: a consistent online snapshot (SQLite's backup API, safe while the
// server is writing) with a manifest carrying its sha-256, and a restore that proves the snapshot
// intact (checksum, integrity check, expected tables, schema version) before it touches the store.
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SQLITE_STORE_SCHEMA_VERSION, SQLITE_STORE_TABLES } from '../store/sqlite-store';

export const BACKUP_FORMAT = 'topsmile-sync-sqlite-backup';
export const MANIFEST_SUFFIX = '.manifest.json';

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  /** File name of the snapshot, beside this manifest. */
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
  readonly createdAt: string;
  /** The store's schema version inside the snapshot. */
  readonly schemaVersion: number;
}

export interface BackupResult {
  readonly file: string;
  readonly manifestFile: string;
  readonly manifest: BackupManifest;
}

/** A backup that must not be restored; the store was not touched. */
export class BackupVerificationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupVerificationError';
  }
}

export function manifestFileOf(backupFile: string): string {
  return backupFile + MANIFEST_SUFFIX;
}

/** `topsmile-sync-20250101T120000.123Z.sqlite`: sorts by time, safe on every file system. */
export function backupFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '');
  return `topsmile-sync-${stamp}.sqlite`;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes a consistent snapshot of the store at `file` to `outFile` (never overwriting one), then
 * its manifest `<outFile>.manifest.json`. Safe while the server is running.
 */
export async function backupSqliteStore(
  file: string,
  outFile: string,
  options: { now?: () => Date } = {},
): Promise<BackupResult> {
  if (!(await exists(file))) throw new Error(`no store file at ${file}`);
  if (await exists(outFile)) throw new Error(`refusing to overwrite existing backup ${outFile}`);
  await mkdir(dirname(outFile), { recursive: true });
  const partial = `${outFile}.partial-${randomUUID()}`;
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // All remaining pages in one step: one read transaction, so a concurrent writer can neither
    // tear the snapshot nor make the copy restart forever.
    await source.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }

  let schemaVersion: number;
  const copy = new Database(partial);
  try {
    // A self-contained single file: no -wal beside it to lose when it is moved.
    copy.pragma('journal_mode = DELETE');
    schemaVersion = copy.pragma('user_version', { simple: true }) as number;
  } finally {
    copy.close();
  }
  await fsyncPath(partial);
  await rename(partial, outFile);

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    file: basename(outFile),
    sha256: await sha256Of(outFile),
    size: (await stat(outFile)).size,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    schemaVersion,
  };
  const manifestFile = manifestFileOf(outFile);
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2) + '\n', { flag: 'wx' });
  await fsyncPath(manifestFile);
  await fsyncPath(dirname(outFile));
  return { file: outFile, manifestFile, manifest };
}

async function readManifest(backupFile: string): Promise<BackupManifest> {
  const manifestFile = manifestFileOf(backupFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(manifestFile, 'utf8'));
  } catch (error) {
    throw new BackupVerificationError(
      `cannot read the backup manifest ${manifestFile}: without it the backup cannot be verified`,
      { cause: error },
    );
  }
  const m = parsed as Partial<BackupManifest> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    m.format !== BACKUP_FORMAT ||
    typeof m.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(m.sha256) ||
    typeof m.size !== 'number' ||
    typeof m.schemaVersion !== 'number' ||
    typeof m.createdAt !== 'string'
  ) {
    throw new BackupVerificationError(`${manifestFile} is not a TopSmile sync backup manifest`);
  }
  return m as BackupManifest;
}

/** Integrity, tables and schema version of an SQLite file; throws BackupVerificationError. */
function verifyStoreContents(file: string): void {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupVerificationError('the backup is not a readable SQLite database', {
      cause: error,
    });
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: false }) as {
      integrity_check: string;
    }[];
    if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') {
      throw new BackupVerificationError('the backup fails SQLite integrity_check');
    }
    const tables = new Set(
      (
        db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as {
          name: string;
        }[]
      ).map((row) => row.name),
    );
    const missing = SQLITE_STORE_TABLES.filter((table) => !tables.has(table));
    if (missing.length > 0) {
      throw new BackupVerificationError(
        `the backup is not a sync store: missing tables ${missing.join(', ')}`,
      );
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SQLITE_STORE_SCHEMA_VERSION) {
      throw new BackupVerificationError(
        `the backup has store schema ${version}, newer than this server's ${SQLITE_STORE_SCHEMA_VERSION}`,
      );
    }
  } catch (error) {
    if (error instanceof BackupVerificationError) throw error;
    throw new BackupVerificationError('the backup is damaged: SQLite cannot read it', {
      cause: error,
    });
  } finally {
    db.close();
  }
}

/**
 * Takes the store file for ourselves: fails when a server (any connection) has it open, then
 * folds its WAL into the main file so the file alone is the whole store.
 */
function quiesceTarget(targetFile: string): void {
  const db = new Database(targetFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    try {
      db.exec('BEGIN EXCLUSIVE; COMMIT;');
    } catch (error) {
      throw new Error(
        `the store ${targetFile} is in use (is the sync server running?): stop it before restoring`,
        { cause: error },
      );
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

export interface RestoreResult {
  /** Where the replaced store was kept, or null when there was none. */
  readonly previousFile: string | null;
  readonly manifest: BackupManifest;
}

/**
 * Replaces the store at `targetFile` with a verified backup. The backup is copied beside the
 * target and the copy is verified (size, sha-256, integrity_check, tables, schema version) before
 * anything is replaced; the previous store is kept as `<target>.before-restore-<time>` and the
 * new file takes its place with one atomic rename. Any failure leaves the target untouched.
 */
export async function restoreSqliteStore(
  backupFile: string,
  targetFile: string,
  options: { now?: () => Date } = {},
): Promise<RestoreResult> {
  const manifest = await readManifest(backupFile);
  await mkdir(dirname(targetFile), { recursive: true });
  const staged = `${targetFile}.restore-${randomUUID()}`;
  try {
    try {
      await copyFile(backupFile, staged);
    } catch (error) {
      throw new BackupVerificationError(`cannot read the backup file ${backupFile}`, {
        cause: error,
      });
    }
    const size = (await stat(staged)).size;
    if (size !== manifest.size) {
      throw new BackupVerificationError(
        `the backup is ${size} bytes but its manifest says ${manifest.size}: truncated or altered`,
      );
    }
    if ((await sha256Of(staged)) !== manifest.sha256) {
      throw new BackupVerificationError(
        'the backup does not match the checksum in its manifest: damaged or altered',
      );
    }
    verifyStoreContents(staged);
    await fsyncPath(staged);

    let previousFile: string | null = null;
    if (await exists(targetFile)) {
      quiesceTarget(targetFile);
      const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
      previousFile = `${targetFile}.before-restore-${stamp}`;
      // A hard link keeps the old store under its new name while the rename below swaps the
      // target in one step; where links are not possible, a copy does the same job.
      await link(targetFile, previousFile).catch(() => copyFile(targetFile, previousFile!));
    }
    await rename(staged, targetFile);
    await rm(`${targetFile}-wal`, { force: true });
    await rm(`${targetFile}-shm`, { force: true });
    await fsyncPath(dirname(targetFile));
    return { previousFile, manifest };
  } finally {
    await rm(staged, { force: true });
  }
}

/**
 * Keeps the `keep` newest backups (by manifest time) in `dir` and deletes the older ones with
 * their manifests. Only files with a valid manifest are considered; nothing else is touched.
 */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError('keep must be at least 1');
  const backups: { file: string; createdAt: string }[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith(MANIFEST_SUFFIX)) continue;
    const file = join(dir, name.slice(0, -MANIFEST_SUFFIX.length));
    try {
      const manifest = await readManifest(file);
      backups.push({ file, createdAt: manifest.createdAt });
    } catch {
      // Not ours or unreadable: never delete what we cannot identify.
    }
  }
  backups.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const removed: string[] = [];
  for (const backup of backups.slice(keep)) {
    await rm(backup.file, { force: true });
    await rm(manifestFileOf(backup.file), { force: true });
    removed.push(backup.file);
  }
  return removed;
}

/** One scheduled run: a new snapshot in `dir`, then retention. */
export async function backupSqliteStoreToDir(
  file: string,
  dir: string,
  options: { keep: number; now?: () => Date },
): Promise<BackupResult & { pruned: string[] }> {
  const now = options.now ?? (() => new Date());
  const result = await backupSqliteStore(file, join(dir, backupFileName(now())), { now });
  return { ...result, pruned: await pruneBackups(dir, options.keep) };
}

/**
 * Runs backupSqliteStoreToDir every `intervalMs` (first run after one interval). Failures go to
 * `onError` and the schedule continues. Returns a stop function that waits for a running backup.
 */
export function scheduleSqliteBackups(options: {
  file: string;
  dir: string;
  intervalMs: number;
  keep: number;
  onDone?: (result: BackupResult & { pruned: string[] }) => void;
  onError: (error: unknown) => void;
}): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = backupSqliteStoreToDir(options.file, options.dir, { keep: options.keep })
      .then(options.onDone, options.onError)
      .finally(() => {
        running = null;
      });
  }, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
