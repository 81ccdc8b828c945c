import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids';
import { startServer } from '../server';
import { openStore, sqliteStoreFile } from '../store/index';
import { openSqliteStore } from '../store/sqlite-store';
import type { ReplicatedDocument, SyncStore } from '../store/types';
import { makeTempDir, testEnv } from '../test-support/harness';
import { createLogger } from './logger';
import { MONGODB_BACKUP_ADVICE, startMaintenance, tombstoneCutoff } from './maintenance';

const temp = makeTempDir('topsmile-maintenance-');
afterAll(() => temp.cleanup());

const DAY_MS = 86_400_000;
/** Long enough that a timer with it never fires during a test. */
const NEVER = 3_600_000;

type LogLine = { msg: string; level: number } & Record<string, unknown>;

function captureLogger() {
  const lines: LogLine[] = [];
  const logger = createLogger('debug', {
    write: (line: string) => void lines.push(JSON.parse(line) as LogLine),
  });
  const count = (msg: string): number => lines.filter((line) => line.msg === msg).length;
  return { logger, lines, count };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function backupsIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.sqlite')) : [];
}

async function storeWithClinic(dataDir: string): Promise<SyncStore> {
  const store = await openStore({ dataDir });
  await store.createClinic({
    id: newId(),
    name: 'Maintenance Clinic',
    timeZone: 'America/Sao_Paulo',
    currency: 'BRL',
    createdAt: new Date().toISOString(),
  });
  return store;
}

describe('scheduled backups', () => {
  it('takes one every interval, keeps BACKUP_KEEP of them, and stops when told', async () => {
    const dataDir = join(temp.dir, 'interval');
    const store = await storeWithClinic(dataDir);
    const { logger, lines, count } = captureLogger();
    const env = testEnv(dataDir, { backupIntervalHours: 24, backupKeep: 2 });
    const maintenance = startMaintenance({
      env,
      store,
      logger,
      timing: { backupIntervalMs: 40, startupDelayMs: NEVER, purgeIntervalMs: NEVER },
    });
    try {
      await until(() => count('backup written') >= 3);
    } finally {
      await maintenance.stop();
    }
    const written = count('backup written');
    expect(backupsIn(env.backupDir)).toHaveLength(2);
    expect(statSync(env.backupDir).mode & 0o777).toBe(0o700);
    const last = lines.filter((line) => line.msg === 'backup written').at(-1);
    expect(last).toMatchObject({ pruned: 1, task: 'maintenance' });
    expect(last?.['sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(backupsIn(env.backupDir)).toContain((last?.['file'] as string).split('/').at(-1));

    await sleep(200);
    expect(count('backup written')).toBe(written);
    await store.close();
  });

  it('catches up at start only when the newest backup is older than one interval', async () => {
    const dataDir = join(temp.dir, 'catch-up');
    const store = await storeWithClinic(dataDir);
    const env = testEnv(dataDir, { backupIntervalHours: 24 });
    const timing = { startupDelayMs: 0, purgeIntervalMs: NEVER };
    const run = async (now: Date, expected: string): Promise<void> => {
      const { logger, count } = captureLogger();
      const maintenance = startMaintenance({ env, store, logger, timing, now: () => now });
      try {
        await until(() => count(expected) === 1);
      } finally {
        await maintenance.stop();
      }
    };

    await run(new Date(), 'backup written');
    expect(backupsIn(env.backupDir)).toHaveLength(1);
    await run(new Date(Date.now() + 23 * 3_600_000), 'newest backup is recent: no catch-up');
    expect(backupsIn(env.backupDir)).toHaveLength(1);
    await run(new Date(Date.now() + 25 * 3_600_000), 'backup written');
    expect(backupsIn(env.backupDir)).toHaveLength(2);
    await store.close();
  });

  it('takes none with BACKUP_INTERVAL_HOURS=0, nor for a MongoDB deployment', async () => {
    for (const [name, overrides] of [
      ['off', { backupIntervalHours: 0 }],
      ['mongo', { mongodbUrl: 'mongodb://127.0.0.1:1/topsmile' }],
    ] as const) {
      const dataDir = join(temp.dir, name);
      const store = await storeWithClinic(dataDir);
      const { logger, lines } = captureLogger();
      const env = testEnv(dataDir, { backupIntervalHours: 24, ...overrides });
      const maintenance = startMaintenance({
        env,
        store,
        logger,
        timing: { startupDelayMs: 0, purgeIntervalMs: NEVER },
      });
      await sleep(150);
      await maintenance.stop();
      await store.close();
      expect(backupsIn(env.backupDir)).toEqual([]);
      const said = lines.map((line) => line.msg).join('\n');
      expect(said).toContain(name === 'off' ? 'scheduled backups are off' : MONGODB_BACKUP_ADVICE);
    }
  });
});

describe('tombstone purge', () => {
  const patient = (id: string, deleted: boolean): ReplicatedDocument => ({
    id,
    firstName: 'Zebulon',
    lastName: 'Quixotewright',
    _deleted: deleted,
  });

  /** Writes `id` and deletes it with the store's clock at `at`. */
  async function tombstone(
    store: SyncStore,
    clock: { at: Date },
    clinicId: string,
    id: string,
    at: Date,
  ) {
    clock.at = at;
    await store.push(clinicId, 'patients', [{ newDocumentState: patient(id, false) }]);
    await store.push(clinicId, 'patients', [
      { newDocumentState: patient(id, true), assumedMasterState: patient(id, false) },
    ]);
  }

  it('removes, in every clinic, the tombstones older than TOMBSTONE_RETENTION_DAYS only', async () => {
    const dataDir = join(temp.dir, 'purge');
    const clock = { at: new Date() };
    const store = await openSqliteStore({ file: sqliteStoreFile(dataDir), now: () => clock.at });
    const now = new Date('2030-06-01T12:00:00.000Z');
    const clinics = [newId(), newId()];
    for (const id of clinics) {
      await store.createClinic({
        id,
        name: `Clinic ${id.slice(-4)}`,
        timeZone: 'America/Sao_Paulo',
        currency: 'BRL',
        createdAt: now.toISOString(),
      });
    }
    const [clinicA, clinicB] = clinics as [string, string];
    await tombstone(store, clock, clinicA, 'old-a', new Date(now.getTime() - 91 * DAY_MS));
    await tombstone(store, clock, clinicA, 'recent-a', new Date(now.getTime() - 89 * DAY_MS));
    await tombstone(store, clock, clinicB, 'old-b', new Date(now.getTime() - 200 * DAY_MS));
    await store.push(clinicA, 'patients', [{ newDocumentState: patient('live-a', false) }]);

    const { logger, lines } = captureLogger();
    const maintenance = startMaintenance({
      env: testEnv(dataDir, { tombstoneRetentionDays: 90 }),
      store,
      logger,
      now: () => now,
      timing: { startupDelayMs: NEVER, purgeIntervalMs: NEVER },
    });
    try {
      expect(await maintenance.purgeTombstonesNow()).toBe(2);
    } finally {
      await maintenance.stop();
    }
    const remainingA = await store.pull(clinicA, 'patients', null, 100);
    expect(remainingA.documents.map((doc) => doc.id).sort()).toEqual(['live-a', 'recent-a']);
    expect((await store.pull(clinicB, 'patients', null, 100)).documents).toEqual([]);
    expect(await store.historyFloor(clinicA)).toBeGreaterThan(0);
    expect(await store.historyFloor(clinicB)).toBeGreaterThan(0);
    expect(lines.find((line) => line.msg === 'tombstone purge done')).toMatchObject({
      clinics: 2,
      removed: 2,
      failed: 0,
      before: tombstoneCutoff(now, 90),
    });
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('Zebulon');
    expect(logged).not.toContain('Quixotewright');
    await store.close();
  });

  it('runs after start-up and then on its interval until stopped', async () => {
    const dataDir = join(temp.dir, 'purge-schedule');
    const store = await storeWithClinic(dataDir);
    const { logger, count } = captureLogger();
    const maintenance = startMaintenance({
      env: testEnv(dataDir),
      store,
      logger,
      timing: { startupDelayMs: 0, purgeIntervalMs: 30 },
    });
    try {
      await until(() => count('tombstone purge done') >= 3);
    } finally {
      await maintenance.stop();
    }
    const runs = count('tombstone purge done');
    await sleep(150);
    expect(count('tombstone purge done')).toBe(runs);
    await store.close();
  });

  it('is cut to the retention period', () => {
    expect(tombstoneCutoff(new Date('2030-06-01T00:00:00.000Z'), 90)).toBe(
      '2030-03-03T00:00:00.000Z',
    );
  });
});

describe('startServer', () => {
  it('starts maintenance with the server and stops it on shutdown', async () => {
    const dataDir = join(temp.dir, 'server');
    const env = testEnv(dataDir, { backupIntervalHours: 24 });
    const { logger, count } = captureLogger();
    const server = await startServer(env, {
      logger,
      maintenanceTiming: { backupIntervalMs: 40, startupDelayMs: 0, purgeIntervalMs: 40 },
    });
    try {
      await until(() => count('backup written') >= 2 && count('tombstone purge done') >= 2);
    } finally {
      await server.shutdown('test');
    }
    const backups = count('backup written');
    const purges = count('tombstone purge done');
    await sleep(200);
    expect(count('backup written')).toBe(backups);
    expect(count('tombstone purge done')).toBe(purges);
    expect(backupsIn(env.backupDir).length).toBe(backups);
  });
});
