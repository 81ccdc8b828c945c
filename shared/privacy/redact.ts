// pino `redact` configuration for every process that logs (sync server, desktop main process).
// pino's wildcards match one level each, so the paths cover the usual places a document or a
// request lands in a log line, a few levels deep. Request bodies are never logged on purpose;
// this is the net under that rule.
import { PHI_KEYS, SECRET_KEYS } from './phi-keys';

export const REDACTED = '[redacted]';

const PREFIXES = ['', '*.', '*.*.', '*.*.*.', 'req.body.', 'req.body.*.', 'req.body.*.*.'];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pathsFor(keys: readonly string[]): string[] {
  return PREFIXES.flatMap((prefix) =>
    keys.filter((key) => IDENTIFIER.test(key)).map((key) => `${prefix}${key}`),
  );
}

/** Every path pino must censor. */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'req.body',
  'res.body',
  ...pathsFor([...PHI_KEYS, ...SECRET_KEYS]),
];

/** Pass as `pino({ redact: redactOptions })`. */
export const redactOptions: { paths: string[]; censor: string } = {
  paths: [...REDACT_PATHS],
  censor: REDACTED,
};
