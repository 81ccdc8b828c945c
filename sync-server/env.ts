// The server's environment, parsed and checked once at start. Every problem is collected so one
// message names all missing or bad variables. In development a missing JWT secret is generated
// into DATA_DIR (mode 0600) and reused on the next start; in production it is required.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StoreConfig } from './store/index';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Secrets (HS256 keys) shorter than this are refused. */
export const MIN_SECRET_LENGTH = 64;
export const GENERATED_SECRET_FILE = 'jwt-secret';

export interface ServerEnv {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly mongodbUrl: string | undefined;
  readonly mongodbPoolMax: number;
  readonly mongodbPoolMin: number;
  readonly mongodbTimeoutMs: number;
  readonly redisUrl: string | undefined;
  readonly jwtSecret: string;
  readonly sentryDsn: string | undefined;
  readonly logLevel: LogLevel;
  readonly nodeEnv: NodeEnv;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlDays: number;
  readonly tombstoneRetentionDays: number;
  /** Hours between scheduled SQLite backups; 0 turns them off. */
  readonly backupIntervalHours: number;
  readonly backupDir: string;
  /** How many scheduled backups are kept (older ones are deleted). */
  readonly backupKeep: number;
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

export class EnvError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `The sync server's environment is not valid (${problems.length} problem${
        problems.length === 1 ? '' : 's'
      }):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'EnvError';
    this.problems = problems;
  }
}

type Reader = {
  problems: string[];
  source: EnvSource;
};

function raw(reader: Reader, name: string): string | undefined {
  const value = reader.source[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(reader: Reader, name: string, fallback: number, min: number, max: number): number {
  const value = raw(reader, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    reader.problems.push(`${name} must be a whole number from ${min} to ${max}.`);
    return fallback;
  }
  return Number(value);
}

function url(reader: Reader, name: string, protocols: readonly string[]): string | undefined {
  const value = raw(reader, name);
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
    return value;
  } catch {
    reader.problems.push(`${name} must be a URL starting with ${protocols.join(' or ')}//.`);
    return undefined;
  }
}

function oneOf<T extends string>(
  reader: Reader,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = raw(reader, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    reader.problems.push(`${name} must be one of: ${allowed.join(', ')}.`);
    return fallback;
  }
  return value as T;
}

export type ParsedEnv =
  | { readonly ok: true; readonly env: Omit<ServerEnv, 'jwtSecret'> & { jwtSecret?: string } }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Checks every variable; a missing JWT_SECRET outside production is not a problem here. */
export function parseEnv(source: EnvSource): ParsedEnv {
  const reader: Reader = { problems: [], source };
  const nodeEnv = oneOf(reader, 'NODE_ENV', NODE_ENVS, 'development');
  const port = integer(reader, 'PORT', 8787, 0, 65_535);
  const host = raw(reader, 'HOST') ?? '127.0.0.1';
  const dataDir = resolve(raw(reader, 'DATA_DIR') ?? './.data/sync-server');
  const mongodbUrl = url(reader, 'MONGODB_URL', ['mongodb:', 'mongodb+srv:']);
  const mongodbPoolMax = integer(reader, 'MONGODB_POOL_MAX', 20, 1, 1000);
  const mongodbPoolMin = integer(reader, 'MONGODB_POOL_MIN', 0, 0, 1000);
  if (mongodbPoolMin > mongodbPoolMax) {
    reader.problems.push('MONGODB_POOL_MIN must not be larger than MONGODB_POOL_MAX.');
  }
  const mongodbTimeoutMs = integer(reader, 'MONGODB_TIMEOUT_MS', 10_000, 100, 600_000);
  const redisUrl = url(reader, 'REDIS_URL', ['redis:', 'rediss:']);
  const jwtSecret = raw(reader, 'JWT_SECRET');
  if (jwtSecret === undefined && nodeEnv === 'production') {
    reader.problems.push(
      `JWT_SECRET is required in production (at least ${MIN_SECRET_LENGTH} characters).`,
    );
  } else if (jwtSecret !== undefined && jwtSecret.length < MIN_SECRET_LENGTH) {
    reader.problems.push(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters long.`);
  }
  const sentryDsn = url(reader, 'SENTRY_DSN', ['http:', 'https:']);
  const logLevel = oneOf(reader, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'warn' : 'info');
  const accessTokenTtlSeconds = integer(reader, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400);
  const refreshTokenTtlDays = integer(reader, 'REFRESH_TOKEN_TTL_DAYS', 30, 1, 365);
  const tombstoneRetentionDays = integer(reader, 'TOMBSTONE_RETENTION_DAYS', 90, 1, 3650);
  const backupIntervalHours = integer(reader, 'BACKUP_INTERVAL_HOURS', 24, 0, 8760);
  const backupDirValue = raw(reader, 'BACKUP_DIR');
  const backupDir = backupDirValue ? resolve(backupDirValue) : join(dataDir, 'backups');
  const backupKeep = integer(reader, 'BACKUP_KEEP', 14, 1, 10_000);
  if (reader.problems.length > 0) return { ok: false, problems: reader.problems };
  return {
    ok: true,
    env: {
      port,
      host,
      dataDir,
      mongodbUrl,
      mongodbPoolMax,
      mongodbPoolMin,
      mongodbTimeoutMs,
      redisUrl,
      ...(jwtSecret === undefined ? {} : { jwtSecret }),
      sentryDsn,
      logLevel,
      nodeEnv,
      accessTokenTtlSeconds,
      refreshTokenTtlDays,
      tombstoneRetentionDays,
      backupIntervalHours,
      backupDir,
      backupKeep,
    },
  };
}

/** Reads the development secret from DATA_DIR, creating it (0600) the first time. */
function developmentSecret(dataDir: string, notice: (message: string) => void): string {
  const file = join(dataDir, GENERATED_SECRET_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= MIN_SECRET_LENGTH) {
      notice(`JWT_SECRET is not set: using the development secret in ${file}.`);
      return stored;
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(64).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  notice(
    `JWT_SECRET is not set: generated a development secret into ${file} (set JWT_SECRET in production).`,
  );
  return secret;
}

/**
 * Parses the environment or throws one EnvError naming every problem. `notice` hears about
 * generated secrets (it gets no secret values).
 */
export function loadEnv(
  source: EnvSource = process.env,
  notice: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
): ServerEnv {
  const parsed = parseEnv(source);
  if (!parsed.ok) throw new EnvError(parsed.problems);
  const jwtSecret = parsed.env.jwtSecret ?? developmentSecret(parsed.env.dataDir, notice);
  return { ...parsed.env, jwtSecret };
}

/** What `openStore` needs from the environment; the server and the admin CLI both use this. */
export function storeConfigFromEnv(
  env: Pick<
    ServerEnv,
    'dataDir' | 'mongodbUrl' | 'mongodbPoolMax' | 'mongodbPoolMin' | 'mongodbTimeoutMs'
  >,
): StoreConfig {
  return {
    dataDir: env.dataDir,
    mongodbUrl: env.mongodbUrl,
    mongodbMaxPoolSize: env.mongodbPoolMax,
    mongodbMinPoolSize: env.mongodbPoolMin,
    mongodbServerSelectionTimeoutMs: env.mongodbTimeoutMs,
    mongodbConnectTimeoutMs: env.mongodbTimeoutMs,
  };
}
