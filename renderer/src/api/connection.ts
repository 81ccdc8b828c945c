// How the page reaches the app: Electron's preload puts the typed API on `window.topsmile`; in
// browser mode the page builds the same object over the loopback WebSocket of the core that
// served it, proving itself with the launch secret handed over in the address's fragment.
import {
  createApiClient,
  type MessageTransport,
  type TopSmileApi,
} from '../../../shared/api/client';
import { API_PATH, apiSubprotocols, type ClientMessage } from '../../../shared/api/protocol';

declare global {
  interface Window {
    topsmile?: TopSmileApi;
  }
}

const SECRET_KEY = 'topsmile.launchSecret';

/**
 * The launch secret from `#secret=…` (then removed from the address bar so it is not shown or
 * bookmarked), or the one this tab saved before a reload.
 */
export function takeLaunchSecret(location: Location, storage: Storage): string | null {
  const match = /^#secret=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(SECRET_KEY, match[1]);
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
    return match[1];
  }
  return storage.getItem(SECRET_KEY);
}

export interface Connection {
  readonly api: TopSmileApi;
  /** Resolves when the link to the core is gone (the page then says so). */
  readonly lost: Promise<void>;
}

function webSocketTransport(
  url: string,
  secret: string,
): { transport: MessageTransport; lost: Promise<void> } {
  const socket = new WebSocket(url, apiSubprotocols(secret));
  const queued: ClientMessage[] = [];
  const closeListeners: (() => void)[] = [];
  let markLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  socket.addEventListener('open', () => {
    for (const message of queued.splice(0)) socket.send(JSON.stringify(message));
  });
  socket.addEventListener('close', () => {
    markLost();
    for (const listener of closeListeners) listener();
  });
  return {
    lost,
    transport: {
      send(message) {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
        else queued.push(message);
      },
      onMessage(listener) {
        socket.addEventListener('message', (event) => {
          try {
            listener(JSON.parse(String(event.data)));
          } catch {
            // Not JSON: not a protocol message.
          }
        });
      },
      onClose(listener) {
        closeListeners.push(listener);
      },
    },
  };
}

/** The API of this window, or null when the page was opened without its launch secret. */
export function connect(): Connection | null {
  if (window.topsmile) return { api: window.topsmile, lost: new Promise(() => undefined) };
  const secret = takeLaunchSecret(window.location, window.sessionStorage);
  if (!secret) return null;
  const { transport, lost } = webSocketTransport(`ws://${window.location.host}${API_PATH}`, secret);
  const api = createApiClient(transport);
  window.topsmile = api;
  return { api, lost };
}
