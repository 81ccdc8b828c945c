// The clinic database of this workstation, as the host runs it: opened for the signed-in clinic,
// closed on sign-out, backed up on a schedule, and, when the file has a problem, held in a
// `problem` state until a person chooses (restore a backup, or set the file aside and download
// the clinic again). Nothing here ever deletes or silently replaces a clinic file.
//
// Layout in the user-data folder:
//   clinics/clinic_<id>.sqlite          the replica (RxDB on the SQLite storage, WAL)
//   clinics/clinic_<id>.sqlite.set-aside-<time>   a problem file set aside (kept)
//   backups/clinic_<id>/<backup id>.sqlite + manifest.json
import { BehaviorSubject, distinctUntilChanged, map, type Observable } from 'rxjs';
import { join } from 'node:path';
import type { BackupInfo, DatabaseStatus } from '../../shared/api/views';
import type { ClinicDatabase } from '../../shared/domain/schemas/index';
import type { SQLiteSynchronousLevel } from '../../shared/storage/index';
import { createBackupStore, type BackupReason, type BackupStore } from './backups/backup-store';
import {
  DatabaseProblemError,
  checkIntegrityInBackground,
  clinicDatabaseFile,
  clinicDatabaseName,
  moveDatabaseAside,
  openClinicDatabase,
  type IntegrityCheckMode,
} from './database';
import type { CoreLogger } from './logging/logger';
import { describeErrorForLog } from './logging/safe-error';
import { ServiceError } from './service-table';

export const DEFAULT_BACKUP_EVERY_MS = 6 * 60 * 60 * 1000;

export interface LocalDatabaseOptions {
  readonly userDataDir: string;
  readonly log: CoreLogger;
  readonly backupEveryMs?: number;
  /** Delay of the first scheduled backup after opening (a start is never slowed by one). */
  readonly firstBackupDelayMs?: number;
  readonly retention?: Partial<Record<BackupReason, number>>;
  readonly integrityCheck?: IntegrityCheckMode;
  readonly synchronous?: SQLiteSynchronousLevel;
}

interface OpenClinic {
  readonly clinicId: string;
  readonly name: string;
  readonly file: string;
  readonly backups: BackupStore;
}

export class LocalDatabase {
  readonly directory: string;
  private readonly state = new BehaviorSubject<{
    status: DatabaseStatus;
    db: ClinicDatabase | null;
  }>({ status: { state: 'closed' }, db: null });
  private clinic: OpenClinic | null = null;
  private stopSchedule: (() => void) | null = null;
  // Open, close, restore and set-aside run one at a time.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LocalDatabaseOptions) {
    this.directory = join(options.userDataDir, 'clinics');
  }

  /** The open database, or null (signed out, opening, or a problem). */
  get db(): ClinicDatabase | null {
    return this.state.value.db;
  }

  get status(): DatabaseStatus {
    return this.state.value.status;
  }

  get status$(): Observable<DatabaseStatus> {
    return this.state.pipe(
      map((value) => value.status),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    );
  }

  /** Emits the open database, and null whenever it closes. */
  get db$(): Observable<ClinicDatabase | null> {
    return this.state.pipe(
      map((value) => value.db),
      distinctUntilChanged(),
    );
  }

  get clinicId(): string | null {
    return this.clinic?.clinicId ?? null;
  }

  /**
   * Opens the clinic's replica (a no-op when it is already the one open). A problem with the file
   * is not an error here: the status becomes `problem` and the answer is null.
   */
  openForClinic(clinicId: string): Promise<ClinicDatabase | null> {
    return this.exclusive(async () => {
      if (this.clinic?.clinicId === clinicId && this.status.state !== 'closed') return this.db;
      await this.closeNow();
      const name = clinicDatabaseName(clinicId);
      const file = clinicDatabaseFile(this.directory, name);
      const backups = createBackupStore({
        databaseFile: file,
        directory: join(this.options.userDataDir, 'backups', name),
        ...(this.options.retention ? { retention: this.options.retention } : {}),
        log: this.options.log,
      });
      this.clinic = { clinicId, name, file, backups };
      return this.openNow();
    });
  }

  /** Closes the database (sign-out, shutdown). */
  close(): Promise<void> {
    return this.exclusive(async () => {
      await this.closeNow();
      this.clinic = null;
    });
  }

  listBackups(): BackupInfo[] {
    return this.clinic?.backups.listBackups() ?? [];
  }

  createBackup(reason: BackupReason): Promise<BackupInfo> {
    const clinic = this.requireClinic();
    return clinic.backups.createBackup(reason);
  }

  /** Restores a backup (also the way out of a `problem`); answers the kept `before_restore`. */
  restoreBackup(backupId: string): Promise<BackupInfo | null> {
    return this.exclusive(async () => {
      const clinic = this.requireClinic();
      const kept = await clinic.backups.restoreBackup(backupId, {
        closeDatabase: () => this.closeNow(),
        reopenDatabase: async () => {
          await this.openNow();
        },
      });
      return kept;
    });
  }

  /** Sets a problem file aside (kept) and starts a fresh replica; sync downloads the clinic. */
  setAside(): Promise<void> {
    return this.exclusive(async () => {
      const clinic = this.requireClinic();
      if (this.status.state !== 'problem') {
        throw new ServiceError('conflict', 'The local database has no problem to set aside.');
      }
      const aside = moveDatabaseAside(clinic.file);
      this.options.log.warn({ keptAs: aside }, 'problem database set aside');
      await this.openNow();
    });
  }

  private requireClinic(): OpenClinic {
    if (!this.clinic)
      throw new ServiceError('conflict', 'No clinic is open on this workstation yet.');
    return this.clinic;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async openNow(): Promise<ClinicDatabase | null> {
    const clinic = this.requireClinic();
    this.state.next({ status: { state: 'opening' }, db: null });
    try {
      const db = await openClinicDatabase({
        directory: this.directory,
        name: clinic.name,
        backups: clinic.backups,
        ...(this.options.integrityCheck ? { integrityCheck: this.options.integrityCheck } : {}),
        ...(this.options.synchronous ? { synchronous: this.options.synchronous } : {}),
      });
      this.state.next({ status: { state: 'open' }, db });
      this.stopSchedule = clinic.backups.startSchedule(
        this.options.backupEveryMs ?? DEFAULT_BACKUP_EVERY_MS,
        this.options.firstBackupDelayMs,
      );
      void this.checkInBackground(clinic, db);
      return db;
    } catch (error) {
      if (error instanceof DatabaseProblemError) {
        this.options.log.error({ problem: error.problem.kind }, 'local database needs a decision');
        this.state.next({
          status: { state: 'problem', problem: error.problem.kind, backups: error.problem.backups },
          db: null,
        });
        return null;
      }
      this.state.next({ status: { state: 'closed' }, db: null });
      throw error;
    }
  }

  /** Damage done while the app was closed shows up here, a moment after a fast start. */
  private async checkInBackground(clinic: OpenClinic, db: ClinicDatabase): Promise<void> {
    const verdict = await checkIntegrityInBackground(clinic.file);
    if (verdict !== 'corrupt') return;
    await this.exclusive(async () => {
      if (this.db !== db) return; // closed or reopened meanwhile
      this.options.log.error({ problem: 'corrupt' }, 'background integrity check failed');
      await this.closeNow();
      this.state.next({
        status: { state: 'problem', problem: 'corrupt', backups: clinic.backups.listBackups() },
        db: null,
      });
    });
  }

  private async closeNow(): Promise<void> {
    this.stopSchedule?.();
    this.stopSchedule = null;
    const db = this.db;
    this.state.next({ status: { state: 'closed' }, db: null });
    if (db) {
      await db
        .close()
        .catch((error: unknown) =>
          this.options.log.error(
            { error: describeErrorForLog(error) },
            'closing the database failed',
          ),
        );
    }
  }
}
