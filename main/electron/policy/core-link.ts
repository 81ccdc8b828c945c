// Main's side of the control protocol with the core process (main/core/control-protocol.ts),
// over whatever carries it (Electron's UtilityProcess; a Node child in tests). Main hands ports
// over and runs the update handshakes; it never sees an app API message.
import { randomUUID } from 'node:crypto';
import type { UpdateChannel, UpdateState } from '../../../shared/api/views';
import {
  parseCoreToMain,
  type CoreToMainMessage,
  type MainToCoreMessage,
} from '../../core/control-protocol';

export interface CoreChannel<Port> {
  post(message: MainToCoreMessage, ports?: Port[]): void;
  onMessage(listener: (raw: unknown) => void): void;
}

export interface CoreEvents {
  onReady?(): void;
  onInstallNow?(): void;
  onUpdateChannel?(channel: UpdateChannel): void;
}

export interface CoreLink<Port> {
  connectRenderer(windowId: number, port: Port): void;
  publishUpdateStatus(state: UpdateState): void;
  /** Asks for the backup that precedes an update; resolves true when the core took one. */
  prepareInstall(timeoutMs: number): Promise<boolean>;
  /** Asks the core to close its database and exit; resolves when it answered or the time is up. */
  shutdown(timeoutMs: number): Promise<boolean>;
}

export function createCoreLink<Port>(
  channel: CoreChannel<Port>,
  events: CoreEvents,
): CoreLink<Port> {
  const waiting = new Set<(message: CoreToMainMessage) => void>();

  channel.onMessage((raw) => {
    const message = parseCoreToMain(raw);
    if (!message) return;
    for (const listener of [...waiting]) listener(message);
    if (message.type === 'ready') events.onReady?.();
    else if (message.type === 'install-now') events.onInstallNow?.();
    else if (message.type === 'update-channel') events.onUpdateChannel?.(message.channel);
  });

  function waitFor<T>(
    pick: (message: CoreToMainMessage) => T | undefined,
    timeoutMs: number,
    onTimeout: T,
  ): Promise<T> {
    return new Promise((resolve) => {
      const done = (value: T): void => {
        clearTimeout(timer);
        waiting.delete(listener);
        resolve(value);
      };
      const listener = (message: CoreToMainMessage): void => {
        const value = pick(message);
        if (value !== undefined) done(value);
      };
      const timer = setTimeout(() => done(onTimeout), timeoutMs);
      waiting.add(listener);
    });
  }

  return {
    connectRenderer(windowId, port) {
      channel.post({ type: 'connect-renderer', windowId }, [port]);
    },
    publishUpdateStatus(state) {
      channel.post({ type: 'update-status', state });
    },
    prepareInstall(timeoutMs) {
      const requestId = randomUUID();
      const answer = waitFor(
        (message) =>
          message.type === 'install-prepared' && message.requestId === requestId
            ? message.backedUp
            : undefined,
        timeoutMs,
        false,
      );
      channel.post({ type: 'prepare-install', requestId });
      return answer;
    },
    shutdown(timeoutMs) {
      const answer = waitFor(
        (message) => (message.type === 'shutdown-done' ? true : undefined),
        timeoutMs,
        false,
      );
      channel.post({ type: 'shutdown' });
      return answer;
    },
  };
}
