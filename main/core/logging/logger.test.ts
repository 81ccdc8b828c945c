import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreLogger } from './logger';

const dirs: string[] = [];
function logsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topsmile-logs-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function readLogs(dir: string): string {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('');
}

describe('core logger', () => {
  it('keeps names, birth dates and error messages about patients out of the file', async () => {
    const dir = logsDir();
    const log = await createCoreLogger({ dir, level: 'debug' });
    const patient = {
      id: 'p-0190a6c4',
      firstName: 'Mariana',
      lastName: 'Quixaba',
      birthDate: '1981-07-23',
      phones: [{ number: '+55 11 98765-4321' }],
    };
    log.logger.info({ patient }, 'patient saved');
    log.logger.warn({ payload: { document: patient } }, 'push refused');
    log.logger.error({ err: new Error('duplicate key for Mariana Quixaba') }, 'write failed');
    await log.close();

    const text = readLogs(dir);
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.msg)).toEqual([
      'patient saved',
      'push refused',
      'write failed',
    ]);
    expect(lines[0]).toMatchObject({ patient: { id: 'p-0190a6c4', firstName: '[redacted]' } });
    expect(lines[2]).toMatchObject({ err: { type: 'Error' } });
    for (const secret of ['Mariana', 'Quixaba', '1981-07-23', '98765']) {
      expect(text).not.toContain(secret);
    }
  });

  it('rolls at the size limit and keeps only the newest files', async () => {
    const dir = logsDir();
    const log = await createCoreLogger({ dir, maxFileSize: '1k', keepFiles: 2 });
    for (let i = 0; i < 200; i++) {
      log.logger.info({ i, filler: 'x'.repeat(100) }, 'line');
      // Rolling happens between writes; give it the chance to.
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    await log.close();
    const files = readdirSync(dir).filter((name) =>
      /^core\.\d{4}-\d{2}-\d{2}\.\d+\.log$/.test(name),
    );
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.length).toBeLessThanOrEqual(3);
    // The newest lines survive.
    expect(readLogs(dir)).toContain('"i":199');
  });
});
