// Main's half of the control protocol, against a core stand-in that parses with the core's own
// parser (the real core needs Electron's utilityProcess parentPort, which only the GitHub Actions
// Electron job has).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  parseMainToCore,
  type CoreToMainMessage,
  type MainToCoreMessage,
} from '../../core/control-protocol';
import { createCoreLink } from './core-link';

function pair(answer: (message: MainToCoreMessage, reply: (m: CoreToMainMessage) => void) => void) {
  const toMain = new EventEmitter();
  const received: { message: MainToCoreMessage; ports: string[] }[] = [];
  const reply = (message: CoreToMainMessage) => setImmediate(() => toMain.emit('message', message));
  const channel = {
    post(raw: MainToCoreMessage, ports: string[] = []) {
      const message = parseMainToCore(raw);
      if (!message) throw new Error('main sent a message the core cannot parse');
      received.push({ message, ports });
      answer(message, reply);
    },
    onMessage(listener: (raw: unknown) => void) {
      toMain.on('message', listener);
    },
  };
  return { channel, received, send: (raw: unknown) => toMain.emit('message', raw) };
}

describe('core link', () => {
  it('hands a renderer port over with its window id and relays update status', () => {
    const { channel, received } = pair(() => undefined);
    const link = createCoreLink(channel, {});
    link.connectRenderer(7, 'port-of-window-7');
    link.publishUpdateStatus({ state: 'downloading', version: '1.2.0', percent: 40 });
    expect(received).toEqual([
      { message: { type: 'connect-renderer', windowId: 7 }, ports: ['port-of-window-7'] },
      {
        message: {
          type: 'update-status',
          state: { state: 'downloading', version: '1.2.0', percent: 40 },
        },
        ports: [],
      },
    ]);
  });

  it('waits for the backup answer to its own request', async () => {
    const { channel } = pair((message, reply) => {
      if (message.type !== 'prepare-install') return;
      reply({ type: 'install-prepared', requestId: 'someone-else', backedUp: false });
      reply({ type: 'install-prepared', requestId: message.requestId, backedUp: true });
    });
    expect(await createCoreLink(channel, {}).prepareInstall(2_000)).toBe(true);
  });

  it('reports a failed or missing backup as not backed up', async () => {
    const failing = pair((message, reply) => {
      if (message.type === 'prepare-install') {
        reply({ type: 'install-prepared', requestId: message.requestId, backedUp: false });
      }
    });
    expect(await createCoreLink(failing.channel, {}).prepareInstall(2_000)).toBe(false);
    const silent = pair(() => undefined);
    const started = Date.now();
    expect(await createCoreLink(silent.channel, {}).prepareInstall(100)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('shuts the core down and tells whether it answered in time', async () => {
    const answering = pair((message, reply) => {
      if (message.type === 'shutdown') reply({ type: 'shutdown-done' });
    });
    expect(await createCoreLink(answering.channel, {}).shutdown(2_000)).toBe(true);
    expect(await createCoreLink(pair(() => undefined).channel, {}).shutdown(50)).toBe(false);
  });

  it('passes the core events on and ignores malformed messages', () => {
    const { channel, send } = pair(() => undefined);
    const seen: string[] = [];
    createCoreLink(channel, {
      onReady: () => seen.push('ready'),
      onInstallNow: () => seen.push('install-now'),
      onUpdateChannel: (updateChannel) => seen.push(`channel:${updateChannel}`),
    });
    send({ type: 'ready' });
    send({ type: 'update-channel', channel: 'beta' });
    send({ type: 'update-channel', channel: 'nightly' });
    send({ type: 'install-now' });
    send('install-now');
    send(null);
    expect(seen).toEqual(['ready', 'channel:beta', 'install-now']);
  });
});
