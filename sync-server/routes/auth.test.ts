import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDocument } from '../../shared/domain/schemas/samples';
import { LOGIN_FAILED } from '../auth/service';
import {
  createTestClinic,
  loginAs,
  postJson,
  startTestServer,
  TEST_PASSWORD,
  type TestClinic,
  type TestServer,
} from '../test-support/harness';

let server: TestServer;
let clinic: TestClinic;

beforeAll(async () => {
  server = await startTestServer({ authRateLimit: { max: 1000, timeWindowMs: 60_000 } });
  clinic = await createTestClinic(server.store);
});
afterAll(() => server.close());

async function pull(token: string): Promise<Response> {
  return postJson(`${server.url}/v1/sync/patients/pull`, { checkpoint: null, limit: 10 }, token);
}

describe('login', () => {
  it('returns tokens, the user, the clinic and a device id; the access token works', async () => {
    const result = await loginAs(server, clinic, 'dentist');
    expect(result.user).toMatchObject({ email: 'dentist@example.com', role: 'dentist' });
    expect(result.user).not.toHaveProperty('passwordHash');
    expect(result.clinic.id).toBe(clinic.clinic.id);
    expect(result.expiresIn).toBe(900);
    expect(result.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await pull(result.accessToken)).status).toBe(200);
    const devices = await server.store.listDevices(clinic.clinic.id);
    expect(devices.some((device) => device.id === result.deviceId)).toBe(true);
  });

  it('accepts the clinic name instead of its id', async () => {
    const response = await postJson(`${server.url}/v1/auth/login`, {
      clinic: clinic.clinic.name.toUpperCase(),
      email: 'Admin@Example.com',
      password: TEST_PASSWORD,
      deviceName: 'PC',
    });
    expect(response.status).toBe(200);
  });

  it('answers every failure with the same message', async () => {
    const attempts = [
      { clinic: clinic.clinic.id, email: 'admin@example.com', password: 'wrong password!' },
      { clinic: clinic.clinic.id, email: 'nobody@example.com', password: TEST_PASSWORD },
      { clinic: 'no such clinic', email: 'admin@example.com', password: TEST_PASSWORD },
    ];
    for (const attempt of attempts) {
      const response = await postJson(`${server.url}/v1/auth/login`, {
        ...attempt,
        deviceName: 'PC',
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', message: LOGIN_FAILED });
    }
  });

  it('refuses a disabled user, and their existing tokens stop working', async () => {
    const other = await createTestClinic(server.store, 'Disabled');
    const before = await loginAs(server, other, 'hygienist');
    await server.store.setUserDisabled(other.clinic.id, other.users.hygienist.id, true);
    const response = await postJson(`${server.url}/v1/auth/login`, {
      clinic: other.clinic.id,
      email: other.users.hygienist.email,
      password: TEST_PASSWORD,
      deviceName: 'PC',
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toBe(LOGIN_FAILED);
    expect((await pull(before.accessToken)).status).toBe(401);
    const refreshed = await postJson(`${server.url}/v1/auth/refresh`, {
      refreshToken: before.refreshToken,
    });
    expect(refreshed.status).toBe(401);
  });

  it('rejects a malformed body with a 400 naming the fields', async () => {
    const response = await postJson(`${server.url}/v1/auth/login`, { clinic: 1, email: 'x' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; issues: { field: string }[] };
    expect(body.error).toBe('bad_request');
    const fields = body.issues.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['clinic', 'password', 'deviceName']));
  });

  it('rejects invalid JSON with a 400, not a 500', async () => {
    const response = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"clinic":',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('bad_request');
  });
});

describe('refresh tokens', () => {
  it('rotate: each token is good once and the new access token works', async () => {
    const first = await loginAs(server, clinic, 'admin');
    const response = await postJson(`${server.url}/v1/auth/refresh`, {
      refreshToken: first.refreshToken,
    });
    expect(response.status).toBe(200);
    const second = (await response.json()) as { accessToken: string; refreshToken: string };
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await pull(second.accessToken)).status).toBe(200);
  });

  it('reuse of a spent token revokes the whole family', async () => {
    const first = await loginAs(server, clinic, 'admin');
    const rotated = (await (
      await postJson(`${server.url}/v1/auth/refresh`, { refreshToken: first.refreshToken })
    ).json()) as { refreshToken: string };
    const reuse = await postJson(`${server.url}/v1/auth/refresh`, {
      refreshToken: first.refreshToken,
    });
    expect(reuse.status).toBe(401);
    // The legitimate holder of the newest token is logged out too.
    const after = await postJson(`${server.url}/v1/auth/refresh`, {
      refreshToken: rotated.refreshToken,
    });
    expect(after.status).toBe(401);
  });

  it('logout revokes the family', async () => {
    const session = await loginAs(server, clinic, 'front_desk');
    const logout = await postJson(`${server.url}/v1/auth/logout`, {
      refreshToken: session.refreshToken,
    });
    expect(logout.status).toBe(204);
    const refresh = await postJson(`${server.url}/v1/auth/refresh`, {
      refreshToken: session.refreshToken,
    });
    expect(refresh.status).toBe(401);
  });
});

describe('devices', () => {
  it('a revoked device can neither sync, refresh, nor push', async () => {
    const session = await loginAs(server, clinic, 'dentist', 'Lost laptop');
    expect((await pull(session.accessToken)).status).toBe(200);
    await server.store.revokeDevice(clinic.clinic.id, session.deviceId, new Date().toISOString());
    const pulled = await pull(session.accessToken);
    expect(pulled.status).toBe(401);
    expect(((await pulled.json()) as { message: string }).message).toMatch(/revoked/);
    const pushed = await postJson(
      `${server.url}/v1/sync/patients/push`,
      [
        {
          newDocumentState: {
            ...sampleDocument('patients'),
            clinicId: clinic.clinic.id,
            _deleted: false,
          },
        },
      ],
      session.accessToken,
    );
    expect(pushed.status).toBe(401);
    const refresh = await postJson(`${server.url}/v1/auth/refresh`, {
      refreshToken: session.refreshToken,
    });
    expect(refresh.status).toBe(401);
  });

  it('rejects missing, malformed and forged access tokens', async () => {
    expect((await pull('')).status).toBe(401);
    expect((await pull('not-a-jwt')).status).toBe(401);
    const session = await loginAs(server, clinic, 'dentist');
    const [header, payload] = session.accessToken.split('.');
    expect((await pull(`${header}.${payload}.forgedsignature`)).status).toBe(401);
  });
});

describe('rate limit', () => {
  it('limits login attempts per address with a 429', async () => {
    const limited = await startTestServer({ authRateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const response = await postJson(`${limited.url}/v1/auth/login`, {
          clinic: 'x',
          email: 'a@example.com',
          password: 'wrong',
          deviceName: 'PC',
        });
        statuses.push(response.status);
        if (response.status === 429) {
          expect(((await response.json()) as { error: string }).error).toBe('rate_limited');
        }
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
