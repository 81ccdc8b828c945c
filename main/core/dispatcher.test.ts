import { Observable, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/api/protocol';
import type { SessionUser } from '../../shared/api/views';
import { ValidationError } from '../../shared/domain/validation';
import { createDispatcher, type DispatcherLog } from './dispatcher';
import {
  ServiceError,
  type CallContext,
  type PartialServiceTable,
  type ServiceTable,
} from './service-table';

const dentist: SessionUser = {
  id: 'u-1',
  name: 'Dr Test',
  email: 'dr@example.com',
  role: 'dentist',
  providerId: null,
};

function contextFor(user: SessionUser | null): CallContext {
  return {
    user,
    clinicId: user ? 'c-1' : null,
    deviceId: 'd-1',
    timeZone: 'UTC',
    now: () => '2026-01-01T00:00:00.000Z',
  };
}

const settings = {
  language: 'en',
  toothNotation: 'fdi',
  updateChannel: 'stable',
  scheduleColumns: 'operatory',
} as const;

function setup(table: PartialServiceTable, user: SessionUser | null = dentist, locked = false) {
  const logged: { details: object; message: string }[] = [];
  const log: DispatcherLog = {
    debug: () => {},
    error: (details, message) => logged.push({ details, message }),
  };
  const state = { user, locked };
  const dispatcher = createDispatcher({
    table: table as ServiceTable,
    context: () => contextFor(state.user),
    locked: () => state.locked,
    log,
  });
  const received: ServerMessage[] = [];
  const connection = dispatcher.connect((message) => received.push(message));
  /** Sends one message and waits for the handler's promise to settle. */
  const send = async (raw: unknown) => {
    connection.handle(raw);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { dispatcher, connection, received, logged, state, send };
}

const call = (id: number, method: string, input: unknown = {}) => ({
  type: 'call',
  id,
  method,
  input,
});

describe('dispatcher calls', () => {
  it('runs the handler with the validated input and the caller context', async () => {
    const seen: unknown[] = [];
    const t = setup({
      'patients.search': async (input, context) => {
        seen.push(input, context.user?.id);
        return { patients: [], truncated: false };
      },
    });
    await t.send(call(7, 'patients.search', { text: 'mor', limit: 5 }));
    expect(t.received).toEqual([
      { type: 'result', id: 7, ok: true, value: { patients: [], truncated: false } },
    ]);
    expect(seen).toEqual([{ text: 'mor', limit: 5 }, 'u-1']);
  });

  it('answers unknown methods and wrong kinds with unknown_method', async () => {
    const t = setup({ 'live.syncStatus': () => new Subject() });
    await t.send(call(1, 'patients.drop'));
    await t.send(call(2, 'toString'));
    await t.send(call(3, 'live.syncStatus'));
    await t.send(call(4, 'settings.get')); // in the contract, but no handler in this table
    expect(t.received.map((m) => m.type === 'result' && !m.ok && m.error.code)).toEqual([
      'unknown_method',
      'unknown_method',
      'unknown_method',
      'unknown_method',
    ]);
  });

  it('refuses invalid input with one issue per field, before the handler runs', async () => {
    let ran = false;
    const t = setup({
      'session.setPin': async () => {
        ran = true;
        return { done: true };
      },
    });
    await t.send(call(1, 'session.setPin', { pin: '12', extra: 1 }));
    const [answer] = t.received;
    expect(ran).toBe(false);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (answer?.type !== 'result' || answer.ok) throw new Error('expected a refusal');
    expect(answer.error.issues?.map((issue) => issue.field).sort()).toEqual(['extra', 'pin']);
  });

  it('lets only public methods run before sign-in', async () => {
    const t = setup(
      {
        'settings.get': async () => settings,
        'patients.search': async () => ({ patients: [], truncated: false }),
      },
      null,
    );
    await t.send(call(1, 'settings.get'));
    await t.send(call(2, 'patients.search', { text: 'a' }));
    expect(t.received[0]).toMatchObject({ ok: true, value: settings });
    expect(t.received[1]).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });

  it('lets only public methods run while locked', async () => {
    const t = setup(
      {
        'settings.get': async () => settings,
        'patients.search': async () => ({ patients: [], truncated: false }),
      },
      dentist,
      true,
    );
    await t.send(call(1, 'settings.get'));
    await t.send(call(2, 'patients.search', { text: 'a' }));
    t.state.locked = false;
    await t.send(call(3, 'patients.search', { text: 'a' }));
    expect(t.received.map((m) => (m.type === 'result' && !m.ok ? m.error.code : 'ok'))).toEqual([
      'ok',
      'locked',
      'ok',
    ]);
  });

  it('enforces the roles of the contract', async () => {
    const t = setup({ 'notes.sign': async () => ({ done: true }) });
    await t.send(call(1, 'notes.sign', { noteId: 'n-1' }));
    t.state.user = { ...dentist, role: 'front_desk' };
    await t.send(call(2, 'notes.sign', { noteId: 'n-1' }));
    expect(t.received[0]).toMatchObject({ ok: true });
    expect(t.received[1]).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('maps handler failures, and logs unexpected ones without their message', async () => {
    const t = setup({
      'patients.get': async ({ patientId }) => {
        if (patientId === 'invalid') throw new ValidationError([{ field: 'x', message: 'x bad' }]);
        if (patientId === 'missing') throw new ServiceError('not_found', 'No such patient.');
        throw new TypeError('cannot read Maria Silva born 1980-02-03');
      },
    });
    await t.send(call(1, 'patients.get', { patientId: 'invalid' }));
    await t.send(call(2, 'patients.get', { patientId: 'missing' }));
    await t.send(call(3, 'patients.get', { patientId: 'boom' }));
    expect(t.received[0]).toMatchObject({
      error: { code: 'invalid_input', issues: [{ field: 'x', message: 'x bad' }] },
    });
    expect(t.received[1]).toMatchObject({
      error: { code: 'not_found', message: 'No such patient.' },
    });
    expect(t.received[2]).toMatchObject({ error: { code: 'internal' } });
    expect(JSON.stringify(t.received[2])).not.toContain('Maria');
    expect(t.logged).toHaveLength(1);
    expect(t.logged[0]?.details).toMatchObject({
      method: 'patients.get',
      error: { type: 'TypeError' },
    });
    const logText = JSON.stringify(t.logged);
    expect(logText).not.toContain('Maria');
    expect(logText).not.toContain('1980');
    expect(logText).toContain('dispatcher.test.ts'); // the frames are kept
  });

  it('turns a synchronous throw into an answer, not a crash', async () => {
    const t = setup({
      'lists.get': () => {
        throw new ServiceError('conflict', 'Not now.');
      },
    });
    await t.send(call(1, 'lists.get'));
    expect(t.received).toEqual([
      { type: 'result', id: 1, ok: false, error: { code: 'conflict', message: 'Not now.' } },
    ]);
  });

  it('drops malformed messages', async () => {
    const t = setup({ 'settings.get': async () => settings });
    await t.send('hello');
    await t.send({ type: 'call', id: 'x', method: 'settings.get' });
    await t.send(null);
    expect(t.received).toEqual([]);
  });
});

describe('dispatcher subscriptions', () => {
  function liveTable() {
    const status = new Subject<never>();
    let active = 0;
    const table: PartialServiceTable = {
      'live.syncStatus': () =>
        new Observable((observer) => {
          active++;
          const inner = status.subscribe(observer);
          return () => {
            active--;
            inner.unsubscribe();
          };
        }),
      'live.patient': () => {
        throw new ServiceError('not_found', 'No such patient.');
      },
    };
    return { table, status, active: () => active };
  }
  const subscribe = (id: number, method: string, input: unknown = {}) => ({
    type: 'subscribe',
    id,
    method,
    input,
  });

  it('sends events until unsubscribed, and errors as event-error', async () => {
    const live = liveTable();
    const t = setup(live.table);
    await t.send(subscribe(1, 'live.syncStatus'));
    expect(live.active()).toBe(1);
    live.status.next('a' as never);
    await t.send({ type: 'unsubscribe', id: 1 });
    live.status.next('b' as never);
    expect(live.active()).toBe(0);
    await t.send(subscribe(2, 'live.patient', { patientId: 'p' }));
    await t.send(subscribe(3, 'live.patient', {}));
    expect(t.received).toEqual([
      { type: 'event', id: 1, value: 'a' },
      { type: 'event-error', id: 2, error: { code: 'not_found', message: 'No such patient.' } },
      expect.objectContaining({
        type: 'event-error',
        id: 3,
        error: expect.objectContaining({ code: 'invalid_input' }),
      }),
    ]);
  });

  it('ends a connection’s subscriptions when it closes, and keeps others', async () => {
    const live = liveTable();
    const t = setup(live.table);
    const other: ServerMessage[] = [];
    const second = t.dispatcher.connect((message) => other.push(message));
    await t.send(subscribe(1, 'live.syncStatus'));
    second.handle(subscribe(1, 'live.syncStatus'));
    expect(live.active()).toBe(2);
    t.connection.close();
    expect(live.active()).toBe(1);
    live.status.next('x' as never);
    expect(t.received).toEqual([]);
    expect(other).toEqual([{ type: 'event', id: 1, value: 'x' }]);
    t.dispatcher.closeAll();
    expect(live.active()).toBe(0);
  });

  it('reports an observable error once and forgets the subscription', async () => {
    const live = liveTable();
    const t = setup(live.table);
    await t.send(subscribe(5, 'live.syncStatus'));
    live.status.error(new ServiceError('conflict', 'Stopped.'));
    expect(t.received).toEqual([
      { type: 'event-error', id: 5, error: { code: 'conflict', message: 'Stopped.' } },
    ]);
  });

  it('scopes connections by reply function in handle()', async () => {
    const live = liveTable();
    const t = setup(live.table);
    const a: ServerMessage[] = [];
    const b: ServerMessage[] = [];
    const replyA = (message: ServerMessage) => a.push(message);
    const replyB = (message: ServerMessage) => b.push(message);
    t.dispatcher.handle(subscribe(1, 'live.syncStatus'), replyA);
    t.dispatcher.handle(subscribe(1, 'live.syncStatus'), replyB);
    t.dispatcher.handle({ type: 'unsubscribe', id: 1 }, replyA);
    live.status.next('y' as never);
    expect(a).toEqual([]);
    expect(b).toEqual([{ type: 'event', id: 1, value: 'y' }]);
    t.dispatcher.closeAll();
    expect(live.active()).toBe(0);
  });
});
