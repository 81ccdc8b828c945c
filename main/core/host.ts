// The core, wired: logger, session and sync (SYNC), the clinic database (opened for the signed-in
// clinic; none before sign-in), the clinic services (SERVICES), backups and updates (PLATFORM),
// and one dispatcher serving the whole app API table to every transport.
import { join } from 'node:path';
import { concatMap, distinctUntilChanged, map, type Subscription } from 'rxjs';
import type { Settings } from '../../shared/api/views';
import { toStoredInstant } from '../../shared/domain/time';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { LocalDatabase, type LocalDatabaseOptions } from './local-database';
import { createCoreLogger, type CoreLogger } from './logging/logger';
import { describeErrorForLog } from './logging/safe-error';
import { createPlatformTable, noUpdates, type UpdateBridge } from './platform-table';
import type { CallContext, PartialServiceTable, ServiceTable } from './service-table';
import { createServicesTable, readSettings } from './services/index';
import {
  CONFLICT_LOG_FILE,
  ConflictLog,
  FileTokenVault,
  SessionManager,
  SyncController,
  createSyncTable,
  loadOrCreateKeyFile,
} from './sync/index';

export interface CoreHostOptions {
  readonly userDataDir: string;
  /** The sync server offered before the first sign-in (the sign-in form's default). */
  readonly serverUrl?: string;
  /** A logger to use; by default pino to `<userDataDir>/logs`. */
  readonly logger?: CoreLogger;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Key of the token vault (Electron: kept under safeStorage by main); else a key file. */
  readonly tokenKey?: Uint8Array;
  readonly updates?: UpdateBridge;
  readonly database?: Partial<Omit<LocalDatabaseOptions, 'userDataDir' | 'log'>>;
  readonly fetch?: typeof fetch;
  /** Told after every settings change (the shell follows the update channel). */
  readonly onSettingsChanged?: (settings: Settings) => void;
}

export interface CoreHost {
  readonly dispatcher: Dispatcher;
  readonly database: LocalDatabase;
  readonly session: SessionManager;
  readonly logger: CoreLogger;
  readSettings(): Promise<Settings>;
  /** The backup before an update install; true when taken, or when there is nothing to back up. */
  prepareInstall(): Promise<boolean>;
  close(): Promise<void>;
}

export async function startCoreHost(options: CoreHostOptions): Promise<CoreHost> {
  const { userDataDir } = options;
  const ownLog = options.logger
    ? null
    : await createCoreLogger({ dir: join(userDataDir, 'logs'), level: options.logLevel ?? 'info' });
  const logger = options.logger ?? ownLog!.logger;

  const key = options.tokenKey ?? (await loadOrCreateKeyFile(join(userDataDir, 'vault.key')));
  const session = await SessionManager.open({
    userDataDir,
    vault: new FileTokenVault({ file: join(userDataDir, 'tokens.enc'), key }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const conflicts = new ConflictLog(join(userDataDir, CONFLICT_LOG_FILE));
  const controller = new SyncController({
    session,
    conflicts,
    log: logger.child({ part: 'sync' }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const database = new LocalDatabase({ userDataDir, log: logger, ...options.database });
  const updates = options.updates ?? noUpdates();

  const settingsFile = join(userDataDir, 'settings.json');
  const servicesTable = createServicesTable({
    db: () => database.db,
    settingsFile,
    currency: () => session.current().clinic?.currency ?? null,
  });
  const syncTable = createSyncTable({ session, controller, conflicts });
  const updateSettings = servicesTable['settings.update'];
  const table = {
    ...servicesTable,
    ...syncTable,
    ...createPlatformTable({ database, updates }),
    ...(updateSettings &&
      ({
        'settings.update': async (input, context) => {
          const settings = await updateSettings(input, context);
          options.onSettingsChanged?.(settings);
          return settings;
        },
      } satisfies PartialServiceTable)),
    // Before the first sign-in the sign-in form offers the server this core was started with.
    'session.get': async () => {
      const current = session.get();
      return current.serverUrl ? current : { ...current, serverUrl: options.serverUrl ?? null };
    },
  };
  // TODO(SERVICES, SYNC): createServicesTable/createSyncTable return PartialServiceTable, so
  // the compiler cannot prove the union covers the contract; host.test.ts proves it at run time.
  // Once both return their exact handler objects, replace this cast with `satisfies ServiceTable`.
  const fullTable = table as ServiceTable;

  const localTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const dispatcher = createDispatcher({
    table: fullTable,
    context: (): CallContext => {
      const current = session.current();
      return {
        user: current.user,
        clinicId: current.clinic?.id ?? null,
        deviceId: current.deviceId ?? 'unregistered',
        timeZone: current.clinic?.timeZone ?? localTimeZone,
        now: () => toStoredInstant(new Date()),
      };
    },
    locked: () => session.isLocked(),
    log: logger.child({ part: 'api' }),
  });

  // The database follows the session's clinic: opened after sign-in (and at start for a
  // workstation signed in before, so it works offline), closed on sign-out. Sync follows the
  // database. One transition at a time.
  const fail = (what: string) => (error: unknown) =>
    logger.error({ error: describeErrorForLog(error) }, what);
  const clinicOf = () => session.current().clinic?.id ?? null;
  const initialClinic = clinicOf();
  if (initialClinic)
    await database.openForClinic(initialClinic).catch(fail('opening the database failed'));
  const subscriptions: Subscription[] = [
    session.session$
      .pipe(
        map(() => clinicOf()),
        distinctUntilChanged(),
        concatMap(async (clinicId) => {
          if (clinicId)
            await database.openForClinic(clinicId).catch(fail('opening the database failed'));
          else await database.close();
        }),
      )
      .subscribe(),
    database.db$
      .pipe(
        concatMap(async (db) => {
          await controller.stop().catch(fail('stopping sync failed'));
          if (db) await controller.start(db).catch(fail('starting sync failed'));
        }),
      )
      .subscribe(),
  ];

  return {
    dispatcher,
    database,
    session,
    logger,
    readSettings: () => readSettings(settingsFile),
    async prepareInstall() {
      if (!database.db) return true;
      try {
        await database.createBackup('before_update');
        return true;
      } catch (error) {
        fail('backup before update failed')(error);
        return false;
      }
    },
    async close() {
      dispatcher.closeAll();
      for (const subscription of subscriptions) subscription.unsubscribe();
      await controller.stop().catch(fail('stopping sync failed'));
      await database.close();
      conflicts.close();
      await ownLog?.close();
    },
  };
}
