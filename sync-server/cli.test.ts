import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './cli';
import { postJson, startTestServer, TEST_SECRET, makeTempDir } from './test-support/harness';
import { openSqliteStore } from './store/sqlite-store';
import { SQLITE_FILE_NAME } from './server';

const temp = makeTempDir('topsmile-cli-');
afterAll(() => temp.cleanup());

async function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readSecret: async () => 'typed at the prompt 123',
    env: { DATA_DIR: temp.dir, JWT_SECRET: TEST_SECRET, ...extraEnv },
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('admin CLI', () => {
  it('creates a clinic and a user who can then log in; disables the user', async () => {
    const clinic = await cli(['clinic', 'create', 'Smile', 'Dental', '--currency', 'usd']);
    expect(clinic.code).toBe(0);
    const clinicId = clinic.out[0] as string;
    expect(clinicId).toMatch(/^[0-9a-f-]{36}$/);
    const user = await cli(
      ['user', 'add', '--clinic', clinicId, '--email', 'ana@example.com', '--role', 'dentist'],
      { TOPSMILE_PASSWORD: 'a long enough password' },
    );
    expect(user).toMatchObject({ code: 0, err: [] });
    const prompted = await cli([
      'user',
      'add',
      '--clinic',
      clinicId,
      '--email',
      'bo@example.com',
      '--role',
      'front_desk',
    ]);
    expect(prompted.code).toBe(0);

    const store = await openSqliteStore({ file: join(temp.dir, SQLITE_FILE_NAME) });
    const server = await startTestServer({ store });
    try {
      const login = await postJson(`${server.url}/v1/auth/login`, {
        clinic: 'smile dental',
        email: 'ana@example.com',
        password: 'a long enough password',
        deviceName: 'Chair-side PC',
      });
      expect(login.status).toBe(200);
      const { deviceId } = (await login.json()) as { deviceId: string };
      const devices = await cli(['device', 'list', '--clinic', clinicId]);
      expect(devices.out.join('\n')).toContain(deviceId);
      expect(devices.out.join('\n')).toContain('Chair-side PC');
      expect(
        (await cli(['device', 'revoke', '--clinic', clinicId, '--device', deviceId])).code,
      ).toBe(0);
      expect(
        (await cli(['user', 'disable', '--clinic', clinicId, '--email', 'ana@example.com'])).code,
      ).toBe(0);
      const again = await postJson(`${server.url}/v1/auth/login`, {
        clinic: clinicId,
        email: 'ana@example.com',
        password: 'a long enough password',
        deviceName: 'PC',
      });
      expect(again.status).toBe(401);
    } finally {
      await server.close();
      await store.close();
    }
  });

  it('says what is wrong with bad arguments', async () => {
    const badRole = await cli([
      'user',
      'add',
      '--clinic',
      'x',
      '--email',
      'a@b.co',
      '--role',
      'boss',
    ]);
    expect(badRole.code).toBe(1);
    expect(badRole.err.join()).toMatch(/--role must be one of/);
    const unknownFlag = await cli(['clinic', 'create', 'X', '--colour', 'red']);
    expect(unknownFlag.code).toBe(2);
    const weak = await cli(
      ['user', 'add', '--clinic', 'x', '--email', 'a@b.co', '--role', 'admin'],
      {
        TOPSMILE_PASSWORD: 'short',
      },
    );
    expect(weak.code).toBe(1);
    expect((await cli(['nonsense'])).code).toBe(2);
  });

  it('seeds the demo clinic and prints logins that work', async () => {
    const seeded = await cli(['seed-demo', '--patients', '20']);
    expect(seeded.code).toBe(0);
    const text = seeded.out.join('\n');
    expect(text).toMatch(/Demo clinic [0-9a-f-]{36} with \d+ documents/);
    const clinicId = /Demo clinic ([0-9a-f-]{36})/.exec(text)?.[1] as string;
    const match = /admin\s+(\S+@\S+)\s+(\S+)/.exec(text);
    expect(match).not.toBeNull();
    const store = await openSqliteStore({ file: join(temp.dir, SQLITE_FILE_NAME) });
    const server = await startTestServer({ store });
    try {
      const login = await postJson(`${server.url}/v1/auth/login`, {
        clinic: clinicId,
        email: match?.[1],
        password: match?.[2],
        deviceName: 'Demo PC',
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const pulled = await postJson(
        `${server.url}/v1/sync/patients/pull`,
        { checkpoint: null, limit: 100 },
        accessToken,
      );
      expect(((await pulled.json()) as { documents: unknown[] }).documents).toHaveLength(20);
    } finally {
      await server.close();
      await store.close();
    }
  });

  it('prints help for each command through npm run admin', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), 'user', 'add', '--help'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('user add --clinic <id>');
  });
});
