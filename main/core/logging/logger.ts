// The core's log: pino, one JSON line per event, to a file in the user-data folder that rolls
// daily and at a size limit, keeping the last few. Patient data is redacted by key (shared/privacy)
// and errors are logged without their messages (safe-error.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import build from 'pino-roll';
import { redactOptions } from '../../../shared/privacy/redact';
import { describeErrorForLog } from './safe-error';

export type CoreLogger = Logger;

export interface CoreLoggerOptions {
  /** The logs folder, e.g. `<userData>/logs`. */
  readonly dir: string;
  readonly level?: pino.LevelWithSilent;
  /** Roll at this size as well as daily (pino-roll units: '10m', '500k'). */
  readonly maxFileSize?: string;
  /** Rolled files kept besides the current one. */
  readonly keepFiles?: number;
}

export interface CoreLog {
  readonly logger: CoreLogger;
  /** The current file's base: files are `core.<yyyy-MM-dd>.<n>.log` in `dir`. */
  readonly filePrefix: string;
  /** Writes out what is buffered and closes the file. */
  close(): Promise<void>;
}

export const LOG_FILE_BASE = 'core';

export async function createCoreLogger(options: CoreLoggerOptions): Promise<CoreLog> {
  mkdirSync(options.dir, { recursive: true });
  const filePrefix = join(options.dir, LOG_FILE_BASE);
  const stream = await build({
    file: filePrefix,
    extension: '.log',
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    size: options.maxFileSize ?? '10m',
    limit: { count: options.keepFiles ?? 10, removeOtherLogFiles: true },
    mkdir: true,
  });
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { process: 'core', pid: process.pid },
      redact: redactOptions,
      serializers: { err: describeErrorForLog, error: describeErrorForLog },
    },
    stream,
  );
  return {
    logger,
    filePrefix,
    close: () =>
      new Promise<void>((resolve) => {
        stream.flush(() => {
          stream.once('close', () => resolve());
          stream.end();
        });
      }),
  };
}

/** A logger that drops everything, for tests and tools that do not keep logs. */
export function silentLogger(): CoreLogger {
  return pino({ level: 'silent' });
}
