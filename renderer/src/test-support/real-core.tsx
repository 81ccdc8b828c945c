// Component tests render screens against a real core: the services table on a real RxDB/SQLite
// database seeded with the small demo clinic, behind the real dispatcher (roles, validation,
// safe errors), reached over a real MessagePort as in Electron. Only the session is fixed: the
// test says who is signed in instead of signing in through a sync server.
import { cleanup, configure, render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { createApiClient, type TopSmileApi } from '../../../shared/api/client';
import type { ClientMessage } from '../../../shared/api/protocol';
import type { Session } from '../../../shared/api/views';
import type { StaffRole } from '../../../shared/domain/enums';
import { createDispatcher } from '../../../main/core/dispatcher';
import type { ServiceTable } from '../../../main/core/service-table';
import { serveMessagePort } from '../../../main/core/transports/message-port';
import { openTestClinic, type TestClinic } from '../../../main/core/services/test-support';
import { ApiProvider } from '../api/hooks';
import { SessionProvider } from '../app/session';
import { initI18n } from '../i18n/index';

// A real core answers in milliseconds, but the 2-core CI runs these beside servers and
// browsers: findBy*/waitFor wait up to 10 s instead of 1 s before calling a screen wrong.
configure({ asyncUtilTimeout: 10_000 });

export interface RealCore {
  readonly clinic: TestClinic;
  readonly api: TopSmileApi;
  /** Who calls; change it to act as someone else. */
  role: StaffRole;
  close(): Promise<void>;
}

const silentLog = { debug: () => undefined, error: () => undefined };

export async function startRealCore(role: StaffRole = 'front_desk'): Promise<RealCore> {
  await initI18n('en');
  const clinic = await openTestClinic();
  const core: { role: StaffRole } = { role };
  const session = (): Session => {
    const context = clinic.context(core.role);
    return {
      serverUrl: 'http://127.0.0.1:1',
      clinicId: clinic.demo.options.clinicId,
      clinicName: 'Test clinic',
      timeZone: clinic.demo.options.timeZone,
      currency: clinic.demo.options.currency,
      user: context.user,
      locked: false,
      pinUsers: [],
    };
  };
  const table = {
    ...clinic.table,
    'session.get': async () => session(),
  } as unknown as ServiceTable;
  const dispatcher = createDispatcher({
    table,
    context: () => clinic.context(core.role),
    log: silentLog,
  });
  const { port1, port2 } = new MessageChannel();
  const stopServing = serveMessagePort(port1, dispatcher);
  const listeners: ((raw: unknown) => void)[] = [];
  port2.on('message', (data: unknown) => listeners.forEach((listener) => listener(data)));
  const api = createApiClient({
    send: (message: ClientMessage) => port2.postMessage(message),
    onMessage: (listener) => listeners.push(listener),
  });
  return {
    clinic,
    api,
    get role() {
      return core.role;
    },
    set role(next: StaffRole) {
      core.role = next;
    },
    close: async () => {
      stopServing();
      port2.close();
      dispatcher.closeAll();
      await clinic.close();
    },
  };
}

/**
 * One real core for the test file: started before its first test as `role`, closed after the
 * last. After each test the rendered UI is removed and the caller is `role` again. Returns a
 * getter, since the core exists only once the file's tests run.
 */
export function useRealCore(role: StaffRole = 'front_desk'): () => RealCore {
  let core: RealCore | undefined;
  beforeAll(async () => {
    core = await startRealCore(role);
  });
  afterEach(() => {
    cleanup();
    if (core) core.role = role;
  });
  afterAll(async () => {
    await core?.close();
  });
  return () => {
    if (!core) throw new Error('the real core is only there while the tests run');
    return core;
  };
}

/** Renders `ui` inside the app's providers, at `path` of an in-memory router. */
export function renderWithCore(core: RealCore, ui: ReactNode, path = '/'): RenderResult {
  const { hook } = memoryLocation({ path, record: true });
  return render(
    <Router hook={hook}>
      <ApiProvider api={core.api}>
        <SessionProvider loading={<p>loading</p>} failed={(error) => <p>{error.message}</p>}>
          {ui}
        </SessionProvider>
      </ApiProvider>
    </Router>,
  );
}
