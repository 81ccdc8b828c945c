// electron-updater's autoUpdater, driven by the update controller. Only packaged builds update:
// a development run has no feed configuration (app-update.yml).
import electronUpdater from 'electron-updater';
import { app } from 'electron';
import type { UpdateChannel, UpdateState } from '../../shared/api/views';
import { createUpdateController, type UpdateController } from './policy/update-controller';

export interface UpdaterOptions {
  readonly channel: UpdateChannel;
  readonly publish: (state: UpdateState) => void;
  readonly backupBeforeInstall: () => Promise<void>;
  readonly log: { info(message: string): void; warn(message: string): void };
}

export function startUpdater(options: UpdaterOptions): UpdateController | null {
  if (!app.isPackaged) {
    options.log.info('update: not a packaged build, updates are off');
    return null;
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = {
    info: (message?: unknown) => options.log.info(`updater: ${String(message)}`),
    warn: (message?: unknown) => options.log.warn(`updater: ${String(message)}`),
    error: (message?: unknown) => options.log.warn(`updater: ${String(message)}`),
  };
  const controller = createUpdateController({ updater: autoUpdater, ...options });
  controller.start();
  return controller;
}
