// A Node-side client of the browser-mode host, as the renderer page would connect: for tests,
// benchmarks and scripts. The page itself builds the same thing on the browser's WebSocket.
import WebSocket from 'ws';
import type { MessageTransport } from '../../../shared/api/client';
import { apiSubprotocols } from './websocket-host';

export interface WebSocketClientLink {
  readonly transport: MessageTransport;
  close(): Promise<void>;
}

export function connectApiWebSocket(options: {
  readonly apiUrl: string;
  readonly secret: string;
  /** The Origin header to send; a page served by the host sends the host's own origin. */
  readonly origin: string;
}): Promise<WebSocketClientLink> {
  const ws = new WebSocket(options.apiUrl, apiSubprotocols(options.secret), {
    origin: options.origin,
  });
  const closeListeners: (() => void)[] = [];
  ws.on('close', () => closeListeners.forEach((listener) => listener()));
  const transport: MessageTransport = {
    send: (message) => ws.send(JSON.stringify(message)),
    onMessage: (listener) =>
      ws.on('message', (data) => {
        try {
          listener(JSON.parse(data.toString()));
        } catch {
          // Not JSON: not a protocol message.
        }
      }),
    onClose: (listener) => closeListeners.push(listener),
  };
  return new Promise((resolveOpen, rejectOpen) => {
    ws.once('open', () =>
      resolveOpen({
        transport,
        close: () =>
          new Promise((resolveClose) => {
            if (ws.readyState === ws.CLOSED) return resolveClose();
            ws.once('close', () => resolveClose());
            ws.close();
          }),
      }),
    );
    ws.once('unexpected-response', (_request, response) => {
      rejectOpen(new Error(`WebSocket refused with HTTP ${response.statusCode}`));
      ws.terminate();
    });
    ws.once('error', rejectOpen);
  });
}
