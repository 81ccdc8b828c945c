// Scheduled upkeep of a running server: snapshots of the embedded SQLite store with retention, and
// a daily purge of tombstones older than the retention period (clients whose checkpoint predates a
// purge are told to RESYNC, so nothing is lost by it). Timers never keep the process alive.
import { mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  backupSqliteStoreToDir,
  MANIFEST_SUFFIX,
  scheduleSqliteBackups,
  type BackupResult,
} from '../backup/sqlite-backup';
import type { ServerEnv } from '../env';
import { sqliteStoreFile } from '../store/index';
import type { SyncStore } from '../store/types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Said wherever a backup of a MongoDB deployment is asked of us (server start, admin CLI). */
export const MONGODB_BACKUP_ADVICE =
  "MongoDB deployments back up with their own tooling (mongodump, or the provider's snapshots); " +
  'BACKUP_* and the admin backup/restore commands apply to the embedded SQLite store only.';

export type MaintenanceEnv = Pick<
  ServerEnv,
  | 'dataDir'
  | 'mongodbUrl'
  | 'backupIntervalHours'
  | 'backupDir'
  | 'backupKeep'
  | 'tombstoneRetentionDays'
>;

/** Intervals in milliseconds; the defaults come from the environment (tests shorten them). */
export interface MaintenanceTiming {
  readonly backupIntervalMs: number;
  readonly purgeIntervalMs: number;
  /** Before the first purge and the catch-up backup, so start-up is not slowed by them. */
  readonly startupDelayMs: number;
}

export interface MaintenanceOptions {
  readonly env: MaintenanceEnv;
  readonly store: SyncStore;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly timing?: Partial<MaintenanceTiming>;
}

export interface Maintenance {
  /** Purges every clinic's tombstones older than the retention period; returns how many went. */
  purgeTombstonesNow(): Promise<number>;
  /** Clears the timers and waits for a backup or purge that is running. */
  stop(): Promise<void>;
}

export function maintenanceTiming(
  env: MaintenanceEnv,
  overrides: Partial<MaintenanceTiming> = {},
): MaintenanceTiming {
  return {
    backupIntervalMs: env.backupIntervalHours * HOUR_MS,
    purgeIntervalMs: DAY_MS,
    startupDelayMs: 60_000,
    ...overrides,
  };
}

/** The instant before which tombstones may go. */
export function tombstoneCutoff(now: Date, retentionDays: number): string {
  return new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
}

/** Backups hold patient data: a directory we create for them is for the server's user only. */
export function prepareBackupDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** When the newest backup with a readable manifest in `dir` was taken, or null. */
export async function newestBackupTime(dir: string): Promise<Date | null> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let newest: Date | null = null;
  for (const name of names) {
    if (!name.endsWith(MANIFEST_SUFFIX)) continue;
    try {
      const { createdAt } = JSON.parse(await readFile(join(dir, name), 'utf8')) as {
        createdAt?: unknown;
      };
      const at = typeof createdAt === 'string' ? new Date(createdAt) : null;
      if (at && !Number.isNaN(at.getTime()) && (!newest || at > newest)) newest = at;
    } catch {
      // Not a manifest we can read: it says nothing about when we last backed up.
    }
  }
  return newest;
}

export function startMaintenance(options: MaintenanceOptions): Maintenance {
  const { env, store, logger } = options;
  const now = options.now ?? (() => new Date());
  const timing = maintenanceTiming(env, options.timing);
  const log = logger.child({ task: 'maintenance' });
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;

  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };
  const later = (ms: number, task: () => void): void => {
    const timer = setTimeout(task, ms);
    timer.unref();
    timers.push(timer);
  };

  let purging: Promise<number> | null = null;
  const purgeTombstonesNow = (): Promise<number> => {
    purging ??= track(
      (async () => {
        const before = tombstoneCutoff(now(), env.tombstoneRetentionDays);
        let removed = 0;
        let failed = 0;
        const clinics = await store.listClinics();
        for (const clinic of clinics) {
          if (stopped) break;
          try {
            const count = await store.purgeTombstones(clinic.id, before);
            removed += count;
            if (count > 0)
              log.info({ clinicId: clinic.id, removed: count, before }, 'purged tombstones');
          } catch (error) {
            failed += 1;
            log.error({ err: error, clinicId: clinic.id }, 'tombstone purge failed');
          }
        }
        log.info({ clinics: clinics.length, removed, failed, before }, 'tombstone purge done');
        return removed;
      })().finally(() => {
        purging = null;
      }),
    );
    return purging;
  };
  const scheduledPurge = (): void => {
    if (stopped) return;
    purgeTombstonesNow().catch((error: unknown) =>
      log.error({ err: error }, 'tombstone purge failed'),
    );
  };
  later(timing.startupDelayMs, scheduledPurge);
  const purgeTimer = setInterval(scheduledPurge, timing.purgeIntervalMs);
  purgeTimer.unref();

  let stopBackups: (() => Promise<void>) | null = null;
  if (env.mongodbUrl) {
    if (env.backupIntervalHours > 0) log.info(MONGODB_BACKUP_ADVICE);
  } else if (timing.backupIntervalMs > 0) {
    const file = sqliteStoreFile(env.dataDir);
    const onDone = (result: BackupResult & { pruned: string[] }): void => {
      log.info(
        {
          file: result.file,
          size: result.manifest.size,
          sha256: result.manifest.sha256,
          pruned: result.pruned.length,
        },
        'backup written',
      );
    };
    const onError = (error: unknown): void => log.error({ err: error }, 'scheduled backup failed');
    try {
      prepareBackupDir(env.backupDir);
    } catch (error) {
      onError(error); // each backup will say it again; the schedule stays on
    }
    stopBackups = scheduleSqliteBackups({
      file,
      dir: env.backupDir,
      intervalMs: timing.backupIntervalMs,
      keep: env.backupKeep,
      onDone,
      onError,
    });
    // The schedule's first run is one interval away: a server restarted more often than that
    // would never back up, so catch up when the newest backup is already older than an interval.
    later(timing.startupDelayMs, () => {
      if (stopped) return;
      void track(
        (async () => {
          const newest = await newestBackupTime(env.backupDir);
          if (stopped) return;
          if (newest && now().getTime() - newest.getTime() < timing.backupIntervalMs) {
            log.debug({ newest: newest.toISOString() }, 'newest backup is recent: no catch-up');
            return;
          }
          onDone(await backupSqliteStoreToDir(file, env.backupDir, { keep: env.backupKeep, now }));
        })().catch(onError),
      );
    });
    log.info(
      {
        dir: env.backupDir,
        intervalHours: timing.backupIntervalMs / HOUR_MS,
        keep: env.backupKeep,
      },
      'scheduled backups on',
    );
  } else {
    log.warn('scheduled backups are off (BACKUP_INTERVAL_HOURS=0)');
  }

  return {
    purgeTombstonesNow,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      clearInterval(purgeTimer);
      await stopBackups?.();
      await Promise.allSettled([...running]);
    },
  };
}
