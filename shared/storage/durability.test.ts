import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SQLiteSynchronousLevel } from './index';
import { SQLiteStorageOpenError, databaseFileName, getRxStorageSQLite } from './index';
import { createTestInstance, makeTempDirectory } from './test-support/storage-helpers';
import type { PatientTestDoc } from './test-support/test-schemas';
import { patientTestSchema } from './test-support/test-schemas';

const KILL_WRITER = fileURLToPath(new URL('./test-support/kill-writer.ts', import.meta.url));

let temp: ReturnType<typeof makeTempDirectory>;
beforeEach(() => {
  temp = makeTempDirectory();
});
afterEach(() => temp.cleanup());

/** Runs the writer child, SIGKILLs it after `ackBatches` acknowledged batches, returns their ids. */
function writeUntilKilled(
  directory: string,
  synchronous: SQLiteSynchronousLevel,
  ackBatches: number,
): Promise<{ acknowledged: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', KILL_WRITER, directory, synchronous],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acknowledged: string[] = [];
    let pending = '';
    let batches = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? ''; // an unfinished line was not fully acknowledged yet
      for (const line of lines) {
        if (!line.startsWith('ack ')) continue;
        acknowledged.push(...line.slice(4).split(','));
        batches++;
      }
      if (batches >= ackBatches && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited (${code}): ${stderr}`));
      else resolve({ acknowledged, signal });
    });
  });
}

describe('durability', () => {
  it.each<SQLiteSynchronousLevel>(['FULL', 'NORMAL'])(
    'every acknowledged write survives kill -9 mid-stream (synchronous=%s)',
    async (synchronous) => {
      const { acknowledged, signal } = await writeUntilKilled(temp.directory, synchronous, 40);
      expect(signal).toBe('SIGKILL');
      expect(acknowledged.length).toBeGreaterThanOrEqual(40 * 25);

      const storage = getRxStorageSQLite({ directory: temp.directory });
      const instance = await createTestInstance<PatientTestDoc>(storage, patientTestSchema, {
        databaseName: 'durability',
        collectionName: 'patients',
      });
      try {
        const found = await instance.findDocumentsById(acknowledged, false);
        expect(found.length).toBe(acknowledged.length);
        expect(new Set(found.map((d) => d.id))).toEqual(new Set(acknowledged));
      } finally {
        await instance.close();
      }
    },
    60_000,
  );
});

describe('opening a file that is not a healthy SQLite database', () => {
  const open = () =>
    createTestInstance(getRxStorageSQLite({ directory: temp.directory }), patientTestSchema, {
      databaseName: 'clinic',
      collectionName: 'patients',
    });

  const cases: [string, Buffer][] = [
    ['garbage bytes', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251))],
    ['a file shorter than the header', Buffer.from('SQLite')],
    [
      'an SQLite header followed by garbage',
      Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(8176, 0xab)]),
    ],
  ];

  it.each(cases)('%s: clear error naming the file, file left untouched', async (_name, bytes) => {
    const filePath = join(temp.directory, databaseFileName('clinic'));
    writeFileSync(filePath, bytes);

    const error = await open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SQLiteStorageOpenError);
    expect((error as SQLiteStorageOpenError).filePath).toBe(filePath);
    expect((error as Error).message).toContain(filePath);
    expect(readFileSync(filePath).equals(bytes)).toBe(true);
    expect(existsSync(filePath + '-wal')).toBe(false);
  });

  it('creates the directory when it does not exist', async () => {
    const directory = join(temp.directory, 'nested', 'data');
    const instance = await createTestInstance(
      getRxStorageSQLite({ directory }),
      patientTestSchema,
      { databaseName: 'clinic', collectionName: 'patients' },
    );
    await instance.close();
    expect(existsSync(join(directory, databaseFileName('clinic')))).toBe(true);
  });
});
