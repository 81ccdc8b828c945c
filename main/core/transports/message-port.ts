// Desktop mode: the renderer's MessagePort, handed to the core by main, served by the dispatcher.
// Works with Electron's MessagePortMain (in the utilityProcess) and Node's worker_threads
// MessagePort (tests, benchmarks): both have postMessage/on/start/close. They differ in what a
// 'message' listener receives: Node's port gives the value, Electron's a MessageEvent `{ data }`.
import { MessagePort as NodeMessagePort } from 'node:worker_threads';
import type { MessageTransport } from '../../../shared/api/client';
import type { Dispatcher, DispatcherConnection } from '../dispatcher';

export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (received: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** The message a 'message' listener got, whichever kind of port delivered it. */
export function messageData(port: MessagePortLike, received: unknown): unknown {
  if (port instanceof NodeMessagePort) return received;
  return typeof received === 'object' && received !== null && 'data' in received
    ? (received as { data: unknown }).data
    : undefined;
}

/** Serves the app API on `port` until it closes; returns the function that closes it. */
export function serveMessagePort(port: MessagePortLike, dispatcher: Dispatcher): () => void {
  // Structured clone carries the values as they are; no JSON step, as over the WebSocket.
  const connection: DispatcherConnection = dispatcher.connect((message) =>
    port.postMessage(message),
  );
  port.on('message', (received) => connection.handle(messageData(port, received)));
  port.on('close', () => connection.close());
  port.start();
  return () => {
    connection.close();
    port.close();
  };
}

/** The renderer's side of a port as a client transport (for Node-side callers: tests, bench). */
export function messagePortClientTransport(port: MessagePortLike): MessageTransport {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.on('message', (received) => listener(messageData(port, received)));
      port.start();
    },
    onClose: (listener) => port.on('close', listener),
  };
}
