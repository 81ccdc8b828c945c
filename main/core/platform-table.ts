// PLATFORM's methods of the app API: local backups, the local database's state (and the way out
// of a problem with it), and updates as the core relays them between the UI and Electron's main.
import { BehaviorSubject, type Observable } from 'rxjs';
import type { UpdateState } from '../../shared/api/views';
import type { LocalDatabase } from './local-database';
import { ServiceError, type PartialServiceTable } from './service-table';

/** Update state from main, and the way to ask main to install; see control-protocol.ts. */
export interface UpdateBridge {
  readonly state$: Observable<UpdateState>;
  current(): UpdateState;
  /** Asks main to restart and install the ready update; null where there is no updater. */
  readonly requestInstall: (() => void) | null;
}

/** Browser mode and tests: nothing is ever downloaded, and installing is not possible. */
export function noUpdates(): UpdateBridge & { publish(state: UpdateState): void } {
  const state = new BehaviorSubject<UpdateState>({ state: 'idle' });
  return {
    state$: state.asObservable(),
    current: () => state.value,
    requestInstall: null,
    publish: (next) => state.next(next),
  };
}

/** An update bridge fed by main's `update-status` messages. */
export function relayedUpdates(requestInstall: () => void): UpdateBridge & {
  publish(state: UpdateState): void;
} {
  const state = new BehaviorSubject<UpdateState>({ state: 'idle' });
  return {
    state$: state.asObservable(),
    current: () => state.value,
    requestInstall,
    publish: (next) => state.next(next),
  };
}

export interface PlatformTableDeps {
  readonly database: LocalDatabase;
  readonly updates: UpdateBridge;
}

export function createPlatformTable(deps: PlatformTableDeps) {
  const { database, updates } = deps;
  return {
    'backups.list': async () => database.listBackups(),
    'backups.create': async () => database.createBackup('manual'),
    'backups.restore': async ({ backupId }) => {
      await database.restoreBackup(backupId);
      return { done: true };
    },
    'database.status': async () => database.status,
    'database.setAside': async () => {
      await database.setAside();
      return { done: true };
    },
    'live.databaseStatus': () => database.status$,
    'updates.installNow': async () => {
      if (!updates.requestInstall) {
        throw new ServiceError('conflict', 'Updates are installed by the desktop app.');
      }
      if (updates.current().state !== 'ready') {
        throw new ServiceError('conflict', 'No update is ready to install yet.');
      }
      updates.requestInstall();
      return { done: true };
    },
    'live.updateStatus': () => updates.state$,
  } satisfies PartialServiceTable;
}
