// Serves the app API table over any transport: a transport only moves protocol messages in and
// out, the dispatcher parses them, checks who may call what, validates the input against the
// contract, runs the handler and answers. One table, one dispatcher, every transport.
import type { Subscription } from 'rxjs';
import {
  appApi,
  isMethodName,
  type CallableMethod,
  type MethodName,
  type SubscriptionMethod,
} from '../../shared/api/contract';
import { parseClientMessage, type ServerMessage } from '../../shared/api/protocol';
import { validateApiInput } from '../../shared/api/validate-input';
import type { ApiErrorBody } from '../../shared/api/views';
import { ValidationError } from '../../shared/domain/validation';
import { describeErrorForLog } from './logging/safe-error';
import {
  ServiceError,
  type CallContext,
  type QueryOrCommandHandler,
  type ServiceTable,
  type SubscriptionHandler,
} from './service-table';

/** The few logger methods the dispatcher uses; a pino logger fits. */
export interface DispatcherLog {
  debug(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface DispatcherOptions {
  readonly table: ServiceTable;
  /** Who is calling, read at every call (the session may change between two calls). */
  readonly context: () => CallContext;
  /** A locked workstation answers only public methods. Absent: never locked. */
  readonly locked?: () => boolean;
  readonly log: DispatcherLog;
}

export type Reply = (message: ServerMessage) => void;

/** One transport connection: its subscriptions end when it closes. */
export interface DispatcherConnection {
  handle(raw: unknown): void;
  close(): void;
}

export interface Dispatcher {
  /** A transport calls this once per connection (WebSocket, MessagePort). */
  connect(reply: Reply): DispatcherConnection;
  /**
   * Handles one message; `reply` stands for the connection (subscription ids are scoped to it),
   * so pass the same function for every message of one connection.
   */
  handle(raw: unknown, reply: Reply): void;
  /** Ends every subscription of every connection (the core is shutting down). */
  closeAll(): void;
}

const GENERIC_FAILURE = 'Something went wrong in the app. The error was logged; please try again.';

class CallRefused extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { table, log } = options;
  const connections = new Set<DispatcherConnection>();
  const byReply = new Map<Reply, DispatcherConnection>();

  function errorBody(method: string, error: unknown): ApiErrorBody {
    if (error instanceof CallRefused) return error.body;
    if (error instanceof ValidationError) {
      return { code: 'invalid_input', message: error.message, issues: error.issues };
    }
    if (error instanceof ServiceError) return { code: error.code, message: error.message };
    log.error({ method, error: describeErrorForLog(error) }, 'app API handler failed');
    return { code: 'internal', message: GENERIC_FAILURE };
  }

  /** Everything checked before a handler runs; throws CallRefused. Returns the validated input. */
  function admit(
    method: string,
    kind: 'call' | 'subscribe',
    input: unknown,
    context: CallContext,
  ): [MethodName, unknown] {
    if (!isMethodName(method) || !table[method]) {
      throw new CallRefused({
        code: 'unknown_method',
        message: 'The app does not know this request.',
      });
    }
    const endpoint = appApi[method] as (typeof appApi)[MethodName] & {
      readonly public?: boolean;
      readonly roles?: readonly string[];
    };
    if ((endpoint.kind === 'subscription') !== (kind === 'subscribe')) {
      throw new CallRefused({
        code: 'unknown_method',
        message:
          kind === 'call'
            ? 'This request is a subscription: subscribe to it.'
            : 'This request is not a subscription: call it.',
      });
    }
    if (!endpoint.public) {
      const { user } = context;
      if (!user) throw new CallRefused({ code: 'not_signed_in', message: 'Please sign in first.' });
      if (options.locked?.()) {
        throw new CallRefused({ code: 'locked', message: 'The workstation is locked.' });
      }
      if (endpoint.roles && !endpoint.roles.includes(user.role)) {
        throw new CallRefused({
          code: 'forbidden',
          message: 'Your role does not allow this. Ask an administrator.',
        });
      }
    }
    const checked = validateApiInput(method, input);
    if (!checked.ok) throw new ValidationError(checked.issues);
    return [method, checked.value];
  }

  function connect(reply: Reply): DispatcherConnection {
    let open = true;
    const subscriptions = new Map<number, Subscription>();
    const send = (message: ServerMessage) => {
      if (!open) return;
      try {
        reply(message);
      } catch (error) {
        log.debug({ error: describeErrorForLog(error) }, 'app API reply could not be sent');
      }
    };

    function call(id: number, method: string, input: unknown): void {
      let answer: Promise<unknown>;
      try {
        const context = options.context();
        const [name, value] = admit(method, 'call', input, context);
        const handler = table[name as CallableMethod] as QueryOrCommandHandler<CallableMethod>;
        answer = handler(value as never, context);
      } catch (error) {
        answer = Promise.reject(error);
      }
      answer.then(
        (value) => send({ type: 'result', id, ok: true, value }),
        (error: unknown) =>
          send({ type: 'result', id, ok: false, error: errorBody(method, error) }),
      );
    }

    function subscribe(id: number, method: string, input: unknown): void {
      subscriptions.get(id)?.unsubscribe();
      subscriptions.delete(id);
      try {
        const context = options.context();
        const [name, value] = admit(method, 'subscribe', input, context);
        const handler = table[
          name as SubscriptionMethod
        ] as SubscriptionHandler<SubscriptionMethod>;
        const subscription = handler(value as never, context).subscribe({
          next: (event) => send({ type: 'event', id, value: event }),
          error: (error: unknown) => {
            subscriptions.delete(id);
            send({ type: 'event-error', id, error: errorBody(method, error) });
          },
          complete: () => subscriptions.delete(id),
        });
        // A synchronous error or completion already ended it; keep only live ones.
        if (!subscription.closed && open) subscriptions.set(id, subscription);
        else if (!open) subscription.unsubscribe();
      } catch (error) {
        send({ type: 'event-error', id, error: errorBody(method, error) });
      }
    }

    const connection: DispatcherConnection = {
      handle(raw) {
        if (!open) return;
        const message = parseClientMessage(raw);
        if (!message) {
          log.debug({}, 'malformed app API message dropped');
          return;
        }
        if (message.type === 'call') call(message.id, message.method, message.input);
        else if (message.type === 'subscribe') subscribe(message.id, message.method, message.input);
        else {
          subscriptions.get(message.id)?.unsubscribe();
          subscriptions.delete(message.id);
        }
      },
      close() {
        if (!open) return;
        open = false;
        for (const subscription of subscriptions.values()) subscription.unsubscribe();
        subscriptions.clear();
        connections.delete(connection);
        for (const [key, value] of byReply) if (value === connection) byReply.delete(key);
      },
    };
    connections.add(connection);
    return connection;
  }

  return {
    connect,
    handle(raw, reply) {
      let connection = byReply.get(reply);
      if (!connection) {
        connection = connect(reply);
        byReply.set(reply, connection);
      }
      connection.handle(raw);
    },
    closeAll() {
      for (const connection of [...connections]) connection.close();
    },
  };
}
