// Error reporting with @sentry/node when SENTRY_DSN is set. Every event passes scrubEvent, so no
// request body, credential or patient field leaves the server. The SDK is loaded only when a DSN
// is given: importing it costs about 80 MB of resident memory.
import { maskSensitive, scrubEvent } from '../../shared/privacy/scrub';

export interface ErrorReporter {
  capture(error: unknown, context: { requestId: string; route: string }): void;
  flush(timeoutMs?: number): Promise<void>;
}

export const noErrorReporter: ErrorReporter = {
  capture: () => undefined,
  flush: async () => undefined,
};

export async function initSentry(dsn: string, environment: string): Promise<ErrorReporter> {
  const Sentry = await import('@sentry/node');
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
