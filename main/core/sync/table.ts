// SYNC's methods of the app API: session.*, sync.now, conflicts.*, live.syncStatus and
// live.conflicts. Failures become ServiceErrors with messages safe to show.
import { map, startWith, type Observable } from 'rxjs';
import type { SyncConflict } from '../../../shared/api/views';
import { ServiceError, type PartialServiceTable } from '../service-table';
import { AuthRefusedError, ServerUnreachableError } from './auth-client';
import type { ConflictLog } from './conflict-log';
import { conflictView, type SyncController } from './controller';
import { SessionError, type SessionManager } from './session';

export interface SyncTableDeps {
  readonly session: SessionManager;
  readonly controller: SyncController;
  readonly conflicts: ConflictLog;
}

async function asServiceCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SessionError) {
      throw new ServiceError(error.code === 'locked' ? 'locked' : 'forbidden', error.message);
    }
    if (error instanceof AuthRefusedError) throw new ServiceError('forbidden', error.message);
    if (error instanceof ServerUnreachableError) throw new ServiceError('not_found', error.message);
    throw error;
  }
}

const DONE = { done: true } as const;

export function createSyncTable(deps: SyncTableDeps): PartialServiceTable {
  const { session, controller, conflicts } = deps;
  const openConflicts = (): SyncConflict[] => conflicts.list().map(conflictView);
  return {
    'session.get': () => Promise.resolve(session.get()),
    'session.signIn': (input) => asServiceCall(() => session.signIn(input)),
    'session.signOut': () => asServiceCall(() => session.signOut()).then(() => DONE),
    'session.lock': () => asServiceCall(() => session.lock()).then(() => DONE),
    'session.unlock': (input) => asServiceCall(() => session.unlock(input.userId, input.pin)),
    'session.setPin': (input) => asServiceCall(() => session.setPin(input.pin)).then(() => DONE),
    'sync.now': () => controller.syncNow().then(() => DONE),
    'conflicts.list': (input) =>
      Promise.resolve(
        conflicts.list({ includeResolved: input.includeResolved ?? false }).map(conflictView),
      ),
    'conflicts.resolve': async (input, context) => {
      const entry = conflicts.get(input.conflictId);
      if (!entry) throw new ServiceError('not_found', 'That conflict is not in the list.');
      if (entry.resolved) return DONE;
      await controller.resolveConflict(entry, input.keep, { userId: context.user?.id ?? null });
      return DONE;
    },
    'live.syncStatus': () => controller.status$,
    'live.conflicts': (): Observable<readonly SyncConflict[]> =>
      conflicts.changes$.pipe(
        startWith(undefined),
        map(() => openConflicts()),
      ),
  };
}
