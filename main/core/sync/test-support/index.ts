// Test helpers for the sync client: a real sync server in a child process (so it can be stopped
// and brought back on the same port with its data), workstations with their own folders, and a
// few document makers. Used by the *.test.ts files here and the kill -9 fixture.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { getChangedDocumentsSince, type RxCollection } from 'rxdb';
import type { SyncStatus } from '../../../../shared/api/views';
import type { StaffRole } from '../../../../shared/domain/enums';
import { newId } from '../../../../shared/domain/ids';
import {
  COLLECTION_NAMES,
  derivePatientSearchFields,
  patientForServer,
  type Appointment,
  type ClinicDatabase,
  type CollectionName,
  type Patient,
} from '../../../../shared/domain/schemas/index';
import { clinicDatabaseName, openClinicDatabase } from '../../database';
import { ConflictLog, CONFLICT_LOG_FILE } from '../conflict-log';
import { SyncController, type SyncControllerOptions } from '../controller';
import { SessionManager } from '../session';
import { FileTokenVault, loadOrCreateKeyFile } from '../token-vault';

const SERVER_FIXTURE = fileURLToPath(new URL('./sync-server-process.ts', import.meta.url));

export interface ServerProcessOptions {
  readonly dataDir: string;
  readonly port?: number;
  readonly clockOffsetMs?: number;
  readonly accessTtlSeconds?: number;
}

export interface ServerInfo {
  readonly url: string;
  readonly port: number;
  readonly password: string;
  readonly clinicId: string;
  readonly name: string;
  readonly emails: Record<StaffRole, string>;
  readonly ids: Record<StaffRole, string>;
}

/** Runs a TypeScript file with tsx in a child Node process. */
export function spawnTs(file: string, env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolves with the first stdout line `match` accepts (JSON-parsed); rejects on exit or timeout. */
export function nextLine<T>(
  child: ChildProcessWithoutNullStreams,
  match: (value: Record<string, unknown>) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    let stderr = '';
    const onErr = (chunk: Buffer): void => {
      stderr += chunk.toString();
    };
    child.stderr.on('data', onErr);
    const done = (): void => {
      clearTimeout(timer);
      lines.close();
      child.stderr.off('data', onErr);
      child.off('exit', onExit);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`child exited (${code}) before answering: ${stderr.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`child did not answer in ${timeoutMs} ms: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('exit', onExit);
    lines.on('line', (line) => {
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (match(value)) {
        done();
        resolve(value as T);
      }
    });
  });
}

export class ServerProcess {
  readonly info: ServerInfo;
  private readonly child: ChildProcessWithoutNullStreams;

  private constructor(child: ChildProcessWithoutNullStreams, info: ServerInfo) {
    this.child = child;
    this.info = info;
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    await mkdir(options.dataDir, { recursive: true });
    const child = spawnTs(SERVER_FIXTURE, {
      DATA_DIR: options.dataDir,
      PORT: String(options.port ?? 0),
      CLOCK_OFFSET_MS: String(options.clockOffsetMs ?? 0),
      ACCESS_TTL_SECONDS: String(options.accessTtlSeconds ?? 900),
    });
    try {
      const info = await nextLine<ServerInfo>(child, (value) => value['ready'] === true);
      return new ServerProcess(child, info);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  get url(): string {
    return this.info.url;
  }

  /** Deletes tombstones older than `before` on the server, raising its history floor. */
  async purgeTombstones(before: string): Promise<{ purged: number; floor: number }> {
    const answer = nextLine<{ purged: number; floor: number }>(this.child, (v) => 'purged' in v);
    this.child.stdin.write(`purge ${before}\n`);
    return answer;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export interface Workstation {
  readonly dir: string;
  readonly session: SessionManager;
  readonly conflicts: ConflictLog;
  readonly controller: SyncController;
  db: ClinicDatabase | undefined;
  /** Opens the clinic database of the signed-in session and starts syncing. */
  startSync(): Promise<ClinicDatabase>;
  close(): Promise<void>;
}

export async function openWorkstation(
  dir: string,
  options: Partial<Omit<SyncControllerOptions, 'session' | 'conflicts'>> = {},
): Promise<Workstation> {
  await mkdir(dir, { recursive: true });
  const key = await loadOrCreateKeyFile(join(dir, 'vault.key'));
  const session = await SessionManager.open({
    userDataDir: dir,
    vault: new FileTokenVault({ file: join(dir, 'tokens.enc'), key }),
    deviceName: `test-${dir.slice(-8)}`,
  });
  const conflicts = new ConflictLog(join(dir, CONFLICT_LOG_FILE));
  const controller = new SyncController({
    session,
    conflicts,
    backoff: { baseMs: 200, capMs: 2000 },
    ...options,
  });
  const station: Workstation = {
    dir,
    session,
    conflicts,
    controller,
    db: undefined,
    async startSync() {
      const clinicId = session.get().clinicId;
      if (!clinicId) throw new Error('sign in first');
      station.db ??= await openClinicDatabase({
        directory: join(dir, 'db'),
        // RxDB closes a second database of the same name in one process: one name per station.
        name: `${clinicDatabaseName(clinicId)}_${basename(dir)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')}`,
      });
      await controller.start(station.db);
      return station.db;
    },
    async close() {
      await controller.stop();
      await station.db?.close();
      station.db = undefined;
      conflicts.close();
    },
  };
  return station;
}

export async function signInAs(
  station: Workstation,
  server: ServerInfo,
  role: StaffRole,
): Promise<void> {
  await station.session.signIn({
    serverUrl: server.url,
    clinic: server.clinicId,
    email: server.emails[role],
    password: server.password,
  });
}

export function makePatient(
  clinicId: string,
  userId: string,
  fields: Partial<Patient> = {},
): Patient {
  const id = fields.id ?? newId();
  const firstName = fields.firstName ?? 'Ana';
  const lastName = fields.lastName ?? 'Souza';
  const phones = fields.phones ?? [{ kind: 'mobile' as const, number: '+55 11 90000-0000' }];
  return {
    id,
    clinicId,
    updatedAt: new Date().toISOString(),
    updatedBy: userId,
    birthDate: '1990-05-01',
    sex: 'female',
    insurance: [],
    allergies: [],
    medicalAlerts: [],
    status: 'active',
    familyId: id,
    guarantorId: id,
    ...fields,
    firstName,
    lastName,
    phones,
    ...derivePatientSearchFields({ firstName, lastName, phones }),
  };
}

export function makeAppointment(
  clinicId: string,
  userId: string,
  fields: Pick<Appointment, 'patientId' | 'providerId' | 'operatoryId' | 'start' | 'end'>,
): Appointment {
  return {
    id: newId(),
    clinicId,
    updatedAt: new Date().toISOString(),
    updatedBy: userId,
    typeId: newId(),
    status: 'scheduled',
    confirmation: 'unconfirmed',
    arrivedAt: null,
    seatedAt: null,
    dismissedAt: null,
    flags: [],
    ...fields,
  };
}

/** Every document of the clinic as the server holds it, read over HTTP like a client would. */
export async function serverDocuments(
  server: ServerInfo,
  role: StaffRole = 'admin',
): Promise<Record<CollectionName, Record<string, unknown>[]>> {
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clinic: server.clinicId,
      email: server.emails[role],
      password: server.password,
      deviceName: 'test reader',
    }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const result = {} as Record<CollectionName, Record<string, unknown>[]>;
  for (const collection of COLLECTION_NAMES) {
    const docs: Record<string, unknown>[] = [];
    let checkpoint: unknown = null;
    for (;;) {
      const response = await fetch(`${server.url}/v1/sync/${collection}/pull`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ checkpoint, limit: 500 }),
      });
      const page = (await response.json()) as {
        documents: Record<string, unknown>[];
        checkpoint: unknown;
      };
      docs.push(...page.documents);
      if (page.documents.length < 500) break;
      checkpoint = page.checkpoint;
    }
    result[collection] = docs.sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
  }
  return result;
}

/** Every document of a workstation's replica, deleted ones included, in the server's form. */
export async function localDocuments(
  db: ClinicDatabase,
): Promise<Record<CollectionName, Record<string, unknown>[]>> {
  const result = {} as Record<CollectionName, Record<string, unknown>[]>;
  for (const collection of COLLECTION_NAMES) {
    const instance = (db[collection] as RxCollection).storageInstance;
    const docs: Record<string, unknown>[] = [];
    let checkpoint: unknown;
    for (;;) {
      const page = await getChangedDocumentsSince(instance, 500, checkpoint as never);
      for (const doc of page.documents) {
        const { _meta: _m, _rev: _r, _attachments: _a, ...data } = doc as Record<string, unknown>;
        docs.push(collection === 'patients' ? patientForServer(data) : data);
      }
      if (page.documents.length < 500) break;
      checkpoint = page.checkpoint;
    }
    result[collection] = docs.sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
  }
  return result;
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const STATION_FIXTURE = fileURLToPath(new URL('./workstation-process.ts', import.meta.url));

/** A workstation core in a child process (see workstation-process.ts). */
export class WorkstationProcess {
  readonly dir: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly listeners = new Set<(event: Record<string, unknown>) => void>();
  private stderr = '';

  private constructor(dir: string, child: ChildProcessWithoutNullStreams) {
    this.dir = dir;
    this.child = child;
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (typeof message['id'] === 'number') {
        const waiter = this.waiting.get(message['id']);
        this.waiting.delete(message['id']);
        if (message['ok']) waiter?.resolve(message['result']);
        else waiter?.reject(new Error(String(message['error'])));
      } else if (message['event']) {
        for (const listener of this.listeners) listener(message);
      }
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.values()) {
        waiter.reject(new Error(`workstation exited (${code ?? signal}): ${this.stderr}`));
      }
      this.waiting.clear();
    });
  }

  static async start(
    dir: string,
    env: { backoffBaseMs?: number; backoffCapMs?: number; batchSize?: number } = {},
  ): Promise<WorkstationProcess> {
    await mkdir(dir, { recursive: true });
    const child = spawnTs(STATION_FIXTURE, {
      STATION_DIR: dir,
      BACKOFF_BASE_MS: String(env.backoffBaseMs ?? 200),
      BACKOFF_CAP_MS: String(env.backoffCapMs ?? 2000),
      BATCH_SIZE: String(env.batchSize ?? 200),
    });
    try {
      await nextLine(child, (value) => value['ready'] === true, 60_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return new WorkstationProcess(dir, child);
  }

  call<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  }

  onEvent(listener: (event: Record<string, unknown>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signIn(server: ServerInfo, role: StaffRole): Promise<unknown> {
    return this.call('signIn', {
      serverUrl: server.url,
      clinic: server.clinicId,
      email: server.emails[role],
      password: server.password,
    });
  }

  status(): Promise<SyncStatus> {
    return this.call<SyncStatus>('status');
  }

  /** kill -9: no chance to flush or close anything. */
  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.call('close').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
