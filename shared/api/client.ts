// The typed `window.topsmile` object, built over any transport that moves protocol messages.
// Electron's preload and the browser-mode page both build it here, so calls, subscriptions and
// errors behave the same in both.
import type { CallableMethod, InputOf, OutputOf, SubscriptionMethod } from './contract';
import { ApiError, parseServerMessage, type ClientMessage } from './protocol';

export interface TopSmileApi {
  call<M extends CallableMethod>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  /** Emits the current value, then each new one; returns the function that stops it. */
  subscribe<M extends SubscriptionMethod>(
    method: M,
    input: InputOf<M>,
    onValue: (value: OutputOf<M>) => void,
    onError?: (error: ApiError) => void,
  ): () => void;
}

/** What a transport provides: send a message, and deliver each one received. */
export interface MessageTransport {
  send(message: ClientMessage): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** Called by the transport when the link is gone: pending calls fail, not hang. */
  onClose?(listener: () => void): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: ApiError): void;
}

interface Subscriber {
  onValue(value: unknown): void;
  onError?: ((error: ApiError) => void) | undefined;
}

export function createApiClient(transport: MessageTransport): TopSmileApi {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const subscribers = new Map<number, Subscriber>();

  transport.onMessage((raw) => {
    const message = parseServerMessage(raw);
    if (!message) return;
    if (message.type === 'result') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new ApiError(message.error));
      return;
    }
    const subscriber = subscribers.get(message.id);
    if (!subscriber) return;
    if (message.type === 'event') subscriber.onValue(message.value);
    else subscriber.onError?.(new ApiError(message.error));
  });

  transport.onClose?.(() => {
    const gone = new ApiError({ code: 'internal', message: 'The connection to the app was lost.' });
    for (const call of pending.values()) call.reject(gone);
    pending.clear();
    for (const subscriber of subscribers.values()) subscriber.onError?.(gone);
  });

  return {
    call(method, input) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        transport.send({ type: 'call', id, method, input });
      });
    },
    subscribe(method, input, onValue, onError) {
      const id = nextId++;
      subscribers.set(id, { onValue: onValue as (value: unknown) => void, onError });
      transport.send({ type: 'subscribe', id, method, input });
      return () => {
        if (subscribers.delete(id)) transport.send({ type: 'unsubscribe', id });
      };
    },
  };
}
