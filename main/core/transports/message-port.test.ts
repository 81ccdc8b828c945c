import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../../shared/api/client';
import type { SyncStatus } from '../../../shared/api/views';
import { messageData, messagePortClientTransport, serveMessagePort } from './message-port';
import { OFFLINE_STATUS, TEST_SETTINGS, testDispatcher, waitFor } from './test-table';

describe('MessagePort transport', () => {
  it('serves calls and subscriptions over a real MessageChannel', async () => {
    const core = testDispatcher();
    const { port1, port2 } = new MessageChannel();
    serveMessagePort(port1, core.dispatcher);
    const api = createApiClient(messagePortClientTransport(port2));

    await expect(api.call('settings.get', {})).resolves.toEqual(TEST_SETTINGS);
    await expect(api.call('patients.search', { text: 'a' })).rejects.toMatchObject({
      code: 'not_signed_in',
    });

    const seen: SyncStatus[] = [];
    const stop = api.subscribe('live.syncStatus', {}, (value) => seen.push(value));
    await waitFor(() => core.live.subscribers === 1);
    core.status.next(OFFLINE_STATUS);
    await waitFor(() => seen.length === 1);
    stop();
    await waitFor(() => core.live.subscribers === 0);
    port2.close();
  });

  it('ends the subscriptions of a port when the other side closes it', async () => {
    const core = testDispatcher();
    const { port1, port2 } = new MessageChannel();
    serveMessagePort(port1, core.dispatcher);
    const api = createApiClient(messagePortClientTransport(port2));
    api.subscribe('live.syncStatus', {}, () => {});
    await waitFor(() => core.live.subscribers === 1);
    port2.close();
    await waitFor(() => core.live.subscribers === 0);
  });

  it('unwraps an Electron-style MessageEvent and a Node port value alike', () => {
    const { port1, port2 } = new MessageChannel();
    const electronLike = {
      postMessage: () => {},
      on: () => electronLike,
      start: () => {},
      close: () => {},
    };
    expect(messageData(port1, { type: 'call' })).toEqual({ type: 'call' });
    expect(messageData(electronLike, { data: { type: 'call' }, ports: [] })).toEqual({
      type: 'call',
    });
    expect(messageData(electronLike, 'garbage')).toBeUndefined();
    port1.close();
    port2.close();
  });
});
