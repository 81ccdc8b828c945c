// Test harness: a real sync server on 127.0.0.1 with a real SQLite store in a temp directory,
// clinics with one user per role, and small HTTP helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { STAFF_ROLES, type StaffRole } from '../../shared/domain/enums';
import { newId } from '../../shared/domain/ids';
import { buildApp, type AppOptions } from '../app';
import { hashPassword } from '../auth/passwords';
import type { LoginResult } from '../auth/service';
import type { ServerEnv } from '../env';
import { openSqliteStore } from '../store/sqlite-store';
import type { Clinic, SyncStore, User } from '../store/types';

export const TEST_SECRET = 'test-secret-'.padEnd(80, 'x');
export const TEST_PASSWORD = 'correct horse battery staple';

export function makeTempDir(prefix = 'topsmile-sync-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testEnv(dataDir: string, overrides: Partial<ServerEnv> = {}): ServerEnv {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    mongodbUrl: undefined,
    mongodbPoolMax: 10,
    mongodbPoolMin: 0,
    mongodbTimeoutMs: 5000,
    redisUrl: undefined,
    jwtSecret: TEST_SECRET,
    sentryDsn: undefined,
    logLevel: 'silent',
    nodeEnv: 'test',
    accessTokenTtlSeconds: 900,
    refreshTokenTtlDays: 30,
    tombstoneRetentionDays: 90,
    // Tests opt in to scheduled backups.
    backupIntervalHours: 0,
    backupDir: join(dataDir, 'backups'),
    backupKeep: 14,
    ...overrides,
  };
}

export interface TestServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: SyncStore;
  readonly env: ServerEnv;
  readonly dir: string;
  /** Closes the app, the store and removes the temp directory (unless the store was given). */
  close(): Promise<void>;
}

export type TestServerOptions = Partial<Omit<AppOptions, 'env' | 'store'>> & {
  readonly env?: Partial<ServerEnv>;
  /** Share one store between servers; the caller closes it. */
  readonly store?: SyncStore;
  readonly primaryPaths?: Readonly<Record<string, string>>;
};

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const temp = makeTempDir();
  const ownStore = options.store === undefined;
  const store =
    options.store ??
    (await openSqliteStore({
      file: join(temp.dir, 'sync.sqlite'),
      ...(options.primaryPaths ? { primaryPaths: options.primaryPaths } : {}),
    }));
  const env = testEnv(temp.dir, options.env);
  const { env: _env, store: _store, primaryPaths: _paths, ...appOptions } = options;
  const app = await buildApp({ principalCacheMs: 0, ...appOptions, env, store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    store,
    env,
    dir: temp.dir,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (ownStore) {
        await store.close().catch(() => undefined);
        temp.cleanup();
      }
    },
  };
}

export interface TestClinic {
  readonly clinic: Clinic;
  readonly users: Record<StaffRole, User>;
}

/** A clinic with one user per role, all with TEST_PASSWORD. */
export async function createTestClinic(store: SyncStore, name = 'Clinic'): Promise<TestClinic> {
  const clinic: Clinic = {
    id: newId(),
    name: `${name} ${newId().slice(-6)}`,
    timeZone: 'America/Sao_Paulo',
    currency: 'BRL',
    createdAt: new Date().toISOString(),
  };
  await store.createClinic(clinic);
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const users = {} as Record<StaffRole, User>;
  for (const role of STAFF_ROLES) {
    const user: User = {
      id: newId(),
      clinicId: clinic.id,
      email: `${role.replace('_', '-')}@example.com`,
      name: `Test ${role}`,
      role,
      passwordHash,
      disabled: false,
      providerId: null,
      createdAt: clinic.createdAt,
    };
    await store.createUser(user);
    users[role] = user;
  }
  return { clinic, users };
}

export async function postJson(
  url: string,
  body: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

export async function loginAs(
  server: { url: string },
  clinic: TestClinic,
  role: StaffRole,
  deviceName = 'Front desk PC',
): Promise<LoginResult> {
  const response = await postJson(`${server.url}/v1/auth/login`, {
    clinic: clinic.clinic.id,
    email: clinic.users[role].email,
    password: TEST_PASSWORD,
    deviceName,
  });
  if (response.status !== 200) {
    throw new Error(`login failed: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as LoginResult;
}
