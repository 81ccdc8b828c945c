// Opens the workstation's replica of one clinic: an RxDB database on our SQLite storage, one
// file per clinic in the user-data folder, with every clinic collection.
//
// Before RxDB touches an existing file it is inspected through a read-only connection:
//  - a file SQLite cannot read, or that fails its quick integrity check, is `corrupt`;
//  - a file whose collections are at a higher schema version than this app knows (written by a
//    newer release; a rollback, or a restored backup from the future) is `newer_version`. RxDB
//    would otherwise create empty tables beside the newer ones: a silent reset.
// Both raise DatabaseProblemError and leave the file untouched; the host offers the choice
// (restore a backup, or move the file aside and download the clinic again).
// When the file's collections are at a LOWER version, RxDB's migration runs, after a backup.
//
// The schema versions a file holds are kept in a small `topsmile_meta` table inside the file
// itself (so they travel with backups); a file without it (written before the table existed)
// is read from RxDB's table names, `<collection>-<version>`.
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { addRxPlugin, createRxDatabase, type RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import type { BackupInfo } from '../../shared/api/views';
import {
  COLLECTION_NAMES,
  clinicCollectionCreators,
  collectionSchemas,
  isCollectionName,
  type ClinicCollections,
  type ClinicDatabase,
  type CollectionName,
} from '../../shared/domain/schemas/index';
import {
  databaseFileName,
  getRxStorageSQLite,
  type SQLiteSynchronousLevel,
} from '../../shared/storage/index';
import type { BackupStore } from './backups/backup-store';

addRxPlugin(RxDBMigrationSchemaPlugin);

export type SchemaVersions = Readonly<Partial<Record<CollectionName, number>>>;

/** The schema version of every collection in this build. */
export const APP_SCHEMA_VERSIONS: Readonly<Record<CollectionName, number>> = Object.freeze(
  Object.fromEntries(
    COLLECTION_NAMES.map((name) => [name, collectionSchemas[name].version]),
  ) as Record<CollectionName, number>,
);

export const META_TABLE = 'topsmile_meta';

export interface DatabaseProblem {
  readonly kind: 'corrupt' | 'newer_version';
  /** The file as it is on disk (not patient data: a path in the user-data folder). */
  readonly file: string;
  /** The backups one could restore instead, newest first. */
  readonly backups: readonly BackupInfo[];
}

/** Opening stopped because the file needs a person's decision; the file was not modified. */
export class DatabaseProblemError extends Error {
  readonly problem: DatabaseProblem;

  constructor(problem: DatabaseProblem) {
    super(
      problem.kind === 'corrupt'
        ? 'The local database file is damaged.'
        : 'The local database file was written by a newer version of TopSmile.',
    );
    this.name = 'DatabaseProblemError';
    this.problem = problem;
  }
}

export interface OpenClinicDatabaseOptions {
  /** The folder holding the clinic's SQLite file(s), inside the user-data folder. */
  readonly directory: string;
  /** RxDB database name; one per clinic, e.g. `clinic_<id>` (RxDB allows [a-z0-9_$()+/-]). */
  readonly name: string;
  readonly synchronous?: SQLiteSynchronousLevel;
  /** Check every write against the schema (on by default: a bad document never lands). */
  readonly validate?: boolean;
  /** Where to back up before a migration, and what to offer when the file has a problem. */
  readonly backups?: Pick<BackupStore, 'createBackup' | 'listBackups'>;
  /** How hard to look for damage before opening (see IntegrityCheckMode); default `auto`. */
  readonly integrityCheck?: IntegrityCheckMode;
  /** The versions this build expects; only tests pass anything but APP_SCHEMA_VERSIONS. */
  readonly schemaVersions?: Readonly<Record<CollectionName, number>>;
}

/** RxDB database names allow only some characters; clinic ids are UUIDs, which fit once lower-cased. */
export function clinicDatabaseName(clinicId: string): string {
  return `clinic_${clinicId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

/** The SQLite file the storage keeps database `name` in. */
export function clinicDatabaseFile(directory: string, name: string): string {
  return join(directory, databaseFileName(name));
}

export type FileInspection =
  | { readonly state: 'missing' }
  | { readonly state: 'corrupt' }
  | { readonly state: 'ok'; readonly schemaVersions: SchemaVersions };

interface FileMeta {
  readonly schemaVersions: SchemaVersions;
  /** False when the last process to open it did not close it (a crash, a kill, a power cut). */
  readonly closedCleanly: boolean;
}

function readMeta(db: Database.Database): FileMeta {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
    name: string;
  }[];
  if (tables.some((table) => table.name === META_TABLE)) {
    const rows = db.prepare(`SELECT key, value FROM ${META_TABLE}`).all() as {
      key: string;
      value: string;
    }[];
    const meta = new Map(rows.map((row) => [row.key, row.value]));
    const versions = meta.get('schema_versions');
    if (versions) {
      return {
        schemaVersions: JSON.parse(versions) as SchemaVersions,
        closedCleanly: meta.get('in_use') !== '1',
      };
    }
  }
  const versions: Partial<Record<CollectionName, number>> = {};
  for (const { name } of tables) {
    const [, collection, version] = /^(.+)-(\d+)$/.exec(name) ?? [];
    if (!collection || !isCollectionName(collection)) continue;
    versions[collection] = Math.max(versions[collection] ?? 0, Number(version));
  }
  return { schemaVersions: versions, closedCleanly: false };
}

/**
 * How hard to look for damage before opening: `quick` runs SQLite's quick_check (reads every
 * page: about 0.6 s per 100 MB warm), `auto` runs it only when the file was not closed cleanly
 * last time, which keeps a normal start fast.
 */
export type IntegrityCheckMode = 'auto' | 'quick' | 'none';

/** Looks at a clinic file through a read-only connection; never writes to it. */
export function inspectDatabaseFile(
  file: string,
  integrityCheck: IntegrityCheckMode = 'auto',
): FileInspection {
  if (!existsSync(file)) return { state: 'missing' };
  // A read-only connection to a WAL file still creates empty -wal/-shm files; remove what it made.
  const leftovers = ['-wal', '-shm']
    .map((suffix) => file + suffix)
    .filter((path) => !existsSync(path));
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const meta = readMeta(db);
    const check = integrityCheck === 'quick' || (integrityCheck === 'auto' && !meta.closedCleanly);
    if (check && db.pragma('quick_check', { simple: true }) !== 'ok') return { state: 'corrupt' };
    return { state: 'ok', schemaVersions: meta.schemaVersions };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Only damage is a problem to show; anything else (locked, permissions) is a plain failure.
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code))
      return { state: 'corrupt' };
    if (error instanceof SyntaxError) return { state: 'corrupt' }; // an unreadable meta row
    throw error;
  } finally {
    db?.close();
    for (const path of leftovers) {
      if (existsSync(path) && (path.endsWith('-shm') || statSync(path).size === 0)) rmSync(path);
    }
  }
}

function writeMeta(file: string, values: Readonly<Record<string, string>>): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    const put = db.prepare(`INSERT OR REPLACE INTO ${META_TABLE} (key, value) VALUES (?, ?)`);
    db.transaction(() => {
      for (const [key, value] of Object.entries(values)) put.run(key, value);
    })();
  } finally {
    db.close();
  }
}

// Runs in a worker thread so a long check never blocks the core's event loop. Plain CommonJS
// source (eval) with better-sqlite3's resolved path, so it runs alike under tsx, vitest and
// a bundle.
const INTEGRITY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  parentPort.postMessage(db.pragma('quick_check', { simple: true }) === 'ok' ? 'ok' : 'corrupt');
} catch (error) {
  const code = error && error.code;
  parentPort.postMessage(typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code) ? 'corrupt' : 'unknown');
} finally {
  if (db) db.close();
}
`;

/**
 * SQLite's quick_check of an open clinic file, in a worker thread: the start skips it after a
 * clean shutdown (see IntegrityCheckMode), and this catches damage done while the app was
 * closed, without slowing the first screen. `unknown`: the check itself could not run.
 */
export function checkIntegrityInBackground(file: string): Promise<'ok' | 'corrupt' | 'unknown'> {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve) => {
    const worker = new Worker(INTEGRITY_WORKER, {
      eval: true,
      workerData: { file, betterSqlite3 },
    });
    worker.unref();
    worker.once('message', (answer: 'ok' | 'corrupt' | 'unknown') => resolve(answer));
    worker.once('error', () => resolve('unknown'));
    worker.once('exit', () => resolve('unknown'));
  });
}

/** Renames a problem file (and its WAL) aside, keeping it; answers the new path. */
export function moveDatabaseAside(file: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.set-aside-${stamp}`;
  for (const suffix of ['-wal', '-shm', '']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

export async function openClinicDatabase(
  options: OpenClinicDatabaseOptions,
): Promise<ClinicDatabase> {
  const file = clinicDatabaseFile(options.directory, options.name);
  const expected = options.schemaVersions ?? APP_SCHEMA_VERSIONS;
  const problem = (kind: DatabaseProblem['kind']) =>
    new DatabaseProblemError({ kind, file, backups: options.backups?.listBackups() ?? [] });

  const inspection = inspectDatabaseFile(file, options.integrityCheck ?? 'auto');
  if (inspection.state === 'corrupt') throw problem('corrupt');
  if (inspection.state === 'ok') {
    const stored = Object.entries(inspection.schemaVersions) as [CollectionName, number][];
    if (stored.some(([name, version]) => version > (expected[name] ?? Infinity))) {
      throw problem('newer_version');
    }
    if (stored.some(([name, version]) => version < expected[name])) {
      await options.backups?.createBackup('before_migration');
    }
  }

  let db: ClinicDatabase;
  try {
    db = await createAndAddCollections(options);
  } catch (error) {
    // With the check skipped (or damage it cannot see), a failure to open may still be damage.
    if (existsSync(file) && inspectDatabaseFile(file, 'quick').state === 'corrupt') {
      throw problem('corrupt');
    }
    throw error;
  }
  writeMeta(file, { schema_versions: JSON.stringify(expected), in_use: '1' });
  db.onClose.push(() => {
    try {
      writeMeta(file, { in_use: '0' });
    } catch {
      // Best effort: unmarked, the next start simply runs the integrity check.
    }
  });
  return db;
}

async function createAndAddCollections(
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
