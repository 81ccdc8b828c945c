// Local backups of a clinic's SQLite file. A backup is SQLite's online backup of the live file
// (consistent even while RxDB writes to it in WAL mode), stored as one self-contained file with
// its sha256 in a manifest beside it. A restore checks the checksum and SQLite's integrity check
// first, keeps the current file as a `before_restore` backup (so the restore can be undone) and
// swaps the file in with a rename. Backups are taken on a schedule, before every migration
// (database.ts), before an update is installed, and on request.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BackupInfo } from '../../../shared/api/views';
import { newId } from '../../../shared/domain/ids';
import { describeErrorForLog } from '../logging/safe-error';
import { ServiceError } from '../service-table';

export type BackupReason = BackupInfo['reason'];

/** What the manifest keeps about a backup; the API shows the BackupInfo part. */
export interface BackupEntry extends BackupInfo {
  /** File name inside the backups folder. */
  readonly file: string;
  readonly sha256: string;
  /**
   * False for a raw copy of a file SQLite could not read (kept before restoring over a damaged
   * file, so nothing is ever thrown away); such a copy cannot itself be restored.
   */
  readonly verified: boolean;
}

/** Backups kept per reason; older ones of that reason are deleted after each new backup. */
export const DEFAULT_RETENTION: Readonly<Record<BackupReason, number>> = {
  scheduled: 7,
  manual: 10,
  before_migration: 3,
  before_update: 3,
  before_restore: 3,
};

export interface BackupStoreOptions {
  /** The clinic's live SQLite file. */
  readonly databaseFile: string;
  /** The folder for this clinic's backups and their manifest. */
  readonly directory: string;
  readonly retention?: Partial<Record<BackupReason, number>>;
  readonly log?: {
    info(details: object, message: string): void;
    error(details: object, message: string): void;
  };
  readonly now?: () => Date;
}

/** How a restore closes the live database and opens it again around the file swap. */
export interface RestoreHooks {
  closeDatabase(): Promise<void>;
  reopenDatabase(): Promise<void>;
}

export interface BackupStore {
  readonly directory: string;
  createBackup(reason: BackupReason): Promise<BackupInfo>;
  /** Newest first. */
  listBackups(): BackupInfo[];
  /** Checks the backup's checksum and SQLite integrity; throws a ServiceError if it fails. */
  verifyBackup(id: string): Promise<BackupEntry>;
  /** Restores `id`; answers the `before_restore` backup of the replaced file (to undo it). */
  restoreBackup(id: string, hooks?: RestoreHooks): Promise<BackupInfo | null>;
  /**
   * Backs up every `everyMs`, the first time when the last scheduled backup is that old (but not
   * before `firstDelayMs`, so a start is not slowed by it). Timers are unref'd. Returns stop.
   */
  startSchedule(everyMs: number, firstDelayMs?: number): () => void;
}

const MANIFEST = 'manifest.json';

interface Manifest {
  readonly version: 1;
  readonly backups: BackupEntry[];
}

function toInfo(entry: BackupEntry): BackupInfo {
  return {
    id: entry.id,
    createdAt: entry.createdAt,
    reason: entry.reason,
    sizeBytes: entry.sizeBytes,
  };
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable; some platforms cannot open a directory, which is fine to skip. */
function fsyncDirectory(directory: string): void {
  try {
    const fd = openSync(directory, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows: directories cannot be opened; NTFS journals the rename itself.
  }
}

function writeFileAtomically(file: string, content: string): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, content);
  fsyncFile(temporary);
  renameSync(temporary, file);
  fsyncDirectory(dirname(file));
}

/** `PRAGMA integrity_check` on a file opened read-only; true when SQLite answers `ok`. */
export function passesIntegrityCheck(file: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return db.pragma('integrity_check', { simple: true }) === 'ok';
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

export function createBackupStore(options: BackupStoreOptions): BackupStore {
  const { databaseFile, directory } = options;
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const now = options.now ?? (() => new Date());
  const manifestFile = join(directory, MANIFEST);
  // One backup or restore at a time: a scheduled backup never reads a file being swapped.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  function readManifest(): Manifest {
    if (!existsSync(manifestFile)) return { version: 1, backups: [] };
    const parsed = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    return {
      version: 1,
      backups: parsed.backups.filter((entry) => existsSync(join(directory, entry.file))),
    };
  }

  function writeManifest(backups: BackupEntry[]): void {
    mkdirSync(directory, { recursive: true });
    const sorted = [...backups].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    writeFileAtomically(manifestFile, JSON.stringify({ version: 1, backups: sorted }, null, 2));
  }

  /** Deletes the oldest backups of each reason beyond its limit. */
  function applyRetention(backups: BackupEntry[]): BackupEntry[] {
    const kept: BackupEntry[] = [];
    const seen = new Map<BackupReason, number>();
    for (const entry of [...backups].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    )) {
      const count = (seen.get(entry.reason) ?? 0) + 1;
      seen.set(entry.reason, count);
      if (count <= retention[entry.reason]) kept.push(entry);
      else
        for (const suffix of ['', '-wal'])
          rmSync(join(directory, entry.file + suffix), { force: true });
    }
    return kept;
  }

  function record(entry: BackupEntry): BackupInfo {
    writeManifest(applyRetention([...readManifest().backups, entry]));
    options.log?.info(
      { backupId: entry.id, reason: entry.reason, sizeBytes: entry.sizeBytes },
      'backup created',
    );
    return toInfo(entry);
  }

  /** The online backup of the live file, as one self-contained (non-WAL) file. */
  async function onlineBackup(reason: BackupReason): Promise<BackupInfo> {
    if (!existsSync(databaseFile)) {
      throw new ServiceError('not_found', 'There is no local database to back up yet.');
    }
    mkdirSync(directory, { recursive: true });
    const id = newId();
    const file = `${id}.sqlite`;
    const target = join(directory, file);
    const temporary = `${target}.partial`;
    const source = new Database(databaseFile, { readonly: true, fileMustExist: true });
    try {
      await source.backup(temporary);
    } finally {
      source.close();
    }
    const copy = new Database(temporary);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fsyncFile(temporary);
    renameSync(temporary, target);
    fsyncDirectory(directory);
    return record({
      id,
      createdAt: now().toISOString(),
      reason,
      sizeBytes: statSync(target).size,
      file,
      sha256: await sha256Of(target),
      verified: true,
    });
  }

  /** A byte copy of a file SQLite cannot read, kept so that nothing is thrown away. */
  async function rawCopy(reason: BackupReason): Promise<BackupInfo> {
    mkdirSync(directory, { recursive: true });
    const id = newId();
    const file = `${id}.sqlite`;
    copyFileSync(databaseFile, join(directory, file));
    if (existsSync(`${databaseFile}-wal`))
      copyFileSync(`${databaseFile}-wal`, join(directory, `${file}-wal`));
    return record({
      id,
      createdAt: now().toISOString(),
      reason,
      sizeBytes: statSync(join(directory, file)).size,
      file,
      sha256: await sha256Of(join(directory, file)),
      verified: false,
    });
  }

  /**
   * Copies beside the target, makes it durable, then renames over it: the file is always either
   * the old one or the whole new one.
   */
  function swapIn(source: string): void {
    mkdirSync(dirname(databaseFile), { recursive: true });
    const incoming = `${databaseFile}.restoring`;
    copyFileSync(source, incoming);
    fsyncFile(incoming);
    for (const suffix of ['-wal', '-shm']) rmSync(databaseFile + suffix, { force: true });
    renameSync(incoming, databaseFile);
    fsyncDirectory(dirname(databaseFile));
  }

  async function verify(id: string): Promise<BackupEntry> {
    const entry = readManifest().backups.find((candidate) => candidate.id === id);
    if (!entry) throw new ServiceError('not_found', 'There is no such backup.');
    const file = join(directory, entry.file);
    if (!entry.verified) {
      throw new ServiceError(
        'conflict',
        'This is a copy of a damaged file; it cannot be restored.',
      );
    }
    if ((await sha256Of(file)) !== entry.sha256) {
      throw new ServiceError(
        'conflict',
        'This backup was damaged on disk (its checksum does not match). Choose another.',
      );
    }
    if (!passesIntegrityCheck(file)) {
      throw new ServiceError(
        'conflict',
        'This backup fails SQLite’s integrity check. Choose another.',
      );
    }
    return entry;
  }

  return {
    directory,
    createBackup: (reason) => exclusive(() => onlineBackup(reason)),
    listBackups: () => readManifest().backups.map(toInfo),
    verifyBackup: (id) => exclusive(() => verify(id)),
    restoreBackup: (id, hooks) =>
      exclusive(async () => {
        const entry = await verify(id);
        await hooks?.closeDatabase();
        let kept: BackupInfo | null = null;
        try {
          if (existsSync(databaseFile)) {
            kept = passesIntegrityCheck(databaseFile)
              ? await onlineBackup('before_restore')
              : await rawCopy('before_restore');
          }
          swapIn(join(directory, entry.file));
        } catch (error) {
          // Nothing was replaced: carry on with the file as it was.
          await hooks?.reopenDatabase();
          throw error;
        }
        options.log?.info(
          { backupId: id, keptAs: kept?.id ?? null, file: basename(databaseFile) },
          'backup restored',
        );
        await hooks?.reopenDatabase();
        return kept;
      }),
    startSchedule(everyMs, firstDelayMs = 60_000) {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const run = async () => {
        if (stopped) return;
        if (existsSync(databaseFile)) {
          await exclusive(() => onlineBackup('scheduled')).catch((error: unknown) =>
            options.log?.error({ error: describeErrorForLog(error) }, 'scheduled backup failed'),
          );
        }
        if (!stopped) {
          timer = setTimeout(() => void run(), everyMs);
          timer.unref();
        }
      };
      const last = readManifest().backups.find((entry) => entry.reason === 'scheduled');
      const due = last ? Date.parse(last.createdAt) + everyMs - now().getTime() : 0;
      timer = setTimeout(() => void run(), Math.max(firstDelayMs, due));
      timer.unref();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
  };
}
