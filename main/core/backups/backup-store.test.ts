import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clinicDatabaseFile, openClinicDatabase } from '../database';
import { createBackupStore, type BackupStore } from './backup-store';
import { addPatients, patientLastNames, temporaryFolder } from './test-support';

const NAME = 'clinic_backuptest';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const folder = temporaryFolder('topsmile-backups-');
  cleanups.push(folder.remove);
  const dataDir = join(folder.path, 'data');
  const file = clinicDatabaseFile(dataDir, NAME);
  const store = createBackupStore({ databaseFile: file, directory: join(folder.path, 'backups') });
  const state = {
    db: await openClinicDatabase({ directory: dataDir, name: NAME, backups: store }),
  };
  cleanups.push(() => state.db.close().then(() => undefined));
  const hooks = {
    closeDatabase: async () => {
      await state.db.close();
    },
    reopenDatabase: async () => {
      state.db = await openClinicDatabase({ directory: dataDir, name: NAME, backups: store });
    },
  };
  return { folder, file, store, state, hooks };
}

describe('backups', () => {
  it('round-trips: back up live data, change it, restore, and undo the restore', async () => {
    const { store, state, hooks } = await setup();
    await addPatients(state.db, ['Alpha', 'Bravo']);
    // Taken while the database is open and in WAL mode.
    const first = await store.createBackup('manual');
    await addPatients(state.db, ['Charlie']);
    await state.db.patients.findOne({ selector: { lastName: 'Alpha' } }).remove();
    expect(await patientLastNames(state.db)).toEqual(['Bravo', 'Charlie']);

    const kept = await store.restoreBackup(first.id, hooks);
    expect(await patientLastNames(state.db)).toEqual(['Alpha', 'Bravo']);
    expect(kept?.reason).toBe('before_restore');

    await store.restoreBackup(kept!.id, hooks);
    expect(await patientLastNames(state.db)).toEqual(['Bravo', 'Charlie']);
    // The database keeps working after the swaps.
    await addPatients(state.db, ['Delta']);
    expect(await patientLastNames(state.db)).toEqual(['Bravo', 'Charlie', 'Delta']);
  });

  it('lists backups newest first with their size, and keeps the last N per reason', async () => {
    const folder = temporaryFolder('topsmile-backups-');
    cleanups.push(folder.remove);
    const dataDir = join(folder.path, 'data');
    const file = clinicDatabaseFile(dataDir, NAME);
    const store = createBackupStore({
      databaseFile: file,
      directory: join(folder.path, 'backups'),
      retention: { scheduled: 2 },
    });
    const db = await openClinicDatabase({ directory: dataDir, name: NAME });
    cleanups.push(() => db.close().then(() => undefined));
    const created = [];
    for (let i = 0; i < 4; i++) created.push(await store.createBackup('scheduled'));
    const manual = await store.createBackup('manual');
    const listed = store.listBackups();
    expect(listed.map((backup) => backup.id)).toEqual([manual.id, created[3]!.id, created[2]!.id]);
    expect(listed.every((backup) => backup.sizeBytes > 0)).toBe(true);
    await expect(store.restoreBackup(created[0]!.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a backup whose bytes changed on disk, and leaves the database alone', async () => {
    const { store, state, hooks, folder } = await setup();
    await addPatients(state.db, ['Alpha']);
    const backup = await store.createBackup('manual');
    await addPatients(state.db, ['Bravo']);
    const backupFile = join(folder.path, 'backups', `${backup.id}.sqlite`);
    const bytes = readFileSync(backupFile);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(backupFile, bytes);
    await expect(store.restoreBackup(backup.id, hooks)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('checksum'),
    });
    expect(await patientLastNames(state.db)).toEqual(['Alpha', 'Bravo']);
  });

  it('refuses a backup that fails the integrity check even with a matching checksum', async () => {
    const { store, state, hooks, folder } = await setup();
    await addPatients(state.db, ['Alpha']);
    const backup = await store.createBackup('manual');
    const backupFile = join(folder.path, 'backups', `${backup.id}.sqlite`);
    const bytes = readFileSync(backupFile);
    // Damage a b-tree page header (page 3), then make the manifest agree with the new bytes.
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0xaa, pageSize * 2, pageSize * 2 + 64);
    writeFileSync(backupFile, bytes);
    const manifestFile = join(folder.path, 'backups', 'manifest.json');
    const { createHash } = await import('node:crypto');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      backups: { id: string; sha256: string }[];
    };
    manifest.backups.find((entry) => entry.id === backup.id)!.sha256 = createHash('sha256')
      .update(bytes)
      .digest('hex');
    writeFileSync(manifestFile, JSON.stringify(manifest));
    await expect(store.restoreBackup(backup.id, hooks)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('integrity'),
    });
    expect(await patientLastNames(state.db)).toEqual(['Alpha']);
  });

  it('runs on a schedule', async () => {
    const { store } = await setup();
    const stop = store.startSchedule(60_000, 10);
    cleanups.push(stop);
    await waitForBackups(store, 1);
    expect(store.listBackups()[0]?.reason).toBe('scheduled');
  });
});

async function waitForBackups(store: BackupStore, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (store.listBackups().length < count) {
    if (Date.now() > deadline) throw new Error('no scheduled backup');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
