import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvError, GENERATED_SECRET_FILE, loadEnv } from './env';
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
    });
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
      'JWT_SECRET is required in production',
    ]) {
      expect(message).toContain(name);
    }
    expect((caught as EnvError).problems).toHaveLength(7);
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
        timeout: 20_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('JWT_SECRET');
  });
});
