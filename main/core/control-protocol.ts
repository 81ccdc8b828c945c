// The control messages between Electron's main process and the core utilityProcess, on
// `process.parentPort` (main: `utilityProcess.postMessage` / `child.on('message')`). They are not
// the app API (main does not know the commands): only what main owns and the core must hear, and
// the other way round. Both sides parse what they receive with the functions below.
//
// main -> core
//   connect-renderer   a renderer's MessagePort is in the message's `ports[0]`; the core serves
//                      the app API on it until it closes. `windowId` is only for logs.
//   update-status      the updater's state; the core re-emits it on `live.updateStatus`.
//   prepare-install    main is about to quit and install an update (on quit, or after
//                      install-now): the core backs up the database (reason `before_update`)
//                      and answers `install-prepared` with the same requestId. Main waits for
//                      the answer (with a time limit), sends `shutdown`, then installs.
//   shutdown           close everything; the core answers `shutdown-done` and exits.
// core -> main
//   ready              the core is serving.
//   install-now        a user asked (`updates.installNow`) to restart now and install the ready
//                      update. Main then runs the prepare-install handshake and installs.
//   update-channel     the channel the settings ask for (sent at start and on change).
//   shutdown-done      answer to shutdown.
import type { UpdateChannel, UpdateState } from '../../shared/api/views';

export type MainToCoreMessage =
  | { readonly type: 'connect-renderer'; readonly windowId: number }
  | { readonly type: 'update-status'; readonly state: UpdateState }
  | { readonly type: 'prepare-install'; readonly requestId: string }
  | { readonly type: 'shutdown' };

export type CoreToMainMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'install-now' }
  | { readonly type: 'update-channel'; readonly channel: UpdateChannel }
  | {
      readonly type: 'install-prepared';
      readonly requestId: string;
      /** False when the backup failed; main may still install (the data file is intact). */
      readonly backedUp: boolean;
    }
  | { readonly type: 'shutdown-done' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UPDATE_STATES = ['idle', 'checking', 'available', 'downloading', 'ready', 'error'];

function isUpdateState(value: unknown): value is UpdateState {
  if (!isRecord(value) || !UPDATE_STATES.includes(value.state as string)) return false;
  switch (value.state) {
    case 'available':
    case 'ready':
      return typeof value.version === 'string';
    case 'downloading':
      return typeof value.version === 'string' && typeof value.percent === 'number';
    case 'error':
      return typeof value.message === 'string';
    default:
      return true;
  }
}

/** What the core received from main; anything else is `null`. */
export function parseMainToCore(raw: unknown): MainToCoreMessage | null {
  if (!isRecord(raw)) return null;
  switch (raw.type) {
    case 'connect-renderer':
      return typeof raw.windowId === 'number' ? { type: raw.type, windowId: raw.windowId } : null;
    case 'update-status':
      return isUpdateState(raw.state) ? { type: raw.type, state: raw.state } : null;
    case 'prepare-install':
      return typeof raw.requestId === 'string'
        ? { type: raw.type, requestId: raw.requestId }
        : null;
    case 'shutdown':
      return { type: raw.type };
    default:
      return null;
  }
}

/** What main received from the core; anything else is `null`. */
export function parseCoreToMain(raw: unknown): CoreToMainMessage | null {
  if (!isRecord(raw)) return null;
  switch (raw.type) {
    case 'ready':
    case 'install-now':
    case 'shutdown-done':
      return { type: raw.type };
    case 'update-channel':
      return raw.channel === 'stable' || raw.channel === 'beta'
        ? { type: raw.type, channel: raw.channel }
        : null;
    case 'install-prepared':
      return typeof raw.requestId === 'string' && typeof raw.backedUp === 'boolean'
        ? { type: raw.type, requestId: raw.requestId, backedUp: raw.backedUp }
        : null;
    default:
      return null;
  }
}
