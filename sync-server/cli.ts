// `npm run admin -- <command>`: clinic and user administration, devices, the demo clinic, backup
// and restore. Same environment as the server (DATA_DIR / MONGODB_URL select the store; backup and
// restore work on the embedded SQLite file only).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CURRENCIES, STAFF_ROLES, type StaffRole } from '../shared/domain/enums';
import { newId } from '../shared/domain/ids';
import { clinicToday, isCalendarDate } from '../shared/domain/time';
import { demoLogins, resolveDemoClinicOptions } from '../shared/demo/index';
import { seedDemoDocuments } from './demo-seed';
import { hashPassword, passwordProblem } from './auth/passwords';
import {
  backupSqliteStore,
  backupSqliteStoreToDir,
  BackupVerificationError,
  restoreSqliteStore,
  type BackupResult,
} from './backup/sqlite-backup';
import { EnvError, loadEnv, storeConfigFromEnv, type ServerEnv } from './env';
import { MONGODB_BACKUP_ADVICE, prepareBackupDir } from './ops/maintenance';
import { openStore, sqliteStoreFile } from './store/index';
import type { SyncStore } from './store/types';

export class CliError extends Error {}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Reads a secret without echo (TOPSMILE_PASSWORD wins when set). */
  readSecret(prompt: string): Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

type CommandArgs = { values: Record<string, unknown>; positionals: string[] };

interface CommandBase {
  readonly usage: string;
  readonly summary: string;
  readonly options?: ParseArgsConfig['options'];
}

/** Works through the store the environment selects. */
interface StoreCommand extends CommandBase {
  run(args: CommandArgs, store: SyncStore, io: CliIo, env: ServerEnv): Promise<void>;
}

/** Works on the embedded store's file, which it must not hold open (backup, restore). */
interface SqliteFileCommand extends CommandBase {
  run(args: CommandArgs, storeFile: string, io: CliIo, env: ServerEnv): Promise<void>;
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new CliError(`--${name} is required.`);
  return value.trim();
}

async function findClinicUser(store: SyncStore, clinicId: string, email: string) {
  const user = await store.findUserByEmail(clinicId, email);
  if (!user) throw new CliError(`No user ${email} in clinic ${clinicId}.`);
  return user;
}

async function assertClinic(store: SyncStore, clinicId: string): Promise<void> {
  if (!(await store.getClinic(clinicId))) throw new CliError(`No clinic with id ${clinicId}.`);
}

/** A path typed by the user: `npm run` moves to the repository root, INIT_CWD is where they were. */
function shellPath(io: CliIo, path: string): string {
  return resolve(io.env['INIT_CWD'] ?? process.cwd(), path);
}

function printBackup(io: CliIo, result: BackupResult): void {
  io.out(`Backup written: ${result.file}`);
  io.out(`  size    ${result.manifest.size} bytes`);
  io.out(`  sha256  ${result.manifest.sha256}`);
  io.out(`  manifest ${result.manifestFile} (keep it beside the backup: restore verifies with it)`);
}

const STORE_COMMANDS: Record<string, StoreCommand> = {
  'clinic create': {
    usage: 'clinic create <name> [--time-zone America/Sao_Paulo] [--currency BRL]',
    summary: 'Creates a clinic and prints its id.',
    options: { 'time-zone': { type: 'string' }, currency: { type: 'string' } },
    async run({ values, positionals }, store, io) {
      const name = positionals.join(' ').trim();
      if (!name) throw new CliError('Give the clinic a name: clinic create "Smile Dental".');
      const timeZone = (values['time-zone'] as string | undefined) ?? 'America/Sao_Paulo';
      try {
        new Intl.DateTimeFormat('en', { timeZone });
      } catch {
        throw new CliError(`--time-zone must be an IANA zone such as America/Sao_Paulo.`);
      }
      const currency = ((values['currency'] as string | undefined) ?? 'BRL').toUpperCase();
      if (!(CURRENCIES as readonly string[]).includes(currency)) {
        throw new CliError(`--currency must be one of ${CURRENCIES.join(', ')}.`);
      }
      const id = newId();
      await store.createClinic({
        id,
        name,
        timeZone,
        currency,
        createdAt: new Date().toISOString(),
      });
      io.out(id);
    },
  },
  'clinic list': {
    usage: 'clinic list',
    summary: 'Lists the clinics (id, name).',
    async run(_args, store, io) {
      for (const clinic of await store.listClinics()) io.out(`${clinic.id}\t${clinic.name}`);
    },
  },
  'user add': {
    usage:
      'user add --clinic <id> --email <e> --role <admin|dentist|hygienist|front_desk> [--name <n>]',
    summary: 'Adds a user; the password comes from TOPSMILE_PASSWORD or a prompt.',
    options: {
      clinic: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'provider-id': { type: 'string' },
    },
    async run({ values }, store, io) {
      const clinicId = required(values, 'clinic');
      const email = required(values, 'email');
      const role = required(values, 'role');
      if (!(STAFF_ROLES as readonly string[]).includes(role)) {
        throw new CliError(`--role must be one of ${STAFF_ROLES.join(', ')}.`);
      }
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        throw new CliError('--email is not an email address.');
      await assertClinic(store, clinicId);
      const password = io.env['TOPSMILE_PASSWORD'] ?? (await io.readSecret('Password: '));
      const problem = passwordProblem(password);
      if (problem) throw new CliError(problem);
      const id = newId();
      await store.createUser({
        id,
        clinicId,
        email,
        name: (values['name'] as string | undefined) ?? email.split('@')[0] ?? email,
        role: role as StaffRole,
        passwordHash: await hashPassword(password),
        disabled: false,
        providerId: (values['provider-id'] as string | undefined) ?? null,
        createdAt: new Date().toISOString(),
      });
      io.out(id);
    },
  },
  'user disable': {
    usage: 'user disable --clinic <id> --email <e>',
    summary: 'Disables a user: no new logins, existing tokens stop working.',
    options: { clinic: { type: 'string' }, email: { type: 'string' } },
    async run({ values }, store, io) {
      const clinicId = required(values, 'clinic');
      const user = await findClinicUser(store, clinicId, required(values, 'email'));
      await store.setUserDisabled(clinicId, user.id, true);
      const at = new Date().toISOString();
      for (const device of await store.listDevices(clinicId)) {
        if (device.userId === user.id) await store.revokeDeviceTokens(clinicId, device.id, at);
      }
      io.out(`Disabled ${user.email}.`);
    },
  },
  'device list': {
    usage: 'device list --clinic <id>',
    summary: 'Lists the workstations that signed in (id, name, user, last seen, revoked).',
    options: { clinic: { type: 'string' } },
    async run({ values }, store, io) {
      const clinicId = required(values, 'clinic');
      await assertClinic(store, clinicId);
      const users = new Map((await store.listUsers(clinicId)).map((user) => [user.id, user.email]));
      for (const device of await store.listDevices(clinicId)) {
        io.out(
          [
            device.id,
            device.name,
            users.get(device.userId) ?? device.userId,
            device.lastSeenAt,
            device.revokedAt ?? 'active',
          ].join('\t'),
        );
      }
    },
  },
  'device revoke': {
    usage: 'device revoke --clinic <id> --device <id>',
    summary: 'Revokes a lost workstation: its tokens stop working at once.',
    options: { clinic: { type: 'string' }, device: { type: 'string' } },
    async run({ values }, store, io) {
      const clinicId = required(values, 'clinic');
      const deviceId = required(values, 'device');
      const at = new Date().toISOString();
      if (!(await store.revokeDevice(clinicId, deviceId, at))) {
        throw new CliError(`No device ${deviceId} in clinic ${clinicId}.`);
      }
      await store.revokeDeviceTokens(clinicId, deviceId, at);
      io.out(`Revoked ${deviceId}.`);
    },
  },
  'seed-demo': {
    usage: 'seed-demo [--patients N] [--seed N] [--today YYYY-MM-DD]',
    summary:
      'Creates the demo clinic with one login per staff member and prints the logins. Its ' +
      'schedule runs from a year before --today (default: the clinic’s today) to six weeks after.',
    options: { patients: { type: 'string' }, seed: { type: 'string' }, today: { type: 'string' } },
    async run({ values }, store, io) {
      const patients = Number((values['patients'] as string | undefined) ?? '500');
      if (!Number.isInteger(patients) || patients < 1 || patients > 1_000_000) {
        throw new CliError('--patients must be a whole number from 1 to 1000000.');
      }
      const seed = values['seed'] === undefined ? undefined : Number(values['seed']);
      const today = values['today'] as string | undefined;
      if (today !== undefined && !isCalendarDate(today)) {
        throw new CliError('--today must be a real date written YYYY-MM-DD.');
      }
      const base = { patients, clinicId: newId(), ...(seed === undefined ? {} : { seed }) };
      // A demo is explored on the day it is made: its schedule is built around the clinic's today.
      const options = resolveDemoClinicOptions({
        ...base,
        today: today ?? clinicToday(resolveDemoClinicOptions(base).timeZone),
      });
      const createdAt = new Date().toISOString();
      await store.createClinic({
        id: options.clinicId,
        name: `TopSmile Demo ${options.clinicId.slice(-6)}`,
        timeZone: options.timeZone,
        currency: options.currency,
        createdAt,
      });
      const lines: string[] = [];
      for (const login of demoLogins(options)) {
        const password = randomBytes(12).toString('base64url');
        await store.createUser({
          id: login.staffId,
          clinicId: options.clinicId,
          email: login.email,
          name: login.name,
          role: login.role,
          passwordHash: await hashPassword(password),
          disabled: false,
          providerId: login.providerId,
          createdAt,
        });
        lines.push(`${login.role.padEnd(10)} ${login.email}  ${password}`);
      }
      let written: number;
      try {
        written = (await seedDemoDocuments(store, options)).documents;
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      io.out(`Demo clinic ${options.clinicId} with ${written} documents.`);
      io.out('Logins (passwords are shown once):');
      for (const line of lines) io.out(`  ${line}`);
    },
  },
};

const SQLITE_FILE_COMMANDS: Record<string, SqliteFileCommand> = {
  backup: {
    usage: 'backup [--out FILE]',
    summary:
      'Writes a consistent snapshot with a sha-256 manifest (safe while the server runs); by default into BACKUP_DIR, keeping BACKUP_KEEP.',
    options: { out: { type: 'string' } },
    async run({ values }, storeFile, io, env) {
      const out = values['out'] as string | undefined;
      if (out !== undefined) {
        printBackup(io, await backupSqliteStore(storeFile, shellPath(io, out)));
        return;
      }
      prepareBackupDir(env.backupDir);
      const result = await backupSqliteStoreToDir(storeFile, env.backupDir, {
        keep: env.backupKeep,
      });
      printBackup(io, result);
      if (result.pruned.length > 0) {
        io.out(`Removed ${result.pruned.length} older backup(s) (BACKUP_KEEP=${env.backupKeep}).`);
      }
    },
  },
  restore: {
    usage: 'restore <FILE>',
    summary:
      'Verifies a backup (checksum, integrity, tables, schema), then replaces the store with it, keeping the previous file. Stop the server first.',
    async run({ positionals }, storeFile, io) {
      const [backupFile, ...extra] = positionals;
      if (!backupFile || extra.length > 0) {
        throw new CliError('Give one backup file: restore <FILE>.');
      }
      const result = await restoreSqliteStore(shellPath(io, backupFile), storeFile);
      io.out(`Restored ${storeFile}`);
      io.out(`  from the backup taken ${result.manifest.createdAt} (sha256 verified)`);
      io.out(
        result.previousFile
          ? `  the previous store was kept as ${result.previousFile}`
          : '  there was no store before',
      );
    },
  },
};

const COMMANDS: Record<string, CommandBase> = { ...STORE_COMMANDS, ...SQLITE_FILE_COMMANDS };

function helpText(): string {
  return [
    'Usage: npm run admin -- <command> [options]   (each command takes --help)',
    '',
    ...Object.values(COMMANDS).map((command) => `  ${command.usage}\n      ${command.summary}`),
  ].join('\n');
}

/** Runs one CLI invocation; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const key = [argv.slice(0, 2).join(' '), argv[0] ?? ''].find(
    (candidate) => candidate in COMMANDS,
  );
  if (!key || argv[0] === '--help' || argv[0] === 'help') {
    (key || argv[0] === '--help' || argv[0] === 'help' ? io.out : io.err)(helpText());
    return argv[0] === '--help' || argv[0] === 'help' ? 0 : 2;
  }
  const command = COMMANDS[key] as CommandBase;
  const rest = argv.slice(key.split(' ').length);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: ${command.usage}`);
    return 2;
  }
  if (parsed.values['help']) {
    io.out(`Usage: npm run admin -- ${command.usage}\n${command.summary}`);
    return 0;
  }
  let env: ServerEnv;
  try {
    env = loadEnv(io.env, io.err);
  } catch (error) {
    if (error instanceof EnvError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  const args = {
    values: parsed.values as Record<string, unknown>,
    positionals: parsed.positionals,
  };
  const fileCommand = SQLITE_FILE_COMMANDS[key];
  if (fileCommand) {
    if (env.mongodbUrl) {
      io.err(
        `${key} is for the embedded SQLite store and MONGODB_URL is set. ${MONGODB_BACKUP_ADVICE}`,
      );
      return 2;
    }
    return reportFailure(io, () => fileCommand.run(args, sqliteStoreFile(env.dataDir), io, env));
  }
  const storeCommand = STORE_COMMANDS[key] as StoreCommand;
  return reportFailure(io, async () => {
    const store = await openStore(storeConfigFromEnv(env));
    try {
      await storeCommand.run(args, store, io, env);
    } finally {
      await store.close();
    }
  });
}

/** Runs the work; a failure becomes one line on stderr (never a stack) and exit code 1. */
async function reportFailure(io: CliIo, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(error.message);
    } else if (error instanceof BackupVerificationError) {
      io.err(`Refused: ${error.message}. Nothing was changed.`);
    } else {
      io.err(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 1;
  }
}

async function readSecretFromTerminal(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  if (!stdin.isTTY) {
    // Piped input: read one line.
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) {
      chunks.push(chunk as Buffer);
      if (Buffer.concat(chunks).includes(10)) break;
    }
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  return new Promise((resolve, reject) => {
    let secret = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(secret);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new CliError('Cancelled.'));
          return;
        }
        secret = char === '\u007f' ? secret.slice(0, -1) : secret + char;
      }
    };
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readSecret: readSecretFromTerminal,
    env: process.env,
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
