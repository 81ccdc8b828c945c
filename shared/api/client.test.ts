import { describe, expect, it } from 'vitest';
import { createApiClient, type MessageTransport } from './client';
import { ApiError, parseClientMessage, type ClientMessage, type ServerMessage } from './protocol';

/** A transport whose far end is a test-controlled peer, as a MessagePort pair would be. */
function linkedTransport() {
  const sent: ClientMessage[] = [];
  let deliver: (raw: unknown) => void = () => {};
  let closeLink: () => void = () => {};
  const transport: MessageTransport = {
    send: (message) => sent.push(message),
    onMessage: (listener) => (deliver = listener),
    onClose: (listener) => (closeLink = listener),
  };
  return {
    transport,
    sent,
    reply: (message: ServerMessage | unknown) => deliver(message),
    close: () => closeLink(),
  };
}

describe('createApiClient', () => {
  it('resolves a call with the value the core answered', async () => {
    const link = linkedTransport();
    const api = createApiClient(link.transport);
    const answer = api.call('patients.search', { text: 'mor' });
    expect(link.sent).toEqual([
      { type: 'call', id: 1, method: 'patients.search', input: { text: 'mor' } },
    ]);
    link.reply({ type: 'result', id: 1, ok: true, value: { patients: [], truncated: false } });
    await expect(answer).resolves.toEqual({ patients: [], truncated: false });
  });

  it('rejects with an ApiError carrying the code and the field issues', async () => {
    const link = linkedTransport();
    const api = createApiClient(link.transport);
    const answer = api.call('session.setPin', { pin: '1' });
    const issues = [{ field: 'pin', message: 'PIN must be 4 to 8 digits' }];
    link.reply({
      type: 'result',
      id: 1,
      ok: false,
      error: { code: 'invalid_input', message: 'PIN must be 4 to 8 digits.', issues },
    });
    const error = await answer.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid_input', issues });
  });

  it('matches answers to calls by id, whatever their order', async () => {
    const link = linkedTransport();
    const api = createApiClient(link.transport);
    const first = api.call('settings.get', {});
    const second = api.call('session.get', {});
    link.reply({ type: 'result', id: 2, ok: true, value: 'second' });
    link.reply({ type: 'result', id: 1, ok: true, value: 'first' });
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
  });

  it('delivers subscription events until unsubscribed', () => {
    const link = linkedTransport();
    const api = createApiClient(link.transport);
    const seen: unknown[] = [];
    const errors: ApiError[] = [];
    const stop = api.subscribe(
      'live.syncStatus',
      {},
      (value) => seen.push(value),
      (error) => errors.push(error),
    );
    link.reply({ type: 'event', id: 1, value: 'a' });
    link.reply({ type: 'event-error', id: 1, error: { code: 'internal', message: 'x' } });
    link.reply({ type: 'event', id: 1, value: 'b' });
    stop();
    link.reply({ type: 'event', id: 1, value: 'c' });
    expect(seen).toEqual(['a', 'b']);
    expect(errors.map((error) => error.code)).toEqual(['internal']);
    expect(link.sent.at(-1)).toEqual({ type: 'unsubscribe', id: 1 });
  });

  it('fails pending calls when the link closes instead of hanging', async () => {
    const link = linkedTransport();
    const api = createApiClient(link.transport);
    const answer = api.call('lists.get', {});
    link.close();
    await expect(answer).rejects.toMatchObject({ code: 'internal' });
  });

  it('ignores malformed messages from the far end', async () => {
    const link = linkedTransport();
    const api = createApiClient(link.transport);
    const answer = api.call('lists.get', {});
    link.reply('garbage');
    link.reply({ type: 'result', id: 1, ok: false, error: { code: 'made_up', message: 'x' } });
    link.reply({ type: 'result', id: 1, ok: true, value: 42 });
    await expect(answer).resolves.toBe(42);
  });
});

describe('parseClientMessage', () => {
  it('accepts the three message kinds and drops anything else', () => {
    expect(parseClientMessage({ type: 'call', id: 3, method: 'lists.get' })).toEqual({
      type: 'call',
      id: 3,
      method: 'lists.get',
      input: {},
    });
    expect(parseClientMessage({ type: 'unsubscribe', id: 3 })).toEqual({
      type: 'unsubscribe',
      id: 3,
    });
    expect(parseClientMessage({ type: 'call', id: 1.5, method: 'x' })).toBeNull();
    expect(parseClientMessage({ type: 'eval', id: 1, method: 'x' })).toBeNull();
    expect(parseClientMessage(null)).toBeNull();
  });
});
