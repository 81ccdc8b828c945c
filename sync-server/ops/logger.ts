// The server's pino logger: JSON lines, PHI and credentials redacted (shared/privacy).
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactOptions } from '../../shared/privacy/redact';
import type { LogLevel } from '../env';

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: [...redactOptions.paths], censor: redactOptions.censor },
    base: { service: 'topsmile-sync' },
  };
  return destination ? pino(options, destination) : pino(options);
}
