// Crash reports from main (and, through @sentry/electron, native crashes of every process), only
// when SENTRY_DSN is set, with patient data scrubbed by the same function the server uses.
import * as Sentry from '@sentry/electron/main';
import { crashReportingOptions } from './policy/crash-reporting-options';

export function startCrashReporting(dsn: string | undefined, release: string): boolean {
  if (!dsn) return false;
  Sentry.init(crashReportingOptions(dsn, release));
  return true;
}
