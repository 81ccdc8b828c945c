import { existsSync, statSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvError, GENERATED_SECRET_FILE, loadEnv, storeConfigFromEnv } from './env';
import { openStore, SQLITE_STORE_FILE_NAME } from './store/index';
import { makeTempDir } from './test-support/harness';

const temp = makeTempDir('topsmile-env-');
afterAll(() => temp.cleanup());

describe('loadEnv', () => {
  it('applies the defaults', () => {
    const env = loadEnv({ JWT_SECRET: 's'.repeat(64) }, () => undefined);
    expect(env).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
      nodeEnv: 'development',
      mongodbUrl: undefined,
      tombstoneRetentionDays: 90,
      backupIntervalHours: 24,
      backupKeep: 14,
    });
    expect(env.backupDir).toBe(join(env.dataDir, 'backups'));
  });

  it('reads the backup settings; 0 hours turns scheduled backups off', () => {
    const env = loadEnv(
      {
        JWT_SECRET: 's'.repeat(64),
        DATA_DIR: temp.dir,
        BACKUP_INTERVAL_HOURS: '0',
        BACKUP_DIR: 'elsewhere/backups',
        BACKUP_KEEP: '3',
      },
      () => undefined,
    );
    expect(env).toMatchObject({ backupIntervalHours: 0, backupKeep: 3 });
    // Relative to where the command runs, like DATA_DIR.
    expect(env.backupDir).toBe(resolve('elsewhere/backups'));
  });

  it('names every missing or bad variable in one error', () => {
    let caught: unknown;
    try {
      loadEnv({
        NODE_ENV: 'production',
        PORT: 'eighty',
        MONGODB_URL: 'http://db',
        REDIS_URL: 'nope',
        LOG_LEVEL: 'loud',
        ACCESS_TOKEN_TTL_SECONDS: '-5',
        SENTRY_DSN: 'ftp://x',
        BACKUP_INTERVAL_HOURS: '1.5',
        BACKUP_KEEP: '0',
        TOMBSTONE_RETENTION_DAYS: '0',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const message = (caught as EnvError).message;
    for (const name of [
      'PORT',
      'MONGODB_URL',
      'REDIS_URL',
      'LOG_LEVEL',
      'ACCESS_TOKEN_TTL_SECONDS',
      'SENTRY_DSN',
      'BACKUP_INTERVAL_HOURS',
      'BACKUP_KEEP',
      'TOMBSTONE_RETENTION_DAYS',
      'JWT_SECRET is required in production',
    ]) {
      expect(message).toContain(name);
    }
    expect((caught as EnvError).problems).toHaveLength(10);
  });

  it('maps the environment to the store: MongoDB settings, else the SQLite file in DATA_DIR', async () => {
    expect(
      storeConfigFromEnv(
        loadEnv(
          {
            JWT_SECRET: 's'.repeat(64),
            MONGODB_URL: 'mongodb://db.example:27017/clinics',
            MONGODB_POOL_MAX: '7',
            MONGODB_POOL_MIN: '2',
            MONGODB_TIMEOUT_MS: '1500',
          },
          () => undefined,
        ),
      ),
    ).toMatchObject({
      mongodbUrl: 'mongodb://db.example:27017/clinics',
      mongodbMaxPoolSize: 7,
      mongodbMinPoolSize: 2,
      mongodbServerSelectionTimeoutMs: 1500,
      mongodbConnectTimeoutMs: 1500,
    });
    const dataDir = join(temp.dir, 'store');
    const store = await openStore(
      storeConfigFromEnv(loadEnv({ JWT_SECRET: 's'.repeat(64), DATA_DIR: dataDir })),
    );
    try {
      expect(store.kind).toBe('sqlite');
      expect(existsSync(join(dataDir, SQLITE_STORE_FILE_NAME))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses a short secret', () => {
    expect(() => loadEnv({ JWT_SECRET: 'short' })).toThrow(/at least 64 characters/);
  });

  it('generates a development secret into DATA_DIR with mode 0600, says so, and reuses it', () => {
    const notices: string[] = [];
    const first = loadEnv({ DATA_DIR: temp.dir }, (message) => notices.push(message));
    const file = join(temp.dir, GENERATED_SECRET_FILE);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(64);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(notices[0]).toMatch(/generated a development secret/);
    expect(notices[0]).not.toContain(first.jwtSecret);
    const second = loadEnv({ DATA_DIR: temp.dir }, (message) => notices.push(message));
    expect(second.jwtSecret).toBe(first.jwtSecret);
  });

  it('makes the server exit non-zero with the message on stderr', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'main.ts')],
      {
        env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', PORT: 'x' },
        encoding: 'utf8',
        timeout: 60_000, // tsx compiles at start: slow when the machine is busy
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('JWT_SECRET');
  }, 90_000);
});
