// What may be logged about an error: its type (class name), code and stack frames, never its message. Some
// errors (RxDB's, SQLite's, a handler's) quote the documents involved, i.e. patient data.

/** `type` rather than `name`: `name` is a patient-data key the log redacts. */
export interface LoggableError {
  readonly type: string;
  readonly code?: string;
  readonly frames?: string;
}

export function describeErrorForLog(error: unknown): LoggableError {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = error.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    ...(frames ? { frames } : {}),
  };
}
