// Error reporting with @sentry/node when SENTRY_DSN is set. Every event passes scrubEvent, so no
// request body, credential or patient field leaves the server.
import * as Sentry from '@sentry/node';
import { maskSensitive, scrubEvent } from '../../shared/privacy/scrub';

export interface ErrorReporter {
  capture(error: unknown, context: { requestId: string; route: string }): void;
  flush(timeoutMs?: number): Promise<void>;
}

export const noErrorReporter: ErrorReporter = {
  capture: () => undefined,
  flush: async () => undefined,
};

export function initSentry(dsn: string, environment: string): ErrorReporter {
  Sentry.init({
    dsn,
    environment,
    // Only errors: no tracing, no default integrations that read request bodies.
    defaultIntegrations: false,
    integrations: [],
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (crumb) => maskSensitive(crumb) as typeof crumb,
  });
  return {
    capture(error, context) {
      Sentry.captureException(error, {
        tags: { requestId: context.requestId, route: context.route },
      });
    },
    async flush(timeoutMs = 2000) {
      await Sentry.flush(timeoutMs);
    },
  };
}
