// The session against the real sync server: one online sign-in, then offline; token refresh
// ahead of expiry and after a 401; a refused refresh signs out but keeps the clinic; PIN lock.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../service-table';
import { ServerUnreachableError } from './auth-client';
import { SessionError, SessionManager, SESSION_FILE } from './session';
import { FileTokenVault, loadOrCreateKeyFile } from './token-vault';
import { ServerProcess } from './test-support';
import { createSyncTable } from './table';
import { ConflictLog } from './conflict-log';
import { SyncController } from './controller';
import type { CallContext } from '../service-table';

const root = mkdtempSync(join(tmpdir(), 'topsmile-session-'));
let server: ServerProcess;

beforeAll(async () => {
  // Access tokens live 4 s here, so refreshing ahead of expiry happens within the test.
  server = await ServerProcess.start({ dataDir: join(root, 'server'), accessTtlSeconds: 4 });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function openSession(
  dir: string,
): Promise<{ session: SessionManager; vault: FileTokenVault }> {
  const key = await loadOrCreateKeyFile(join(dir, 'vault.key'));
  const vault = new FileTokenVault({ file: join(dir, 'tokens.enc'), key });
  return { session: await SessionManager.open({ userDataDir: dir, vault }), vault };
}

function signIn(session: SessionManager, role: 'admin' | 'dentist' | 'front_desk' = 'front_desk') {
  return session.signIn({
    serverUrl: `${server.url}/`,
    clinic: server.info.name,
    email: server.info.emails[role],
    password: server.info.password,
  });
}

const callContext: CallContext = {
  user: null,
  clinicId: null,
  deviceId: 'd',
  timeZone: 'UTC',
  now: () => new Date().toISOString(),
};

describe('session', () => {
  it('signs in once online, keeps the device id, and stores no token in the clear', async () => {
    const dir = join(root, 'one');
    const { session } = await openSession(dir);
    expect(session.get().user).toBeNull();
    const signedIn = await signIn(session);
    expect(signedIn).toMatchObject({
      serverUrl: server.url,
      clinicId: server.info.clinicId,
      timeZone: 'America/Sao_Paulo',
      currency: 'BRL',
      locked: false,
    });
    expect(signedIn.user?.email).toBe(server.info.emails.front_desk);
    const firstDevice = session.current().deviceId;
    const token = await session.getAccessToken();
    await signIn(session);
    expect(session.current().deviceId).toBe(firstDevice);

    const stored = readFileSync(join(dir, SESSION_FILE), 'utf8');
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('refreshToken');
    expect(readFileSync(join(dir, 'tokens.enc'), 'utf8')).not.toContain(token);

    const reopened = (await openSession(dir)).session;
    expect(reopened.get()).toEqual(session.get());
    expect(reopened.authState).toBe('active');
  });

  it('refreshes the access token before it expires and after a 401, rotating the refresh token', async () => {
    const dir = join(root, 'refresh');
    const { session, vault } = await openSession(dir);
    await signIn(session);
    const account = `${server.info.clinicId}/${server.info.ids.front_desk}`;
    const firstRefresh = await vault.read(account);
    const first = await session.getAccessToken();
    expect(await session.getAccessToken()).toBe(first);
    // 4 s tokens are refreshed in their last second.
    await new Promise((resolve) => setTimeout(resolve, 3200));
    const second = await session.getAccessToken();
    expect(second).not.toBe(first);
    const secondRefresh = await vault.read(account);
    expect(secondRefresh).not.toBe(firstRefresh);

    session.rejectAccessToken(second);
    const third = await session.getAccessToken();
    // (A JWT issued in the same second may read the same; the refresh token proves the refresh.)
    expect(await vault.read(account)).not.toBe(secondRefresh);
    const stream = await fetch(`${server.url}/v1/sync/patients/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${third}` },
      body: JSON.stringify({ checkpoint: null, limit: 1 }),
    });
    expect(stream.status).toBe(200);
  });

  it('a refused refresh signs out but keeps the clinic; local data is not touched', async () => {
    const dir = join(root, 'refused');
    const { session, vault } = await openSession(dir);
    await signIn(session);
    const account = `${server.info.clinicId}/${server.info.ids.front_desk}`;
    const stolen = (await vault.read(account))!;
    // Someone else spends the refresh token first: the server sees ours as reused.
    const spent = await fetch(`${server.url}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: stolen }),
    });
    expect(spent.status).toBe(200);
    session.rejectAccessToken(null);
    await expect(session.getAccessToken()).rejects.toBeInstanceOf(SessionError);
    expect(session.authState).toBe('refused');
    expect(session.get().user).toBeNull();
    expect(session.get().clinicId).toBe(server.info.clinicId);
    expect(await vault.read(account)).toBeNull();
    const reopened = (await openSession(dir)).session;
    expect(reopened.get().user).toBeNull();
    expect(reopened.get().serverUrl).toBe(server.url);
  });

  it('locks with a per-user PIN, also across a restart', async () => {
    const dir = join(root, 'pin');
    const { session } = await openSession(dir);
    await signIn(session, 'dentist');
    const dentist = session.get().user!;
    await session.setPin('2468');
    await session.lock();
    expect(session.get().locked).toBe(true);
    expect(session.isLocked()).toBe(true);
    const reopened = (await openSession(dir)).session;
    expect(reopened.get().locked).toBe(true);
    await expect(reopened.unlock(dentist.id, '1111')).rejects.toMatchObject({ code: 'forbidden' });
    const unlocked = await reopened.unlock(dentist.id, '2468');
    expect(unlocked.locked).toBe(false);
    expect(unlocked.user?.id).toBe(dentist.id);
    // A user who never set a PIN here cannot unlock with one.
    await expect(reopened.unlock(server.info.ids.admin, '2468')).rejects.toBeInstanceOf(
      SessionError,
    );
  });

  it('signs out, and the table turns refusals into safe service errors', async () => {
    const dir = join(root, 'table');
    const { session } = await openSession(dir);
    const conflicts = new ConflictLog(join(dir, 'sync-local.sqlite'));
    const controller = new SyncController({ session, conflicts });
    const table = createSyncTable({ session, controller, conflicts });
    try {
      const wrong = table['session.signIn']!(
        {
          serverUrl: server.url,
          clinic: server.info.clinicId,
          email: server.info.emails.admin,
          password: 'not the password',
        },
        callContext,
      );
      await expect(wrong).rejects.toBeInstanceOf(ServiceError);
      await expect(wrong).rejects.toMatchObject({ code: 'forbidden' });
      const nowhere = table['session.signIn']!(
        {
          serverUrl: 'http://127.0.0.1:9',
          clinic: 'x',
          email: 'a@example.com',
          password: 'p',
        },
        callContext,
      );
      await expect(nowhere).rejects.toMatchObject({ code: 'not_found' });
      const signedIn = await table['session.signIn']!(
        {
          serverUrl: server.url,
          clinic: server.info.clinicId,
          email: server.info.emails.admin,
          password: server.info.password,
        },
        callContext,
      );
      expect(signedIn.user?.role).toBe('admin');
      expect(await table['session.signOut']!({}, callContext)).toEqual({ done: true });
      expect((await table['session.get']!({}, callContext)).user).toBeNull();
      expect(session.authState).toBe('none');
      await expect(session.getAccessToken()).rejects.toBeInstanceOf(SessionError);
      await expect(table['session.lock']!({}, callContext)).rejects.toBeInstanceOf(ServiceError);
    } finally {
      await controller.stop();
      conflicts.close();
    }
  });

  it('reopens with no server at all: the session is there, syncing waits for the network', async () => {
    const dir = join(root, 'offline');
    const { session } = await openSession(dir);
    await signIn(session);
    const before = session.get();
    await server.stop();
    const reopened = (await openSession(dir)).session;
    expect(reopened.get()).toEqual(before);
    expect(reopened.authState).toBe('active');
    await expect(reopened.getAccessToken()).rejects.toBeInstanceOf(ServerUnreachableError);
    // Being offline is not being signed out.
    expect(reopened.authState).toBe('active');
  });
});
