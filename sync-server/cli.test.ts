import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './cli';
import { postJson, startTestServer, TEST_SECRET, makeTempDir } from './test-support/harness';
import { openStore, sqliteStoreFile } from './store/index';
import { openSqliteStore } from './store/sqlite-store';

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

    const store = await openSqliteStore({ file: sqliteStoreFile(temp.dir) });
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

  // argon2 hashes one password per demo login: slow when the 2-core machine is busy.
  it('seeds the demo clinic and prints logins that work', async () => {
    const seeded = await cli(['seed-demo', '--patients', '20']);
    expect(seeded.code).toBe(0);
    const text = seeded.out.join('\n');
    expect(text).toMatch(/Demo clinic [0-9a-f-]{36} with \d+ documents/);
    const clinicId = /Demo clinic ([0-9a-f-]{36})/.exec(text)?.[1] as string;
    const match = /admin\s+(\S+@\S+)\s+(\S+)/.exec(text);
    expect(match).not.toBeNull();
    const store = await openSqliteStore({ file: sqliteStoreFile(temp.dir) });
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
      // A demo dentist works as a provider of the clinic, as their day and notes need.
      const dentist = /dentist\s+(\S+@\S+)\s+(\S+)/.exec(text);
      const dentistLogin = await postJson(`${server.url}/v1/auth/login`, {
        clinic: clinicId,
        email: dentist?.[1],
        password: dentist?.[2],
        deviceName: 'Chair 1',
      });
      const dentistUser = ((await dentistLogin.json()) as { user: { providerId: string | null } })
        .user;
      expect(dentistUser.providerId).toMatch(/^[0-9a-f-]{36}$/);
      // The schedule is built around the real today, so a new demo has today's visits to show.
      const starts: string[] = [];
      let checkpoint: unknown = null;
      for (;;) {
        const page = (await (
          await postJson(
            `${server.url}/v1/sync/appointments/pull`,
            { checkpoint, limit: 1000 },
            accessToken,
          )
        ).json()) as { documents: { start: string }[]; checkpoint: unknown };
        starts.push(...page.documents.map((doc) => doc.start));
        if (page.documents.length < 1000) break;
        checkpoint = page.checkpoint;
      }
      const now = Date.now();
      const day = 24 * 3600_000;
      expect(starts.some((start) => Date.parse(start) > now)).toBe(true);
      expect(starts.some((start) => Date.parse(start) < now - 300 * day)).toBe(true);
      expect(starts.every((start) => Date.parse(start) < now + 50 * day)).toBe(true);
    } finally {
      await server.close();
      await store.close();
    }
  }, 120_000);

  it('prints help for each command through npm run admin', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), 'user', 'add', '--help'],
      {
        encoding: 'utf8',
        timeout: 60_000, // tsx compiles at start: slow when the machine is busy
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('user add --clinic <id>');
  }, 90_000);
});

const sha256 = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');

describe('admin CLI backup and restore', () => {
  /** Each test gets its own data directory, so restoring never disturbs the other tests. */
  function dataDir(name: string): Record<string, string> {
    return { DATA_DIR: join(temp.dir, name) };
  }

  async function clinicNames(env: Record<string, string>): Promise<string[]> {
    const listed = await cli(['clinic', 'list'], env);
    expect(listed.code).toBe(0);
    return listed.out.map((line) => line.split('\t')[1] as string).sort();
  }

  it('backs up into DATA_DIR/backups, then restores that backup and keeps the replaced store', async () => {
    const env = dataDir('round-trip');
    expect((await cli(['clinic', 'create', 'Before', 'Backup'], env)).code).toBe(0);

    const backup = await cli(['backup'], env);
    expect(backup).toMatchObject({ code: 0, err: [] });
    const file = /^Backup written: (.+)$/.exec(backup.out[0] ?? '')?.[1] as string;
    expect(file.startsWith(join(temp.dir, 'round-trip', 'backups'))).toBe(true);
    expect(file).toMatch(/topsmile-sync-\d{8}T\d{6}\.\d{3}Z\.sqlite$/);
    expect(backup.out.join('\n')).toContain(`sha256  ${sha256(file)}`);
    expect(backup.out.join('\n')).toContain(`size    ${readFileSync(file).length} bytes`);

    expect((await cli(['clinic', 'create', 'After', 'Backup'], env)).code).toBe(0);
    expect(await clinicNames(env)).toEqual(['After Backup', 'Before Backup']);

    const restore = await cli(['restore', file], env);
    expect(restore).toMatchObject({ code: 0, err: [] });
    const kept = /the previous store was kept as (.+)$/.exec(restore.out.join('\n'))?.[1];
    expect(kept).toBeDefined();
    expect(await clinicNames(env)).toEqual(['Before Backup']);
    const previous = await openSqliteStore({ file: kept as string });
    try {
      const names = (await previous.listClinics()).map((clinic) => clinic.name).sort();
      expect(names).toEqual(['After Backup', 'Before Backup']);
    } finally {
      await previous.close();
    }
  });

  it('writes --out FILE and keeps only BACKUP_KEEP backups in the backup directory', async () => {
    const env = { ...dataDir('keep'), BACKUP_KEEP: '2' };
    expect((await cli(['clinic', 'create', 'Kept'], env)).code).toBe(0);
    const out = join(temp.dir, 'keep', 'elsewhere', 'manual.sqlite');
    expect((await cli(['backup', '--out', out], env)).code).toBe(0);
    expect(existsSync(`${out}.manifest.json`)).toBe(true);
    for (let run = 0; run < 3; run += 1) {
      expect((await cli(['backup'], env)).code).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct millisecond names
    }
    const backups = readdirSync(join(temp.dir, 'keep', 'backups'));
    expect(backups.filter((name) => name.endsWith('.sqlite'))).toHaveLength(2);
    expect(existsSync(out)).toBe(true);
  });

  it('refuses a tampered backup with one clear line and leaves the store unchanged', async () => {
    const env = dataDir('tampered');
    expect((await cli(['clinic', 'create', 'Intact'], env)).code).toBe(0);
    const out = join(temp.dir, 'tampered', 'snapshot.sqlite');
    expect((await cli(['backup', '--out', out], env)).code).toBe(0);
    const bytes = readFileSync(out);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    writeFileSync(out, bytes);
    expect((await cli(['clinic', 'create', 'Later'], env)).code).toBe(0);
    const target = sqliteStoreFile(env['DATA_DIR'] as string);
    const before = sha256(target);

    const restore = await cli(['restore', out], env);
    expect(restore.code).toBe(1);
    expect(restore.out).toEqual([]);
    expect(restore.err).toHaveLength(1);
    expect(restore.err[0]).toMatch(/^Refused: .*checksum.*Nothing was changed\.$/);
    expect(restore.err[0]).not.toMatch(/\n\s+at /);
    expect(sha256(target)).toBe(before);
    expect(await clinicNames(env)).toEqual(['Intact', 'Later']);
  });

  it('will not restore over a store that a running server holds open', async () => {
    const env = dataDir('busy');
    expect((await cli(['clinic', 'create', 'Busy'], env)).code).toBe(0);
    const out = join(temp.dir, 'busy', 'snapshot.sqlite');
    expect((await cli(['backup', '--out', out], env)).code).toBe(0);
    const running = await openStore({ dataDir: env['DATA_DIR'] as string });
    try {
      const restore = await cli(['restore', out], env);
      expect(restore.code).toBe(1);
      expect(restore.err.join('\n')).toMatch(/in use \(is the sync server running\?\)/);
      expect((await running.listClinics()).map((clinic) => clinic.name)).toEqual(['Busy']);
    } finally {
      await running.close();
    }
  });

  it('says MongoDB deployments use their own tooling, exit 2, without touching any database', async () => {
    const env = {
      DATA_DIR: join(temp.dir, 'mongo'),
      MONGODB_URL: 'mongodb://127.0.0.1:1/topsmile',
    };
    for (const args of [['backup'], ['restore', 'some.sqlite']]) {
      const result = await cli(args, env);
      expect(result.code).toBe(2);
      expect(result.err.join('\n')).toMatch(/mongodump/);
    }
    expect(existsSync(sqliteStoreFile(env.DATA_DIR))).toBe(false);
  });

  it('needs exactly one file to restore', async () => {
    const result = await cli(['restore'], dataDir('no-file'));
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/restore <FILE>/);
  });
});
