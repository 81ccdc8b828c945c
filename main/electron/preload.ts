// The sandboxed preload: exposes exactly `window.topsmile`, the typed app API, over a MessagePort
// to the core that main hands over. Nothing else of Electron or Node reaches the page.
import { contextBridge, ipcRenderer } from 'electron';
import { createApiClient, type MessageTransport } from '../../shared/api/client';
import type { ClientMessage } from '../../shared/api/protocol';
import { CONNECT_CHANNEL, PORT_CHANNEL } from './ipc-channels';

type RendererPort = Electron.IpcRendererEvent['ports'][number];

function corePortTransport(): MessageTransport {
  let port: RendererPort | null = null;
  const queued: ClientMessage[] = [];
  const messageListeners: ((raw: unknown) => void)[] = [];
  const closeListeners: (() => void)[] = [];

  ipcRenderer.once(PORT_CHANNEL, (event) => {
    const received = event.ports[0];
    if (!received) return;
    port = received;
    received.onmessage = (message: { data: unknown }) => {
      for (const listener of messageListeners) listener(message.data);
    };
    received.addEventListener('close', () => {
      for (const listener of closeListeners) listener();
    });
    for (const message of queued.splice(0)) received.postMessage(message);
  });
  ipcRenderer.send(CONNECT_CHANNEL);

  return {
    send(message) {
      if (port) port.postMessage(message);
      else queued.push(message);
    },
    onMessage(listener) {
      messageListeners.push(listener);
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
  };
}

contextBridge.exposeInMainWorld('topsmile', createApiClient(corePortTransport()));
