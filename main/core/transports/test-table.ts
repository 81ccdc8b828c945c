// A small service table for transport tests: one public query, one signed-in query and one
// subscription whose teardown is counted, so a test can see a closed link end it.
import { Subject, Observable } from 'rxjs';
import type { SyncStatus } from '../../../shared/api/views';
import { createDispatcher } from '../dispatcher';
import type { PartialServiceTable, ServiceTable } from '../service-table';

export const TEST_SETTINGS = {
  language: 'en',
  toothNotation: 'fdi',
  updateChannel: 'stable',
  scheduleColumns: 'operatory',
} as const;

export function testDispatcher() {
  const status = new Subject<SyncStatus>();
  const live = { subscribers: 0 };
  const table: PartialServiceTable = {
    'settings.get': async () => TEST_SETTINGS,
    'patients.search': async () => ({ patients: [], truncated: false }),
    'live.syncStatus': () =>
      new Observable<SyncStatus>((observer) => {
        live.subscribers++;
        const inner = status.subscribe(observer);
        return () => {
          live.subscribers--;
          inner.unsubscribe();
        };
      }),
  };
  const dispatcher = createDispatcher({
    table: table as ServiceTable,
    context: () => ({
      user: null,
      clinicId: null,
      deviceId: 'test-device',
      timeZone: 'UTC',
      now: () => new Date().toISOString(),
    }),
    log: { debug: () => {}, error: () => {} },
  });
  return { dispatcher, status, live };
}

export const OFFLINE_STATUS: SyncStatus = {
  connection: 'offline',
  lastSyncedAt: null,
  pendingChanges: 0,
  openConflicts: 0,
  lastError: null,
  clockSkewMs: null,
  nextRetryInSeconds: 5,
};

export async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
