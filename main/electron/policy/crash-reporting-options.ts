// The options @sentry/electron starts with in main: no default PII, and every event and
// breadcrumb through the same scrubbing the server uses. Plain data, so a test can hand them to
// @sentry/node (which @sentry/electron's main side is built on) and read what leaves.
import { maskSensitive, scrubEvent } from '../../../shared/privacy/scrub';

export function crashReportingOptions(dsn: string, release: string) {
  return {
    dsn,
    release,
    sendDefaultPii: false,
    beforeSend: <E extends object>(event: E): E => scrubEvent(event),
    beforeBreadcrumb: <B extends object>(breadcrumb: B): B => maskSensitive(breadcrumb) as B,
  };
}
