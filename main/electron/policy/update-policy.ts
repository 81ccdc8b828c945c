// The update rules, without Electron: when to check, which feed channel, whether a downgrade is
// allowed, and how electron-updater's events become the UpdateState the UI shows.
import type { UpdateChannel, UpdateState } from '../../../shared/api/views';

/** Checks at start and then every four hours. */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

/** The feed file electron-updater reads for a settings channel (`latest*.yml`, `beta*.yml`). */
export function feedChannelFor(channel: UpdateChannel): 'latest' | 'beta' {
  return channel === 'beta' ? 'beta' : 'latest';
}

/**
 * Never installs an older version, even when a workstation leaves the beta channel: its local
 * database may already carry a newer schema than the older app understands. It stays on its beta
 * build until the stable channel passes it.
 */
export const ALLOW_DOWNGRADE = false;

/** What electron-updater reported, reduced to what the status needs. */
export type UpdaterEvent =
  | { readonly type: 'checking' }
  | { readonly type: 'available'; readonly version: string }
  | { readonly type: 'not-available' }
  | { readonly type: 'progress'; readonly percent: number }
  | { readonly type: 'downloaded'; readonly version: string }
  | { readonly type: 'error' };

export const INITIAL_UPDATE_STATE: UpdateState = { state: 'idle' };

export const BACKUP_FAILED_MESSAGE =
  'The update was not installed because the backup before it failed. TopSmile will try again.';

export const DOWNLOAD_FAILED_MESSAGE =
  'The update could not be downloaded. TopSmile will try again later.';

function versionOf(state: UpdateState): string | undefined {
  return state.state === 'available' || state.state === 'downloading' || state.state === 'ready'
    ? state.version
    : undefined;
}

/**
 * The next status. A background check never hides a download in progress or an update that is
 * ready, and a failed check (the clinic is offline) is not an error worth showing: it goes back to
 * idle and the next check tries again. A failed download is shown.
 */
export function nextUpdateState(previous: UpdateState, event: UpdaterEvent): UpdateState {
  switch (event.type) {
    case 'checking':
      return previous.state === 'idle' || previous.state === 'error'
        ? { state: 'checking' }
        : previous;
    case 'available':
      if (previous.state === 'ready' && previous.version === event.version) return previous;
      if (previous.state === 'downloading' && previous.version === event.version) return previous;
      return { state: 'available', version: event.version };
    case 'not-available':
      return previous.state === 'checking' ? INITIAL_UPDATE_STATE : previous;
    case 'progress': {
      const version = versionOf(previous);
      if (version === undefined || previous.state === 'ready') return previous;
      // Floor: 100 % is shown only once the file is verified and the state is `ready`.
      const percent = Math.min(99, Math.max(0, Math.floor(event.percent)));
      return { state: 'downloading', version, percent };
    }
    case 'downloaded':
      return { state: 'ready', version: event.version };
    case 'error':
      if (previous.state === 'available' || previous.state === 'downloading') {
        return { state: 'error', message: DOWNLOAD_FAILED_MESSAGE };
      }
      return previous.state === 'ready' ? previous : INITIAL_UPDATE_STATE;
  }
}

export function sameUpdateState(a: UpdateState, b: UpdateState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
