// Drives electron-updater by the update policy. It takes the updater as a parameter (the shell
// passes `autoUpdater`; tests pass a real AppUpdater reading a local feed), so nothing here needs
// Electron. It never interrupts work: downloads run in the background, installation happens on
// quit or when the user asks, and a local backup is taken (and acknowledged) before either.
import type { AppUpdater } from 'electron-updater';
import type { UpdateChannel, UpdateState } from '../../../shared/api/views';
import {
  ALLOW_DOWNGRADE,
  BACKUP_FAILED_MESSAGE,
  feedChannelFor,
  INITIAL_UPDATE_STATE,
  nextUpdateState,
  sameUpdateState,
  UPDATE_CHECK_INTERVAL_MS,
  type UpdaterEvent,
} from './update-policy';

/** The part of electron-updater's AppUpdater the controller uses. */
export type UpdaterLike = Pick<
  AppUpdater,
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'allowDowngrade'
  | 'channel'
  | 'checkForUpdates'
  | 'quitAndInstall'
  | 'on'
>;

export interface UpdateLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface UpdateControllerOptions {
  readonly updater: UpdaterLike;
  readonly channel: UpdateChannel;
  /** Every status change (the shell forwards it to the core, which serves live.updateStatus). */
  readonly publish: (state: UpdateState) => void;
  /** Asks the core for a local backup and resolves when it acknowledged one; rejects otherwise. */
  readonly backupBeforeInstall: () => Promise<void>;
  readonly log: UpdateLog;
  readonly intervalMs?: number;
}

export interface UpdateController {
  readonly state: UpdateState;
  /** First check now, then one every interval. */
  start(): void;
  stop(): void;
  checkNow(): Promise<void>;
  setChannel(channel: UpdateChannel): Promise<void>;
  /** `updates.installNow`: backup, then restart into the new version. False when nothing is ready. */
  installNow(): Promise<boolean>;
  /**
   * Called before the app quits: when an update is ready, takes the backup that must precede the
   * install-on-quit; if the backup fails, the install is left for a later quit.
   */
  prepareForQuit(): Promise<void>;
  /** True once the app is restarting into the new version (the quit must not be held up). */
  readonly installing: boolean;
}

export function createUpdateController(options: UpdateControllerOptions): UpdateController {
  const { updater, publish, log } = options;
  let state: UpdateState = INITIAL_UPDATE_STATE;
  let timer: ReturnType<typeof setInterval> | undefined;
  let backedUpVersion: string | undefined;
  let installing = false;

  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  applyChannel(options.channel);

  function applyChannel(channel: UpdateChannel): void {
    updater.channel = feedChannelFor(channel);
    // Setting the channel turns downgrades on inside electron-updater; the policy turns them off.
    updater.allowDowngrade = ALLOW_DOWNGRADE;
  }

  function setState(next: UpdateState): void {
    if (sameUpdateState(next, state)) return;
    state = next;
    publish(state);
  }

  function apply(event: UpdaterEvent): void {
    setState(nextUpdateState(state, event));
  }

  updater.on('checking-for-update', () => apply({ type: 'checking' }));
  updater.on('update-available', (info) => apply({ type: 'available', version: info.version }));
  updater.on('update-not-available', () => apply({ type: 'not-available' }));
  updater.on('download-progress', (progress) =>
    apply({ type: 'progress', percent: progress.percent }),
  );
  updater.on('update-downloaded', (event) => apply({ type: 'downloaded', version: event.version }));
  updater.on('error', (error) => {
    log.warn(`update: ${error.message}`);
    apply({ type: 'error' });
  });

  async function checkNow(): Promise<void> {
    if (installing) return;
    try {
      const result = await updater.checkForUpdates();
      // The background download's failure arrives as an 'error' event; the promise is not awaited.
      result?.downloadPromise?.catch(() => undefined);
    } catch {
      // Reported through the 'error' event; an unreachable feed is retried at the next interval.
    }
  }

  async function backupFor(version: string): Promise<boolean> {
    if (backedUpVersion === version) return true;
    try {
      await options.backupBeforeInstall();
      backedUpVersion = version;
      return true;
    } catch (error) {
      log.warn(`update: no backup before install (${(error as Error).message})`);
      return false;
    }
  }

  return {
    get state() {
      return state;
    },
    get installing() {
      return installing;
    },
    start() {
      if (timer) return;
      void checkNow();
      timer = setInterval(() => void checkNow(), options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    checkNow,
    async setChannel(channel) {
      applyChannel(channel);
      await checkNow();
    },
    async installNow() {
      if (state.state !== 'ready' || installing) return false;
      if (!(await backupFor(state.version))) {
        // Shown to whoever asked; the next check finds the downloaded file and is ready again.
        setState({ state: 'error', message: BACKUP_FAILED_MESSAGE });
        return false;
      }
      installing = true;
      log.info(`update: installing ${state.version} now`);
      updater.quitAndInstall(false, true);
      return true;
    },
    async prepareForQuit() {
      if (state.state !== 'ready' || installing) return;
      if (!(await backupFor(state.version))) updater.autoInstallOnAppQuit = false;
    },
  };
}
